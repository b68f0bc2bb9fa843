"""Pending changes drawn in the editor: the old words struck, an insertion's place
underlined (extra selections, which Qt moves with the text), and the hover text."""

from __future__ import annotations

import html
from bisect import bisect_left, bisect_right

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextEdit

from engine.review.pending import Pending
from engine.text.offsets import OffsetMap
from gui.editor.editor import Editor


def draw(editor: Editor, text: str, changes: list[Pending]) -> None:
    """Mark every pending change in the text. When changes only went away, the marks of
    the others are kept as they are (Qt has moved them with the text)."""
    shown = editor.extraSelections()
    wanted = {c.id for c in changes}
    kept = [s for s in shown if s.format.property(QTextFormat.Property.UserProperty)
            in wanted]
    if shown and len(kept) == len(wanted):
        if len(kept) != len(shown):
            editor.setExtraSelections(kept)
        return
    removed, added = colours(editor.palette().color(editor.backgroundRole()).lightness() < 128)
    struck = QTextCharFormat()
    struck.setFontStrikeOut(True)
    struck.setForeground(removed)
    struck.setBackground(QColor(255, 123, 114, 40))
    inserted = QTextCharFormat()
    inserted.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    inserted.setUnderlineColor(added)
    inserted.setBackground(QColor(46, 160, 67, 50))
    selections = []
    offsets = OffsetMap(text)
    document = editor.document()
    for change in changes:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(document)
        start, end = offsets.to_utf16(change.start), offsets.to_utf16(change.end)
        if start == end:  # an insertion: the place is marked on the character before
            start = max(0, start - 1)
            selection.format = QTextCharFormat(inserted)
        else:
            selection.format = QTextCharFormat(struck)
        selection.format.setProperty(QTextFormat.Property.UserProperty, change.id)
        cursor.setPosition(start)
        cursor.setPosition(max(end, start + 1), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selections.append(selection)
    editor.setExtraSelections(selections)


def colours(dark: bool) -> tuple[QColor, QColor]:
    """The colours of removed and of new words, on a dark or a light page."""
    return (QColor("#ff7b72" if dark else "#c0392b"), QColor("#7ee787" if dark else "#1e8449"))


def change_tip(change: Pending) -> str:
    old = html.escape(change.old.strip()) or ("¶ break" if "\n" in change.old else "—")
    new = html.escape(change.new.strip()) or ("¶ break" if "\n" in change.new else "(removed)")
    why = f"; the model finds it likelier by {change.gain:.1f}" if change.gain else ""
    return (f"<b>{old}</b> → <b>{new}</b><br><small>{html.escape(change.source)}"
            f"{why}</small>")


def starting_between(changes: list[Pending], offsets: OffsetMap, lo16: int,
                     hi16: int) -> list[tuple[int, Pending]]:
    """The changes (in order) that start between two UTF-16 positions, with their starts."""
    first = bisect_left(changes, offsets.to_cp(lo16), key=lambda c: c.start)
    last = bisect_right(changes, offsets.to_cp(hi16), key=lambda c: c.start)
    return [(offsets.to_utf16(c.start), c) for c in changes[first:last]]


def tip_at(changes: list[Pending], position: int) -> str | None:
    """What the change at ``position`` (code points) would do, for a tooltip."""
    for change in changes:
        if change.start <= position < max(change.end, change.start + 1) or \
                (change.start == change.end and position == change.start - 1):
            return change_tip(change)
    return None
