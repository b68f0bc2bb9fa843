"""Counts for the status bar and the Statistics dock, kept up to date after a pause in
typing (each paragraph counted once and remembered, so a long novel costs milliseconds),
and the words written today and this session, from the document's history."""

from __future__ import annotations

import datetime as dt
import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

from engine.history.daily import baseline, written_per_day
from engine.text.stats import CountCache, Counts
from gui.editor.editor import Editor
from gui.history.controller import HistoryController, Snapshot
from gui.history.stats_panel import StatsPanel
from gui.window.status_bar import StatusBar

SLICE_S = 0.008  # counting a new long text yields to the window this often


class StatsController(QObject):
    def __init__(self, editor: Editor, status: StatusBar, panel: StatsPanel,
                 dock: QDockWidget, history: HistoryController | None) -> None:
        super().__init__()
        self.editor, self.status, self.panel, self.dock = editor, status, panel, dock
        self.history = history
        self.cache = CountCache()
        self.counts = Counts(0, 0, 0, 0, 0, 0.0)
        self.session_start: int | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.update)
        self.more = QTimer(self)  # the next slice of a long new text, after pending events
        self.more.setSingleShot(True)
        self.more.setInterval(0)
        self.more.timeout.connect(self.update)
        editor.text_edited.connect(self.timer.start)
        editor.selectionChanged.connect(self.timer.start)
        panel.shown.connect(self.update)
        panel.goal_requested.connect(self.ask_goal)
        if history is not None:
            history.changed.connect(lambda _snap: self.update())

    def new_document(self) -> None:
        """Opened or new: this session's count starts here."""
        self.session_start = None
        self.update()

    def update(self) -> None:
        text = self.editor.toPlainText()
        if not self.cache.learn(text, time.monotonic() + SLICE_S, self.dock.isVisible()):
            self.more.start()  # the counts shown stay until the new ones are all known
            return
        self.counts = self.cache.count(text)
        if self.session_start is None:
            self.session_start = self.counts.words
        selected = self.editor.textCursor().selectedText().replace("\u2029", "\n")
        chosen = self.cache.count(selected) if selected else None
        self.status.set_counts(self.counts, chosen)
        if not self.dock.isVisible():
            return
        self.panel.show_counts(self.counts, self.cache.reading_ease(text, self.counts), chosen,
                               self.cache.reading_ease(selected, chosen) if selected else None)
        snap = self.history.snapshot if self.history is not None else Snapshot()
        today = dt.date.today()
        written = self.counts.words - baseline(snap.versions, today)
        self.panel.show_progress(written, self.counts.words - self.session_start,
                                 bool(snap.path))
        if snap.goal is not None:
            done, target, line = snap.goal.progress(self.counts.words, written, today)
            self.panel.show_goal(line, done, target)
        else:
            self.panel.show_goal("", 0, 0)
        if snap.path:
            self.panel.show_days(written_per_day(snap.versions, today, self.counts.words))
        elif self.panel.chart is not None:
            self.panel.chart.hide()  # no days to count before the document is saved

    def ask_goal(self) -> None:
        from gui.history.goal_dialog import GoalDialog

        if self.history is None:
            return
        parent = self.panel.window()
        dialog = GoalDialog(self.history.snapshot.goal,
                            parent if isinstance(parent, QWidget) else None)
        if dialog.exec():
            self.history.set_goal(dialog.goal())
