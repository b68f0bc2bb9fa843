"""A Word file's tracked changes read as a text and the changes pending on it.

The text is the words as they were before the changes; each insertion, deletion or
replacement is a ``Pending`` change with its author and date, never merged silently. A
change inside another (an insertion partly deleted by a second reviewer) is read as Word
shows it, a paragraph mark inserted or deleted is a change (a split, a join), a move's
two halves share its name, and insertions side by side by one author are one change.
``engine/documents/tracked.py`` writes such changes out.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from engine.documents.word import W, head, sniff
from engine.errors import DocumentError
from engine.review.pending import Pending

_REVISIONS = {"ins", "del", "moveFrom", "moveTo"}


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
