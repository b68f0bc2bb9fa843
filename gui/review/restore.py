"""A whole new text for a document with changes to review (a version put back): one undo
step that sets aside the changes that do not fit the new text; its Undo gives back the
text and every change, exactly, and its Redo the new text with the ones that fit."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QTextCursor

from engine.review.pending import Pending, Review
from gui.editor.editor import Editor
from gui.review import undo as review_undo
from gui.review.undo import Decision


class Reviewing(Protocol):
    """What the restore uses of the review's controller."""

    editor: Editor
    review: Review
    deciding: bool

    def fit(self, text: str) -> list[Pending]: ...
    def decided(self, decision: Decision) -> None: ...


def replace_text(review: Reviewing, text: str) -> int:
    """Make ``text`` the editor's; returns how many changes to review were set aside."""
    editor = review.editor
    if not review.review.changes:
        editor.replace_range(0, editor.document().characterCount() - 1, text)
        return 0
    before = tuple(review.review.changes)
    kept = tuple(review.fit(text))
    cursor = editor.textCursor()
    review.deciding = True  # not the writer's edit: the changes are placed here
    try:
        cursor.beginEditBlock()
        cursor.setPosition(0)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        review_undo.mark(editor.document(), 0)
        cursor.endEditBlock()
    finally:
        review.deciding = False
    editor.setTextCursor(cursor)
    review.review = Review(editor.toPlainText(), list(kept), review.review.notes)
    review.decided(Decision(True, (), 0, 0, swap=(before, kept)))
    return len(before) - len(kept)
