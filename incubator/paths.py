"""Where things live: bundled resources next to the package, user data via platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "IncubatorRegistry"
APP_AUTHOR = "IncubatorRegistry"

# resources/ sits beside incubator/ both in a checkout and in site-packages (see pyproject).
RESOURCES = Path(__file__).resolve().parent.parent / "resources"

_dirs = PlatformDirs(APP_NAME, APP_AUTHOR)


def _override(env: str, default: Path) -> Path:
    # INCUBATOR_HOME relocates every user folder at once (tests, portable installs).
    home = os.environ.get("INCUBATOR_HOME")
    if home:
        return Path(home) / env
    return default


def data_dir() -> Path:
    return _override("data", Path(_dirs.user_data_dir))


def log_dir() -> Path:
    return _override("logs", Path(_dirs.user_log_dir))


def config_dir() -> Path:
    return _override("config", Path(_dirs.user_config_dir))


def backup_dir() -> Path:
    return data_dir() / "backups"


def default_database_file() -> Path:
    return data_dir() / "registry.sqlite3"


def private_folder(path: Path) -> Path:
    """The app's own folder (data, backups, logs), created if needed, readable by its owner
    only (0700) whatever the umask: it holds the registry and copies of it."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def make_private(path: Path) -> None:
    """A file of the app's (registry, backup, log) readable and writable by its owner only."""
    if os.name == "posix" and path.exists():
        path.chmod(0o600)
