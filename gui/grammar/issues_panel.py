"""Every grammar and style issue in the document; activating one selects it.

A list model, so thousands of issues cost nothing until they are scrolled into view.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from engine.grammar.issues import Issue
from gui.editor.highlighter import COLORS

Index = QModelIndex | QPersistentModelIndex


class IssueModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.issues: list[Issue] = []
        self.text = ""

    def set_issues(self, issues: list[Issue], text: str) -> None:
        self.beginResetModel()
        self.issues = issues
        self.text = text  # line numbers are counted for the rows drawn, not for every issue
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self.issues)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        issue = self.issues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            line = self.text.count("\n", 0, issue.start) + 1
            best = issue.replacements[0] if issue.replacements else None
            fix = "" if best is None else f" → {best.strip() or '(remove)'}"
            return f"{line}: “{issue.text.strip() or '␣'}” — {issue.message}{fix}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(COLORS.get(issue.category, "#1c7ed6"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{issue.category} · {issue.rule} · {issue.engine}"
        if role == Qt.ItemDataRole.UserRole:
            return issue
        return None


class IssuesPanel(QWidget):
    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Grammar and style issues")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("No issues yet.")
        layout.addWidget(self.summary)
        self.model = IssueModel()
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Issues list")
        self.list.activated.connect(self._activated)
        self.list.clicked.connect(self._activated)
        layout.addWidget(self.list)

    def show_issues(self, issues: list[Issue], text: str, complete: bool = True) -> None:
        """The issues underlined now; ``complete`` False: another checker's are to come."""
        self.model.set_issues(issues, text)
        counts = Counter(issue.category for issue in issues)
        more = "" if complete else " (still checking…)"
        if issues:
            parts = ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
            self.summary.setText(f"{len(issues)} issue{'s' if len(issues) > 1 else ''}: "
                                 f"{parts}{more}")
        else:
            self.summary.setText("No issues found." if complete else "Checking…")

    def count(self) -> int:
        return self.model.rowCount()

    def _activated(self, index: QModelIndex) -> None:
        self.chosen.emit(self.model.data(index, Qt.ItemDataRole.UserRole))
