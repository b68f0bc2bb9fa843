"""Tables of rows the writer picks from (models found, models to download)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QWidget


def pick_table(headers: list[str], name: str, parent: QWidget | None = None) -> QTableWidget:
    """Whole rows selected, nothing edited in place, ``name`` for screen readers."""
    table = QTableWidget(0, len(headers), parent)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return table
