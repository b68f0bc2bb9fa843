"""Where Proofread Document is in the text, and the pieces it sends to the model's lane
(gui.review.controller): positions are QTextCursors, which Qt keeps in place through the
writer's edits."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCursor, QTextDocument

from engine.text.markdown_mask import fenced_spans
from engine.text.offsets import OffsetMap
from engine.text.split import sentences
from engine.text.words import word_count


class Scan:
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


class Fences:
    """The text's fenced code blocks (```), between cursors Qt keeps in place through the
    writer's edits: Proofread Document changes nothing inside them."""

    def __init__(self, document: QTextDocument, text: str) -> None:
        offsets = OffsetMap(text)
        self.spans: list[tuple[QTextCursor, QTextCursor]] = []
        for lo, hi in fenced_spans(text):
            ends = QTextCursor(document), QTextCursor(document)
            ends[0].setPosition(offsets.to_utf16(lo))
            ends[1].setPosition(offsets.to_utf16(hi))
            self.spans.append(ends)

    def covers(self, start: int, end: int) -> bool:
        """Whether a stretch (UTF-16) lies inside a code block."""
        return any(lo.position() <= start and end <= hi.position() for lo, hi in self.spans)

    def touches(self, start: int, end: int) -> bool:
        return any(lo.position() <= start < hi.position() or
                   (lo.position() < end and start < hi.position()) for lo, hi in self.spans)


class Piece:
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


PIECE_SENTENCES = 3
PIECE_WORDS = 60


LONGEST_SENTENCE = 240  # words; a longer run without a full stop is checked in parts


def pieces(paragraph: str) -> list[tuple[int, int]]:
    """A paragraph in pieces of up to three sentences (or 60 words): the first changes
    show within a couple of seconds, and an edit sends only its own piece again. A
    "sentence" of hundreds of words with no full stop is cut at spaces into 60-word
    parts, so no single piece holds the model for minutes."""
    spans: list[tuple[int, int]] = []
    for first, last in sentences(paragraph) or [(0, len(paragraph))]:
        spans += cut(paragraph, first, last) if word_count(paragraph[first:last]) > \
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


def cut(text: str, first: int, last: int) -> list[tuple[int, int]]:
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
