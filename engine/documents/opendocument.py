"""OpenDocument text (.odt) written from blocks (odfpy); ``odt_reader.py`` reads it.

Headings are ``text:h`` with their outline level; bold, italic and code are automatic
text styles; lists carry a bullet or a number list style; quotes and code use the
"Quotations" and "Preformatted Text" paragraph styles LibreOffice knows; links are
``text:a`` and footnotes ``text:note``.
"""

from __future__ import annotations

import io
from typing import Any

from engine.documents.blocks import Block, Run

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
QUOTE, CODE = "Quotations", "Preformatted Text"


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
