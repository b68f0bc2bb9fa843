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
from xml.parsers.expat import ExpatError

from engine.documents.blocks import Block, Run
from engine.documents.word import head, sniff
from engine.errors import DocumentError

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
QUOTE, CODE = "Quotations", "Preformatted Text"


def read_odt(path: Path) -> tuple[list[Block], Counter[str]]:
    from odf.opendocument import load

    sniff(path, head(path), "OpenDocument")
    try:
        document = load(str(path))
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError, AttributeError) as exc:
        raise DocumentError(f"{path}: not a readable OpenDocument file "
                            f"({str(exc)[:120]})") from exc
    reader = _Reader(document)
    reader.walk(document.text, 0)
    return reader.blocks, reader.dropped


class _Reader:
    def __init__(self, document: Any) -> None:
        self.blocks: list[Block] = []
        self.dropped: Counter[str] = Counter()
        self.text_styles: dict[str, tuple[bool, bool, bool]] = {}
        self.numbered: set[str] = set()
        for styles in (document.styles, document.automaticstyles):
            for style in styles.childNodes:
                self._style(style)

    def _style(self, style: Any) -> None:
        name = style.getAttrNS(STYLE, "name")
        if style.qname[1] == "list-style":
            first = next((c for c in style.childNodes if hasattr(c, "qname")), None)
            if first is not None and first.qname[1] == "list-level-style-number":
                self.numbered.add(name)
            return
        for props in style.childNodes:
            if getattr(props, "qname", ("", ""))[1] == "text-properties":
                bold = props.getAttrNS(FO, "font-weight") == "bold"
                italic = props.getAttrNS(FO, "font-style") == "italic"
                family = (props.getAttrNS(STYLE, "font-name") or "") + \
                    (props.getAttrNS(FO, "font-family") or "")
                mono = any(m in family.lower() for m in ("mono", "courier", "code"))
                self.text_styles[name] = (bold, italic, mono)

    def walk(self, node: Any, depth: int, list_kind: str = "") -> None:
        for child in node.childNodes:
            qname = getattr(child, "qname", None)
            if qname is None:
                continue
            ns, tag = qname
            if ns == TEXT and tag in ("h", "p"):
                self._count(child)
                runs = self._runs(child, (False, False, False))
                if not "".join(r.text for r in runs).strip():
                    continue
                style = child.getAttrNS(TEXT, "style-name") or ""
                plain = style.replace("_20_", " ")
                if tag == "h":
                    level = int(child.getAttrNS(TEXT, "outline-level") or 1)
                    self.blocks.append(Block("heading", runs, max(1, min(level, 6))))
                elif list_kind:
                    self.blocks.append(Block(list_kind, runs, depth - 1))
                elif plain.startswith(QUOTE):
                    self.blocks.append(Block("quote", runs))
                elif plain.startswith(CODE):
                    self.blocks.append(Block("code", [Run("".join(r.text for r in runs),
                                                          code=True)]))
                else:
                    self.blocks.append(Block("paragraph", runs))
            elif ns == TEXT and tag == "list":
                name = child.getAttrNS(TEXT, "style-name") or ""
                kind = "number" if name in self.numbered else (list_kind or "bullet")
                self.walk(child, depth + 1, kind)
            elif ns == TEXT and tag in ("list-item", "section", "list-header"):
                self.walk(child, depth, list_kind)
            elif ns == TABLE and tag == "table":
                rows = [[_plain(cell) for cell in _children(row, TABLE, "table-cell")]
                        for row in _descendants(child, TABLE, "table-row")]
                if rows:
                    self.blocks.append(Block("table", rows=rows))
            elif ns == DRAW:
                self.dropped["images"] += 1

    def _count(self, element: Any) -> None:
        for name, (ns, tag) in (("images", (DRAW, "frame")), ("footnotes", (TEXT, "note"))):
            found = len(_descendants(element, ns, tag))
            if found:
                self.dropped[name] += found

    def _runs(self, node: Any, look: tuple[bool, bool, bool]) -> list[Run]:
        runs: list[Run] = []
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                runs.append(Run(str(child.data), *look))
                continue
            ns, tag = child.qname
            if ns == TEXT and tag == "span":
                style = child.getAttrNS(TEXT, "style-name") or ""
                found = self.text_styles.get(style, (False, False, False))
                runs += self._runs(child, (look[0] or found[0], look[1] or found[1],
                                           look[2] or found[2]))
            elif ns == TEXT and tag == "s":
                runs.append(Run(" " * int(child.getAttrNS(TEXT, "c") or 1), *look))
            elif ns == TEXT and tag == "tab":
                runs.append(Run("\t", *look))
            elif ns == TEXT and tag == "line-break":
                runs.append(Run("\n", *look))
            elif ns == TEXT and tag in ("a", "bookmark-ref", "reference-ref"):
                runs += self._runs(child, look)
        return runs


def _children(node: Any, ns: str, tag: str) -> list[Any]:
    return [c for c in node.childNodes if getattr(c, "qname", None) == (ns, tag)]


def _descendants(node: Any, ns: str, tag: str) -> list[Any]:
    out = []
    for child in getattr(node, "childNodes", []):
        if getattr(child, "qname", None) == (ns, tag):
            out.append(child)
        out += _descendants(child, ns, tag)
    return out


def _plain(node: Any) -> str:
    if node.nodeType == node.TEXT_NODE:
        return str(node.data)
    return " ".join(" ".join(_plain(c) for c in node.childNodes).split())


def write_odt(blocks: list[Block], title: str = "") -> bytes:
    from odf import dc
    from odf.opendocument import OpenDocumentText
    from odf.style import ListLevelProperties, ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import (
        H,
        List,
        ListItem,
        ListLevelStyleBullet,
        ListLevelStyleNumber,
        ListStyle,
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

    def fill(element: Any, runs: list[Run]) -> Any:
        for run in runs:
            key = (run.bold, run.italic, run.code)
            if key in spans:
                element.addElement(Span(stylename=spans[key], text=run.text))
            else:
                element.addText(run.text)
        return element

    open_lists: list[tuple[str, Any]] = []  # (kind, List element), outermost first
    for block in blocks:
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
