"""A document's goal: words in all (by a date, if the writer likes) or words a day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QWidget,
)

from engine.history.daily import Goal


class GoalDialog(QDialog):
    def __init__(self, goal: Goal | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Writing goal")
        self.kind = QComboBox()
        self.kind.addItems(["words in all", "words a day"])
        self.words = QSpinBox()
        self.words.setRange(0, 10_000_000)
        self.words.setSingleStep(500)
        self.words.setSpecialValueText("no goal")
        self.by_date = QCheckBox("by")
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("d MMMM yyyy")  # "7 January 2027", not "7 01 2027"
        self.deadline.setMinimumDate(QDate.currentDate())
        self.deadline.setDate(QDate.currentDate().addMonths(1))
        if goal is not None:
            self.kind.setCurrentIndex(1 if goal.per_day else 0)
            self.words.setValue(goal.per_day or goal.words)
            if goal.deadline is not None:
                self.by_date.setChecked(True)
                self.deadline.setDate(QDate(goal.deadline.year, goal.deadline.month,
                                            goal.deadline.day))
        self.kind.currentIndexChanged.connect(self._enable)
        self.by_date.toggled.connect(self._enable)
        form = QFormLayout(self)
        form.addRow("Goal:", self.words)
        form.addRow("", self.kind)
        form.addRow(self.by_date, self.deadline)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._enable()

    def _enable(self, *_args: object) -> None:
        in_all = self.kind.currentIndex() == 0
        self.by_date.setEnabled(in_all)
        self.deadline.setEnabled(in_all and self.by_date.isChecked())

    def goal(self) -> Goal | None:
        """The goal chosen (None: no goal)."""
        value = self.words.value()
        if not value:
            return None
        if self.kind.currentIndex() == 1:
            return Goal(per_day=value)
        deadline = None
        if self.by_date.isChecked():
            date = self.deadline.date()
            deadline = dt.date(date.year(), date.month(), date.day())
        return Goal(words=value, deadline=deadline)
