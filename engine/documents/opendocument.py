"""OpenDocument text (.odt) in and out through blocks (odfpy).

Headings are ``text:h`` with their outline level; bold, italic and code are automatic
text styles; lists carry a bullet or a number list style; quotes and code use the
"Quotations" and "Preformatted Text" paragraph styles LibreOffice knows.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from engine.documents.blocks import Block, Run, whole_word_code
from engine.documents.docx_inline import SUB, SUB_KEYS, SUPER, SUPER_KEYS
from engine.documents.word import head, sniff
from engine.errors import DocumentError

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
QUOTE, CODE = "Quotations", "Preformatted Text"
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
            if merged and merged[-1].plain and run.plain and (
                    merged[-1].bold, merged[-1].italic, merged[-1].code, merged[-1].link) \
                    == (run.bold, run.italic, run.code, run.link):
                merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.code,
                                 run.link)
            elif run.text or not run.plain:
                merged.append(run)
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


def write_odt(blocks: list[Block], title: str = "") -> bytes:
    from odf import dc
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties, ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import (
        A,
        H,
        List,
        ListItem,
        ListLevelStyleBullet,
        ListLevelStyleNumber,
        ListStyle,
        Note,
        NoteBody,
        NoteCitation,
        P,
        Span,
    )

    document = OpenDocumentText()
    if title:
        document.meta.addElement(dc.Title(text=title))
    spans: dict[tuple[bool, bool, bool], Style] = {}
    for bold in (False, True):
        for italic in (False, True):
            for code in (False, True):
                if bold or italic or code:
                    style = Style(name=f"T{int(bold)}{int(italic)}{int(code)}", family="text")
                    props: dict[str, str] = {}
                    if bold:
                        props["fontweight"] = "bold"
                    if italic:
                        props["fontstyle"] = "italic"
                    if code:
                        props["fontfamily"] = "monospace"
                    style.addElement(TextProperties(**props))
                    document.automaticstyles.addElement(style)
                    spans[(bold, italic, code)] = style
    for level in range(1, 7):
        heading = Style(name=f"Heading {level}", family="paragraph")
        heading.addElement(TextProperties(fontweight="bold",
                                          fontsize=f"{max(11, 24 - 2 * level)}pt"))
        document.styles.addElement(heading)
    quote = Style(name=QUOTE, family="paragraph")
    quote.addElement(ParagraphProperties(marginleft="1cm", marginright="1cm"))
    code_style = Style(name=CODE, family="paragraph")
    code_style.addElement(TextProperties(fontfamily="monospace"))
    for style in (quote, code_style):
        document.styles.addElement(style)
    list_styles = {}
    for kind, level_style in (("bullet", ListLevelStyleBullet), ("number",
                                                                 ListLevelStyleNumber)):
        list_style = ListStyle(name=f"{kind.title()}List")
        for depth in range(1, 10):
            options: dict[str, Any] = {"level": depth}
            if kind == "bullet":
                options["bulletchar"] = "•"
            else:
                options["numformat"] = "1"
                options["numsuffix"] = "."
            entry = level_style(**options)
            entry.addElement(ListLevelProperties(spacebefore=f"{0.6 * depth:.1f}cm",
                                                 minlabelwidth="0.6cm"))
            list_style.addElement(entry)
        document.automaticstyles.addElement(list_style)
        list_styles[kind] = list_style

    notes: dict[str, list[Block]] = {}
    for block in blocks:
        if block.kind == "note":
            notes.setdefault(block.label, []).append(block)
    numbers = {label: number for number, label in enumerate(notes, 1)}

    def fill(element: Any, runs: list[Run]) -> Any:
        index = 0
        while index < len(runs):
            run = runs[index]
            if run.note:
                if run.note in notes:
                    note = Note(noteclass="footnote", id=f"ftn{numbers[run.note]}")
                    note.addElement(NoteCitation(text=str(numbers[run.note])))
                    body = NoteBody()
                    for paragraph in notes[run.note]:
                        body.addElement(fill(P(), paragraph.runs))
                    note.addElement(body)
                    element.addElement(note)
                index += 1
                continue
            end = index + 1
            while end < len(runs) and runs[end].link == run.link and not runs[end].note:
                end += 1
            holder = A(type="simple", href=run.link) if run.link else element
            for each in runs[index:end]:
                key = (each.bold, each.italic, each.code)
                if key in spans:
                    holder.addElement(Span(stylename=spans[key], text=each.text))
                else:
                    holder.addText(each.text)
            if holder is not element:
                element.addElement(holder)
            index = end
        return element

    open_lists: list[tuple[str, Any]] = []  # (kind, List element), outermost first
    for block in blocks:
        if block.kind == "note":
            continue  # written where the text refers to it
        if block.kind in ("bullet", "number"):
            while len(open_lists) > block.level + 1 or (
                    open_lists and len(open_lists) == block.level + 1
                    and open_lists[-1][0] != block.kind):
                open_lists.pop()
            while len(open_lists) < block.level + 1:
                new = List(stylename=list_styles[block.kind]) if not open_lists else List()
                if open_lists:
                    holder = ListItem()
                    open_lists[-1][1].addElement(holder)
                    holder.addElement(new)
                else:
                    document.text.addElement(new)
                open_lists.append((block.kind, new))
            item = ListItem()
            item.addElement(fill(P(), block.runs))
            open_lists[-1][1].addElement(item)
            continue
        open_lists = []
        if block.kind == "heading":
            document.text.addElement(fill(H(outlinelevel=block.level,
                                            stylename=f"Heading {block.level}"), block.runs))
        elif block.kind == "table":
            width = max(len(r) for r in block.rows)
            table = Table(name=f"Table{len(document.text.childNodes)}")
            table.addElement(TableColumn(numbercolumnsrepeated=width))
            for row in block.rows:
                table_row = TableRow()
                for text in row + [""] * (width - len(row)):
                    cell = TableCell()
                    cell.addElement(P(text=text))
                    table_row.addElement(cell)
                table.addElement(table_row)
            document.text.addElement(table)
        else:
            style = {"quote": quote, "code": code_style}.get(block.kind)
            paragraph = P(stylename=style) if style is not None else P()
            document.text.addElement(fill(paragraph, block.runs))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
