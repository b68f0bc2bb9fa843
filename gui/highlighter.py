"""Wavy underlines for grammar and style issues.

Spans are computed once per result and cached by block text, so ``highlightBlock`` is a
dictionary lookup; a block whose text changed since the check shows no stale underline.
Results arrive from the worker; only blocks whose spans changed are re-highlighted, a
slice at a time, so a 20,000-word document never stalls the window.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from engine.grammar.checker import Issue
from engine.text.offsets import utf16_len

COLORS = {
    "spelling": "#e03131", "grammar": "#1c7ed6", "style": "#9c36b5",
    "punctuation": "#e8590c", "typography": "#e8590c", "repetition": "#f08c00",
    "capitalization": "#e03131",
}
Span = tuple[int, int, str]  # start and length in UTF-16 units within the block, category
SLICE = 60


class IssueHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.formats: dict[str, QTextCharFormat] = {}
        for category, color in COLORS.items():
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(color))
            self.formats[category] = fmt
        self.by_text: dict[str, list[Span]] = {}
        self._queue: list[int] = []
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._drain)

    def highlightBlock(self, text: str) -> None:
        for start, length, category in self.by_text.get(text, ()):
            self.setFormat(start, length, self.formats.get(category, self.formats["grammar"]))

    def apply(self, issues: list[Issue], checked_text: str) -> None:
        """Show ``issues`` found in ``checked_text`` (the document's text at check time:
        its lines are the document's blocks, so only blocks whose underlines changed are
        queued for repainting)."""
        lines = checked_text.split("\n")
        starts = _block_starts16(lines)
        spans: dict[int, list[Span]] = defaultdict(list)
        for issue in issues:
            index = _block_of(starts, issue.start16)
            offset = issue.start16 - starts[index]
            length = max(1, issue.end16 - issue.start16)
            spans[index].append((offset, length, issue.category))
        fresh: dict[str, list[Span]] = {}
        for index, block_spans in spans.items():
            if index < len(lines):
                fresh[lines[index]] = block_spans
        changed = {t for t in set(fresh) | set(self.by_text)
                   if fresh.get(t) != self.by_text.get(t)}
        self.by_text = fresh
        if not changed:
            return
        if self.document().blockCount() == len(lines):
            todo = [number for number, line in enumerate(lines) if line in changed]
        else:  # the text moved on meanwhile: find the blocks by their text
            todo, block = [], self.document().begin()
            while block.isValid():
                if block.text() in changed:
                    todo.append(block.blockNumber())
                block = block.next()
        self._queue.extend(todo)
        self._timer.start()

    def _drain(self) -> None:
        document = self.document()
        batch, self._queue = self._queue[:SLICE], self._queue[SLICE:]
        for number in batch:
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)
        if not self._queue:
            self._timer.stop()


def _block_starts16(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += utf16_len(line) + 1
    return starts


def _block_of(starts: list[int], position: int) -> int:
    return max(0, bisect_right(starts, position) - 1)
