"""Proofread Project: Proofread Document over every document of the book, in its order,
one at a time. Each document's changes stay pending with it (set aside whole while the
next is checked), so the Review dock shows a document's own changes when it is opened,
and the Project dock says how many each one has."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor

from gui.project.controller import ProjectController
from gui.review.controller import ReviewController


class ProjectProofread(QObject):
    message = Signal(str)

    def __init__(self, controller: ProjectController, review: ReviewController,
                 proofread_shown: Callable[[], None]) -> None:
        super().__init__(controller)
        self.controller, self.review = controller, review
        self.proofread_shown = proofread_shown
        self.queue: list[str] = []
        self.done: list[str] = []
        review.finished.connect(self._finished)

    def start(self) -> None:
        project = self.controller.project
        if project is None:
            self.message.emit("Open a project first (File → Open Project…)")
            return
        if self.review.running:
            self.message.emit("Proofreading is already running (Review → Cancel "
                              "Proofreading stops it).")
            return
        self.queue, self.done = list(project.documents()), []
        self._next()

    def _next(self) -> None:
        if not self.queue:
            self._report()
            return
        rel = self.queue.pop(0)
        self.done.append(rel)
        self.controller.open_document(rel)
        editor = self.review.editor
        cursor = editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)  # the whole text, no selection
        editor.setTextCursor(cursor)
        self.message.emit(f"Proofreading the project: {rel} ({len(self.done)} of "
                          f"{len(self.done) + len(self.queue)})")
        self.proofread_shown()
        if not self.review.running:  # nothing to check in it
            QTimer.singleShot(0, self._next)

    def _finished(self, _line: str) -> None:
        if not self.done:
            return
        if self.review.cancel_event is not None:  # cancelled, or the model failed
            self.message.emit(f"Proofreading the project stopped after {len(self.done)} "
                              "document(s); what was found stays to review.")
            self.queue, self.done = [], []
            return
        QTimer.singleShot(0, self._next)

    def _report(self) -> None:
        counts = self.controller.pending_counts()
        changes = sum(counts.values())
        self.message.emit(f"Proofread {len(self.done)} document(s): {changes} change(s) to "
                          f"review in {len(counts)} document(s) (the Project dock shows "
                          "where)" if changes else
                          f"Proofread {len(self.done)} document(s): nothing to change.")
        self.done = []
        self.controller.changed.emit()
