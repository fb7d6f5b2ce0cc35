"""The text index behind the organization search, in each database's own kind.

An organization is found by a substring of its ``search_key`` (``textkeys``). A plain
``LIKE '%text%'`` reads every row; these indexes find the few rows that can hold the text:

- SQLite: an FTS5 table over ``search_key`` with the trigram tokenizer (case-sensitive: keys
  and queries are folded already), kept in step by triggers on ``organizations``. Each key is
  indexed with two spaces after it, so every character starts a trigram: a text of one or two
  characters is found through the trigrams it starts (listed by an fts5vocab table);
- PostgreSQL: a pg_trgm GIN index on ``search_key`` (it serves ``LIKE`` directly; it needs a
  database whose ``LC_CTYPE`` is a UTF-8 locale, or Han and Uyghur letters give no trigrams).
  One or two characters make no trigram: they are found in a stored generated column
  holding every two characters of the key as a word of its own (天山区 -> " 天山 区 山区 "),
  indexed the same way: pg_trgm keeps the start and the end of each word, so a word "天山"
  finds the keys holding 天山, and a word starting with 天 those holding 天.
  (A migration that changes ``search_key``'s type drops that column first and calls
  ``create`` again after.)

Text so common that the index would list a good part of the registry is found by reading
rows in display order (``services.registry``). Not part of the models: ``schema_differences``
leaves these names out.

SQLite's batch migrations rebuild a table by copying it, which drops its triggers: a later
migration that rebuilds ``organizations`` calls ``create`` again after it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

FTS_TABLE = "organizations_search"
TRIGRAM_INDEX = "ix_organizations_search_key_trgm"
PAIRS_COLUMN = "search_pairs"  # PostgreSQL: " 天山 区  山区 " for 天山区
PAIRS_INDEX = "ix_organizations_search_pairs_trgm"
# SQLite: the list in name order with each key beside it, so that a common text, found by
# reading rows in name order, reads this index alone, not every row. (PostgreSQL's B-tree
# cannot hold a key of a long name: its entries stop at about 2,700 bytes.)
LISTING_INDEX = "ix_organizations_listing"
TERMS_TABLE = "organizations_search_terms"
MIN_CHARS = 3  # a trigram index needs three characters of text
PAD = "  "  # after each key in the FTS table: its last characters start trigrams too
# A text of one or two characters that starts more trigrams than this is common: reading rows
# in order finds a screenful sooner than the index.
MOST_TERMS = 200

# FTS5's own tables behind the (contentless) virtual table, and the triggers that keep it in
# step.
_FTS_SHADOWS = ("data", "idx", "docsize", "config")
_TRIGGERS = ("ai", "ad", "au")


def names() -> frozenset[str]:
    """Every table, index and trigger name this module creates (none is in the models)."""
    return frozenset(
        {FTS_TABLE, TERMS_TABLE, TRIGRAM_INDEX, LISTING_INDEX, PAIRS_COLUMN, PAIRS_INDEX}
        | {f"{FTS_TABLE}_{s}" for s in _FTS_SHADOWS}
        | {f"{FTS_TABLE}_{t}" for t in _TRIGGERS}
    )


def create(conn: Connection) -> None:
    """Build the index from the rows already there (and, on SQLite, its triggers)."""
    if conn.dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: a database owner may create it.
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON organizations "
                "USING gin (search_key gin_trgm_ops)"
            )
        )
        # The pairs from the first character, then those from the second: every pair once.
        # (What is left over at the end is a single character: a word too, and a true one.)
        conn.execute(
            text(
                f"ALTER TABLE organizations ADD COLUMN IF NOT EXISTS {PAIRS_COLUMN} text "
                "GENERATED ALWAYS AS (' ' || regexp_replace(search_key, '(..)', '\\1 ', 'g') "
                "|| ' ' || regexp_replace(substr(search_key, 2), '(..)', '\\1 ', 'g') || ' ') "
                "STORED"
            )
        )
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {PAIRS_INDEX} ON organizations "
                f"USING gin ({PAIRS_COLUMN} gin_trgm_ops)"
            )
        )
        return
    t, key, old = FTS_TABLE, f"new.search_key || '{PAD}'", f"old.search_key || '{PAD}'"
    # Contentless: the padded keys are indexed, not stored twice.
    conn.execute(
        text(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t} USING fts5(search_key, content='', "
            "tokenize='trigram case_sensitive 1')"
        )
    )
    conn.execute(
        text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {TERMS_TABLE} USING fts5vocab({t}, 'row')")
    )
    for statement in (
        f"CREATE TRIGGER IF NOT EXISTS {t}_ai AFTER INSERT ON organizations BEGIN "
        f"INSERT INTO {t}(rowid, search_key) VALUES (new.id, {key}); END",
        f"CREATE TRIGGER IF NOT EXISTS {t}_ad AFTER DELETE ON organizations BEGIN "
        f"INSERT INTO {t}({t}, rowid, search_key) VALUES ('delete', old.id, {old}); END",
        # Only when the key itself is written: a change of stage leaves the index alone.
        f"CREATE TRIGGER IF NOT EXISTS {t}_au AFTER UPDATE OF search_key ON organizations BEGIN "
        f"INSERT INTO {t}({t}, rowid, search_key) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {t}(rowid, search_key) VALUES (new.id, {key}); END",
    ):
        conn.execute(text(statement))
    conn.execute(
        text(
            f"INSERT INTO {t}(rowid, search_key) "
            f"SELECT id, search_key || '{PAD}' FROM organizations"
        )
    )
    conn.execute(
        text(
            f"CREATE INDEX IF NOT EXISTS {LISTING_INDEX} "
            "ON organizations (archived, name_sort, id, search_key)"
        )
    )


def drop(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}"))
        conn.execute(text(f"ALTER TABLE organizations DROP COLUMN IF EXISTS {PAIRS_COLUMN}"))
        return
    for trigger in _TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{trigger}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {TERMS_TABLE}"))
    conn.execute(text(f"DROP TABLE IF EXISTS {FTS_TABLE}"))
    conn.execute(text(f"DROP INDEX IF EXISTS {LISTING_INDEX}"))


def fts_match(conn: Connection, folded: str) -> str | None:
    """An FTS5 query for the rows whose key may hold the (folded) text; "" when none can;
    None when the text is too short and common for the index to be worth asking."""
    if len(folded) >= MIN_CHARS:
        return _quoted(folded)  # one phrase: its trigrams, one after the other
    # The trigrams the text starts (the spaces after each key make sure there are some).
    # (U+10FFFF is the last character, in UTF-8 as in Unicode.)
    terms = conn.execute(
        text(
            f"SELECT term FROM {TERMS_TABLE} WHERE term >= :text AND term <= :last "
            f"LIMIT {MOST_TERMS + 1}"
        ),
        {"text": folded, "last": folded + "\U0010ffff" * 2},
    ).scalars()
    terms = list(terms)
    if len(terms) > MOST_TERMS:
        return None
    return " OR ".join(_quoted(term) for term in terms)


def _quoted(text: str) -> str:
    """A string in FTS5's query syntax (a double quote inside is written twice)."""
    return '"' + text.replace('"', '""') + '"'
