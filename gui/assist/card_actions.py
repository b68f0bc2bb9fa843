"""What the buttons of a suggestion's card do to the document: replace the card's own
target (one undo step), insert the suggestion after it, or copy it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication

from gui.assist.candidate_card import CandidateCard
from gui.assist.panel import AssistantPanel
from gui.editor.editor import Editor
from gui.window.changes import Changes

MOVED = ("The original text has changed since the suggestion was made; copy the "
         "suggestion instead.")


def accept(editor: Editor, card: CandidateCard,
           before: Callable[[], None] | None = None) -> str | None:
    """Replace the card's target with its suggestion: None when done, else why not ("" when
    the card has nothing to take). ``before`` runs just before the text changes."""
    candidate, target = card.candidate, card.target
    if candidate is None or not candidate.text:
        return ""
    if editor.text_between(target.start, target.end) != target.text:
        return MOVED
    text = card.chosen_text()  # the changes the writer took, not always all of them
    if before is not None:
        before()
    editor.replace_range(target.start, target.end, text)
    target.moved_to(text)
    return None


def insert_after(editor: Editor, card: CandidateCard) -> None:
    candidate = card.candidate
    if candidate is not None and candidate.text:
        end = card.target.end
        editor.replace_range(end, end, "\n\n" + card.chosen_text())


def copy(card: CandidateCard) -> bool:
    candidate = card.candidate
    if candidate is not None and candidate.text:
        QGuiApplication.clipboard().setText(card.chosen_text())
        return True
    return False


class CardActions(QObject):
    """The panel's card buttons, done to the document."""

    message = Signal(str)  # why a card could not be accepted

    def __init__(self, editor: Editor, panel: AssistantPanel, changes: Changes) -> None:
        super().__init__(panel)
        self.editor, self.panel, self.changes = editor, panel, changes
        panel.accept.connect(self.accept)
        panel.insert_after.connect(self.insert_after)
        panel.copy.connect(self.copy)

    def accept(self, card: CandidateCard) -> bool:
        """Replace the card's own target with its suggestion, as one undo step."""
        refused = accept(self.editor, card, lambda: self.changes.accepting.emit("suggestion"))
        if refused:
            self.message.emit(refused)
        return refused is None

    def insert_after(self, card: CandidateCard) -> None:
        insert_after(self.editor, card)

    def copy(self, card: CandidateCard) -> None:
        if copy(card):
            self.panel.status.setText("Copied.")
