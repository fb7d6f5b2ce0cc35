"""The incubation state machine: every (from, to) pair, dates, agreements, history, overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from incubator.domain import ACTIVE_STAGES, TRANSITIONS, Stage
from incubator.errors import ConflictError, IllegalTransitionError, ValidationError
from incubator.models import AuditEntry, LifecycleTransition
from incubator.services import audit_trail, lifecycle, registry
from tests.factories import org

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=400)


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY, START
    TODAY = dt.date.today()
    START = TODAY - dt.timedelta(days=400)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


# Legal paths from 'applied' to every stage, each step (to_stage, extra keyword arguments).
PATHS: dict[Stage, list[tuple[Stage, dict]]] = {
    Stage.APPLIED: [],
    Stage.ADMITTED: [(Stage.ADMITTED, {})],
    Stage.INCUBATING: [
        (Stage.ADMITTED, {}),
        (Stage.INCUBATING, {"agreement_planned_end": day(370)}),
    ],
    Stage.MID_TERM: [
        (Stage.ADMITTED, {}),
        (Stage.INCUBATING, {"agreement_planned_end": day(370)}),
        (Stage.MID_TERM, {}),
    ],
    Stage.GRADUATED: [
        (Stage.ADMITTED, {}),
        (Stage.INCUBATING, {"agreement_planned_end": day(370)}),
        (Stage.GRADUATED, {}),
    ],
    Stage.EXITED: [(Stage.EXITED, {})],
}


def drive(db, stage: Stage, n: int = 1) -> registry.OrganizationView:
    o = org(db, n, applied_on=day(0))
    for i, (target, extra) in enumerate(PATHS[stage], start=1):
        o = lifecycle.transition(
            db, o.id, target, reason=f"step {i}", occurred_on=day(10 * i), **extra
        )
    assert o.stage is stage
    return o


def n_transitions(db, org_id: int) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).where(LifecycleTransition.organization_id == org_id))


def n_audit(db) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry))


def test_paths_cover_every_stage():
    assert set(PATHS) == set(Stage)


@pytest.mark.parametrize("from_stage", list(Stage))
def test_full_transition_table(db, from_stage):
    """For every target (the same stage included): legal iff listed in TRANSITIONS."""
    for n, to_stage in enumerate(Stage, start=1):
        o = drive(db, from_stage, n)
        before = (o.stage, o.stage_since, o.version, n_transitions(db, o.id), n_audit(db))
        extra = {"agreement_planned_end": day(380)} if to_stage is Stage.INCUBATING else {}
        if to_stage in TRANSITIONS[from_stage]:
            moved = lifecycle.transition(
                db, o.id, to_stage, reason="next", occurred_on=day(60), **extra
            )
            assert moved.stage is to_stage
            assert moved.stage_since == day(60)
            assert moved.version == o.version + 1
            assert n_transitions(db, o.id) == before[3] + 1
            assert registry.get(db, o.id).stage is to_stage
        else:
            with pytest.raises(IllegalTransitionError) as info:
                lifecycle.transition(db, o.id, to_stage, reason="try", occurred_on=day(60), **extra)
            msg = info.value.message("en")
            assert f"from stage “{from_stage.label}” to “{to_stage.label}”" in msg
            allowed = TRANSITIONS[from_stage]
            if allowed:
                assert all(s.label in msg for s in allowed)
            else:
                assert msg.endswith("allowed next stages: none")
            again = registry.get(db, o.id)
            after = (
                again.stage,
                again.stage_since,
                again.version,
                n_transitions(db, o.id),
                n_audit(db),
            )
            assert after == before


def test_transition_table_shape():
    # The documented machine: applied -> admitted -> incubating -> (mid-term) -> graduated|exited.
    assert lifecycle.is_allowed(Stage.INCUBATING, Stage.GRADUATED)
    assert lifecycle.is_allowed(Stage.MID_TERM, Stage.GRADUATED)
    assert not lifecycle.is_allowed(Stage.APPLIED, Stage.INCUBATING)
    assert not lifecycle.is_allowed(Stage.GRADUATED, Stage.EXITED)
    for stage in Stage:
        assert not lifecycle.is_allowed(stage, stage)
    assert lifecycle.allowed_next(Stage.EXITED) == ()


def test_reason_is_required(db):
    o = drive(db, Stage.APPLIED)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as info:
            lifecycle.transition(db, o.id, Stage.ADMITTED, reason=reason, occurred_on=day(5))
        assert info.value.fields() == {"reason"}
    assert registry.get(db, o.id).stage is Stage.APPLIED


def test_date_before_current_stage_start_is_refused(db):
    o = drive(db, Stage.ADMITTED)  # admitted on day(10)
    audit = n_audit(db)
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(db, o.id, Stage.EXITED, reason="gave up", occurred_on=day(9))
    assert info.value.fields() == {"occurred_on"}
    assert str(day(10)) in info.value.message("en")
    assert registry.get(db, o.id) == o
    assert n_audit(db) == audit
    # The same day as the stage began is fine.
    assert lifecycle.transition(db, o.id, "exited", reason="r", occurred_on=day(10)).stage is (
        Stage.EXITED
    )


def test_future_date_is_refused(db):
    o = drive(db, Stage.APPLIED)
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(
            db, o.id, "admitted", reason="r", occurred_on=TODAY + dt.timedelta(days=1)
        )
    assert info.value.fields() == {"occurred_on"}
    assert "in the future" in info.value.message("en")
    assert registry.get(db, o.id).stage is Stage.APPLIED


def test_date_defaults_to_today(db):
    o = drive(db, Stage.APPLIED)
    moved = lifecycle.transition(db, o.id, "admitted", reason="r")
    assert moved.stage_since == TODAY


def test_entering_incubation_requires_planned_end_and_sets_agreement(db):
    o = drive(db, Stage.ADMITTED)
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(db, o.id, Stage.INCUBATING, reason="signed", occurred_on=day(20))
    assert info.value.fields() == {"agreement_planned_end"}
    assert registry.get(db, o.id).stage is Stage.ADMITTED

    moved = lifecycle.transition(
        db,
        o.id,
        Stage.INCUBATING,
        reason="signed",
        occurred_on=day(20),
        agreement_planned_end="2099-12-31",
    )
    assert moved.agreement_start == day(20)  # defaults to the transition date
    assert moved.agreement_planned_end == dt.date(2099, 12, 31)
    assert moved.version == o.version + 1  # one change, one version step


def test_explicit_agreement_start(db):
    o = drive(db, Stage.ADMITTED)
    moved = lifecycle.transition(
        db,
        o.id,
        "incubating",
        reason="signed",
        occurred_on=day(20),
        agreement_start=day(15),
        agreement_planned_end=day(200),
    )
    assert (moved.agreement_start, moved.agreement_planned_end) == (day(15), day(200))


def test_planned_end_before_start_is_refused(db):
    o = drive(db, Stage.ADMITTED)
    audit = n_audit(db)
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(
            db,
            o.id,
            "incubating",
            reason="signed",
            occurred_on=day(20),
            agreement_planned_end=day(19),
        )
    assert info.value.fields() == {"agreement_planned_end"}
    again = registry.get(db, o.id)
    assert again.stage is Stage.ADMITTED and again.agreement_planned_end is None
    assert n_audit(db) == audit


def test_mid_term_may_move_the_planned_end(db):
    o = drive(db, Stage.INCUBATING)
    moved = lifecycle.transition(
        db,
        o.id,
        "mid_term_evaluated",
        reason="review",
        occurred_on=day(40),
        agreement_planned_end=day(500),
    )
    assert moved.agreement_planned_end == day(500)
    assert moved.agreement_start == o.agreement_start
    other = drive(db, Stage.INCUBATING, 2)  # agreement started day(20)
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(
            db,
            other.id,
            "mid_term_evaluated",
            reason="r",
            occurred_on=day(40),
            agreement_planned_end=day(5),
        )
    assert info.value.fields() == {"agreement_planned_end"}
    assert registry.get(db, other.id) == other


def test_stale_expected_version_is_refused(db):
    o = drive(db, Stage.APPLIED)
    registry.update(db, o.id, {"notes": "edited"}, o.version)
    with pytest.raises(ConflictError):
        lifecycle.transition(
            db, o.id, "admitted", reason="r", occurred_on=day(5), expected_version=o.version
        )
    assert registry.get(db, o.id).stage is Stage.APPLIED


def test_history_in_order_with_actor_and_reason(db):
    o = drive(db, Stage.GRADUATED)
    steps = lifecycle.history(db, o.id)
    assert [(s.from_stage, s.to_stage) for s in steps] == [
        (None, Stage.APPLIED),
        (Stage.APPLIED, Stage.ADMITTED),
        (Stage.ADMITTED, Stage.INCUBATING),
        (Stage.INCUBATING, Stage.GRADUATED),
    ]
    assert [s.occurred_on for s in steps] == [day(0), day(10), day(20), day(30)]
    assert [s.reason for s in steps[1:]] == ["step 1", "step 2", "step 3"]
    assert {s.actor for s in steps} == {"tester"}
    # Same-day moves keep the order they were made in.
    p = org(db, 9, applied_on=day(0))
    lifecycle.transition(db, p.id, "admitted", reason="a", occurred_on=day(0))
    lifecycle.transition(db, p.id, "exited", reason="b", occurred_on=day(0), actor="张三")
    same_day = lifecycle.history(db, p.id)
    assert [s.to_stage for s in same_day] == [Stage.APPLIED, Stage.ADMITTED, Stage.EXITED]
    assert same_day[-1].actor == "张三"


def test_one_audited_change_per_transition(db):
    o = drive(db, Stage.ADMITTED)
    lifecycle.transition(
        db, o.id, "incubating", reason="signed", occurred_on=day(20), agreement_planned_end=day(99)
    )
    org_updates = [
        e for e in audit_trail.for_entity(db, "organizations", o.id) if e.action.value == "update"
    ]
    last = org_updates[-1].changes
    assert last["stage"] == ["admitted", "incubating"]
    assert last["agreement_start"] == [None, str(day(20))]
    assert last["agreement_planned_end"] == [None, str(day(99))]


def test_overdue(db):
    late = drive(db, Stage.INCUBATING, 1)  # planned end day(370) = TODAY - 30
    mid = drive(db, Stage.MID_TERM, 2)  # same planned end
    graduated = drive(db, Stage.GRADUATED, 3)  # finished: never overdue
    fresh = org(db, 4, applied_on=day(0))
    lifecycle.transition(db, fresh.id, "admitted", reason="r", occurred_on=day(1))
    fresh = lifecycle.transition(
        db,
        fresh.id,
        "incubating",
        reason="r",
        occurred_on=day(2),
        agreement_planned_end=TODAY + dt.timedelta(days=10),
    )
    ends_today = org(db, 5, applied_on=day(0))
    lifecycle.transition(db, ends_today.id, "admitted", reason="r", occurred_on=day(1))
    lifecycle.transition(
        db,
        ends_today.id,
        "incubating",
        reason="r",
        occurred_on=day(2),
        agreement_planned_end=TODAY,
    )
    ids = {o.id for o in lifecycle.overdue(db, TODAY)}
    assert ids == {late.id, mid.id}
    assert all(o.is_overdue(TODAY) for o in lifecycle.overdue(db, TODAY))
    assert not registry.get(db, graduated.id).is_overdue(TODAY)
    # Looking ahead: those ending within 10 days join.
    ahead = {o.id for o in lifecycle.overdue(db, TODAY, within_days=10)}
    assert ahead == {late.id, mid.id, fresh.id, ends_today.id}
    # Checked on a later day, the fresh one is overdue too.
    later = {o.id for o in lifecycle.overdue(db, TODAY + dt.timedelta(days=11))}
    assert later == {late.id, mid.id, fresh.id, ends_today.id}
    # Archived organizations are not flagged.
    registry.set_archived(db, late.id, True, registry.get(db, late.id).version)
    assert {o.id for o in lifecycle.overdue(db, TODAY)} == {mid.id}
    assert set(ACTIVE_STAGES) == {Stage.INCUBATING, Stage.MID_TERM}


def test_zero_day_agreement_is_refused(db):
    """An agreement ending the day it starts would be overdue at once: refused, nothing saved."""
    o = drive(db, Stage.ADMITTED)
    audit = n_audit(db)
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(
            db,
            o.id,
            "incubating",
            reason="signed",
            occurred_on=day(20),
            agreement_planned_end=day(20),
        )
    assert info.value.fields() == {"agreement_planned_end"}
    assert "Must be after the agreement start" in info.value.message("en")
    assert registry.get(db, o.id).stage is Stage.ADMITTED and n_audit(db) == audit
