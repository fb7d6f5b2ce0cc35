"""Which field each column of a spreadsheet holds, chosen by staff for headers the importer does
not know; remembered for the next file with the same headers (``importing.mappings``)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from incubator.i18n import field_label, tr
from incubator.importing.headers import Layout


class ColumnMappingDialog(QDialog):
    def __init__(self, layout: Layout, fields: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(tr("Columns of the file"))
        self.setMinimumSize(520, 420)
        self.combos: dict[str, QComboBox] = {}
        form_holder = QWidget()
        form = QFormLayout(form_holder)
        for col, header in enumerate(layout.headers):
            if not header.strip():
                continue
            combo = QComboBox()
            combo.setObjectName(f"column_{col}")
            combo.addItem(tr("(not imported)"), "")
            for name in fields:
                combo.addItem(field_label(name), name)
            current = layout.columns.get(col, "")
            combo.setCurrentIndex(max(0, combo.findData(current)))
            self.combos[header] = combo
            form.addRow(header, combo)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_holder)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Save and check again"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout_ = QVBoxLayout(self)
        layout_.addWidget(
            QLabel(
                tr(
                    "Choose what each column holds. The choice is remembered for the next "
                    "file with the same headers."
                )
            )
        )
        layout_.addWidget(scroll, 1)
        layout_.addWidget(buttons)

    def mapping(self) -> dict[str, str]:
        """Header as written -> field ("" for a column left out)."""
        return {header: combo.currentData() for header, combo in self.combos.items()}
