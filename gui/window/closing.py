"""Closing the window: what is not on disk yet (asked about first), then a clean stop of
every worker, so that the last versions are written and the journal is cleared."""

from __future__ import annotations

from functools import partial
from typing import Protocol

from PySide6.QtWidgets import QDialog, QMainWindow

from gui.grammar.controller import GrammarController
from gui.history.controller import HistoryController
from gui.knowledge.consistency_check import ConsistencyCheck
from gui.knowledge.controller import KnowledgeController
from gui.project.commands import ProjectCommands
from gui.review import commands as review_commands
from gui.window import session
from gui.window.unsaved_dialog import HoldsUnsaved, Unsaved


class ClosingWindow(review_commands.ReviewWindow, session.SessionWindow, Protocol):
    """What closing uses of the window: every part that holds work or runs a worker (the
    document, the review and the assistant come with the review's own needs)."""

    @property
    def knowledge(self) -> KnowledgeController | None: ...
    @property
    def consistency(self) -> ConsistencyCheck | None: ...
    @property
    def grammar(self) -> GrammarController | None: ...
    @property
    def history(self) -> HistoryController: ...
    @property
    def projects(self) -> ProjectCommands: ...


def unsaved_work(window: ClosingWindow) -> list[Unsaved]:
    """Everything not on disk yet: the document, the changes still to review, the
    knowledge base, and what an open dialog holds (a template being edited, settings not
    applied)."""
    items: list[Unsaved] = []
    docs = window.documents
    if docs.dirty:
        items.append(Unsaved(f"The document “{docs.doc.title}”", "", window.files.save))
    pending = len(window.review.review.changes)
    if pending:
        items.append(Unsaved(f"{pending} proofreading change(s) still to review",
                             "Save writes them into a Word file as tracked changes",
                             partial(review_commands.keep_in_word, window)))
    for title, save in window.projects.controller.unsaved():
        items.append(Unsaved(f"The document “{title}”", "open in the project", save))
    if window.knowledge is not None:
        items += window.knowledge.unsaved()
    for dialog in window.window().findChildren(QDialog):
        if isinstance(dialog, HoldsUnsaved) and dialog.isVisible():
            items += dialog.unsaved()
    return items


def shut_down(window: ClosingWindow) -> None:
    """Cancel work, stop the workers and clear the journal: a clean exit."""
    if window.consistency is not None:
        window.consistency.shutdown()
    window.review.cancel()
    if window.assist is not None:
        window.assist.stop()
    if window.grammar is not None:
        window.grammar.stop()
    window.documents.close_clean()
    window.projects.controller.close()
    window.history.keep_unsaved()
    window.history.stop()  # after what is queued: the last versions are written
    main = window.window()
    if isinstance(main, QMainWindow):
        session.keep(window, main)
