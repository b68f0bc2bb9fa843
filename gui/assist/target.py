"""The text a generation works on: where it was in the document and what it said."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.text.offsets import utf16_len
from gui.editor.editor import Editor


def current_target(editor: Editor) -> tuple[int, int, str, bool]:
    """The selection (UTF-16 start, end, its text, True), or the paragraph at the cursor
    when nothing is selected."""
    cursor = editor.textCursor()
    if cursor.hasSelection():
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        return start, end, editor.text_between(start, end), True
    start, end = editor.paragraph_range()
    return start, end, editor.text_between(start, end), False


def paragraphs_around(editor: Editor, start: int, end: int) -> str:
    """The paragraphs just before and after ``start``–``end`` (Markdown's blank lines
    between them skipped): their people and places' facts follow the target's own."""
    document = editor.document()
    before, after = document.findBlock(start).previous(), document.findBlock(end).next()
    while before.isValid() and not before.text().strip():
        before = before.previous()
    while after.isValid() and not after.text().strip():
        after = after.next()
    return "\n".join(block.text() for block in (before, after) if block.isValid())


@dataclass
class Target:
    """One generation's target: UTF-16 positions (Qt's) and its text.

    The cards of one generation and its history entry share one Target. ``original`` is
    what the suggestions were made from (the diffs compare against it); ``text`` is what
    stands at ``start``–``end`` now: after Accept the target moves onto the accepted
    text, so accepting another card of the same generation replaces the first choice."""

    start: int
    end: int
    original: str
    text: str = field(default="")

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.original

    def moved_to(self, text: str) -> None:
        self.end = self.start + utf16_len(text)
        self.text = text
