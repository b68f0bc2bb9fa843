"""Word (.docx) in and out through blocks (python-docx).

Import keeps headings, emphasis, bullet and numbered lists, quotes, code-styled text,
tables and links, and reads every word of the body in order: inside hyperlinks, content
controls, fields, smart tags, custom XML, alternate content, text boxes and drop caps
(``engine/documents/docx_inline.py``). Images, footnotes and comments do not come across
yet and are counted, so the writer is told. Export writes real Word headings, list
styles, quotes and tables.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from engine.documents.blocks import Block, Run
from engine.documents.docx_inline import W, read_inline
from engine.errors import DocumentError


def head(path: Path, size: int = 512) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(size)


def sniff(path: Path, data: bytes, kind: str) -> None:
    """Refuse what is not really a ZIP-based office file, with the reason."""
    head = data[:512].lstrip().lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"{path}: is password-protected or an old binary {kind} file; "
                            "save it unprotected in the current format and try again")
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        raise DocumentError(f"{path}: is really a web page or XML saved with a {kind} "
                            "name; open it in a word processor and save it properly")
    if not data.startswith(b"PK"):
        raise DocumentError(f"{path}: is not a {kind} file (it is not a ZIP archive)")


def read_docx(path: Path) -> tuple[list[Block], Counter[str]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    sniff(path, head(path), "Word")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(f"{path}: not a readable Word file ({str(exc)[:120]})") from exc
    reader = _Body(document)
    reader.walk(document.element.body)
    return reader.blocks, reader.dropped


class _Body:
    """The body's blocks in order: paragraphs and tables, also those inside content
    controls and custom XML, text boxes after the paragraph they are anchored in, and a
    drop cap joined to the paragraph it starts."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.blocks: list[Block] = []
        self.dropped: Counter[str] = Counter()
        self.numbered = _numbered_lists(document)
        self.names = {style.style_id: style.name or "" for style in document.styles}
        self.rels = {rid: rel.target_ref for rid, rel in document.part.rels.items()
                     if rel.is_external}
        self.drop_cap: list[Run] = []

    def link_for(self, rid: str) -> str:
        return self.rels.get(rid, "")

    def walk(self, parent: Any) -> None:
        for child in parent.iterchildren():
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self.walk(content)
            elif child.tag == W + "customXml":
                self.walk(child)

    def paragraph(self, element: Any) -> None:
        from docx.text.paragraph import Paragraph

        _count_dropped(element, self.dropped)
        inline = read_inline(element, self.link_for)
        runs = inline.runs
        props = element.find(W + "pPr")
        frame = props.find(W + "framePr") if props is not None else None
        if frame is not None and frame.get(W + "dropCap") in ("drop", "margin"):
            self.drop_cap += runs  # the big first letter, set apart in a frame
            return
        if self.drop_cap:
            runs, self.drop_cap = self.drop_cap + runs, []
        style = self.names.get(element.style or "", "")
        block = _paragraph(Paragraph(element, self.document), runs, self.numbered, style)
        if block is not None:
            self.blocks.append(block)
        for box in inline.boxes:  # what is written in its text boxes and shapes
            self.paragraph(box)

    def table(self, element: Any) -> None:
        rows = []
        for row in element.iter(W + "tr"):
            cells = []
            for cell in row.iter(W + "tc"):  # content controls may hold cells too
                if cell.getparent() is not row and cell.getparent().tag != W + "sdtContent":
                    continue  # a nested table's cell: read with its own cell
                words = [" ".join("".join(r.text for r in
                                          read_inline(p, self.link_for).runs).split())
                         for p in cell.iter(W + "p")]
                cells.append(" ".join(w for w in words if w))
            rows.append(cells)
        if rows:
            self.blocks.append(Block("table", rows=rows))


def _count_dropped(element: Any, dropped: Counter[str]) -> None:
    for tag, name in ((W + "drawing", "images"), (W + "pict", "images"),
                      (W + "footnoteReference", "footnotes"),
                      (W + "endnoteReference", "endnotes"),
                      (W + "commentReference", "comments"),
                      # not accepted yet: the text is read as it was before them
                      (W + "ins", "tracked changes"), (W + "del", "tracked changes"),
                      (W + "moveTo", "tracked changes"), (W + "moveFrom", "tracked changes")):
        found = len(list(element.iter(tag)))
        if found:
            dropped[name] += found


def _numbered_lists(document: Any) -> set[str]:
    """numIds whose first level counts (decimal, letters, roman) rather than bullets."""
    out: set[str] = set()
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return out
    formats: dict[str, str] = {}
    for abstract in numbering.iter(W + "abstractNum"):
        for level in abstract.iter(W + "lvl"):
            if level.get(W + "ilvl") == "0":
                fmt = level.find(W + "numFmt")
                formats[abstract.get(W + "abstractNumId", "")] = \
                    fmt.get(W + "val", "") if fmt is not None else ""
    for num in numbering.iter(W + "num"):
        ref = num.find(W + "abstractNumId")
        if ref is not None and formats.get(ref.get(W + "val", ""), "bullet") != "bullet":
            out.add(num.get(W + "numId", ""))
    return out


def _paragraph(paragraph: Any, runs: list[Run], numbered: set[str],
               style: str) -> Block | None:
    if not "".join(r.text for r in runs).strip():
        return None
    runs = _whole_word_code(runs)
    lowered = style.lower()
    num = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if lowered.startswith("heading") and lowered[-1:].isdigit():
        return Block("heading", runs, int(lowered[-1]))
    if lowered == "title":
        return Block("heading", runs, 1)
    if lowered.startswith("list number"):
        return Block("number", runs, _list_level(lowered, num))
    if lowered.startswith("list bullet") or lowered.startswith("list paragraph") or \
            num is not None:
        num_id = num.numId.val if num is not None and num.numId is not None else None
        kind = "number" if str(num_id) in numbered else "bullet"
        return Block(kind, runs, _list_level(lowered, num))
    if "quote" in lowered:
        return Block("quote", runs)
    if all(r.code for r in runs):
        return Block("code", [Run("".join(r.text for r in runs), code=True)])
    return Block("paragraph", runs)


def _whole_word_code(runs: list[Run]) -> list[Run]:
    """A monospace font in the middle of a word is a font, not code ("Thes`e `are")."""
    out: list[Run] = []
    for i, run in enumerate(runs):
        if run.code and not all(r.code for r in runs):
            before = runs[i - 1].text[-1:] if i else ""
            after = runs[i + 1].text[:1] if i + 1 < len(runs) else ""
            if (before.isalnum() and run.text[:1].isalnum()) or \
                    (after.isalnum() and run.text[-1:].isalnum()) or not run.text.strip():
                run = Run(run.text, run.bold, run.italic, False, run.link)
        if out and (out[-1].bold, out[-1].italic, out[-1].code, out[-1].link) == \
                (run.bold, run.italic, run.code, run.link):
            out[-1] = Run(out[-1].text + run.text, run.bold, run.italic, run.code, run.link)
        else:
            out.append(run)
    return out


def _list_level(style: str, num: Any) -> int:
    if num is not None and num.ilvl is not None and num.ilvl.val is not None:
        return min(int(num.ilvl.val), 8)
    return int(style[-1]) - 1 if style[-1:].isdigit() else 0


def write_docx(blocks: list[Block], title: str = "") -> bytes:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    styles: dict[str, Any] = {}  # looking a style up by name each time is slow
    for block in blocks:
        paragraph = add_block(document, block, styles)
        if paragraph is not None:
            for run in block.runs:
                add_run(paragraph, run)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def add_block(document: Any, block: Block, styles: dict[str, Any]) -> Any:
    """A table written whole (None), or an empty paragraph in the block's style for its
    runs; ``styles``: style ids by name, filled as they are looked up."""
    if block.kind == "table":
        width = max(len(r) for r in block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(block.rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
        return None
    style = {"heading": f"Heading {max(1, min(block.level, 9))}", "quote": "Quote",
             "code": "No Spacing",
             "bullet": "List Bullet" + (f" {block.level + 1}" if block.level else ""),
             "number": "List Number" + (f" {block.level + 1}" if block.level else ""),
             }.get(block.kind, "Normal")
    if block.level > 2 and block.kind in ("bullet", "number"):
        style = style.rsplit(" ", 1)[0] + " 3"
    if style not in styles:
        styles[style] = document.styles[style].style_id
    paragraph = document.add_paragraph()
    if style != "Normal":  # by id: python-docx's by-name path rescans every style
        paragraph._p.style = styles[style]
    return paragraph


def add_run(paragraph: Any, run: Run) -> Any:
    """A run of ``run``'s text in its look (bold, italic, code)."""
    from docx.shared import Pt

    added = paragraph.add_run(run.text)
    if run.bold:  # a new run has neither: nothing to clear
        added.bold = True
    if run.italic:
        added.italic = True
    if run.code:
        added.font.name = "Courier New"
        added.font.size = Pt(10)
    return added
