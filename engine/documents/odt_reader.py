"""OpenDocument text (.odt) read into blocks, with lxml.

odfpy printed a part's whole XML when its parser failed, and refused some valid files
("'Text' object has no attribute 'getAttrNS'"); the XML is read here as the tracked Word
reader reads Word's. Every word of the text comes across: spans, links, fields, notes (as
Markdown footnotes), text boxes and shapes (after their paragraph), pictures (their
descriptions, their files kept), sections, indexes and sub/superscript.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from engine.documents.blocks import Block, Run, append_run, whole_word_code
from engine.documents.docx_inline import SUB, SUB_KEYS, SUPER, SUPER_KEYS
from engine.documents.opendocument import (
    CODE,
    DRAW,
    FO,
    OFFICE,
    QUOTE,
    STYLE,
    SVG,
    TABLE,
    TEXT,
    XLINK,
)
from engine.documents.word import head, sniff
from engine.errors import DocumentError

HOLDERS = {f"{{{TEXT}}}{tag}" for tag in (
    "list-item", "list-header", "section", "index-body", "index-title", "table-of-content",
    "alphabetical-index", "illustration-index", "table-index", "user-index",
    "bibliography")}
SCRIPTS = {"super": ("".join(sorted(SUPER_KEYS)), SUPER),
           "sub": ("".join(sorted(SUB_KEYS)), SUB)}


def read_odt(path: Path) -> tuple[list[Block], Counter[str], dict[str, bytes]]:
    """The text as blocks, what could not come across (counted), and the pictures' files
    by the name the Markdown links them as. The XML is read with lxml (odfpy printed a
    part's whole XML when its parser failed, and refused some valid files)."""
    from lxml import etree

    sniff(path, head(path), "OpenDocument")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        with zipfile.ZipFile(path) as archive:
            content = etree.fromstring(archive.read("content.xml"), parser)
            try:
                styles = etree.fromstring(archive.read("styles.xml"), parser)
            except KeyError:
                styles = None
            reader = _Reader(archive, path.stem, [x for x in (styles, content)
                                                  if x is not None])
            for body in content.iter(f"{{{OFFICE}}}text"):
                reader.walk(body, 0)
                break
            reader.notes()
    except KeyError as exc:
        raise DocumentError(f"{path}: not an OpenDocument text (it has no {exc.args[0]})") \
            from exc
    except zipfile.BadZipFile as exc:
        raise DocumentError(f"{path}: not a readable OpenDocument file (a damaged ZIP "
                            "archive)") from exc
    except etree.XMLSyntaxError as exc:
        raise DocumentError(f"{path}: not a readable OpenDocument file (its text is not "
                            f"well-formed XML: {str(exc)[:80]})") from exc
    return reader.blocks, reader.dropped, reader.media


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


class _Reader:
    """Blocks in reading order: headings, paragraphs, lists, tables, sections, indexes;
    inside a paragraph every word: spans, links, fields, notes (as footnotes), text
    boxes (after their paragraph) and pictures (with their descriptions)."""

    def __init__(self, archive: zipfile.ZipFile, folder: str, roots: list[Any]) -> None:
        self.archive, self.folder = archive, folder
        self.blocks: list[Block] = []
        self.dropped: Counter[str] = Counter()
        self.media: dict[str, bytes] = {}
        self.text_styles: dict[str, tuple[bool, bool, bool]] = {}
        self.parents: dict[str, str] = {}  # paragraph style: its parent
        self.numbered: set[str] = set()
        self.note_bodies: list[tuple[str, Any]] = []  # (label, text:note-body)
        self.positions: dict[str, str] = {}  # text style: "super" or "sub"
        for root in roots:
            for style in root.iter(_q(STYLE, "style"), _q(TEXT, "list-style")):
                self._style(style)

    def _style(self, style: Any) -> None:
        name = style.get(_q(STYLE, "name"), "")
        if style.tag == _q(TEXT, "list-style"):
            first = next(iter(style), None)
            if first is not None and first.tag == _q(TEXT, "list-level-style-number"):
                self.numbered.add(name)
            return
        if style.get(_q(STYLE, "parent-style-name")):
            self.parents[name] = style.get(_q(STYLE, "parent-style-name"), "")
        props = style.find(_q(STYLE, "text-properties"))
        if props is not None:
            family = (props.get(_q(STYLE, "font-name")) or "") + \
                (props.get(_q(FO, "font-family")) or "")
            position = (props.get(_q(STYLE, "text-position")) or "").split()
            if position and position[0] in ("super", "sub"):
                self.positions[name] = position[0]
            elif position and position[0].rstrip("%").lstrip("-").isdigit() and \
                    position[0] not in ("0%", "0"):
                self.positions[name] = "sub" if position[0].startswith("-") else "super"
            self.text_styles[name] = (props.get(_q(FO, "font-weight")) == "bold",
                                      props.get(_q(FO, "font-style")) == "italic",
                                      any(m in family.lower() for m in ("mono", "courier",
                                                                        "code")))

    def _named(self, style: str) -> str:
        """A paragraph style's name as LibreOffice shows it, through automatic styles."""
        seen = 0
        while style in self.parents and seen < 10:
            if not style.startswith(("P", "T")) or not style[1:].isdigit():
                break
            style, seen = self.parents[style], seen + 1
        return style.replace("_20_", " ")

    def walk(self, node: Any, depth: int, list_kind: str = "") -> None:
        for child in node:
            tag = child.tag
            if tag in (_q(TEXT, "h"), _q(TEXT, "p")):
                self.paragraph(child, depth, list_kind)
            elif tag == _q(TEXT, "list"):
                name = child.get(_q(TEXT, "style-name"), "")
                kind = "number" if name in self.numbered else (list_kind or "bullet")
                self.walk(child, depth + 1, kind)
            elif tag.startswith(f"{{{DRAW}}}") or tag in HOLDERS:  # a shape's paragraphs too
                self.walk(child, depth, list_kind)
            elif tag == _q(TABLE, "table"):
                self.table(child)

    def paragraph(self, element: Any, depth: int, list_kind: str) -> None:
        boxes: list[Any] = []
        runs = self._runs(element, (False, False, False), "", boxes)
        if "".join(r.text for r in runs).strip() or any(not r.plain for r in runs):
            style = self._named(element.get(_q(TEXT, "style-name"), ""))
            if element.tag == _q(TEXT, "h"):
                level = int(element.get(_q(TEXT, "outline-level")) or 1)
                self.blocks.append(Block("heading", runs, max(1, min(level, 6))))
            elif list_kind:
                self.blocks.append(Block(list_kind, runs, max(0, depth - 1)))
            elif style.startswith(QUOTE):
                self.blocks.append(Block("quote", runs))
            elif style.startswith(CODE):
                self.blocks.append(Block("code", [Run("".join(r.text for r in runs),
                                                      code=True)]))
            else:
                self.blocks.append(Block("paragraph", runs))
        for box in boxes:  # a text box's paragraphs, after the one it is anchored in
            self.walk(box, 0)

    def table(self, element: Any) -> None:
        rows = []
        for row in element.iter(_q(TABLE, "table-row")):
            cells = []
            for cell in row:
                if cell.tag != _q(TABLE, "table-cell"):
                    continue
                words = []
                for paragraph in cell.iter(_q(TEXT, "p"), _q(TEXT, "h")):
                    runs = self._runs(paragraph, (False, False, False), "", [])
                    words.append(" ".join("".join(r.text for r in runs).split()))
                cells.append(" ".join(w for w in words if w))
            rows.append(cells)
        if rows:
            self.blocks.append(Block("table", rows=rows))

    def _runs(self, node: Any, look: tuple[bool, bool, bool], link: str,
              boxes: list[Any]) -> list[Run]:
        runs: list[Run] = []

        def words(text: str | None) -> None:
            if text:
                runs.append(Run(" ".join(text.split("\n")) if "\n" in text else text,
                                *look, link=link))

        words(node.text)
        for child in node:
            tag = child.tag
            if tag == _q(TEXT, "span"):
                name = child.get(_q(TEXT, "style-name"), "")
                found = self.text_styles.get(name, (False, False, False))
                mixed = (look[0] or found[0], look[1] or found[1], look[2] or found[2])
                inner = self._runs(child, mixed, link, boxes)
                table = SCRIPTS.get(self.positions.get(name, ""))
                for run in inner:  # sub- and superscript as the characters ("m²")
                    if table is not None and run.plain and set(run.text) <= set(table[0]):
                        run.text = run.text.translate(table[1])
                runs += inner
            elif tag == _q(TEXT, "a"):
                runs += self._runs(child, look, child.get(_q(XLINK, "href"), ""), boxes)
            elif tag == _q(TEXT, "s"):
                runs.append(Run(" " * int(child.get(_q(TEXT, "c")) or 1), *look, link=link))
            elif tag == _q(TEXT, "tab"):
                runs.append(Run("\t", *look, link=link))
            elif tag == _q(TEXT, "line-break"):
                runs.append(Run("\n", *look, link=link))
            elif tag == _q(TEXT, "note"):
                label = f"n{len(self.note_bodies)}"
                body = child.find(_q(TEXT, "note-body"))
                if body is not None:
                    self.note_bodies.append((label, body))
                    runs.append(Run("", note=label))
            elif tag.startswith(f"{{{DRAW}}}"):
                runs += self._frame(child, link, boxes)
            elif tag in (_q(OFFICE, "annotation"), _q(OFFICE, "annotation-end")):
                if tag == _q(OFFICE, "annotation"):
                    self.dropped["comments"] += 1
            elif tag in (_q(TEXT, "deletion"), _q(TEXT, "tracked-changes")):
                pass
            elif tag not in (_q(TEXT, "bookmark"), _q(TEXT, "bookmark-start"),
                             _q(TEXT, "bookmark-end"), _q(TEXT, "soft-page-break"),
                             _q(TEXT, "change-start"), _q(TEXT, "change-end"),
                             _q(TEXT, "change"), _q(TEXT, "reference-mark-start"),
                             _q(TEXT, "reference-mark-end")):
                runs += self._runs(child, look, link, boxes)  # a field: its shown text
            if child.tail:
                runs.append(Run(child.tail, *look, link=link))
        merged: list[Run] = []
        for run in whole_word_code(runs) if any(r.code for r in runs) else runs:
            append_run(merged, run)
        return merged

    def _frame(self, frame: Any, link: str, boxes: list[Any]) -> list[Run]:
        """A picture (its description, its file kept) or a text box (read after)."""
        runs: list[Run] = []
        described = "".join((frame.findtext(_q(SVG, "desc")) or "",
                             frame.findtext(_q(SVG, "title")) or "")).strip()
        if frame.tag != _q(DRAW, "frame"):
            boxes.append(frame)  # a shape: its paragraphs, after this one
            return runs
        for child in frame:
            if child.tag == _q(DRAW, "text-box"):
                boxes.append(child)
            elif child.tag == _q(DRAW, "image"):
                href = child.get(_q(XLINK, "href"), "")
                try:
                    blob = self.archive.read(href)
                except KeyError:
                    self.dropped["images"] += 1
                    if described:
                        runs.append(Run(described, link=link))
                    continue
                name = f"{self.folder}/{Path(href).name}"
                self.media[name] = blob
                runs.append(Run(described, link=link, image=name))
                break
        return runs

    def notes(self) -> None:
        """Notes as Markdown footnotes, numbered in the order the text has them."""
        labels: dict[str, str] = {}
        for block in self.blocks:
            for run in block.runs:
                if run.note:
                    run.note = labels.setdefault(run.note, str(len(labels) + 1))
        for old, body in self.note_bodies:
            if old not in labels:
                continue
            paragraphs = [self._runs(p, (False, False, False), "", [])
                          for p in body.iter(_q(TEXT, "p"), _q(TEXT, "h"))]
            paragraphs = [r for r in paragraphs if "".join(x.text for x in r).strip()] \
                or [[Run("")]]
            for index, runs in enumerate(paragraphs):
                self.blocks.append(Block("note", runs, 1 if index else 0,
                                         label=labels[old]))
