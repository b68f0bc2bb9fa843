"""The Statistics dock: counts of the document and the selection, words written today and
this session, the document's goal, and a chart of words written per day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.text.stats import Counts, ease_label, reading_time

ROWS = ("Words", "Characters", "CJK characters", "Sentences", "Paragraphs", "Reading time",
        "Reading ease")


def _cells(counts: Counts | None, ease: float | None) -> list[str]:
    if counts is None:
        return ["—"] * len(ROWS)
    return [f"{counts.words:,}", f"{counts.characters:,}", f"{counts.cjk_characters:,}",
            f"{counts.sentences:,}", f"{counts.paragraphs:,}",
            reading_time(counts.reading_minutes),
            "—" if ease is None else f"{ease:.0f} ({ease_label(ease)})"]


class StatsPanel(QWidget):
    goal_requested = Signal()
    shown = Signal()  # it came into view: its figures are brought up to date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Writing statistics")
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Document</b>"), 0, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(QLabel("<b>Selection</b>"), 0, 2, Qt.AlignmentFlag.AlignRight)
        self.document: list[QLabel] = []
        self.selection: list[QLabel] = []
        for row, title in enumerate(ROWS, start=1):
            grid.addWidget(QLabel(title), row, 0)
            for column, cells in ((1, self.document), (2, self.selection)):
                label = QLabel("—")
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(label, row, column)
                cells.append(label)
        self.progress_line = QLabel("")
        self.progress_line.setWordWrap(True)
        self.goal_bar = QProgressBar()
        self.goal_bar.setAccessibleName("Progress to the goal")
        self.goal_bar.hide()
        self.goal_line = QLabel("No goal set for this document.")
        self.goal_line.setWordWrap(True)
        self.goal_button = QPushButton("Set &Goal…")
        self.goal_button.clicked.connect(self.goal_requested.emit)
        self.chart_holder = QVBoxLayout()
        self.chart: QWidget | None = None
        figures = QVBoxLayout()
        figures.addLayout(grid)
        figures.addStretch(1)
        progress = QWidget()
        progress.setMinimumWidth(220)
        progress.setMaximumWidth(340)
        progress_layout = QVBoxLayout(progress)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.progress_line)
        progress_layout.addWidget(self.goal_line)
        progress_layout.addWidget(self.goal_bar)
        progress_layout.addWidget(self.goal_button, 0, Qt.AlignmentFlag.AlignLeft)
        progress_layout.addStretch(1)
        # a wide dock: counts | today and the goal | the chart; a tall one: one below another
        self.layout_ = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self.layout_.setContentsMargins(6, 6, 6, 6)
        self.layout_.setSpacing(12)
        self.layout_.addLayout(figures)
        self.layout_.addWidget(progress)
        self.layout_.addLayout(self.chart_holder, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The chart beside the figures in a wide dock, below them in a tall one."""
        super().resizeEvent(event)
        wide = event.size().width() > 1.6 * event.size().height()
        self.layout_.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                  else QBoxLayout.Direction.TopToBottom)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown.emit()

    def show_counts(self, document: Counts, ease: float | None,
                    selection: Counts | None, selection_ease: float | None) -> None:
        for label, text in zip(self.document, _cells(document, ease), strict=True):
            label.setText(text)
        for label, text in zip(self.selection, _cells(selection, selection_ease), strict=True):
            label.setText(text)

    def show_progress(self, today: int, session: int, saved: bool) -> None:
        if not saved:
            self.progress_line.setText(f"This session: {session:+,} words. Save the document "
                                       "to count the days and keep a goal.")
            return
        self.progress_line.setText(f"Written today: {today:+,} words · this session: "
                                   f"{session:+,} words")

    def show_goal(self, line: str, done: int, target: int) -> None:
        if not target:
            self.goal_line.setText("No goal set for this document.")
            self.goal_bar.hide()
            return
        self.goal_line.setText(f"Goal: {line}")
        self.goal_bar.setRange(0, target)
        self.goal_bar.setValue(max(0, min(done, target)))
        self.goal_bar.show()

    def show_days(self, days: list[tuple[dt.date, int]]) -> None:
        if self.chart is None:
            from gui.history.words_chart import WordsChart

            self.chart = WordsChart()
            self.chart_holder.addWidget(self.chart)
        self.chart.show()
        self.chart.show_days(days)  # type: ignore[attr-defined]
