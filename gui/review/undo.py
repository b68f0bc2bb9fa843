"""Accepting or rejecting a change to review as one step of the editor's own undo stack.

Qt's C++ API lets a program put its own step on a text document's undo stack
(``QTextDocument::appendUndoItem`` with a ``QAbstractUndoItem``); PySide6 does not wrap
them. So a decision ends with a mark the document keeps as a step of its own: a block
property nobody reads, changed. Undo and Redo then step over it like over any edit (it also
keeps the next keystrokes from merging into an accepted change), and the review remembers,
for each decision, where the document's stacks stood just after it. When the writer's Undo
finds a decision on top, the review undoes it and puts its changes back as pending.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import count

from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextDocument, QTextFormat

from engine.review.pending import Pending

MARK = QTextFormat.Property.UserProperty + 41  # a block property nobody reads
_marks = count(1)


@dataclass(frozen=True)
class Decision:
    accepted: bool  # made the changes (else rejected them)
    changes: tuple[Pending, ...]  # as they were before it
    steps: int  # the document's undo steps just after it (redo steps once it is undone)
    text: int  # hash of the text just after it (just before, once it is undone)
    ahead: dict[int, int] = field(default_factory=dict)  # Review.ahead, for an accept
    # a whole new text (a version put back): the changes pending before it and after it
    swap: tuple[tuple[Pending, ...], tuple[Pending, ...]] | None = None


def mark(document: QTextDocument, position: int) -> None:
    """Leave a step on the document's undo stack (inside an edit block: end it with this),
    without changing the text or whether the document counts as modified."""
    clean = not document.isModified()
    cursor = QTextCursor(document)
    cursor.setPosition(min(position, document.characterCount() - 1))
    block = QTextBlockFormat()
    block.setProperty(MARK, next(_marks))  # a new value each time: always a step
    cursor.mergeBlockFormat(block)
    if clean:
        document.setModified(False)


def on_top(stack: list[Decision], steps: int, text: str) -> Decision | None:
    """The decision the next undo (or redo) would take back, if it is the document's next
    step: ``steps`` is where the document's stack stands now. Decisions the document has
    stepped past some other way are forgotten."""
    while stack and stack[-1].steps > steps:
        stack.pop()
    if stack and stack[-1].steps == steps and stack[-1].text == hash(text):
        return stack[-1]
    return None


class Decisions:
    """The accepts and rejects that Undo and Redo can take back, newest last."""

    LIMIT = 500

    def __init__(self) -> None:
        self.undos: list[Decision] = []
        self.redos: list[Decision] = []

    def __bool__(self) -> bool:
        return bool(self.undos or self.redos)

    def clear(self) -> None:
        self.undos, self.redos = [], []

    def made(self, decision: Decision, document: QTextDocument, text: str) -> None:
        """A new decision (the document's last step is its mark): nothing to redo now."""
        self.undos.append(replace(decision, steps=document.availableUndoSteps(),
                                  text=hash(text)))
        del self.undos[:-self.LIMIT]
        self.redos = []

    def forget_past(self, document: QTextDocument) -> None:
        """The writer edited: decisions the document can no longer step back to go."""
        on_top(self.undos, document.availableUndoSteps(), "")
        on_top(self.redos, document.availableRedoSteps(), "")

    def next(self, undo: bool, document: QTextDocument, text: str) -> Decision | None:
        """The decision the document's next undo (or redo) step would take back, taken
        off its stack; None when that step is the writer's own."""
        stack = self.undos if undo else self.redos
        steps = document.availableUndoSteps() if undo else document.availableRedoSteps()
        decision = on_top(stack, steps, text)
        if decision is not None:
            stack.pop()
        return decision

    def went(self, undo: bool, decision: Decision, document: QTextDocument,
             text: str) -> None:
        """``decision`` was undone (or redone): it can be redone (or undone) next."""
        if undo:
            self.redos.append(replace(decision, steps=document.availableRedoSteps(),
                                      text=hash(text)))
        else:
            self.undos.append(replace(decision, steps=document.availableUndoSteps(),
                                      text=hash(text)))
