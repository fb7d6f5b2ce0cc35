"""`db copy --to URL` (issue 17, point 9): a SQLite registry, its history included, copied into
an empty PostgreSQL database and compared table by table, row by row."""

from __future__ import annotations

import datetime as dt
import itertools

import psycopg
import pytest
from sqlalchemy import select

from incubator import demo
from incubator.cli import main
from incubator.db import Database
from incubator.models import Base
from incubator.services import narratives, registry
from tests.conftest import new_pg_database
from tests.factories import org
from tests.pgserver import PgServer

pytestmark = pytest.mark.postgres
_names = itertools.count()


def empty_target(server: PgServer) -> str:
    return new_pg_database(server, template=None)


def every_row(db: Database) -> dict[str, list[tuple]]:
    with db.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


def test_a_registry_moves_up_whole_with_its_history(sqlite_db, pg_server, capsys) -> None:
    demo.generate(sqlite_db, orgs=25, seed=7, today=dt.date(2026, 6, 30))
    mine = org(sqlite_db, 1, name="天山区幸福社区服务中心")
    registry.update(sqlite_db, mine.id, {"notes": "张敏改的"}, mine.version, actor="张敏")
    narratives.set_center_info(sqlite_db, "乌鲁木齐市社会组织孵化基地", None, actor="张敏")
    target_url = empty_target(pg_server)
    rc = main(["db", "copy", "--to", target_url, "--db", str(sqlite_db.url.database)])
    out, err = capsys.readouterr()
    assert rc == 0, err
    assert "rows copied and checked" in out
    target = Database(target_url)
    try:
        source_rows, target_rows = every_row(sqlite_db), every_row(target)
        for table, rows in source_rows.items():
            assert target_rows[table] == rows, table
        assert len(source_rows["audit_log"]) > 3
        # Documents went too, their files byte for byte (bytea from SQLite's blobs).
        assert source_rows["documents"] and source_rows["stored_files"]
        assert source_rows["annual_reports"] and source_rows["ratings"]
        # Read back by the server's own client: the authors as they were recorded, not the
        # copying login (their times are in the rows compared above).
        with psycopg.connect(target.url.set(drivername="postgresql").render_as_string(False)) as c:
            actors = {a for (a,) in c.execute("SELECT DISTINCT actor FROM audit_log")}
        assert actors == {"demo", "张敏", "tester"}
        # The registry goes on there: new rows take the next ids, and are audited by login.
        new = org(target, 2, name="新来的协会")
        assert new.id == max(r[0] for r in source_rows["organizations"]) + 1
        assert narratives.center_info(target).name == "乌鲁木齐市社会组织孵化基地"
    finally:
        target.dispose()
    # Into a registry that is no longer empty: refused, nothing added.
    rc = main(["db", "copy", "--to", target_url, "--db", str(sqlite_db.url.database)])
    assert rc == 1 and "already holds" in capsys.readouterr().err


def test_only_into_postgresql(sqlite_db, tmp_path, capsys) -> None:
    rc = main(
        ["db", "copy", "--to", str(tmp_path / "other.sqlite3"), "--db", str(sqlite_db.url.database)]
    )
    assert rc == 1 and "PostgreSQL" in capsys.readouterr().err
