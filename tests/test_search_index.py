"""The text index (FTS5 trigrams on SQLite, pg_trgm on PostgreSQL) finds exactly what a plain
scan finds, on random queries, on both backends and by both ways of finding a first page.

The reference reads every row in display order with plain SQL (no condition on the key) and
keeps, in Python, those whose key holds the folded query: nothing of the search code's SQL.
"""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from incubator import demo, search_index
from incubator.services import registry
from incubator.services.registry import OrgQuery
from incubator.textkeys import fold_for_search
from tests.factories import org

# Names a random pick from the demo would rarely give: Uyghur script, dots, LIKE's own
# characters, a quote (FTS5's phrase delimiter), a very long name.
ODD_NAMES = (
    "ئۈمىد ياشلار مۇلازىمەت مەركىزى",
    "阿依古丽·买买提社工服务站",
    "百分之百%互助_会",
    'a "quoted" \\ backslash 协会',
    "长" * 150 + "协会",
)


@pytest.fixture
def registry_db(db):
    demo.generate(db, orgs=120, seed=11)
    for n, name in enumerate(ODD_NAMES, start=900):
        org(db, n, name=name)
    return db


def plain_scan(db, folded: str, include_archived: bool = False) -> list[int]:
    where = "" if include_archived else "WHERE archived = :no"
    params = {} if include_archived else {"no": False}
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT id, search_key FROM organizations {where} ORDER BY name_sort, id"),
            params,
        )
        return [i for i, key in rows if folded in key]


def random_queries(db, rng: random.Random, n: int) -> list[str]:
    """Pieces of real keys (1 to 8 characters, any script), pieces of names as typed (with
    dots and spaces), and text found nowhere."""
    with db.engine.connect() as conn:
        keys = [k for (k,) in conn.execute(text("SELECT search_key FROM organizations"))]
        names = [k for (k,) in conn.execute(text("SELECT name FROM organizations"))]
    queries = []
    for _ in range(n):
        source = rng.choice(keys) if rng.random() < 0.7 else rng.choice(names)
        size = rng.choice((1, 1, 2, 2, 3, 4, 5, 8))
        start = rng.randrange(max(1, len(source) - size + 1))
        queries.append(source[start : start + size])
    queries += ["zzzq", "%", "_", '"', "\\", "互助_", "00000000", "ا", "ى"]
    return queries


@pytest.mark.parametrize("bound", [5, "as shipped"])
def test_the_index_finds_what_a_plain_scan_finds(registry_db, monkeypatch, bound) -> None:
    # Small bounds send text down every way of finding a first page: SQLite's read in order
    # (too many candidates), PostgreSQL's sort of every match (too few in the first rows).
    if bound != "as shipped":
        monkeypatch.setattr(registry, "CANDIDATES", bound)
        monkeypatch.setattr(registry, "WALK", bound)
    db = registry_db
    rng = random.Random(str(bound))
    for q in random_queries(db, rng, 150):
        expected = plain_scan(db, fold_for_search(q))
        query = OrgQuery(text=q)
        assert registry.search_ids(db, query) == expected, q
        assert [r.id for r in registry.list_page(db, query, limit=10)] == expected[:10], q
        assert [o.id for o in registry.search(db, query, 3, 4)] == expected[3:7], q
        assert registry.count(db, query) == len(expected), q


def test_archived_and_other_orders_are_kept(registry_db, monkeypatch) -> None:
    db = registry_db
    monkeypatch.setattr(registry, "CANDIDATES", 5)
    monkeypatch.setattr(registry, "WALK", 5)
    archived = plain_scan(db, "shequ")[:3]
    for org_id in archived:
        registry.set_archived(db, org_id, True, registry.get(db, org_id).version)
    shown = plain_scan(db, "shequ")
    assert not set(archived) & set(shown)
    assert registry.search_ids(db, OrgQuery(text="shequ")) == shown
    every = plain_scan(db, "shequ", include_archived=True)
    assert set(archived) < set(every)
    assert registry.search_ids(db, OrgQuery(text="shequ", include_archived=True)) == every
    by_id = registry.search_ids(db, OrgQuery(text="shequ", order_by="id", descending=True))
    assert by_id == sorted(shown, reverse=True)


def test_the_index_follows_renames(registry_db) -> None:
    db = registry_db
    some = registry.get(db, plain_scan(db, "")[7])
    registry.update(db, some.id, {"name": "克孜勒苏柯尔克孜新名字协会"}, some.version)
    assert registry.search_ids(db, OrgQuery(text="柯尔克孜新名字")) == [some.id]
    assert some.id not in registry.search_ids(db, OrgQuery(text=fold_for_search(some.name)))
    if db.is_sqlite:  # FTS5's own check: the index holds exactly what the rows hold
        with db.engine.begin() as conn:
            table = search_index.FTS_TABLE
            conn.execute(text(f"INSERT INTO {table}({table}) VALUES ('integrity-check')"))


def test_the_index_is_used(registry_db) -> None:
    """Three characters or more are looked up in the index, not read row by row."""
    db = registry_db
    with db.engine.connect() as conn:
        if db.is_sqlite:
            plan = conn.execute(
                text(
                    f"EXPLAIN QUERY PLAN SELECT rowid FROM {search_index.FTS_TABLE} "
                    f"WHERE {search_index.FTS_TABLE} MATCH :q"
                ),
                {"q": '"shequ"'},
            ).all()
            assert "VIRTUAL TABLE INDEX" in str(plan)
        else:
            conn.execute(text("SET enable_seqscan = off"))
            plan = conn.execute(
                text("EXPLAIN SELECT id FROM organizations WHERE search_key LIKE '%shequ%'")
            ).all()
            assert search_index.TRIGRAM_INDEX in str(plan)
            # One or two characters: through the key's pairs of characters.
            for pattern in ("% 社区 %", "% 社%"):
                plan = conn.execute(
                    text(
                        f"EXPLAIN SELECT id FROM organizations "
                        f"WHERE {search_index.PAIRS_COLUMN} LIKE '{pattern}'"
                    )
                ).all()
                assert search_index.PAIRS_INDEX in str(plan), pattern


def test_a_replaced_search_stops_reading(registry_db, monkeypatch) -> None:
    """The list's worker passes its progress: once the next keystroke replaced the search,
    the ids stop coming after the part being read."""
    db = registry_db
    monkeypatch.setattr(registry, "IDS_AT_ONCE", 7)
    every = registry.search_ids(db, OrgQuery())
    assert len(every) > 14
    calls: list[int] = []
    wanted = lambda done, _total: calls.append(done) or len(calls) < 2  # noqa: E731
    assert registry.search_ids(db, OrgQuery(), progress=wanted) == every[:14]
    assert calls == [7, 14]
