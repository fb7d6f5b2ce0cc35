"""Driving the app as a person does: clicking the real buttons, typing into the real fields,
choosing from the real lists, answering dialogs when they come up.

Calling a slot is not a test of its button: a button wired to the wrong slot, a flag handed to
a parameter, a field that misreads what was typed all pass such a test. Every helper here goes
through Qt's input events, and refuses a widget a person could not use (hidden or disabled).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from ui.forms import Form
from ui.widgets.date_field import DateField

CTRL = Qt.KeyboardModifier.ControlModifier


def usable(widget: QWidget) -> QWidget:
    name = widget.objectName() or type(widget).__name__
    assert widget.isVisible(), f"{name} is not visible: a person could not use it"
    assert widget.isEnabled(), f"{name} is disabled: a person could not use it"
    return widget


def activate(qtbot, widget: QWidget) -> None:
    """Bring the widget's window to the front, as a person's click on it would."""
    win = widget.window()
    if win.windowType() == Qt.WindowType.Popup or win.isActiveWindow():
        return
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5_000)


def click(qtbot, widget: QWidget, pos: QPoint | None = None) -> None:
    usable(widget)
    activate(qtbot, widget)
    if pos is None and isinstance(widget, QCheckBox | QRadioButton):
        pos = QPoint(8, widget.height() // 2)  # on the box: a wide one's middle is empty space
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())


def double_click(qtbot, widget: QWidget, pos: QPoint) -> None:
    """A click, then the double click (what a mouse sends: QTest's alone is only the second)."""
    usable(widget)
    activate(qtbot, widget)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def button(parent: QWidget, name: str) -> QAbstractButton:
    """A button by object name, or else by its visible text."""
    found = parent.findChild(QAbstractButton, name)
    if found is None:
        found = next(
            (b for b in parent.findChildren(QAbstractButton) if b.text() == name and b.isVisible()),
            None,
        )
    assert found is not None, f"no button {name!r}"
    return found


def press(qtbot, parent: QWidget, name: str) -> None:
    click(qtbot, button(parent, name))


def type_into(qtbot, widget: QWidget, text: str) -> None:
    """Click into the field, select what it holds (Ctrl+A) and type over it."""
    target = widget.edit if isinstance(widget, DateField) else widget
    # A text box takes clicks on its viewport, like every scroll area.
    click(qtbot, target.viewport() if isinstance(target, QPlainTextEdit) else target)
    qtbot.keyClick(target, Qt.Key.Key_A, CTRL)
    if text:
        type_text(qtbot, target, text)
    else:
        qtbot.keyClick(target, Qt.Key.Key_Delete)


def type_text(qtbot, target: QWidget, text: str) -> None:
    """Keys for what a keyboard has; Chinese and Uyghur arrive as an input method commits
    them (a QInputMethodEvent with the committed text), which is how a person types them."""
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        if run.isascii():
            qtbot.keyClicks(target, run)
        elif target.inputMethodQuery(Qt.InputMethodQuery.ImEnabled):
            # (An input method sends nothing to a field that takes none: a read-only one.)
            event = QInputMethodEvent()
            event.setCommitString(run)
            QApplication.sendEvent(target, event)


def leave(qtbot, widget: QWidget) -> None:
    """Tab out of the field, as a person moves on to the next one."""
    target = widget.edit if isinstance(widget, DateField) else widget
    qtbot.keyClick(target, Qt.Key.Key_Tab)


def key(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def choose(qtbot, combo: QComboBox, data=None, *, text: str | None = None) -> None:
    """Open the list with a click, walk to the entry (by its data, or by its text) with the
    arrow keys and press Enter. (A click on the entry is what a person does too, but Qt drops
    a release that comes "too soon" after the list opened, by a clock the test cannot set.)"""
    index = combo.findText(text) if text is not None else combo.findData(data)
    assert index >= 0, f"{combo.objectName()} offers no {text or data!r}"
    if combo.currentIndex() == index:
        return
    click(qtbot, combo)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=5_000)
    step = Qt.Key.Key_Down if index > view.currentIndex().row() else Qt.Key.Key_Up
    while view.currentIndex().row() != index:
        before = view.currentIndex().row()
        qtbot.keyClick(view, step)
        assert view.currentIndex().row() != before, f"the list of {combo.objectName()} is stuck"
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=5_000)
    assert combo.currentIndex() == index, f"choosing {text or data!r} did not take"


def click_row(qtbot, view: QAbstractItemView, row: int, column: int = 0, *, double=False) -> None:
    index = view.model().index(row, column)
    view.scrollTo(index)
    pos = view.visualRect(index).center()
    if double:
        double_click(qtbot, view.viewport(), pos)
    else:
        click(qtbot, view.viewport(), pos)


def read_column(qtbot, view: QAbstractItemView, column: int) -> list:
    """A column read as a person reads it: scrolling down the list, waiting for each row to
    arrive (the organizations list reads rows off the GUI thread as they come into view, and
    shows them blank until then: its ``is_loaded``)."""
    model = view.model()
    texts = []
    for row in range(model.rowCount()):
        index = model.index(row, column)
        view.scrollTo(index)
        qtbot.waitUntil(lambda row=row: model.is_loaded(row), timeout=10_000)
        texts.append(index.data())
    return texts


def dialog_button(dialog: QDialog, which: QDialogButtonBox.StandardButton) -> QAbstractButton:
    if isinstance(dialog, QMessageBox):
        found = dialog.button(QMessageBox.StandardButton(which.value))
    else:
        box = dialog.findChild(QDialogButtonBox)
        found = box.button(which) if box is not None else None
    assert found is not None, f"{dialog.windowTitle()!r} has no {which.name} button"
    return found


def answer(qtbot, dialog: QDialog, which: QDialogButtonBox.StandardButton) -> None:
    click(qtbot, dialog_button(dialog, which))


Save = QDialogButtonBox.StandardButton.Save
Cancel = QDialogButtonBox.StandardButton.Cancel
Ok = QDialogButtonBox.StandardButton.Ok
Yes = QDialogButtonBox.StandardButton.Yes
No = QDialogButtonBox.StandardButton.No
Discard = QDialogButtonBox.StandardButton.Discard


def choose_file(qtbot, dialog: QFileDialog, path: str) -> None:
    """Type the path into a file dialog's name field and press Enter (open or save)."""
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None, "the file dialog has no file name field"
    type_into(qtbot, name, path)
    qtbot.keyClick(name, Qt.Key.Key_Return)


def active_modal() -> QWidget | None:
    return QApplication.activeModalWidget()


Action = Callable[[QWidget], None]


def fill(qtbot, form_or_dialog: QWidget, **values) -> None:
    """Fill a Form's fields by name as a person does: type text and dates, choose from lists
    (by the item's data), tick choices."""
    form = form_or_dialog if isinstance(form_or_dialog, Form) else form_or_dialog.form
    for name, value in values.items():
        widget = form.inputs[name]
        if isinstance(widget, QComboBox):
            choose(qtbot, widget, value)
        elif isinstance(widget, QCheckBox):
            if widget.isChecked() != bool(value):
                click(qtbot, widget)
        elif isinstance(widget, DateField):
            type_into(qtbot, widget, value.isoformat() if isinstance(value, dt.date) else value)
        elif isinstance(widget, (QLineEdit, QPlainTextEdit)):
            type_into(qtbot, widget, str(value))
        else:  # a grid of ticks
            wanted = {getattr(v, "value", v) for v in value}
            for box in widget.findChildren(QCheckBox):
                if (box.objectName().removeprefix("choice_") in wanted) != box.isChecked():
                    click(qtbot, box)


def save_refused(qtbot, dialog: QDialog, field: str) -> str:
    """Press Save, expect the dialog to stay open; the problem shown under ``field``."""
    answer(qtbot, dialog, Save)
    assert dialog.isVisible(), "the dialog closed: the save was not refused"
    return dialog.form.problem_text(field)


def open_tab(qtbot, tabs, title: str) -> None:
    """Click the tab whose label is ``title``."""
    bar = tabs.tabBar()
    index = next((i for i in range(bar.count()) if bar.tabText(i) == title), -1)
    assert index >= 0, f"no tab {title!r}"
    click(qtbot, bar, bar.tabRect(index).center())
    assert tabs.currentIndex() == index


def save(qtbot, dialog: QDialog) -> None:
    """Press Save and expect the dialog to close; if it stays open, say what it shows."""
    answer(qtbot, dialog, Save)
    if dialog.isVisible():
        form = dialog.form
        shown = {n: form.problem_text(n) for n in form.inputs if form.problem_text(n)}
        general = form.general_error.text() if form.general_error.isVisible() else ""
        warning = getattr(dialog, "warning", None)
        if warning is not None and warning.isVisible():
            general += " " + warning.text()
        dialog.done(QDialog.DialogCode.Rejected)  # not reject(): it may ask
        raise AssertionError(f"Save was refused: {shown} {general}")
