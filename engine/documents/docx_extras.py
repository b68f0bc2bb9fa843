"""What python-docx does not write itself: hyperlinks, and footnotes (their own part,
``word/footnotes.xml``), so that a Markdown text's links and footnotes come back the same
when Wordloom reads its own Word file again (``engine/documents/docx_inline.py``)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from engine.documents.blocks import Block, Run

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
SEPARATORS = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r>'
              '</w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0">'
              '<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>')
SUPERSCRIPT = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'


def run_xml(run: Run) -> str:
    """One run in its look (bold, italic, code); a footnote's reference is written by
    ``runs_xml``."""
    looks = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "") + \
        ('<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>' if run.code else "")
    parts = []
    for index, line in enumerate(run.text.split("\n")):
        if index:
            parts.append("<w:br/>")
        if line:
            parts.append(f'<w:t xml:space="preserve">{escape(line)}</w:t>')
    return f"<w:r>{f'<w:rPr>{looks}</w:rPr>' if looks else ''}{''.join(parts)}</w:r>"


def runs_xml(part: Any, runs: list[Run], notes: dict[str, int]) -> str:
    """Runs as WordprocessingML, each link once around the runs it covers (its target
    related to ``part``), each footnote reference by its number in ``notes``."""
    out: list[str] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        if run.note:
            if run.note in notes:
                out.append(f'<w:r>{SUPERSCRIPT}<w:footnoteReference '
                           f'w:id="{notes[run.note]}"/></w:r>')
            index += 1
            continue
        end = index + 1
        while end < len(runs) and runs[end].link == run.link and not runs[end].note:
            end += 1
        inner = "".join(run_xml(r) for r in runs[index:end])
        if run.link.startswith("#"):
            inner = f'<w:hyperlink w:anchor="{escape(run.link[1:], {chr(34): "&quot;"})}">' \
                    f"{inner}</w:hyperlink>"
        elif run.link:
            from docx.opc.constants import RELATIONSHIP_TYPE as RT

            rid = part.relate_to(run.link, RT.HYPERLINK, is_external=True)
            inner = f'<w:hyperlink r:id="{rid}">{inner}</w:hyperlink>'
        out.append(inner)
        index = end
    return "".join(out)


def append_runs(paragraph: Any, part: Any, runs: list[Run], notes: dict[str, int]) -> None:
    """``runs`` at the end of a python-docx paragraph."""
    from lxml import etree

    holder = etree.fromstring(f"<w:p {NAMESPACES}>{runs_xml(part, runs, notes)}</w:p>")
    for child in list(holder):
        paragraph._p.append(child)


def write_footnotes(document: Any, blocks: list[Block]) -> dict[str, int]:
    """The ``note`` blocks as the document's footnotes (a part of its own, made here);
    their numbers by label."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    notes: dict[str, list[Block]] = {}
    for block in blocks:
        if block.kind == "note":
            notes.setdefault(block.label, []).append(block)
    if not notes:
        return {}
    numbers = {label: number for number, label in enumerate(notes, 1)}
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, b"",
                document.part.package)
    body = []
    for label, paragraphs in notes.items():
        xml = []
        for index, block in enumerate(paragraphs):
            mark = f'<w:r>{SUPERSCRIPT}<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve">' \
                   ' </w:t></w:r>' if index == 0 else ""
            xml.append(f"<w:p>{mark}{runs_xml(part, block.runs, {})}</w:p>")
        body.append(f'<w:footnote w:id="{numbers[label]}">{"".join(xml)}</w:footnote>')
    part._blob = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  f"<w:footnotes {NAMESPACES}>{SEPARATORS}{''.join(body)}"
                  "</w:footnotes>").encode()
    document.part.relate_to(part, RT.FOOTNOTES)
    return numbers
