"""Columns staff mapped themselves, remembered for the next file with the same headers.

Kept in the registry's ``settings`` table, so every desk of a center benefits: a bureau sends
the same layout every year, and it is mapped once. The key is a digest of the header row
(``Layout.signature``); the value maps each header as written to a field ("" to ignore it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from incubator.db import Database
from incubator.importing.headers import Layout
from incubator.models import Setting

PREFIX = "import_columns:"


def signature_for(kind: str, layout: Layout) -> str:
    """The key of a layout's mapping: its headers, and the kind of rows (organizations keep
    the bare headers)."""
    sig = layout.signature()
    return sig if kind == "organizations" else f"{kind}|{sig}"


def _key(signature: str) -> str:
    return PREFIX + hashlib.sha1(signature.encode("utf-8")).hexdigest()


def remembered(db: Database, signature: str) -> dict[str, str]:
    with db.reading() as session:
        row = session.get(Setting, _key(signature))
        return json.loads(row.value) if row and row.value else {}


def remember(
    db: Database, signature: str, mapping: Mapping[str, str], actor: str | None = None
) -> None:
    value = json.dumps(dict(mapping), ensure_ascii=False, sort_keys=True)
    with db.transaction(actor) as session:  # audited like every setting
        row = session.get(Setting, _key(signature))
        if row is None:
            session.add(Setting(key=_key(signature), value=value))
        elif row.value != value:
            row.value = value
