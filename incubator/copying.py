"""Moving up: a SQLite registry copied into an empty PostgreSQL database, its audit trail
included, then proved the same (rows of every table, money and hours summed) before the copy
is committed. Nothing is left half-copied: it is one transaction on the server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, Numeric, Table, func, insert, select, text

from incubator import schema
from incubator.db import Database
from incubator.errors import DatabaseError, IncubatorError, ValidationError
from incubator.i18n import T
from incubator.models import Base

CHUNK = 5000  # rows read and written at a time
AUDIT_TRIGGER = "audit_log_from_server"  # migration 0012: it would rename every entry's author


class Cancelled(IncubatorError):
    key = T("The copy was cancelled; nothing was written to the target")


@dataclass(frozen=True)
class CopyReport:
    rows: dict[str, int]  # per table, as counted in the target after the copy
    totals: dict[str, Decimal]  # "table.column": its sum, the same on both sides


def _figures(conn: Connection) -> tuple[dict[str, int], dict[str, Decimal]]:
    """Rows of every registry table, and the sum of every numeric column (money, hours,
    scores): what must come out the same on both sides."""
    rows, totals = {}, {}
    for table in Base.metadata.sorted_tables:
        rows[table.name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        for column in table.columns:
            if isinstance(column.type, Numeric):
                # In whole units of its last decimal: SQLite sums NUMERIC as floating point.
                unit = 10 ** (column.type.scale or 0)
                whole = func.coalesce(func.sum(func.round(column * unit)), 0)
                total = conn.execute(select(whole)).scalar_one()
                totals[f"{table.name}.{column.name}"] = Decimal(int(total)) / unit
    return rows, totals


def copy_registry(
    source: Database, target: Database, progress: Callable[[int, int], bool] | None = None
) -> CopyReport:
    """Copy every row of ``source`` (SQLite, at the newest schema) into ``target`` (an empty
    PostgreSQL database; its schema is made or brought up to date first), ids, versions and
    audit entries as they are."""
    if target.is_sqlite:
        raise ValidationError.single("to", "The copy goes into a PostgreSQL database")
    schema.upgrade(source)
    schema.upgrade(target)
    with source.engine.connect() as read:
        wanted, expected = _figures(read)
        total = sum(wanted.values())
        with target.engine.connect() as write, write.begin():
            schema.as_schema_owner(target, write)  # the audit's trigger is the owner's to hold
            held = sum(_figures(write)[0].values())
            if held:
                raise ValidationError.single(
                    "to",
                    "{db} already holds {n} rows: the copy goes into an empty registry",
                    db=target.describe(),
                    n=held,
                )
            write.exec_driver_sql(f"ALTER TABLE audit_log DISABLE TRIGGER {AUDIT_TRIGGER}")
            done = 0
            for table in Base.metadata.sorted_tables:
                done = _copy_table(read, write, table, done, total, progress)
            write.exec_driver_sql(f"ALTER TABLE audit_log ENABLE TRIGGER {AUDIT_TRIGGER}")
            _continue_ids(write)
            rows, totals = _figures(write)
            if (rows, totals) != (wanted, expected):
                differ = sorted(
                    name
                    for name in {*wanted, *expected}
                    if wanted.get(name, expected.get(name)) != rows.get(name, totals.get(name))
                )
                raise DatabaseError(detail=f"the copy differs from the registry in {differ}")
    return CopyReport(rows, totals)


def _copy_table(
    read: Connection,
    write: Connection,
    table: Table,
    done: int,
    total: int,
    progress: Callable[[int, int], bool] | None,
) -> int:
    result = read.execution_options(yield_per=CHUNK).execute(select(table))
    for part in result.partitions(CHUNK):
        write.execute(insert(table), [row._asdict() for row in part])
        done += len(part)
        if progress is not None and progress(done, total) is False:
            raise Cancelled()
    return done


def _continue_ids(conn: Connection) -> None:
    """Each table's id sequence goes on after the ids copied (a new row would take id 1)."""
    for table in Base.metadata.sorted_tables:
        if "id" not in table.columns or not table.c.id.autoincrement:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"
            )
        )
