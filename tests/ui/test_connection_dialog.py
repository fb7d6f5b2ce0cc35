"""Settings' shared registry (issue 17, point 5): the connection typed field by field, tried
against a real server that needs a password and TLS with its certificate checked, and kept
without the password for the next start."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from incubator import config
from incubator.paths import config_dir
from tests.conftest import SECURE_PASSWORD
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.main_window import PAGES

pytestmark = [pytest.mark.ui, pytest.mark.postgres]


def fill_connection(qtbot, dialog, **values: str) -> None:
    for name, value in values.items():
        if name == "tls":
            person.choose(qtbot, dialog.tls, value)
        else:
            field = dialog.ca_file if name == "ca_file" else dialog.fields[name]
            person.type_into(qtbot, field, value)


def test_a_shared_registry_is_tried_then_kept_without_its_password(
    qtbot, window, pg_secure_server, secure_url
) -> None:
    person.click_row(qtbot, window.nav, PAGES.index("settings"))
    page = window.settings_page
    database = make_url(secure_url).database
    steps: list[str] = []

    def password(dialog) -> None:
        steps.append("asked")
        person.type_into(qtbot, dialog.password, SECURE_PASSWORD)
        person.answer(qtbot, dialog, person.Ok)

    def connection(dialog) -> None:
        # First with the server left out: said, and nothing tried.
        fill_connection(qtbot, dialog, server="", database=database, user="postgres")
        person.answer(qtbot, dialog, person.Ok)
        steps.append(dialog.problem.text())
        fill_connection(
            qtbot,
            dialog,
            server="localhost",
            port=str(pg_secure_server.tls_port),
            tls="verify-full",
            ca_file=str(pg_secure_server.ca_file),
        )
        errors.extend(when_modal(password, match=lambda w: w.objectName() == "passwordDialog"))
        person.answer(qtbot, dialog, person.Ok)

    errors = when_modal(connection, match=lambda w: w.objectName() == "connectionDialog")
    person.click(qtbot, person.button(page, "sharedRegistry"))
    assert not errors, errors
    assert steps == ["Server: Required", "asked"]
    said = page.connection_status.text()
    assert said.startswith("Saved: the program opens postgresql+psycopg://postgres@localhost")
    kept = config.resolve_database_url()
    assert (kept.host, kept.port, kept.database) == (
        "localhost",
        pg_secure_server.tls_port,
        database,
    )
    assert kept.query["sslmode"] == "verify-full" and kept.password is None
    for path in config_dir().rglob("*"):  # no file of ours holds the password
        assert not path.is_file() or SECURE_PASSWORD.encode() not in path.read_bytes()
    # Back to this computer's own file.
    person.click(qtbot, person.button(page, "ownRegistryFile"))
    assert config.resolve_database_url().get_backend_name() == "sqlite"
