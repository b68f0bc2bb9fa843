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
from functools import partial
from pathlib import Path
from typing import Any

from engine.documents.blocks import Block, Run, whole_word_code
from engine.documents.docx_extras import append_runs, write_footnotes
from engine.documents.docx_inline import W, read_inline

__all__ = ["W", "add_block", "add_run", "head", "read_docx", "sniff", "write_docx"]
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


def read_docx(path: Path, accepted: bool = False
              ) -> tuple[list[Block], Counter[str], dict[str, bytes]]:
    """The body as blocks, what could not come across (counted), and the pictures' files
    by the name the Markdown links them as (in a folder named after the document).
    ``accepted``: with its tracked changes made (else as it was before them)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    sniff(path, head(path), "Word")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(f"{path}: not a readable Word file ({str(exc)[:120]})") from exc
    reader = _Body(document, accepted)
    reader.walk(document.element.body)
    reader.notes()
    return reader.blocks, reader.dropped, reader.pictures(path.stem)


class _Body:
    """The body's blocks in order: paragraphs and tables, also those inside content
    controls and custom XML, text boxes after the paragraph they are anchored in, and a
    drop cap joined to the paragraph it starts."""

    def __init__(self, document: Any, accepted: bool = False) -> None:
        self.document = document
        self.accepted = accepted
        self.blocks: list[Block] = []
        self.dropped: Counter[str] = Counter()
        self.numbered = _numbered_lists(document)
        self.names = {style.style_id: style.name or "" for style in document.styles}
        self.rels = {rid: rel.target_ref for rid, rel in document.part.rels.items()
                     if rel.is_external}
        self.drop_cap: list[Run] = []

    def link_for(self, rid: str) -> str:
        return str(self.rels.get(rid, ""))

    def pictures(self, folder: str) -> dict[str, bytes]:
        """Each picture's run linked to its file in ``folder`` (the files returned);
        one whose part is missing or linked from outside is counted as left out."""
        media: dict[str, bytes] = {}
        parts = self.document.part.related_parts
        for block in self.blocks:
            for index, run in enumerate(block.runs):
                if not run.image.startswith("rid:"):
                    continue
                part = parts.get(run.image[4:])
                if part is None:
                    self.dropped["images"] += 1
                    block.runs[index] = Run(run.text, run.bold, run.italic, run.code,
                                            run.link)
                    continue
                name = f"{folder}/{Path(str(part.partname)).name}"
                media[name] = part.blob
                run.image = name
        return media

    def notes(self) -> None:
        """Footnotes and endnotes as Markdown footnotes, numbered in the order the text
        refers to them, after the body."""
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from lxml import etree

        labels: dict[str, str] = {}
        for block in self.blocks:
            for run in block.runs:
                if run.note:
                    run.note = labels.setdefault(run.note, str(len(labels) + 1))
        if not labels:
            return
        found: dict[str, list[Any]] = {}
        for rel in self.document.part.rels.values():
            kind = {RT.FOOTNOTES: "footnote", RT.ENDNOTES: "endnote"}.get(rel.reltype)
            if kind is None:
                continue
            part = rel.target_part
            links: dict[str, str] = {rid: str(r.target_ref) for rid, r in part.rels.items()
                                     if r.is_external}
            root = etree.fromstring(part.blob)
            for note in root.iter(W + kind):
                found[f"{kind}:{note.get(W + 'id', '')}"] = [
                    read_inline(p, partial(_target, links)).runs for p in note.iter(W + "p")]
        for key, label in labels.items():
            paragraphs = [runs for runs in found.get(key, []) if
                          "".join(r.text for r in runs).strip()] or [[Run("")]]
            for index, runs in enumerate(paragraphs):
                if runs and runs[0].text[:1] == " ":  # the space after the note's number
                    runs[0] = Run(runs[0].text.lstrip(), runs[0].bold, runs[0].italic,
                                  runs[0].code, runs[0].link)
                self.blocks.append(Block("note", runs, 1 if index else 0, label=label))

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

        if not self.accepted:
            _count_dropped(element, self.dropped)
        inline = read_inline(element, self.link_for, self.accepted)
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


def _target(links: dict[str, str], rid: str) -> str:
    return links.get(rid, "")


def _count_dropped(element: Any, dropped: Counter[str]) -> None:
    for tag, name in ((W + "commentReference", "comments"),
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
    if not "".join(r.text for r in runs).strip() and all(r.plain for r in runs):
        return None
    runs = whole_word_code(runs)
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
    notes = write_footnotes(document, blocks)
    for block in blocks:
        if block.kind == "note":
            continue  # in the footnotes' part
        paragraph = add_block(document, block, styles)
        if paragraph is None:
            continue
        if any(run.link or run.note for run in block.runs):
            append_runs(paragraph, document.part, block.runs, notes)
        else:
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
