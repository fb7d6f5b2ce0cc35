"""Small builders for test data (valid credit codes, minimal organizations)."""

from __future__ import annotations

from stdnum.cn import uscc

from incubator.db import Database
from incubator.services import registry


def credit_code(n: int, prefix: str = "51", area: str = "650102") -> str:
    """A valid code: authority 5 (civil affairs), type, area, a 9-char org code, check char."""
    body = f"{prefix}{area}MJ{n:07d}"
    return body + uscc.calc_check_digit(body)


def org(db: Database, n: int = 1, **overrides) -> registry.OrganizationView:
    data = {
        "name": f"测试社区服务中心{n}",
        "credit_code": credit_code(n),
        "legal_form": "social_service_org",
    }
    data.update(overrides)
    return registry.register(db, data)
