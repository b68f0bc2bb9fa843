"""The project's statistics: words in the book and per document (with each target's
progress), words written today across the project, the goal and the words a day it
needs, and the last 30 days as a chart. The goal is kept in the project file."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.project.stats import ProjectStats
from gui.history.words_chart import WordsChart


class ProjectStatsDialog(QDialog):
    def __init__(self, title: str, stats: ProjectStats, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectStats")
        self.setWindowTitle(f"Statistics of {title}")
        self.resize(560, 620)
        self.summary = QLabel(self._summary(stats))
        self.summary.setObjectName("projectStatsSummary")
        self.summary.setWordWrap(True)
        self.chart = WordsChart()
        self.chart.show_days(stats.days)
        self.table = QTreeWidget()
        self.table.setObjectName("projectStatsTable")
        self.table.setHeaderLabels(["Document", "Words", "Target", "Status"])
        self.table.setRootIsDecorated(False)
        for count in stats.documents:
            target = (f"{min(100, round(100 * count.words / count.target))} % of "
                      f"{count.target:,}") if count.target else ""
            row = QTreeWidgetItem([count.path, f"{count.words:,}", target,
                                   count.status if count.placed else "not in the book"])
            row.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            if count.problem:
                row.setToolTip(0, count.problem)
            self.table.addTopLevelItem(row)
        self.table.resizeColumnToContents(0)
        self.goal_words = QSpinBox()
        self.goal_words.setObjectName("projectGoalWords")
        self.goal_words.setRange(0, 10_000_000)
        self.goal_words.setSingleStep(1000)
        self.goal_words.setSpecialValueText("no goal")
        self.goal_words.setValue(stats.goal_words)
        self.by_date = QCheckBox("by")
        self.deadline = QDateEdit()
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("d MMMM yyyy")
        by = stats.goal_by or (dt.date.today() + dt.timedelta(days=90))
        self.deadline.setDate(QDate(by.year, by.month, by.day))
        self.by_date.setChecked(stats.goal_by is not None)
        form = QFormLayout()
        form.addRow("Goal for the book:", self.goal_words)
        form.addRow(self.by_date, self.deadline)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @staticmethod
    def _summary(stats: ProjectStats) -> str:
        placed = [d for d in stats.documents if d.placed]
        lines = [f"<b>{stats.words:,}</b> words in {len(placed)} documents; "
                 f"<b>{stats.words_today:,}</b> written today"]
        goal = stats.goal_json()
        if goal:
            by = f" by {stats.goal_by.strftime('%-d %B %Y')}" if stats.goal_by else ""
            need = f": {goal['per_day']:,} words a day" if goal["per_day"] else ""
            lines.append(f"Goal {stats.goal_words:,} words{by}; {goal['left']:,} to go{need}")
        return "<br>".join(lines)

    def goal(self) -> tuple[int, dt.date | None]:
        date = self.deadline.date()
        by = dt.date(date.year(), date.month(), date.day()) if self.by_date.isChecked() \
            else None
        return self.goal_words.value(), by
