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

import threading
import time
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor

from engine.review.carry import carry
from engine.review.estimate import Estimate
from engine.review.pending import Pending, Review, from_edits
from engine.text.offsets import OffsetMap
from engine.text.split import split_paragraphs
from engine.writing.proofread import Proofread
from gui.editor.editor import Editor
from gui.review import marks as review_marks
from gui.review import restore as review_restore
from gui.review import undo as review_undo
from gui.review.handover import ReviewHandover
from gui.review.scan import Fences, Piece, Scan, pieces
from gui.review.undo import Decision, Decisions
from gui.window.hosts import ModelHost
from gui.window.lane import Lane


class ReviewController(QObject, ReviewHandover):
    changed = Signal()  # the pending changes changed: views refresh themselves
    progress = Signal(int, int, float)  # paragraphs done, in all, seconds left (-1: unknown)
    finished = Signal(str)  # a line for the status bar
    message = Signal(str)
    restored = Signal(int)  # an undo made this change pending again: show it

    def __init__(self, editor: Editor, lane: Lane[ModelHost] | None) -> None:
        super().__init__()
        self.editor = editor
        self.lane = lane
        self.review = Review("")
        self.tracking = False
        self.pieces: list[Piece] = []  # the rest of the paragraph being checked
        self.in_flight: tuple[Piece, str] | None = None
        self.scan: Scan | None = None  # where the next paragraph is looked for
        self.fences = Fences(editor.document(), "")  # code blocks, left as they are
        self.cancel_event: threading.Event | None = None
        self.total = 0
        self.done = 0
        self.chars_done = 0
        self.chars_total = 0
        self.deciding = False  # the review is making changes itself: not the writer's edits
        self.decisions = Decisions()  # accepts and rejects, for the editor's Undo
        self._offsets = ("", OffsetMap(""))
        editor.pending_tip = self.tip_at
        editor.decision_undo = self.undo
        editor.decision_redo = self.redo

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
        self.scan = Scan(self.editor.document(), lo, first, hi)
        self.fences = Fences(self.editor.document(), text)
        self.total, self.done = len(parts), 0
        self.chars_total = sum(len(part.text) for part in parts)
        self.chars_done = 0
        self.pieces_done = 0
        self.estimate = Estimate()
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
                if text.strip() and not self.fences.covers(*piece.span()):
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
            self.pieces = [Piece(self.editor.document(), start + offsets.to_utf16(a),
                                      start + offsets.to_utf16(b)) for a, b in pieces(paragraph)]
            self.pieces[-1].last = True
        self.in_flight = (piece, text)
        self.sent_at = time.monotonic()
        cancel = self.cancel_event or threading.Event()
        self.lane.run(lambda host, _ctx: host.proofread(text, cancel),
                      lambda result: self._checked(piece, text, result),
                      self._failed)

    def _checked(self, piece: Piece, sent: str, result: object) -> None:
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
        offsets = self.offsets()  # nothing in code
        found = [c for c in found if not self.fences.touches(offsets.to_utf16(c.start),
                                                             offsets.to_utf16(c.end))]
        if self.review.add(found):
            self._refresh()
        self.chars_done += len(sent)
        self.pieces_done += 1
        self.estimate.add(len(sent), time.monotonic() - self.sent_at)
        if piece.last:
            self.done = min(self.total, self.done + 1)
        per_paragraph = self.pieces_done / max(1, self.done)
        left = self.estimate.seconds_left(max(0, self.chars_total - self.chars_done),
                                          per_paragraph * (self.total - self.done))
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

    # -- keeping the review in step with the text ------------------------------------------

    def _track(self) -> None:
        if not self.tracking:
            self.review = Review(self.editor.toPlainText(), [],
                                 self.review.notes if self.review.changes else [])
            self.editor.document().contentsChange.connect(self._contents_change)
            self.tracking = True

    def _untrack(self) -> None:
        if self.tracking and not self.running and not self.review.changes and \
                not self.decisions:
            self.editor.document().contentsChange.disconnect(self._contents_change)
            self.tracking = False

    def _contents_change(self, position: int, removed: int, added: int) -> None:
        if self.deciding:
            return  # an accepted change: the review makes it itself
        document = self.editor.document()
        old = self.offsets()
        if removed == added:  # formats only (an undone decision's mark)? (Qt counts the
            # last paragraph's end, which is no character, in a change of its format)
            last = min(position + added, old.length16, document.characterCount() - 1)
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
            if cursor.selectedText().replace("\u2029", "\n") == \
                    self.review.text[old.to_cp(position):old.to_cp(last)]:
                return  # no words changed
        start, end = old.to_cp(position), old.to_cp(position + removed)
        cursor = QTextCursor(document)  # only the new words, not the text
        cursor.setPosition(position)
        cursor.setPosition(position + added, QTextCursor.MoveMode.KeepAnchor)
        inserted = cursor.selectedText().replace("\u2029", "\n")
        self.decisions.forget_past(document)  # decisions undone, or a new text
        before = len(self.review.notes)
        dropped = self.review.edited(start, end, inserted)
        for note in self.review.notes[before:]:
            self.message.emit(note)
        if old.length16 - removed + added != self.editor.document().characterCount() - 1:
            # out of step (cannot happen): the anchors are lost, start again from the text
            self.review = Review(self.editor.toPlainText(), [], self.review.notes)
            self._refresh()
        elif dropped:  # the marks in the text are cursors Qt moved itself: only then
            self._refresh()

    def _cp(self, position16: int) -> int:
        return self.offsets().to_cp(position16)

    def offsets(self) -> OffsetMap:
        """The review text's offset map, made again only when the text changed."""
        if self._offsets[0] is not self.review.text:
            self._offsets = (self.review.text, OffsetMap(self.review.text))
        return self._offsets[1]

    # -- deciding --------------------------------------------------------------------------

    def span16(self, change: Pending) -> tuple[int, int]:
        offsets = self.offsets()
        return offsets.to_utf16(change.start), offsets.to_utf16(change.end)

    def accept(self, change_id: int) -> None:
        """Make one change (both halves of a move), as one undo step."""
        self.accept_all(ids=self.review.paired({change_id}))

    def reject(self, change_id: int) -> None:
        """Leave one change out (both halves of a move), as one undo step."""
        self._rejected([self.review.reject(i) for i in sorted(self.review.paired({change_id}))])

    def accept_all(self, source: str | None = None, ids: set[int] | None = None) -> int:
        """Every pending change (of ``source``, or the ``ids``), as one undo step."""
        chosen = [c for c in self.review.changes if (source is None or c.source == source)
                  and (ids is None or c.id in ids)]
        if not chosen:
            return 0
        cursor = self.editor.textCursor()
        offsets = self.offsets()
        self.deciding = True
        try:
            cursor.beginEditBlock()
            for change in reversed(chosen):  # from the end: earlier positions stay put
                start, end = offsets.to_utf16(change.start), offsets.to_utf16(change.end)
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                cursor.insertText(change.new)
            review_undo.mark(self.editor.document(), cursor.position())
            cursor.endEditBlock()
        finally:
            self.deciding = False
        ahead = self.review.ahead(c.id for c in chosen)
        self.review.accept_many(c.id for c in chosen)
        self.decided(Decision(True, tuple(chosen), 0, 0, ahead))
        return len(chosen)

    def fit(self, text: str) -> list[Pending]:
        """The changes still to review that would stay if the document became ``text``."""
        return carry(self.review.text, self.review.changes, text)

    def replace_text(self, text: str) -> int:
        """The document becomes ``text`` (a version put back) as one undo step: see
        ``gui.review.restore``. Returns how many changes were set aside."""
        if self.running:
            self.cancel()
        return review_restore.replace_text(self, text)

    def reject_all(self, source: str | None = None) -> int:
        """Leave out every pending change (of ``source``), as one undo step."""
        chosen = [c for c in self.review.changes if source is None or c.source == source]
        self.review.reject_all(source)
        if chosen:
            self._rejected(chosen)
        return len(chosen)

    def _rejected(self, changes: list[Pending]) -> None:
        self.deciding = True  # the mark changes no words
        try:
            review_undo.mark(self.editor.document(), self.span16(changes[0])[0])
        finally:
            self.deciding = False
        self.decided(Decision(False, tuple(changes), 0, 0))

    def decided(self, decision: Decision) -> None:
        self.decisions.made(decision, self.editor.document(), self.review.text)
        self._settle(-1)

    # -- taking decisions back -------------------------------------------------------------

    def undo(self) -> bool:
        """The editor's Undo: when an accept or reject is the document's last step, take
        it back and make its changes pending again. False: the step is the writer's own."""
        return self._take_back(undo=True)

    def redo(self) -> bool:
        """The editor's Redo: make an undone accept or reject again."""
        return self._take_back(undo=False)

    def _take_back(self, undo: bool) -> bool:
        document = self.editor.document()
        decision = self.decisions.next(undo, document, self.review.text)
        if decision is None:
            return False
        self.deciding = True
        try:
            document.undo() if undo else document.redo()
        finally:
            self.deciding = False
        ids = {c.id for c in decision.changes}
        if decision.swap is not None:  # a new text: each side's changes, exactly
            self.review = Review(self.editor.toPlainText(),
                                 list(decision.swap[0 if undo else 1]), self.review.notes)
        elif undo and decision.accepted:
            self.review.unaccept(decision.changes, decision.ahead)
        elif undo:
            self.review.reinstate(decision.changes)
        elif decision.accepted:
            self.review.accept_many(ids)
        else:
            self.review.changes = [c for c in self.review.changes if c.id not in ids]
        self.decisions.went(undo, decision, document, self.review.text)
        self._settle(decision.changes[0].id if undo and decision.changes else -1)
        return True

    def _settle(self, change_id: int) -> None:
        """Draw the review after a decision or its undoing; ``change_id``: a change that
        is pending again, to show."""
        if self.review.text != self.editor.toPlainText():  # out of step (cannot happen)
            self.review = Review(self.editor.toPlainText(), [], self.review.notes)
            self.decisions.clear()
        self._refresh()
        if change_id >= 0:
            self.restored.emit(change_id)

    # -- drawing ---------------------------------------------------------------------------

    def _refresh(self) -> None:
        self._draw()
        self.changed.emit()
        self._untrack()

    def _draw(self) -> None:
        review_marks.draw(self.editor, self.review.text, self.review.changes)

    def visible(self, lo16: int, hi16: int) -> list[tuple[int, Pending]]:
        """The pending changes that start between two positions (UTF-16), with their
        starts, for the margin that shows their new words."""
        return review_marks.starting_between(self.review.changes, self.offsets(), lo16, hi16)

    def tip_at(self, position16: int) -> str | None:
        """What the pending change under the mouse would do, for the editor's tooltip."""
        return review_marks.tip_at(self.review.changes, self._cp(position16)) \
            if self.review.changes else None
