"""Proofread Document and the changes it leaves pending (the model is
``engine.review.pending.Review``; this only keeps it in step with the editor and draws it).

The checked fixes run on the model's lane a few sentences of a paragraph at a time, the
paragraph on screen first, then on in reading order, so typing never waits behind a whole
document and the first changes show in a couple of seconds. Each piece is remembered by
text cursors (Qt moves them with the writer's edits); one the writer edited while it
waited, or while it was being checked, is checked again in its new form. Nothing in the
text changes until a change is accepted.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat
from PySide6.QtWidgets import QTextEdit

from engine.review.pending import Pending, Review, from_edits
from engine.text.offsets import OffsetMap
from engine.text.split import sentences, split_paragraphs
from engine.text.words import word_count
from engine.writing.proofread import Proofread
from gui.editor import Editor
from gui.hosts import ModelHost
from gui.lane import Lane


class _Scan:
    """Where Proofread Document is in the text: from the paragraph on screen to the end
    (of the selection), then from the start up to where it began. Three cursors Qt keeps in
    place through the writer's edits, whatever the length of the text; each paragraph is
    read when its turn comes, so one edited while it waited is checked as it is then."""

    def __init__(self, document: QTextDocument, lo: int, first: int, hi: int) -> None:
        self.document = document
        self.at = self._cursor(first, keep=True)
        self.stop = self._cursor(hi, keep=False)  # typing at the end stays inside
        self.wrap: tuple[QTextCursor, QTextCursor] | None = (
            self._cursor(lo, keep=True), self._cursor(first, keep=True)) if first > lo \
            else None

    def _cursor(self, position: int, keep: bool) -> QTextCursor:
        cursor = QTextCursor(self.document)
        cursor.setPosition(position)
        cursor.setKeepPositionOnInsert(keep)
        return cursor

    def next_paragraph(self) -> tuple[int, int] | None:
        """The next paragraph's span (UTF-16), or None when every one has had its turn."""
        while True:
            found = self._paragraph_from(self.at.position(), self.stop.position())
            if found is not None:
                self.at.setPosition(min(found[1] + 1, self.document.characterCount() - 1))
                return found
            if self.wrap is None:
                return None
            start, stop = self.wrap
            self.wrap = None
            self.at.setPosition(start.position())
            self.stop = stop

    def _paragraph_from(self, position: int, limit: int) -> tuple[int, int] | None:
        block = self.document.findBlock(position)
        while block.isValid() and block.position() < limit and not block.text().strip():
            block = block.next()  # blank lines between paragraphs
        if not block.isValid() or block.position() >= limit or position >= limit:
            return None
        last = block
        while (following := last.next()).isValid() and following.position() < limit and \
                following.text().strip():
            last = following
        start = max(block.position(), position)
        end = min(last.position() + last.length() - 1, limit)  # UTF-16, as positions are
        return (start, end) if end > start else None


class _Paragraph:
    """A piece of a paragraph being checked, between two cursors Qt keeps in place through
    the writer's edits: text typed at its start or its end is part of it."""

    def __init__(self, document: QTextDocument, start: int, end: int) -> None:
        self.last = False  # the paragraph's last piece
        self.start = QTextCursor(document)
        self.start.setPosition(start)
        self.start.setKeepPositionOnInsert(True)  # typing at the start stays inside
        self.end = QTextCursor(document)
        self.end.setPosition(end)

    def span(self) -> tuple[int, int]:
        return self.start.position(), max(self.start.position(), self.end.position())

    def text(self) -> str:
        start, end = self.span()
        cursor = QTextCursor(self.start.document())  # (a copy of ``start`` keeps its anchor,
        cursor.setPosition(start)  # which Qt moves on an insert even when the position stays)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")


class ReviewController(QObject):
    changed = Signal()  # the pending changes changed: views refresh themselves
    progress = Signal(int, int, float)  # paragraphs done, in all, seconds left (-1: unknown)
    finished = Signal(str)  # a line for the status bar
    message = Signal(str)

    def __init__(self, editor: Editor, lane: Lane[ModelHost] | None) -> None:
        super().__init__()
        self.editor = editor
        self.lane = lane
        self.review = Review("")
        self.tracking = False
        self.pieces: list[_Paragraph] = []  # the rest of the paragraph being checked
        self.in_flight: tuple[_Paragraph, str] | None = None
        self.scan: _Scan | None = None  # where the next paragraph is looked for
        self.cancel_event: threading.Event | None = None
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.chars_done = 0
        self.chars_total = 0
        self.deciding = False  # the review is making changes itself: not the writer's edits
        editor.pending_tip = self.tip_at

    # -- proofreading ----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.in_flight is not None or bool(self.pieces) or self.scan is not None

    def proofread_document(self) -> None:
        """Check every paragraph (of the selection, when there is one)."""
        if self.lane is None:
            self.message.emit("Proofreading needs the model's worker, which is not running.")
            return
        if self.running:
            self.message.emit("Proofreading is already running (Review → Cancel "
                              "Proofreading stops it).")
            return
        self._track()
        text = self.editor.toPlainText()
        offsets = OffsetMap(text)
        chosen = self.editor.textCursor()
        lo, hi = (chosen.selectionStart(), chosen.selectionEnd()) if chosen.hasSelection() \
            else (0, offsets.length16)
        parts = split_paragraphs(text[offsets.to_cp(lo):offsets.to_cp(hi)])
        if not parts:
            self.message.emit("There is nothing to proofread.")
            return
        top = self.editor.cursorForPosition(self.editor.viewport().rect().topLeft())
        first = min(max(top.block().position(), lo), hi)
        self.scan = _Scan(self.editor.document(), lo, first, hi)
        self.total, self.done = len(parts), 0
        self.chars_total = sum(len(part.text) for part in parts)
        self.chars_done = 0
        self.started = time.monotonic()
        self.cancel_event = threading.Event()
        self.progress.emit(0, self.total, -1.0)
        self._next()

    def cancel(self) -> None:
        """Stop; every change found so far stays pending."""
        if not self.running:
            return
        self.pieces, self.scan = [], None
        if self.cancel_event is not None:
            self.cancel_event.set()
        self.in_flight = None  # its answer, judged only in part, is not kept
        self.finished.emit(f"Proofreading cancelled: {len(self.review.changes)} change(s) "
                           "to review.")

    def _next(self) -> None:
        if self.in_flight is not None or self.lane is None:
            return
        while True:
            if self.pieces:
                piece = self.pieces.pop(0)
                text = piece.text()
                if text.strip():
                    break
                continue
            found = self.scan.next_paragraph() if self.scan is not None else None
            if found is None:
                self._finish()
                return
            start, end = found  # cut into a few sentences at a time when its turn comes
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            paragraph = cursor.selectedText().replace("\u2029", "\n")
            offsets = OffsetMap(paragraph)
            self.pieces = [_Paragraph(self.editor.document(), start + offsets.to_utf16(a),
                                      start + offsets.to_utf16(b)) for a, b in _pieces(paragraph)]
            self.pieces[-1].last = True
        self.in_flight = (piece, text)
        cancel = self.cancel_event or threading.Event()
        self.lane.run(lambda host, _ctx: host.proofread(text, cancel),
                      lambda result: self._checked(piece, text, result),
                      self._failed)

    def _checked(self, piece: _Paragraph, sent: str, result: object) -> None:
        if self.in_flight is None or self.in_flight[0] is not piece:
            return  # cancelled meanwhile
        self.in_flight = None
        if piece.text() != sent:  # edited while it was checked: again, as it is now
            self.pieces.insert(0, piece)
            self._next()
            return
        assert isinstance(result, Proofread)
        start = self._cp(piece.span()[0])
        found = [replace(c, start=c.start + start, end=c.end + start)
                 for c in from_edits(sent, result.edits)]
        if self.review.add(found):
            self._refresh()
        self.chars_done += len(sent)
        if piece.last:
            self.done = min(self.total, self.done + 1)
        elapsed = time.monotonic() - self.started
        left = elapsed / self.chars_done * max(0, self.chars_total - self.chars_done) \
            if self.chars_done else -1.0
        self.progress.emit(self.done, self.total, left)
        self._next()

    def _failed(self, message: str) -> None:
        if self.in_flight is None:
            return  # cancelled: the lane's wait was stopped, nothing failed
        self.in_flight = None
        self.pieces, self.scan = [], None
        self.finished.emit(f"Proofreading stopped: {message}")

    def _finish(self) -> None:
        self.cancel_event = None
        self.scan = None
        self.done = self.total
        self.progress.emit(self.total, self.total, 0.0)
        count = len(self.review.changes)
        self.finished.emit(f"Proofread {self.total} paragraph(s): {count} change(s) to "
                           "review." if count else
                           f"Proofread {self.total} paragraph(s): nothing to change.")

    def restore(self, data: dict[str, object]) -> None:
        """Changes to review that were kept with this text: by the recovery journal (after
        a crash), or as a Word file's tracked changes."""
        self._track()
        try:
            restored = Review.from_json(self.editor.toPlainText(), data)
        except (ValueError, TypeError, KeyError, AttributeError):
            self.message.emit("The changes to review kept in the recovery journal no longer "
                              "fit the text; they were left out.")
            return
        self.review = restored
        self._refresh()
        self.message.emit(f"{len(restored.changes)} change(s) to review: see the Review dock.")

    def state(self) -> dict[str, object] | None:
        """What the recovery journal keeps: the changes still to review (None: none)."""
        return self.review.to_json() if self.review.changes else None

    # -- keeping the review in step with the text ------------------------------------------

    def _track(self) -> None:
        if not self.tracking:
            self.review = Review(self.editor.toPlainText(), [],
                                 self.review.notes if self.review.changes else [])
            self.editor.document().contentsChange.connect(self._contents_change)
            self.tracking = True

    def _untrack(self) -> None:
        if self.tracking and not self.running and not self.review.changes:
            self.editor.document().contentsChange.disconnect(self._contents_change)
            self.tracking = False

    def _contents_change(self, position: int, removed: int, added: int) -> None:
        if self.deciding:
            return  # an accepted change: the review makes it itself
        old = OffsetMap(self.review.text)
        start, end = old.to_cp(position), old.to_cp(position + removed)
        now = self.editor.toPlainText()
        new_map = OffsetMap(now)
        inserted = now[new_map.to_cp(position):new_map.to_cp(position + added)]
        before = len(self.review.notes)
        dropped = self.review.edited(start, end, inserted)
        for note in self.review.notes[before:]:
            self.message.emit(note)
        if self.review.text != now:  # cannot happen; if it did, the anchors are lost
            self.review = Review(now, [], self.review.notes)
            self._refresh()
        elif dropped:  # the marks in the text are cursors Qt moved itself: only then
            self._refresh()

    def _cp(self, position16: int) -> int:
        return OffsetMap(self.review.text).to_cp(position16)

    # -- deciding --------------------------------------------------------------------------

    def span16(self, change: Pending) -> tuple[int, int]:
        offsets = OffsetMap(self.review.text)
        return offsets.to_utf16(change.start), offsets.to_utf16(change.end)

    def accept(self, change_id: int) -> None:
        """Make one change, as one undo step."""
        self.accept_all(ids={change_id})

    def reject(self, change_id: int) -> None:
        self.review.reject(change_id)
        self._refresh()

    def accept_all(self, source: str | None = None, ids: set[int] | None = None) -> int:
        """Every pending change (of ``source``, or the ``ids``), as one undo step."""
        chosen = [c for c in self.review.changes if (source is None or c.source == source)
                  and (ids is None or c.id in ids)]
        if not chosen:
            return 0
        cursor = self.editor.textCursor()
        self.deciding = True
        try:
            cursor.beginEditBlock()
            for change in reversed(chosen):  # from the end: earlier positions stay put
                start, end = self.span16(change)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(change.new)
            cursor.endEditBlock()
        finally:
            self.deciding = False
        for change in reversed(chosen):
            self.review.accept(change.id)
        if self.review.text != self.editor.toPlainText():
            self.review = Review(self.editor.toPlainText(), [], self.review.notes)
        self._refresh()
        return len(chosen)

    def reject_all(self, source: str | None = None) -> int:
        count = self.review.reject_all(source)
        self._refresh()
        return count

    # -- drawing ---------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._draw()
        self.changed.emit()
        self._untrack()

    def _draw(self) -> None:
        """Mark every pending change in the text. When changes only went away, the marks of
        the others are kept as they are (Qt has moved them with the text)."""
        shown = self.editor.extraSelections()
        wanted = {c.id for c in self.review.changes}
        kept = [s for s in shown if s.format.property(QTextFormat.Property.UserProperty)
                in wanted]
        if shown and len(kept) == len(wanted):
            if len(kept) != len(shown):
                self.editor.setExtraSelections(kept)
            return
        dark = self.editor.palette().color(self.editor.backgroundRole()).lightness() < 128
        struck = QTextCharFormat()
        struck.setFontStrikeOut(True)
        struck.setForeground(QColor("#ff7b72" if dark else "#c0392b"))
        struck.setBackground(QColor(255, 123, 114, 40))
        inserted = QTextCharFormat()
        inserted.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        inserted.setUnderlineColor(QColor("#7ee787" if dark else "#1e8449"))
        inserted.setBackground(QColor(46, 160, 67, 50))
        selections = []
        offsets = OffsetMap(self.review.text)
        document = self.editor.document()
        for change in self.review.changes:
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
        self.editor.setExtraSelections(selections)

    def tip_at(self, position16: int) -> str | None:
        """What the pending change under the mouse would do, for the editor's tooltip."""
        if not self.review.changes:
            return None
        position = self._cp(position16)
        for change in self.review.changes:
            if change.start <= position < max(change.end, change.start + 1) or \
                    (change.start == change.end and position == change.start - 1):
                return change_tip(change)
        return None


PIECE_SENTENCES = 3
PIECE_WORDS = 60


LONGEST_SENTENCE = 240  # words; a longer run without a full stop is checked in parts


def _pieces(paragraph: str) -> list[tuple[int, int]]:
    """A paragraph in pieces of up to three sentences (or 60 words): the first changes
    show within a couple of seconds, and an edit sends only its own piece again. A
    "sentence" of hundreds of words with no full stop is cut at spaces into 60-word
    parts, so no single piece holds the model for minutes."""
    spans: list[tuple[int, int]] = []
    for first, last in sentences(paragraph) or [(0, len(paragraph))]:
        spans += _cut(paragraph, first, last) if word_count(paragraph[first:last]) > \
            LONGEST_SENTENCE else [(first, last)]
    out: list[tuple[int, int]] = []
    start, count, words = spans[0][0], 0, 0
    for index, (first, last) in enumerate(spans):
        if count and (count >= PIECE_SENTENCES or
                      words + word_count(paragraph[first:last]) > PIECE_WORDS):
            out.append((start, spans[index - 1][1]))
            start, count, words = first, 0, 0
        count += 1
        words += word_count(paragraph[first:last])
    out.append((start, spans[-1][1]))
    return out


def _cut(text: str, first: int, last: int) -> list[tuple[int, int]]:
    """``text[first:last]`` in parts of about PIECE_WORDS words, cut after a space."""
    out, start, words = [], first, 0
    for found in _SPACES.finditer(text, first, last):
        words += 1  # a word ends at each run of spaces
        if words >= PIECE_WORDS:
            out.append((start, found.start()))
            start, words = found.end(), 0
    out.append((start, last))
    return [(a, b) for a, b in out if b > a]


_SPACES = re.compile(r"\s+")


def change_tip(change: Pending) -> str:
    import html

    old = html.escape(change.old.strip()) or "—"
    new = html.escape(change.new.strip()) or "(removed)"
    why = f"; the model finds it likelier by {change.gain:.1f}" if change.gain else ""
    return (f"<b>{old}</b> → <b>{new}</b><br><small>{html.escape(change.source)}"
            f"{why}</small>")
