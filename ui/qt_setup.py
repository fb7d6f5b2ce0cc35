"""Qt's own parts that follow the app's choices: its translations (the Yes/No of a message
box, the print and file dialogs, context menus) follow the UI language, and its saved window
state lives in the config folder, which INCUBATOR_HOME moves like every other user folder."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from incubator.paths import config_dir

# Qt's catalogs for a UI language (PySide6 ships them); English needs none.
QT_CATALOGS = {"zh_CN": ("qtbase_zh_CN",)}
# The locale widgets are made with: calendars' month and weekday names follow the UI language.
QT_LOCALES = {
    "zh_CN": QLocale(QLocale.Language.Chinese, QLocale.Country.China),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}

_installed: list[QTranslator] = []


def use_qt_translations(language: str) -> list[str]:
    """Installs Qt's own catalogs for ``language`` in place of the previous ones; returns the
    names of those loaded."""
    QLocale.setDefault(QT_LOCALES.get(language, QT_LOCALES["en"]))
    app = QCoreApplication.instance()
    if app is None:
        return []
    while _installed:
        app.removeTranslator(_installed.pop())
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    for name in QT_CATALOGS.get(language, ()):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
            loaded.append(name)
    return loaded


def keep_window_state_in_config_folder() -> str:
    """QSettings as an INI file in the config folder (not the Windows registry nor ~/.config
    directly), so that INCUBATOR_HOME moves it too; returns the folder."""
    folder = str(config_dir())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    return folder
