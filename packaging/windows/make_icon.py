"""The Windows programs' icon (.ico, 16 to 256 pixels) drawn from the project's SVG icon, so
the repository keeps one picture. scripts/build-windows.ps1 runs it before PyInstaller:

    python packaging/windows/make_icon.py build/incubator-registry.ico
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "incubator-registry.svg"
SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]  # what Explorer and the Start menu ask for


def render(size: int) -> Image.Image:
    """The SVG drawn at ``size`` pixels square on a transparent ground."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data())))


def make_icon(out: Path) -> Path:
    """Writes ``out``: every size drawn from the SVG at that size (small ones stay sharp)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (QPainter needs it)
    images = [render(size) for size in SIZES]
    out.parent.mkdir(parents=True, exist_ok=True)
    images[-1].save(out, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    return out


if __name__ == "__main__":
    print(make_icon(Path(sys.argv[1])))
