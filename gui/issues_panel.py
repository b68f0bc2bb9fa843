"""Every grammar and style issue in the document; activating one selects it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from engine.grammar import Issue
from gui.highlighter import COLORS


class IssuesPanel(QWidget):
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Grammar and style issues")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("No issues yet.")
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setAccessibleName("Issues list")
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        layout.addWidget(self.list)

    def show_issues(self, issues: list[Issue], text: str) -> None:
        self.list.clear()
        counts: dict[str, int] = {}
        for issue in issues:
            line = text.count("\n", 0, issue.start) + 1
            counts[issue.category] = counts.get(issue.category, 0) + 1
            item = QListWidgetItem(f"{line}: “{issue.text.strip() or '␣'}” — {issue.message}")
            item.setData(Qt.ItemDataRole.UserRole, issue)
            item.setForeground(QColor(COLORS.get(issue.category, "#1c7ed6")))
            item.setToolTip(f"{issue.category} · {issue.rule} · {issue.engine}")
            self.list.addItem(item)
        if issues:
            parts = ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
            self.summary.setText(f"{len(issues)} issues: {parts}")
        else:
            self.summary.setText("No issues found.")

    def _activated(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
