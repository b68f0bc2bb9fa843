"""Pending changes as Word tracked changes, out and in.

Out: a ``.docx`` whose paragraphs are the text's (blank lines between them; a single
newline is a line break), each pending change a ``w:del`` of the old words and a ``w:ins``
of the new ones, by its author, dated, so Word and LibreOffice open it with the changes
still to accept. In: a ``.docx`` with tracked changes read back as a text (the words as
they were before the changes) and the changes pending on it, never merged silently.
python-docx builds and opens the package; the revision marks are its XML, which
python-docx has no API for.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Postfix, Prefix

from engine.documents.md_source import Piece, SourceBlock, source_blocks
from engine.documents.word import W, add_block, add_run, head, sniff
from engine.errors import DocumentError
from engine.review.pending import Pending, Review
from engine.text.split import PARAGRAPH_BREAK

AUTHOR = "Wordloom"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_REVISIONS = {"ins", "del", "moveFrom", "moveTo"}


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


@dataclass
class Tracked:
    """A Word file's text as it was before its tracked changes, and the changes."""

    text: str
    changes: list[Pending]
    authors: list[str]
    skipped: int = 0  # formatting changes (bold, styles): not shown as pending
    notes: list[str] = field(default_factory=list)  # changes inside changes, in words


def read_tracked_docx(path: Path) -> Tracked:
    """The paragraphs of a ``.docx`` with their tracked insertions and deletions as pending
    changes. A change inside another is read as Word shows it; a malformed file is refused
    in one line."""
    from lxml import etree

    sniff(path, head(path), "Word")
    try:
        with zipfile.ZipFile(path) as package:
            xml = package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DocumentError(f"{path}: not a readable Word file ({str(exc)[:120]})") from exc
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True,
                                                     huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"{path}: its text is not well-formed XML ({exc})") from exc
    body = root.find(W + "body")
    if body is None:
        raise DocumentError(f"{path}: has no document body")
    reader = _Reader(path)
    mark: tuple[str, str, str] | None = None  # the last paragraph's mark, if tracked
    for paragraph in body.iter(W + "p"):
        if reader.parts:
            reader.paragraph_break(mark)
        reader.paragraph(paragraph)
        mark = _mark(paragraph)
    reader.close_pair()
    return Tracked("".join(reader.parts), reader.changes, sorted(reader.authors),
                   reader.skipped, reader.notes)


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts: list[str] = []
        self.pos = 0
        self.changes: list[Pending] = []
        self.authors: set[str] = set()
        self.skipped = 0
        self.notes: list[str] = []  # changes inside changes, in words
        self.move = ""  # the move whose range is open (its name pairs its two halves)
        self.open: dict[str, Any] | None = None  # a deletion waiting for its insertion

    def paragraph_break(self, mark: tuple[str, str, str] | None) -> None:
        """The break between two paragraphs; a tracked one is a change like any other:
        an inserted mark split a paragraph, a deleted one joins two."""
        self.close_pair()
        if mark is None:
            self.parts.append("\n\n")
            self.pos += 2
            return
        kind, author, date = mark
        self.authors.add(author)
        if kind == "ins":
            self.changes.append(Pending(len(self.changes), self.pos, self.pos, "", "\n\n",
                                        f"word: {author}", author=author, date=date))
            return
        self.parts.append("\n\n")
        self.changes.append(Pending(len(self.changes), self.pos, self.pos + 2, "\n\n", "",
                                    f"word: {author}", author=author, date=date))
        self.pos += 2

    def paragraph(self, paragraph: Any) -> None:
        for child in paragraph:
            name = _local(child.tag)
            if name == "r":
                self.close_pair()
                self.text(child)
            elif name in ("ins", "moveTo"):
                self.revision(child, inserted=True)
            elif name in ("del", "moveFrom"):
                self.revision(child, inserted=False)
            elif name in ("moveFromRangeStart", "moveToRangeStart"):
                self.move = child.get(W + "name") or f"move {child.get(W + 'id', '')}"
            elif name in ("moveFromRangeEnd", "moveToRangeEnd"):
                self.move = ""
            elif name in ("hyperlink", "smartTag", "sdt", "fldSimple", "customXml"):
                for run in child.iter(W + "r"):
                    self.close_pair()
                    self.text(run)
            elif name in ("pPr",) and child.find(f".//{W}rPrChange") is not None:
                self.skipped += 1
        self.close_pair()

    def text(self, run: Any, keep: bool = True) -> str:
        """A run's words; ``keep``: they are the text's (not an insertion's)."""
        out = []
        for node in run:
            name = _local(node.tag)
            if name in ("t", "delText") and node.text:
                out.append(node.text)
            elif name == "tab":
                out.append("\t")
            elif name in ("br", "cr"):
                out.append("\n")
            elif name == "rPr" and node.find(W + "rPrChange") is not None:
                self.skipped += 1
            elif name in _REVISIONS:
                raise DocumentError(f"{self.path}: has a tracked change inside another "
                                    "one; accept or reject them in Word first")
        text = "".join(out)
        if keep:
            self.parts.append(text)
            self.pos += len(text)
        return text

    def revision(self, element: Any, inserted: bool) -> None:
        """An insertion or a deletion. A deletion inside an insertion (a second reviewer
        took back part of the first one's words), or an insertion inside a deletion,
        leaves its words in neither the text before the changes nor after them: it is
        noted, and the outer change keeps the rest."""
        author = element.get(W + "author") or "someone"
        date = element.get(W + "date") or ""
        pair = (self.move or "move") if _local(element.tag) in ("moveFrom", "moveTo") else ""
        self.authors.add(author)
        runs = []
        for child in element:
            name = _local(child.tag)
            if name == "r":
                runs.append(child)
            elif name in _REVISIONS:
                inner = " ".join(self.text(r, keep=False) for r in child.iter(W + "r"))
                other = child.get(W + "author") or "someone"
                self.authors.add(other)
                verb = "deleted" if name in ("del", "moveFrom") else "inserted"
                self.notes.append(f"{other} {verb} “{inner.strip()}” inside {author}'s "
                                  f"{'insertion' if inserted else 'deletion'}")
        if inserted:
            words = "".join(self.text(r, keep=False) for r in runs)
            if not words:
                return
            if self.open is not None and self.open["author"] == author and \
                    self.open["pair"] == pair == "":
                self.open["new"] += words
                self.close_pair()
                return
            self.close_pair()
            last = self.changes[-1] if self.changes else None
            if last is not None and not last.old and last.start == self.pos and \
                    last.author == author and last.new != "\n\n" and last.pair == pair:
                self.changes[-1] = replace(last, new=last.new + words)  # one insertion
                return
            self.changes.append(Pending(len(self.changes), self.pos, self.pos, "", words,
                                        f"word: {author}", author=author, date=date,
                                        pair=pair))
            return
        start = self.pos
        words = "".join(self.text(r) for r in runs)  # a deletion's words are the text's
        if not words:
            return
        if self.open is not None and self.open["end"] == start and \
                self.open["author"] == author and not self.open["new"] and \
                self.open["pair"] == pair:
            self.open["old"] += words
            self.open["end"] = self.pos
            return
        self.close_pair()
        self.open = {"start": start, "end": self.pos, "old": words, "new": "",
                     "author": author, "date": date, "pair": pair}

    def close_pair(self) -> None:
        if self.open is None:
            return
        found, self.open = self.open, None
        self.changes.append(Pending(len(self.changes), found["start"], found["end"],
                                    found["old"], found["new"], f"word: {found['author']}",
                                    author=found["author"], date=found["date"],
                                    pair=found.get("pair", "")))


def _mark(paragraph: Any) -> tuple[str, str, str] | None:
    """("ins" or "del", author, date) when the paragraph's mark is a tracked change."""
    props = paragraph.find(W + "pPr")
    look = props.find(W + "rPr") if props is not None else None
    if look is None:
        return None
    for kind in ("ins", "del"):
        found = look.find(W + kind)
        if found is not None:
            return kind, found.get(W + "author") or "someone", found.get(W + "date") or ""
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
