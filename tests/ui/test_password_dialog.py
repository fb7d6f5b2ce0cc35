"""A desk opening a shared registry whose server wants a password (issue 17, point 5): asked
in a dialog, refused in words when wrong, kept in the keyring only when ticked."""

from __future__ import annotations

import keyring
import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy.engine import make_url

from incubator import credentials
from incubator.services import registry
from tests.conftest import SECURE_PASSWORD
from tests.file_keyring import FileKeyring
from tests.ui import person
from tests.ui.dialogs import when_modal
from ui.recovery import open_or_recover

pytestmark = [pytest.mark.ui, pytest.mark.postgres]


def is_password_dialog(widget) -> bool:
    return widget.objectName() == "passwordDialog"


def test_asked_refused_in_words_then_remembered(qtbot, secure_url, tmp_path) -> None:
    before = keyring.get_keyring()
    keyring.set_keyring(FileKeyring(tmp_path / "keyring.json"))
    said: list[str] = []

    def answer(password: str, remember: bool, then=None):
        def act(dialog) -> None:
            said.append(dialog.findChild(QLabel, "passwordReason").text())
            person.type_into(qtbot, dialog.password, password)
            if remember:
                person.click(qtbot, dialog.remember)
            if then is not None:
                then()
            person.answer(qtbot, dialog, person.Ok)

        return act

    try:
        # A wrong password first: asked again, saying so; then the right one, remembered.
        errors = when_modal(
            answer(
                "wrong",
                False,
                then=lambda: errors.extend(
                    when_modal(answer(SECURE_PASSWORD, True), match=is_password_dialog)
                ),
            ),
            match=is_password_dialog,
        )
        db = open_or_recover(secure_url)
        assert not errors, errors
        assert db is not None and registry.count(db, registry.OrgQuery()) == 1
        db.dispose()
        assert said[0].endswith("asks for the password of postgres")
        assert said[1].endswith("refused the user name or password")
        assert credentials.saved(make_url(secure_url)) == SECURE_PASSWORD
        # The next start asks nothing.
        db = open_or_recover(secure_url)
        assert db is not None and registry.count(db, registry.OrgQuery()) == 1
        db.dispose()
        # Cancel: the program does not open.
        credentials.forget(make_url(secure_url))
        errors = when_modal(
            lambda d: person.answer(qtbot, d, person.Cancel), match=is_password_dialog
        )
        assert open_or_recover(secure_url) is None and not errors
    finally:
        keyring.set_keyring(before)
