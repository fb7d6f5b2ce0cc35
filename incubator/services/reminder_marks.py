"""Reminders marked done or snoozed: a person's answer to a reminder, shared by every desk.

A mark belongs to one reminder: its kind, organization, record and date. "Done" hides it for
good; "snoozed until D" hides it before D. When the situation changes (the instalment is
rescheduled, the agreement extended) the reminder has a new date and shows again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from incubator.db import Database
from incubator.errors import ValidationError
from incubator.models import Organization, ReminderMark
from incubator.services.common import load


def _identity(reminder) -> tuple[str, int, int, dt.date]:
    return (reminder.kind.value, reminder.organization_id, reminder.record_id or 0, reminder.date)


def mark_done(db: Database, reminder, actor: str | None = None) -> None:
    _mark(db, reminder, None, actor)


def snooze(db: Database, reminder, until: dt.date, actor: str | None = None) -> None:
    if until <= dt.date.today():
        raise ValidationError.single("snoozed_until", "Choose a day after today")
    _mark(db, reminder, until, actor)


def _mark(db: Database, reminder, until: dt.date | None, actor: str | None) -> None:
    kind, org_id, record_id, about = _identity(reminder)
    with db.transaction(actor) as session:
        load(session, Organization, org_id, "Organization")
        mark = session.scalar(
            select(ReminderMark).where(
                ReminderMark.kind == kind,
                ReminderMark.organization_id == org_id,
                ReminderMark.record_id == record_id,
                ReminderMark.about == about,
            )
        )
        if mark is None:
            mark = ReminderMark(kind=kind, organization_id=org_id, record_id=record_id, about=about)
            session.add(mark)
        mark.snoozed_until = until
        mark.marked_by = session.info["actor"]


def unmark(db: Database, reminder, actor: str | None = None) -> None:
    """Remind again: the mark goes (audited, like every change)."""
    kind, org_id, record_id, about = _identity(reminder)
    with db.transaction(actor) as session:
        for mark in session.scalars(
            select(ReminderMark).where(
                ReminderMark.kind == kind,
                ReminderMark.organization_id == org_id,
                ReminderMark.record_id == record_id,
                ReminderMark.about == about,
            )
        ):
            session.delete(mark)


def hidden(session: Session, reminders: Iterable, today: dt.date) -> set[tuple]:
    """The identities of those reminders that are done, or snoozed beyond ``today``."""
    wanted = {_identity(r) for r in reminders}
    if not wanted:
        return set()
    # Marks are few (one per answered reminder): reading those in force is cheaper than
    # asking for thousands of identities.
    rows = session.execute(
        select(
            ReminderMark.kind,
            ReminderMark.organization_id,
            ReminderMark.record_id,
            ReminderMark.about,
        ).where(or_(ReminderMark.snoozed_until.is_(None), ReminderMark.snoozed_until > today))
    )
    return {tuple(row) for row in rows} & wanted


def is_hidden(identities: set[tuple], reminder) -> bool:
    return _identity(reminder) in identities
