"""Hostile text: control characters, broken characters, invisible names and direction
overrides are refused with the field and the character named; a NUL never reaches the
database; the CLI never passes an escape sequence to the terminal; markup-like text prints
literally in a report."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from incubator import reports
from incubator.cli import main
from incubator.db import Database
from incubator.errors import ValidationError
from incubator.services import registry
from tests.factories import credit_code, org
from tests.pdf import pdfread


def refusal(data: dict) -> str:
    with pytest.raises(ValidationError) as refused:
        registry.check_new({"legal_form": "social_group", "credit_code": credit_code(1), **data})
    return refused.value.message("en")


@pytest.mark.parametrize(
    ("char", "code"),
    [("\x1b", "U+001B"), ("\x07", "U+0007"), ("\x00", "U+0000"), ("\x9b", "U+009B")],
)
@pytest.mark.parametrize("field", ["name", "address", "notes"])
def test_control_characters_are_refused_in_every_text_field(field: str, char: str, code: str):
    data = {"name": "阳光协会", field: f"阳光{char}[31m协会"}
    message = refusal(data)
    label = {"name": "Name", "address": "Address", "notes": "Notes"}[field]
    assert message == f"{label}: Contains the control character {code}"


def test_broken_characters_invisible_names_and_direction_overrides():
    assert "broken character (U+D800" in refusal({"name": "阳光\ud800协会"})
    assert refusal({"name": "\u200b\u200c\u2060"}) == "Name: Holds only invisible characters"
    message = refusal({"name": "阳光\u202e会协"})
    assert message.startswith("Name: Contains the direction control U+202E")
    assert "U+2067" in refusal({"name": "协会", "legal_representative": "\u2067艾力"})
    # Where they belong, format characters stay: ZWNJ inside a Uyghur word, an isolate in an
    # address (not a name), a name with marks on letters.
    ok = registry.check_new(
        {
            "name": "ئۈمىد\u200cياشلار مەركىزى",
            "legal_form": "community_unregistered",
            "address": "\u2067ئۈرۈمچی\u2069 幸福路1号",
        }
    )
    assert ok.clean["name"] == "ئۈمىد\u200cياشلار مەركىزى"


def test_a_nul_never_reaches_the_database(db: Database):
    """PostgreSQL refuses a NUL in text with an error of its own; the registry says what is
    wrong before it gets there, and a search with one finds nothing instead of failing."""
    with pytest.raises(ValidationError) as refused:
        registry.register(db, {"name": "空\x00字符", "legal_form": "community_unregistered"})
    assert "U+0000" in refused.value.message("en")
    org(db, 1, name="阳光协会")
    everyone = registry.OrgQuery(include_archived=True)
    assert registry.search_ids(db, registry.OrgQuery(text="阳光\x00", include_archived=True))
    assert registry.search_ids(db, registry.OrgQuery(area="\x00", include_archived=True)) == []
    assert len(registry.search_ids(db, everyone)) == 1


def test_the_cli_shows_control_characters_never_sends_them(
    capsys, sqlite_db: Database, tmp_path: Path
) -> None:
    o = org(sqlite_db, 1, name="阳光协会")
    path = sqlite_db.url.database
    with sqlite3.connect(path) as conn:  # as an old or hand-edited registry file may hold it
        conn.execute(
            "UPDATE organizations SET name = ? WHERE id = ?", ("恶意\x1b[2J\x1b]0;x\x07名", o.id)
        )
    assert main(["orgs", "list", "--db", str(path)]) == 0
    main(["orgs", "show", str(o.id), "--db", str(path)])
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "恶意␛[2J␛]0;x␇名" in out


def test_markup_like_text_prints_literally_in_a_report(sqlite_db: Database, tmp_path: Path):
    name = "<b>粗体</b> &amp; <para>协会"
    o = org(sqlite_db, 1, name=name, notes="<font color=red>红</font> <br/> a < b & c")
    pdf = tmp_path / "r.pdf"
    reports.org_report(sqlite_db, o.id, "2025", str(pdf), lang="zh_CN")
    printed = pdfread.text(pdf)
    assert name in printed
