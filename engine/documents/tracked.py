"""Pending changes written as Word tracked changes.

A ``.docx`` whose paragraphs are the text's (blank lines between them; a single newline
is a line break), each pending change a ``w:del`` of the old words and a ``w:ins`` of the
new ones, by its author, dated, so Word and LibreOffice open it with the changes still to
accept (``engine/documents/tracked_reader.py`` reads such a file back). python-docx builds
the package; the revision marks are its XML, which python-docx has no API for.
"""

from __future__ import annotations

import datetime as dt
import io
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Postfix, Prefix

from engine.documents.md_source import Piece, SourceBlock, source_blocks
from engine.documents.word import W, add_block, add_run
from engine.errors import DocumentError
from engine.review.pending import Pending, Review
from engine.text.split import PARAGRAPH_BREAK

AUTHOR = "Wordloom"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def write_tracked_docx(path: Path, text: str, changes: Sequence[Pending],
                       when: dt.datetime | None = None, markdown: bool = False) -> int:
    """Write ``text`` with ``changes`` as tracked changes; returns how many revisions were
    written: a replacement is two (a deletion and an insertion side by side, as Word
    itself records a replaced word), an insertion or a deletion one. ``markdown``: the
    text is Markdown, written with real headings, lists, quotes and emphasis as the
    exporter writes them, when every change lies inside words the document shows (else,
    and for plain text, its paragraphs as they are)."""
    import docx

    review = Review(text, list(changes))  # checks that every change fits the text
    stamp = (when or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    date = stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = docx.Document()
    body = document.element.body
    for existing in [e for e in body if e.tag == W + "p"]:  # the template's empty one
        body.remove(existing)
    marks = _Marks(date)
    styled = _placed(text, review.changes) if markdown else None
    if styled is not None:
        _write_styled(document, text, styled, marks)
    else:
        _write_plain(path, document, text, review.changes, marks)
    try:
        buffer = io.BytesIO()
        document.save(buffer)
        from engine.fsutil import atomic_write_bytes

        atomic_write_bytes(path, buffer.getvalue())
    except OSError as exc:
        raise DocumentError(f"{path}: cannot write it ({exc.strerror})") from exc
    return sum(bool(c.old) + bool(c.new) for c in review.changes)


class _Marks:
    """Revision marks, numbered in order, with a change's author and date (or ours)."""

    def __init__(self, date: str) -> None:
        self.date = date
        self.counter = iter(range(1, 1 << 30))

    def mark(self, tag: str, change: Pending) -> Any:
        return _element(tag, id=next(self.counter), author=change.author or AUTHOR,
                        date=change.date or self.date)


def _write_plain(path: Path, document: Any, text: str, changes: list[Pending],
                 marks: _Marks) -> None:
    body = document.element.body
    anchor = body[-1] if len(body) and body[-1].tag == W + "sectPr" else None
    index = 0  # the changes are in order, and so are the paragraphs: one pass over both
    for start, end in _paragraph_spans(text):
        inside = []
        while index < len(changes) and changes[index].start <= end:
            change = changes[index]
            if change.end > end and change.start == end:
                break  # it starts the next paragraph's stretch
            if change.end > end or (change.start < start < change.end):
                raise DocumentError(f"{path}: a change crosses a paragraph break "
                                    f"(“{change.old[:40]}”); it cannot be tracked in Word")
            if change.start >= start:
                inside.append(change)
            index += 1
        paragraph = _element("p")
        pos = start
        for change in inside:
            _runs(paragraph, text[pos:change.start])
            if change.old:
                deletion = marks.mark("del", change)
                _runs(deletion, change.old, deleted=True)
                paragraph.append(deletion)
            if change.new:
                insertion = marks.mark("ins", change)
                _runs(insertion, change.new)
                paragraph.append(insertion)
            pos = change.end
        _runs(paragraph, text[pos:end])
        if anchor is not None:
            anchor.addprevious(paragraph)
        else:
            body.append(paragraph)


Placed = list[tuple[SourceBlock, list[tuple[Piece, list[Pending]]]]]


def _placed(text: str, changes: list[Pending]) -> Placed | None:
    """Each Markdown block's pieces with the changes inside them; None when the source
    cannot be followed or a change touches a mark (``#``, ``**``) or a table."""
    blocks = source_blocks(text)
    if blocks is None:
        return None
    spans = [p for b in blocks for p in b.pieces if p.literal]
    starts = [p.start for p in spans]
    left = [c if _fits(c, spans, starts) else _trimmed(c) for c in changes]
    out: Placed = []
    index = 0  # the changes are in order, and so are the pieces: one pass over both
    for block in blocks:
        pieces = []
        for piece in block.pieces:
            inside = []
            while piece.literal and index < len(left) and \
                    piece.start <= left[index].start and left[index].end <= piece.end:
                inside.append(left[index])
                index += 1
            pieces.append((piece, inside))
        out.append((block, pieces))
    return None if index < len(left) else out


def _fits(change: Pending, pieces: list[Piece], starts: list[int]) -> bool:
    """Whether ``change`` lies inside one of the ``pieces`` (in order; ``starts``: theirs)."""
    at = bisect_right(starts, change.start) - 1
    return at >= 0 and change.end <= pieces[at].end


def _trimmed(change: Pending) -> Pending:
    """``change`` without the whole words it leaves as they are at either end (a checker
    that rewrites a heading's line, its ``#`` too, to capitalize a word)."""
    old, new = change.old, change.new
    head = Prefix.similarity(old, new)
    while head and not old[head - 1].isspace():  # back to the end of a word
        head -= 1
    tail = Postfix.similarity(old[head:], new[head:])
    while tail and not old[len(old) - tail].isspace():
        tail -= 1
    trimmed = replace(change, start=change.start + head, end=change.end - tail,
                      old=old[head:len(old) - tail], new=new[head:len(new) - tail])
    same_kind = bool(trimmed.old) == bool(old) and bool(trimmed.new) == bool(new)
    return trimmed if same_kind else change


def _write_styled(document: Any, text: str, placed: Placed, marks: _Marks) -> None:
    styles: dict[str, Any] = {}
    for block, pieces in placed:
        paragraph = add_block(document, block.block, styles)
        if paragraph is None:
            continue
        for piece, inside in pieces:
            look, pos = piece.run, piece.start
            if not piece.literal:
                add_run(paragraph, look)
                continue
            for change in inside:
                if pos < change.start:
                    add_run(paragraph, replace(look, text=text[pos:change.start]))
                for tag, words in (("del", change.old), ("ins", change.new)):
                    if words:
                        revision = marks.mark(tag, change)
                        paragraph._p.append(revision)
                        run = add_run(paragraph, replace(look, text=words))._r
                        revision.append(run)  # moved into the mark
                        for node in list(run.iter(W + "t")) if tag == "del" else []:
                            node.tag = W + "delText"
                pos = change.end
            if pos < piece.end:
                add_run(paragraph, replace(look, text=text[pos:piece.end]))


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Where each paragraph is (blank lines between paragraphs; none dropped)."""
    spans, pos = [], 0
    for found in PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, found.start()))
        pos = found.end()
    spans.append((pos, len(text.rstrip("\n")) if pos <= len(text.rstrip("\n")) else pos))
    return spans


def _element(tag: str, **attributes: object) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(f"w:{tag}")
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def _runs(parent: Any, text: str, deleted: bool = False) -> None:
    """Runs for ``text``: tabs and line breaks as Word's own elements."""
    if not text:
        return
    run = _element("r")
    buffer = ""

    def flush() -> None:
        nonlocal buffer
        if buffer:
            node = _element("delText" if deleted else "t")
            node.set(XML_SPACE, "preserve")
            node.text = buffer
            run.append(node)
            buffer = ""

    for char in text:
        if char in "\t\n":
            flush()
            run.append(_element("tab" if char == "\t" else "br"))
        else:
            buffer += char
    flush()
    parent.append(run)
