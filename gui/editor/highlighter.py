"""Wavy underlines for grammar and style issues, over Markdown styling.

Spans are computed once per result and cached by block text, so ``highlightBlock`` is a
dictionary lookup; a block whose text changed since the check shows no stale underline.
Results arrive from the worker; only blocks whose spans changed are re-highlighted, a
few milliseconds at a time, so a 20,000-word document never stalls the window.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from engine.grammar.issues import Issue, Span, line_spans
from engine.text.offsets import utf16_len

COLORS = {
    "spelling": "#e03131", "grammar": "#1c7ed6", "style": "#9c36b5",
    "punctuation": "#e8590c", "typography": "#e8590c", "repetition": "#f08c00",
    "capitalization": "#e03131",
}
SLICE_S = 0.008  # queued blocks are repainted in turns of this long


_HEADING = re.compile(r"^(#{1,6})\s")
_QUOTE = re.compile(r"^\s{0,3}>")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_INLINE = [  # (pattern, style); later ones win where they overlap
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), "bold"),
    (re.compile(r"(?<![*\w])([*_])(?=\S)(.+?)(?<=\S)\1(?![*\w])"), "italic"),
    (re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)|<https?://[^>\n]+>"), "link"),
    (re.compile(r"`+[^`\n]*`+"), "code"),
    (re.compile(r"\[\^[^\]\s]+\]:?"), "marker"),  # a footnote's mark, or where it starts
]
IN_FENCE = 1  # block state: inside a fenced code block
_MARKS = re.compile(r"[*_`\[<]")


def _markdown_formats() -> dict[str, QTextCharFormat]:
    formats = {name: QTextCharFormat() for name in
               ("heading", "quote", "marker", "code", "bold", "italic", "link")}
    formats["heading"].setFontWeight(QFont.Weight.Bold)
    formats["heading"].setForeground(QColor("#1864ab"))
    formats["quote"].setFontItalic(True)
    formats["quote"].setForeground(QColor("#5c636a"))
    formats["marker"].setForeground(QColor("#c2255c"))
    formats["marker"].setFontWeight(QFont.Weight.Bold)
    formats["code"].setFontFamilies(["monospace"])
    formats["code"].setForeground(QColor("#2b8a3e"))
    formats["bold"].setFontWeight(QFont.Weight.Bold)
    formats["italic"].setFontItalic(True)
    formats["link"].setForeground(QColor("#1c7ed6"))
    return formats


class IssueHighlighter(QSyntaxHighlighter):
    """Grammar underlines, over Markdown styling when the document is Markdown."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.markdown = True  # a new document is Markdown; a .txt file turns this off
        self.md_formats = _markdown_formats()
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

    def set_markdown(self, on: bool) -> None:
        if on != self.markdown:
            self.markdown = on
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if self.markdown:
            self._markdown(text)
        for start, length, category in self.by_text.get(text, ()):
            underline = self.formats.get(category, self.formats["grammar"])
            if self.markdown:  # keep the Markdown look under the underline
                merged = QTextCharFormat(self.format(start))
                merged.merge(underline)
                underline = merged
            self.setFormat(start, length, underline)

    def _markdown(self, text: str) -> None:
        """Headings, quotes, list markers, code and emphasis; offsets in UTF-16 units."""
        inside = self.previousBlockState() == IN_FENCE
        marks = _MARKS.search(text)
        if not inside and (not text or (text[0] not in "#>`~ \t-+*0123456789" and
                                        not marks)):
            self.setCurrentBlockState(0)
            return  # nothing Markdown in it (a blank line inside a fence stays code)
        fence = _FENCE.match(text)
        self.setCurrentBlockState(IN_FENCE if inside != bool(fence) else 0)
        whole = utf16_len(text)
        if inside or fence:
            self.setFormat(0, whole, self.md_formats["code"])
            return
        if _HEADING.match(text):
            self.setFormat(0, whole, self.md_formats["heading"])
            return
        if _QUOTE.match(text):
            self.setFormat(0, whole, self.md_formats["quote"])
        marker = _LIST.match(text)
        if marker:
            self.setFormat(0, utf16_len(marker.group(0)), self.md_formats["marker"])
        if not marks:
            return  # plain prose: most lines
        if text.isascii():
            def at(i: int) -> int:
                return i
        else:
            def at(i: int) -> int:
                return utf16_len(text[:i])
        for pattern, style in _INLINE:
            for found in pattern.finditer(text):
                start, end = at(found.start()), at(found.end())
                merged = QTextCharFormat(self.format(start))
                merged.merge(self.md_formats[style])
                self.setFormat(start, end - start, merged)

    def apply(self, issues: list[Issue], checked_text: str,
              lines: dict[str, list[Span]] | None = None) -> None:
        """Show ``issues`` found in ``checked_text`` (the document's text at check time:
        its lines are the document's blocks, so only blocks whose underlines changed are
        queued for repainting). ``lines``: the same issues as ``line_spans`` gives them,
        when the checker's thread has worked them out already."""
        fresh = line_spans(checked_text, issues) if lines is None else lines
        changed = {t for t in fresh.keys() | self.by_text.keys()
                   if fresh.get(t) != self.by_text.get(t)}
        self.by_text = fresh
        if not changed:
            return
        texts = checked_text.split("\n")
        if self.document().blockCount() == len(texts):
            todo = [number for number, line in enumerate(texts) if line in changed]
        else:  # the text moved on meanwhile: find the blocks by their text
            todo, block = [], self.document().begin()
            while block.isValid():
                if block.text() in changed:
                    todo.append(block.blockNumber())
                block = block.next()
        self._queue.extend(todo)
        self._drain()  # at once: an edit's few blocks are underlined without a loop turn

    def _drain(self) -> None:
        """Repaint queued blocks for a few milliseconds, then let the window breathe."""
        document = self.document()
        deadline = time.perf_counter() + SLICE_S
        done = 0
        for number in self._queue:
            block = document.findBlockByNumber(number)
            if block.isValid():
                self.rehighlightBlock(block)
            done += 1
            if time.perf_counter() > deadline:
                break
        del self._queue[:done]
        if not self._queue:
            self._timer.stop()
        elif not self._timer.isActive():
            self._timer.start()
