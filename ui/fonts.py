"""Register the bundled fonts so Chinese and Uyghur show on any machine."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from incubator.paths import RESOURCES

FONT_FILES = ("wqy-microhei.ttc", "UKIJTuz.ttf", "UKIJTuzBold.ttf")


def register(app: QApplication) -> list[str]:
    """Add the bundled fonts; make WenQuanYi Micro Hei, then UKIJ Tuz, the app font."""
    families: list[str] = []
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(RESOURCES / "fonts" / name))
        if font_id >= 0:
            families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if "WenQuanYi Micro Hei" in families:
        font = QFont(app.font())
        # Explicit fallback order: Han and Latin first, then Uyghur letters.
        font.setFamilies(["WenQuanYi Micro Hei", "UKIJ Tuz"])
        font.setStyleHint(QFont.StyleHint.SansSerif)
        app.setFont(font)
    return families
