"""Rotating log file for unexpected errors (users see a short apology and this file's path)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from incubator.paths import log_dir, make_private, private_folder

LOGGER = logging.getLogger("incubator")


def setup_logging() -> Path:
    folder = private_folder(log_dir())
    path = folder / "incubator.log"
    if not any(isinstance(h, RotatingFileHandler) for h in LOGGER.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
        make_private(path)  # (its rotated copies keep the mode: they are renamed)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        LOGGER.addHandler(handler)
        LOGGER.setLevel(logging.INFO)
    return path


def log_unexpected(exc: BaseException) -> Path:
    path = setup_logging()
    LOGGER.error("Unexpected error", exc_info=exc)
    return path
