"""Ctrl+C in any table or list copies its selected rows as tab-separated text, headers first,
ready to paste into a spreadsheet or a message (Qt's own Ctrl+C copies one cell)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView, QWidget


def rows_as_text(view: QAbstractItemView) -> str:
    model = view.model()
    selection = view.selectionModel()
    if model is None or selection is None:
        return ""
    rows = sorted({index.row() for index in selection.selectedIndexes()})
    header: QHeaderView | None = view.horizontalHeader() if isinstance(view, QTableView) else None
    if header is None and hasattr(view, "header"):
        header = view.header()  # tree views
    columns = list(range(model.columnCount()))
    if header is not None:  # as the user sees them: moved columns in place, hidden ones out
        columns = [header.logicalIndex(v) for v in range(header.count())]
        columns = [c for c in columns if not header.isSectionHidden(c)]

    def cell(value: object) -> str:
        return " ".join(str(value if value is not None else "").split())

    if hasattr(model, "texts"):  # a list that reads rows as they come into view
        texts = model.texts(rows, columns)
    else:
        texts = [[model.index(row, c).data() for c in columns] for row in rows]
    lines = ["\t".join(cell(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
    lines += ["\t".join(cell(value) for value in values) for values in texts]
    return "\n".join(lines) + "\n"


class RowCopier(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QAbstractItemView)
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
            and watched.selectionModel() is not None
            and watched.selectionModel().hasSelection()
        ):
            QGuiApplication.clipboard().setText(rows_as_text(watched))
            return True
        return False

    def watch(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A view gets the filter when it first takes the focus (Ctrl+C goes to the focused
        widget). Not one filter on the whole application: that would run Python for every
        event of every widget, every paint included, and a paint then waits for Python's lock
        whenever a worker thread holds it (the list's scrolling stalled for 20 to 40 ms)."""
        if isinstance(new, QAbstractItemView) and not new.property("copiesRows"):
            new.setProperty("copiesRows", True)
            new.installEventFilter(self)


def install(app: QApplication) -> None:
    """Once per application: every table, list and tree view copies rows on Ctrl+C."""
    if getattr(app, "_row_copier", None) is None:
        copier = RowCopier(app)
        app.focusChanged.connect(copier.watch)
        app._row_copier = copier  # type: ignore[attr-defined]
