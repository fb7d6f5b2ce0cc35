"""Per-user preferences that are not window state (language): a small JSON file in the user
config folder. Center-wide settings live in the database (``settings`` table)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from incubator.paths import config_dir


def _path() -> Path:
    return config_dir() / "preferences.json"


def load() -> dict[str, Any]:
    try:
        return json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def get(key: str, default: Any = None) -> Any:
    return load().get(key, default)


def put(key: str, value: Any) -> None:
    data = load()
    data[key] = value
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
