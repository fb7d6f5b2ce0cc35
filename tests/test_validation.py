"""Validation of what people type: credit codes, money, dates, choices, whole forms.

Parser tests run without a database; every service-level refusal is checked on SQLite and
PostgreSQL, with the row count of every table (audit_log included) compared before and after.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select, table
from stdnum.cn import uscc

from incubator import validation as v
from incubator.errors import ValidationError
from incubator.i18n import field_label
from incubator.services import evaluations, funds, lifecycle, projects, registry, spaces, talent
from tests.factories import credit_code, org

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)
LANGS = ("en", "zh_CN")


def refresh_dates() -> None:
    """Run before each test (tests/conftest.py): a run that crosses midnight sees the new day,
    as the code under test does."""
    global TODAY, TOMORROW
    TODAY = dt.date.today()
    TOMORROW = TODAY + dt.timedelta(days=1)


def row_counts(db) -> dict[str, int]:
    """Rows in every table of the database (audit_log included)."""
    with db.reading() as session:
        names = inspect(session.connection()).get_table_names()
        return {
            name: session.scalar(select(func.count()).select_from(table(name)))
            for name in names
            if name != "alembic_version"
        }


def refused(db, call, *fields: str) -> ValidationError:
    """``call()`` must raise ValidationError naming ``fields`` and leave every table unchanged."""
    before = row_counts(db)
    with pytest.raises(ValidationError) as info:
        call()
    assert row_counts(db) == before, "a refused change left rows behind"
    err = info.value
    for name in fields:
        assert name in err.fields(), f"{name} not among {err.fields()}: {err}"
    return err


def assert_names_field(err: ValidationError, field: str) -> None:
    """Every language's message of the problem starts with the field's label."""
    problem = next(p for p in err.problems if p.field == field)
    for lang in LANGS:
        assert problem.message(lang).startswith(field_label(field, lang)), problem.message(lang)
    assert err.message("en").startswith(field_label(field, "en")) or len(err.problems) > 1


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def code_error(value) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        v.credit_code(value)
    err = info.value
    assert len(err.problems) == 1
    assert err.problems[0].field == "credit_code"
    assert err.message("en").startswith("Unified Social Credit Code: ")
    for lang in LANGS:
        assert err.message(lang).startswith(field_label("credit_code", lang))
    return err


# --- credit code: the parser ------------------------------------------------------------------

GOOD = credit_code(1)  # 51650102MJ0000001 + check character


def test_valid_code_is_returned_unchanged_without_warnings():
    assert v.credit_code(GOOD) == (GOOD, [])
    assert v.credit_code(None) == (None, [])
    assert v.credit_code("   ") == (None, [])


@pytest.mark.parametrize("value", ["5165010", GOOD + "1", GOOD[:-1], "5" * 30])
def test_wrong_length_is_refused_with_the_length(value):
    err = code_error(value)
    assert f"got {len(value)}" in err.message("en")
    assert "18" in err.message("en")


def test_wrong_check_character_says_what_it_should_be():
    right = GOOD[-1]
    wrong = next(c for c in "0123456789ABCDEFGH" if c != right)
    err = code_error(GOOD[:-1] + wrong)
    assert err.message("en").endswith(f"the last character should be {right}")
    assert err.problems[0].params["expected"] == right


def test_lowercase_is_normalised_to_upper_case():
    assert GOOD.lower() != GOOD
    assert v.credit_code(GOOD.lower()) == (GOOD, [])


def test_full_width_characters_are_normalised():
    typed = fullwidth(GOOD)
    assert typed.startswith("５１６５")
    assert v.credit_code(typed) == (GOOD, [])
    assert v.credit_code(fullwidth(GOOD.lower())) == (GOOD, [])


@pytest.mark.parametrize(
    "typed",
    [
        f"{GOOD[:4]} {GOOD[4:8]} {GOOD[8:]}",
        f"{GOOD[:8]}-{GOOD[8:17]}-{GOOD[17]}",
        f"  {GOOD[:8]}\u3000{GOOD[8:]}  ",  # ideographic space
        f"{GOOD[:8]}－{GOOD[8:]}",  # full-width hyphen
        f"{GOOD[:8]}—{GOOD[8:]}",  # em dash
        f"{GOOD[:8]}\t{GOOD[8:]}",
    ],
)
def test_spaces_and_dashes_are_removed(typed):
    assert v.credit_code(typed) == (GOOD, [])


@pytest.mark.parametrize(
    ("letter", "hint"), [("I", "1"), ("O", "0"), ("S", "5"), ("V", "U"), ("Z", "2")]
)
@pytest.mark.parametrize("pos", [1, 9, 18])
def test_letters_credit_codes_never_use_are_refused_with_a_hint(letter, hint, pos):
    value = GOOD[: pos - 1] + letter + GOOD[pos:]
    err = code_error(value)
    msg = err.message("en")
    assert f"Character {pos} is the letter {letter}" in msg
    assert f"did you mean {hint}?" in msg


@pytest.mark.parametrize("char", ["#", "*", "中", "é", "_", "."])
def test_characters_that_are_not_digits_or_letters_are_refused(char):
    value = GOOD[:12] + char + GOOD[13:]
    err = code_error(value)
    assert f"not a digit or letter: “{char.upper()}”" in err.message("en")


@pytest.mark.parametrize("pos", [1, 3, 8])
def test_first_eight_characters_must_be_digits(pos):
    body = GOOD[: pos - 1] + "A" + GOOD[pos:17]
    value = body + uscc.calc_check_digit(body)  # a correct check character: only the format is bad
    err = code_error(value)
    assert "first 8 characters must be digits" in err.message("en")


def test_code_not_issued_by_civil_affairs_is_accepted_with_a_warning():
    code = credit_code(7, prefix="91")
    normalised, warnings = v.credit_code(code)
    assert normalised == code
    assert len(warnings) == 1
    assert "first character is not 5" in warnings[0]


# --- credit code: through the registry --------------------------------------------------------


def register_error(db, data, field="credit_code") -> ValidationError:
    err = refused(db, lambda: registry.register(db, data), field)
    assert err.problems[0].field == field
    assert_names_field(err, field)
    return err


BAD_CODES = [
    ("51650102", "Must be 18 characters, got 8"),
    (GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1"), f"should be {GOOD[-1]}"),
    (GOOD[:9] + "O" + GOOD[10:], "did you mean 0?"),
    (GOOD[:9] + "#" + GOOD[10:], "not a digit or letter"),
    (GOOD[:7] + "A" + GOOD[8:], "first 8 characters must be digits"),
]


def test_register_refuses_bad_codes(db):
    for typed, expect in BAD_CODES:
        err = register_error(
            db, {"name": "某协会", "legal_form": "social_group", "credit_code": typed}
        )
        assert expect in err.message("en"), typed


def test_type_character_is_checked_against_the_legal_form(db):
    def warned(form: str, prefix: str, n: int) -> list[str]:
        data = {"name": f"组织{n}", "legal_form": form, "credit_code": credit_code(n, prefix)}
        return [w.message("en") for w in registry.register(db, data).warnings]

    assert warned("social_group", "51", 1) == []
    assert warned("social_service_org", "52", 2) == []
    assert warned("foundation", "53", 3) == []
    mismatch = warned("social_service_org", "51", 4)
    assert mismatch == [
        "Unified Social Credit Code: The code's second character does not match the legal "
        "form (51 social group, 52 social service organization, 53 foundation)"
    ]
    assert warned("foundation", "52", 5) == mismatch
    assert warned("social_group", "59", 6) == mismatch  # 9: "other", not a social group
    assert warned("community_unregistered", "51", 7) == []  # no legal form to compare with


def test_a_second_organization_with_the_same_name_is_warned_about(db):
    first = registry.register(
        db, {"name": "阿依古丽·买买提社工站", "legal_form": "community_unregistered"}
    )
    assert first.warnings == ()
    again = {"name": "阿依古丽•买买提 社工站", "legal_form": "community_unregistered"}
    expected = [f"Name: “阿依古丽·买买提社工站” is already registered (no. {first.id})"]
    # Asked before saving (nothing is written), and said again when it is saved anyway.
    assert [w.message("en") for w in registry.warnings_for(db, again)] == expected
    assert registry.count(db, registry.OrgQuery(include_archived=True)) == 1
    second = registry.register(db, again)
    assert [w.message("en") for w in second.warnings] == expected
    # Its own name is no duplicate of itself.
    assert registry.warnings_for(db, {**again, "name": "阿依古丽·买买提社工站"}, first.id) != []
    assert (
        registry.warnings_for(db, {"name": "另一个名字", "legal_form": "community_unregistered"})
        == []
    )


def test_blank_head_counts_stay_unknown(db):
    a = registry.register(
        db, {"name": "甲", "legal_form": "community_unregistered", "staff_count": " "}
    )
    assert (a.staff_count, a.volunteer_count) == (None, None)
    b = registry.update(db, a.id, {"staff_count": "0", "volunteer_count": "１２"}, a.version)
    assert (b.staff_count, b.volunteer_count) == (0, 12)
    c = registry.update(db, a.id, {"staff_count": ""}, b.version)
    assert c.staff_count is None


def test_register_normalises_the_code_and_warns_about_other_authorities(db):
    a = registry.register(
        db, {"name": "甲", "legal_form": "social_group", "credit_code": fullwidth(GOOD.lower())}
    )
    assert a.credit_code == GOOD
    assert a.warnings == ()
    other = credit_code(2, prefix="91")
    b = registry.register(db, {"name": "乙", "legal_form": "social_group", "credit_code": other})
    assert b.credit_code == other
    assert any("first character is not 5" in w.message("en") for w in b.warnings)
    assert registry.get(db, b.id).credit_code == other


def test_duplicate_code_is_refused_naming_the_other_organization(db):
    first = org(db, 1, name="天山区社区服务中心")
    code = first.credit_code
    for typed in (code, code.lower(), fullwidth(code), f"{code[:8]} {code[8:]}"):
        err = register_error(
            db, {"name": "另一家", "legal_form": "foundation", "credit_code": typed}
        )
        msg = err.message("en")
        assert "天山区社区服务中心" in msg, typed
        assert str(first.id) in msg


def test_changing_a_code_to_one_already_taken_is_refused(db):
    first = org(db, 1, name="第一家")
    second = org(db, 2, name="第二家")
    err = refused(
        db,
        lambda: registry.update(
            db, second.id, {"credit_code": first.credit_code.lower()}, second.version
        ),
        "credit_code",
    )
    assert "第一家" in err.message("en")
    assert registry.get(db, second.id).credit_code == second.credit_code
    # Re-saving an organization's own code in another spelling is no conflict.
    same = registry.update(db, first.id, {"credit_code": fullwidth(first.credit_code)}, 1)
    assert same.credit_code == first.credit_code


def test_registered_legal_forms_require_a_code(db):
    for form in ("social_group", "social_service_org", "foundation"):
        for empty in ("", None, "  "):
            err = register_error(db, {"name": "无代码", "legal_form": form, "credit_code": empty})
            assert "Required for a registered organization" in err.message("en")


def test_unregistered_community_organization_needs_no_code(db):
    o = registry.register(db, {"name": "楼栋互助小组", "legal_form": "community_unregistered"})
    assert o.credit_code is None
    # Two of them without a code do not collide on the unique code column.
    p = registry.register(db, {"name": "广场舞队", "legal_form": "community_unregistered"})
    assert p.credit_code is None and p.id != o.id


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("¥1,234.50", Decimal("1234.50")),
        ("￥1，234.5元", Decimal("1234.50")),
        ("１２３４.５", Decimal("1234.50")),
        (" 1 234 ", Decimal("1234.00")),
        (Decimal("12.3"), Decimal("12.30")),
        (12, Decimal("12.00")),
        (0.1, Decimal("0.10")),
        ("999999999999.99", Decimal("999999999999.99")),
        ("1E+2", Decimal("100.00")),
        ("8万", Decimal("80000.00")),
        ("8万元", Decimal("80000.00")),
        ("1.5万", Decimal("15000.00")),
        ("¥2.35万元", Decimal("23500.00")),
        ("０.０１万", Decimal("100.00")),
    ],
)
def test_money_accepts_what_people_type(typed, expected):
    got = v.money(typed, "amount")
    assert type(got) is Decimal
    assert got == expected
    assert got.as_tuple().exponent == -2


def test_money_zero_is_plain_zero():
    assert v.money("0", "budget") == 0
    assert str(v.money("-0", "budget")) == "0.00"  # no negative zero stored or shown


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("-1", "Must not be negative"),
        (Decimal("-0.01"), "Must not be negative"),
        ("abc", "Not a number"),
        ("1.2.3", "Not a number"),
        ("NaN", "Not a number"),
        ("inf", "Not a number"),
        ("-Infinity", "Not a number"),
        (True, "Not a number"),
        ("1.234", "At most two decimal places"),
        (Decimal("0.001"), "At most two decimal places"),
        ("1000000000000", "Too large"),
        ("1e30", "Too large"),
        ("1" * 40, "Too large"),
        ("", "This field is required"),
        (None, "This field is required"),
    ],
)
def test_money_refuses_bad_amounts_naming_field_and_reason(typed, reason):
    with pytest.raises(ValidationError) as info:
        v.money(typed, "amount_committed")
    assert info.value.problems[0].field == "amount_committed"
    assert info.value.message("en").startswith("Amount committed: ")
    assert reason in info.value.message("en")


def test_money_zero_refused_where_not_allowed():
    with pytest.raises(ValidationError, match="Must be more than zero"):
        v.money("0.00", "amount", allow_zero=False)


# --- dates and choices ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["2024-03-05", "2024/3/5", "2024.03.05", "2024年3月5日", "２０２４－０３－０５", "20240305"],
)
def test_dates_in_common_spellings(typed):
    assert v.date(typed, "start_on") == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    "typed", ["2024-02-30", "yesterday", "05/03/2024", "2024-13-01", "20241305", "2024035"]
)
def test_bad_dates_are_refused(typed):
    with pytest.raises(ValidationError, match="Not a date") as info:
        v.date(typed, "start_on")
    assert info.value.fields() == {"start_on"}


def test_choice_accepts_value_name_and_label_and_lists_allowed_values():
    from incubator.domain import LegalForm

    assert v.choice(LegalForm, "foundation", "legal_form") is LegalForm.FOUNDATION
    assert v.choice(LegalForm, "Social group", "legal_form") is LegalForm.SOCIAL_GROUP
    assert v.choice(LegalForm, " SOCIAL_GROUP ", "legal_form") is LegalForm.SOCIAL_GROUP
    with pytest.raises(ValidationError) as info:
        v.choice(LegalForm, "company", "legal_form")
    msg = info.value.message("en")
    assert msg.startswith("Legal form: Unknown value “company”; allowed: ")
    for member in LegalForm:
        assert member.label in msg


# --- bad input through every service: refused, named, nothing half-saved ----------------------


def fund_data(**overrides):
    data = {
        "title": "社区养老服务购买",
        "source": "government",
        "kind": "purchased_service",
        "amount_committed": "100000",
        "committed_on": TODAY - dt.timedelta(days=30),
    }
    data.update(overrides)
    return data


BAD_AMOUNTS = [
    ("-5", "Must not be negative"),
    ("abc", "Not a number"),
    ("1.2.3", "Not a number"),
    ("NaN", "Not a number"),
    ("inf", "Not a number"),
    ("10.005", "At most two decimal places"),
    ("1e30", "Too large"),
]


def test_money_refused_in_every_form(db):
    o = org(db)
    f = funds.add_fund(db, o.id, fund_data())
    for typed, reason in [*BAD_AMOUNTS, ("0", "Must be more than zero")]:
        err = refused(
            db,
            lambda typed=typed: funds.add_fund(db, o.id, fund_data(amount_committed=typed)),
            "amount_committed",
        )
        assert reason in err.message("en"), typed
        assert_names_field(err, "amount_committed")
        err = refused(
            db,
            lambda typed=typed: funds.add_payment(db, f.id, {"due_on": TODAY, "amount": typed}),
            "amount",
        )
        assert reason in err.message("en"), typed
    for typed, reason in BAD_AMOUNTS:
        err = refused(
            db,
            lambda typed=typed: projects.add(
                db, o.id, {"name": "助老", "budget": typed, "start_on": TODAY}
            ),
            "budget",
        )
        assert reason in err.message("en"), typed
        err = refused(
            db,
            lambda typed=typed: funds.update_fund(db, f.id, {"amount_committed": typed}, f.version),
            "amount_committed",
        )
        assert reason in err.message("en"), typed
    assert funds.funds_of(db, o.id)[0].amount_committed == Decimal("100000.00")


def test_end_before_start_is_refused_everywhere(db):
    o = org(db)
    start, end = dt.date(2024, 6, 1), dt.date(2024, 5, 31)
    err = refused(
        db, lambda: funds.add_fund(db, o.id, fund_data(start_on=start, end_on=end)), "end_on"
    )
    assert "End date 2024-05-31 is before start date 2024-06-01" in err.message("en")
    assert_names_field(err, "end_on")
    refused(
        db,
        lambda: projects.add(
            db, o.id, {"name": "p", "budget": 1, "start_on": start, "end_on": end}
        ),
        "end_on",
    )
    refused(
        db,
        lambda: talent.add(
            db, o.id, {"kind": "training", "title": "t", "start_on": start, "end_on": end}
        ),
        "end_on",
    )
    space = spaces.create_space(db, {"code": "R1", "name": "Room", "kind": "room", "area_m2": 20})
    refused(db, lambda: spaces.allocate(db, space.id, o.id, start, end), "end_on")
    # And on update: the stored record keeps its period.
    p = projects.add(db, o.id, {"name": "p", "budget": 1, "start_on": start})
    refused(db, lambda: projects.update(db, p.id, {"end_on": end}, p.version), "end_on")
    assert projects.list_for(db, o.id)[0].end_on is None


UNKNOWN_CHOICES = [
    (
        lambda db, o: registry.register(db, {"name": "x", "legal_form": "company"}),
        "legal_form",
        "Foundation",
    ),
    (
        lambda db, o: funds.add_fund(db, o.id, fund_data(source="bank")),
        "source",
        "Partner province",
    ),
    (
        lambda db, o: funds.add_fund(db, o.id, fund_data(kind="loan")),
        "kind",
        "Purchased-service contract",
    ),
    (lambda db, o: funds.add_fund(db, o.id, fund_data(status="frozen")), "status", "Cancelled"),
    (
        lambda db, o: talent.add(db, o.id, {"kind": "lecture", "title": "t", "start_on": TODAY}),
        "kind",
        "Mentor assigned",
    ),
    (
        lambda db, o: projects.add(
            db, o.id, {"name": "p", "budget": 0, "start_on": TODAY, "status": "paused"}
        ),
        "status",
        "Ongoing",
    ),
    (lambda db, o: lifecycle.transition(db, o.id, "promoted", reason="r"), "to_stage", "Graduated"),
    (
        lambda db, o: evaluations.record(
            db,
            o.id,
            {
                "kind": "weekly",
                "evaluated_on": TODAY,
                "governance": 1,
                "finance": 1,
                "services": 1,
                "team": 1,
            },
        ),
        "kind",
        "Mid-term",
    ),
]


def test_unknown_choice_values_list_the_allowed_ones(db):
    o = org(db)
    for call, field, allowed_label in UNKNOWN_CHOICES:
        err = refused(db, lambda call=call: call(db, o), field)
        msg = err.message("en")
        assert "Unknown value" in msg and "allowed:" in msg
        assert allowed_label in msg, msg
        assert_names_field(err, field)


def test_future_dates_are_refused_where_they_cannot_be(db):
    o = org(db)
    for name in ("founded_on", "registered_on"):
        err = refused(
            db,
            lambda name=name: registry.register(
                db, {"name": "x", "legal_form": "community_unregistered", name: TOMORROW}
            ),
            name,
        )
        assert "is in the future" in err.message("en")
    err = refused(
        db,
        lambda: registry.register(
            db, {"name": "x", "legal_form": "community_unregistered", "applied_on": TOMORROW}
        ),
        "applied_on",
    )
    assert "is in the future" in err.message("en")
    refused(
        db,
        lambda: lifecycle.transition(db, o.id, "admitted", reason="r", occurred_on=TOMORROW),
        "occurred_on",
    )
    f = funds.add_fund(db, o.id, fund_data())
    refused(
        db,
        lambda: funds.add_payment(
            db, f.id, {"due_on": TODAY, "amount": 1, "status": "paid", "paid_on": TOMORROW}
        ),
        "paid_on",
    )
    scores = {"governance": 80, "finance": 80, "services": 80, "team": 80}
    refused(
        db,
        lambda: evaluations.record(
            db, o.id, {"kind": "annual", "evaluated_on": TOMORROW, **scores}
        ),
        "evaluated_on",
    )


def test_required_fields_missing(db):
    o = org(db)
    err = refused(db, lambda: registry.register(db, {}), "name", "legal_form")
    assert all("This field is required" in p.message("en") for p in err.problems)
    err = refused(
        db,
        lambda: funds.add_fund(db, o.id, {}),
        "title",
        "source",
        "kind",
        "amount_committed",
        "committed_on",
    )
    refused(db, lambda: projects.add(db, o.id, {}), "name", "budget", "start_on")
    refused(db, lambda: talent.add(db, o.id, {}), "kind", "title", "start_on")
    refused(
        db,
        lambda: evaluations.record(db, o.id, {"kind": "annual"}),
        "evaluated_on",
        "governance",
        "finance",
        "services",
        "team",
    )
    refused(db, lambda: spaces.create_space(db, {}), "code", "name", "kind")
    refused(db, lambda: lifecycle.transition(db, o.id, "admitted", reason="  "), "reason")


def test_a_form_with_several_problems_reports_all_of_them_at_once(db):
    err = refused(
        db,
        lambda: registry.register(
            db,
            {
                "name": "",
                "legal_form": "social_group",
                "credit_code": GOOD[:-1] + "#",
                "founded_on": TOMORROW,
                "registered_on": "not a date",
                "contact_phone": "call me",
                "staff_count": "-3",
                "volunteer_count": "2.5",
                "service_fields": "elderly, astronauts",
                "applied_on": TOMORROW,
            },
        ),
    )
    assert err.fields() == {
        "applied_on",
        "name",
        "credit_code",
        "founded_on",
        "registered_on",
        "contact_phone",
        "staff_count",
        "volunteer_count",
        "service_fields",
    }
    # Each problem speaks for its own field, in every language.
    for p in err.problems:
        for lang in LANGS:
            assert p.message(lang).startswith(field_label(p.field, lang))
    o = org(db)
    err = refused(
        db,
        lambda: funds.add_fund(
            db,
            o.id,
            fund_data(
                amount_committed="-1",
                source="x",
                committed_on="soon",
                end_on="2020-01-01",
                start_on="2021-01-01",
            ),
        ),
    )
    assert err.fields() == {"amount_committed", "source", "committed_on", "end_on"}


def test_update_with_bad_values_keeps_the_stored_row(db):
    o = org(db, name="原名")
    refused(
        db,
        lambda: registry.update(db, o.id, {"name": "", "staff_count": "many"}, o.version),
        "name",
        "staff_count",
    )
    again = registry.get(db, o.id)
    assert again.name == "原名" and again.version == o.version
    refused(db, lambda: registry.update(db, o.id, {"stage": "graduated"}, o.version), "stage")


def test_a_credit_code_of_zeros_is_refused_though_its_check_character_fits():
    # python-stdnum accepts 000000000000000000: its check character is right.
    assert "Character 1 is 0" in code_error("0" * 18).message("en")
    body = "51650102000000000"  # a real authority, type and area; no organization code
    zeros = body + uscc.calc_check_digit(body)
    assert "organization code" in code_error(zeros).message("en")
