"""Evaluations: dated scorecards (governance, finance, services, team; 0..100 each)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from incubator import validation as v
from incubator.domain import INDICATORS, EvaluationKind
from incubator.models import Evaluation
from incubator.services.records import RecordKind

FIELDS = ("kind", "evaluated_on", "evaluator", *INDICATORS, "conclusion")


@dataclass(frozen=True)
class EvaluationView:
    id: int
    organization_id: int
    kind: EvaluationKind
    evaluated_on: dt.date
    evaluator: str | None
    governance: Decimal
    finance: Decimal
    services: Decimal
    team: Decimal
    conclusion: str | None
    version: int
    total: Decimal


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    c = v.Checker()
    out = {
        "kind": c(v.choice, EvaluationKind, data.get("kind"), "kind"),
        "evaluated_on": c(v.date, data.get("evaluated_on"), "evaluated_on", required=True),
        "evaluator": c(v.clean_text, data.get("evaluator"), "evaluator", max_len=100),
        "conclusion": c(v.clean_text, data.get("conclusion"), "conclusion", max_len=4000),
    }
    for name in INDICATORS:
        if data.get(name) is None or str(data.get(name)).strip() == "":
            c.add(name, "This field is required")
            continue
        out[name] = c(v.number, data.get(name), name, places=2, minimum=0, maximum=100)
    if out["evaluated_on"] and out["evaluated_on"] > dt.date.today():
        c.add("evaluated_on", "Date {date} is in the future", date=out["evaluated_on"])
    c.raise_if_any()
    return out


KIND = RecordKind(Evaluation, EvaluationView, "Evaluation", clean, FIELDS, ("evaluated_on",))
record = KIND.add
update = KIND.update
list_for = KIND.list_for
list_many = KIND.list_many
