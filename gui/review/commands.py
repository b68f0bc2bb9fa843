"""What the Review menu and the Review dock's buttons do in the window: start Proofread
Document, show a change, accept or reject it, keep the changes in a Word file."""

from __future__ import annotations

from functools import partial
from typing import Protocol

from PySide6.QtWidgets import QDockWidget

from gui.assist.controller import AssistController
from gui.documents.parts import ExportWindow
from gui.review.margin import ReviewMargin
from gui.review.panel import ReviewPanel
from gui.window.changes import Changes


class ReviewWindow(ExportWindow, Protocol):
    """What the review's commands use of the window (exporting's needs among them)."""

    @property
    def review_panel(self) -> ReviewPanel: ...
    @property
    def review_margin(self) -> ReviewMargin: ...
    @property
    def assist(self) -> AssistController | None: ...
    @property
    def docks(self) -> dict[str, QDockWidget]: ...
    @property
    def changes(self) -> Changes: ...


def wire(window: ReviewWindow) -> None:
    """The review's reports to its dock, the status bar and the recovery journal; the
    dock's requests to the window."""
    review, shown = window.review, window.review_panel
    review.changed.connect(lambda: shown.show_changes(
        review.review.changes, review.review.text, review.review.notes))
    review.progress.connect(shown.show_progress)
    review.progress.connect(partial(show_progress, window))
    review.finished.connect(lambda m: window.status.showMessage(m, 15000))
    review.finished.connect(lambda _m: shown.progress.hide())
    review.message.connect(lambda m: window.status.showMessage(m, 10000))
    shown.chosen.connect(partial(show_change, window))
    review.changed.connect(lambda: window.review_margin.refresh(bool(review.review.changes)))
    window.review_margin.chosen.connect(shown.select)  # a change's new words, clicked
    review.restored.connect(shown.select)  # an undone decision: its change, chosen again
    shown.action.connect(partial(act, window))
    window.documents.review_state = review.state
    review.changed.connect(window.documents.pause.start)  # into the journal after a pause
    window.documents.review_restored.connect(review.restore)
    window.documents.review_restored.connect(lambda _data: show_dock(window))


def proofread_document(window: ReviewWindow) -> None:
    """The checked fixes over the whole text (or the selection), to review one by one."""
    if window.assist is not None:
        window.assist.order_cancel.set()  # the lane is wanted: ordering replacements waits
    show_dock(window)
    window.review.proofread_document()


def show_dock(window: ReviewWindow) -> None:
    """The Review dock, in front of the docks it shares a place with."""
    window.docks["review"].show()
    window.docks["review"].raise_()


def show_progress(window: ReviewWindow, done: int, total: int, left: float) -> None:
    """How far Proofread Document got, in the status bar."""
    rest = f", {time_left(left)} left" if left >= 0 and done < total else ""
    window.status.showMessage(f"Proofreading {done}/{total} paragraphs{rest} "
                              "(Review menu: cancel)", 0 if done < total else 5000)


def time_left(seconds: float) -> str:
    """"about 40 s", "about 3 min": no more precise than an estimate is."""
    if seconds < 90:
        return f"about {max(5, round(seconds / 5) * 5):.0f} s"
    return f"about {round(seconds / 60):.0f} min"


def show_change(window: ReviewWindow, change_id: int) -> None:
    """Select a pending change's words in the editor and bring them into view."""
    try:
        change = window.review.review.get(change_id)
    except KeyError:
        return
    start, end = window.review.span16(change)
    cursor = window.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    window.editor.centerCursor()


def act(window: ReviewWindow, key: str) -> None:
    """What the Review menu and the dock's buttons do to the chosen change."""
    panel, review = window.review_panel, window.review
    current = panel.current_id()
    if key in ("next", "previous"):
        panel.step(key == "next")
        return
    if key in ("accept_all", "reject_all"):
        if review.review.changes and key == "accept_all":
            window.changes.accepting.emit("review")
        count = review.accept_all() if key == "accept_all" else review.reject_all()
        done = "accepted" if key == "accept_all" else "rejected"
        window.status.showMessage(f"{count} change(s) {done}.", 5000)
        return
    if current < 0:
        panel.step(True)
        return
    row = panel.list.currentRow()
    if key == "accept":
        window.changes.accepting.emit("review")
        review.accept(current)
    elif key == "reject":
        review.reject(current)
    elif key == "accept_kind":
        source = review.review.get(current).source
        window.changes.accepting.emit("review")
        review.accept_all(source)
    if panel.list.count():  # on to the next one, as in a word processor
        panel.list.setCurrentRow(min(row, panel.list.count() - 1))


def keep_in_word(window: ReviewWindow) -> bool:
    """Changes still to review, kept as a Word file with tracked changes (on quitting)."""
    from gui.documents.export_dialog import export_current  # Qt's PDF drawing: when asked

    return export_current(window, tracked_only=True)
