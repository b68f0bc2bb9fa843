"""Every word of a Word paragraph, in reading order, read from its XML.

python-docx's ``Paragraph.runs`` lists only a paragraph's direct ``w:r`` children, so the
words inside hyperlinks, content controls (``w:sdt``), simple fields, smart tags, custom
XML and ``mc:AlternateContent`` (how Word 2016+ writes an emoji) were lost without a word.
This walk reaches them all:

- a hyperlink's runs become a Markdown link to its target (an internal one to its
  bookmark, ``#name``);
- a field shows its result (a complex field's instructions are ``w:instrText``, never
  shown);
- ``mc:AlternateContent`` is read through its fallback, which every reader understands;
- symbols (``w:sym``) become their characters, tabs and breaks their whitespace;
- sub- and superscript become the Unicode characters where each has one ("m²", "H₂O"),
  else stay as they are on the line;
- a text box or shape's paragraphs are returned apart, to follow the paragraph they are
  anchored in;
- the text is as it was before tracked changes: an insertion not accepted yet is left
  out, a deletion's words are kept (``engine/documents/tracked.py`` reads them as changes
  to review).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from engine.documents.blocks import Run, append_run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
OFFICE = "{urn:schemas-microsoft-com:office:office}"
MONOSPACE = ("courier", "consolas", "menlo", "mono", "code")
CONTAINERS = {W + "smartTag", W + "customXml", W + "fldSimple", W + "sdtContent",
              W + "dir", W + "bdo", MC + "Fallback"}
SKIPPED = {W + "ins", W + "moveTo"}  # not accepted yet: the text is before them
SUPER = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
SUPER_KEYS = set("0123456789+-=()ni")
SUB_KEYS = set("0123456789+-=()")


@dataclass
class Inline:
    runs: list[Run] = field(default_factory=list)
    boxes: list[Any] = field(default_factory=list)  # w:p of text boxes anchored here


def read_inline(paragraph: Any, link_for: Callable[[str], str],
                accepted: bool = False) -> Inline:
    """``paragraph``: a ``w:p`` element; ``link_for``: a relationship id's target;
    ``accepted``: the words as they are with the tracked changes made (else before)."""
    out = Inline()
    _walk(paragraph, out, link_for, "", False, accepted)
    return out


def _walk(node: Any, out: Inline, link_for: Callable[[str], str], link: str,
          deleted: bool, accepted: bool = False) -> None:
    for child in node:
        tag = child.tag
        if tag == W + "r":
            _run(child, out, link_for, link, deleted)
        elif tag == W + "hyperlink":
            target = link_for(child.get(R + "id", "")) if child.get(R + "id") else ""
            anchor = child.get(W + "anchor")
            _walk(child, out, link_for, target or (f"#{anchor}" if anchor else ""), deleted,
                  accepted)
        elif tag in CONTAINERS:
            _walk(child, out, link_for, link, deleted, accepted)
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                _walk(content, out, link_for, link, deleted, accepted)
        elif tag == MC + "AlternateContent":
            chosen = _alternate(child)
            if chosen is not None:
                _walk(chosen, out, link_for, link, deleted, accepted)
        elif tag in (W + "del", W + "moveFrom"):
            if not accepted:  # made, a deletion leaves nothing
                _walk(child, out, link_for, link, True)
        elif tag in SKIPPED and accepted:
            _walk(child, out, link_for, link, deleted, accepted)


def _run(run: Any, out: Inline, link_for: Callable[[str], str], link: str,
         deleted: bool) -> None:
    look = _look(run.find(W + "rPr"))
    text: list[str] = []

    def flush() -> None:
        if text:
            append_run(out.runs, _shaped("".join(text), look, link))
            text.clear()

    for child in _parts(run):
        tag = child.tag
        if tag == (W + "delText" if deleted else W + "t"):
            text.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            text.append("\t")
        elif tag in (W + "br", W + "cr"):
            if child.get(W + "type") not in ("page", "column"):
                text.append("\n")
        elif tag == W + "noBreakHyphen":
            text.append("-")
        elif tag == W + "sym":
            text.append(_symbol(child.get(W + "char", "")))
        elif tag in (W + "footnoteReference", W + "endnoteReference"):
            flush()
            kind = "footnote" if tag == W + "footnoteReference" else "endnote"
            out.runs.append(Run("", note=f"{kind}:{child.get(W + 'id', '')}"))
        elif tag in (W + "drawing", W + "pict", W + "object"):
            flush()
            out.boxes += list(_box_paragraphs(child))
            for rid, description in _images(child):
                out.runs.append(Run(description, link=link, image=f"rid:{rid}"))
    flush()


def _alternate(element: Any) -> Any:
    """The branch of ``mc:AlternateContent`` to read: the fallback, which every reader
    understands, else the choice."""
    chosen = element.find(MC + "Fallback")
    return chosen if chosen is not None else element.find(MC + "Choice")


def _parts(run: Any) -> Iterator[Any]:
    """A run's children, alternate content read through its chosen branch (its text, an
    emoji, or its drawing), a run inside that branch through its own children."""
    for child in run:
        if child.tag == MC + "AlternateContent":
            chosen = _alternate(child)
            if chosen is not None:
                yield from _parts(chosen)
        elif child.tag == W + "r":
            yield from _parts(child)
        else:
            yield child


def _images(drawing: Any) -> Iterator[tuple[str, str]]:
    """(relationship id, description) of the pictures in a drawing: DrawingML's blips,
    or VML's image data."""
    described = ""
    for props in drawing.iter(WP + "docPr"):
        described = props.get("descr") or props.get("title") or ""
        break
    for blip in drawing.iter(A + "blip"):
        if blip.get(R + "embed"):
            yield blip.get(R + "embed"), described
            return
    for data in drawing.iter(V + "imagedata"):
        if data.get(R + "id"):
            yield data.get(R + "id"), described or data.get(OFFICE + "title", "")
            return


def _box_paragraphs(drawing: Any) -> Iterator[Any]:
    """The paragraphs of the text boxes in a drawing (each box once: the first copy)."""
    for box in drawing.iter(W + "txbxContent"):
        yield from box.iter(W + "p")
        return


def _look(props: Any) -> tuple[bool, bool, bool, str]:
    if props is None:
        return False, False, False, ""

    def on(tag: str) -> bool:
        found = props.find(W + tag)
        return found is not None and found.get(W + "val", "true") not in ("0", "false",
                                                                            "off")

    fonts = props.find(W + "rFonts")
    name = (fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or "") if fonts is not None \
        else ""
    align = props.find(W + "vertAlign")
    return (on("b"), on("i"), any(m in name.lower() for m in MONOSPACE),
            align.get(W + "val", "") if align is not None else "")


def _shaped(text: str, look: tuple[bool, bool, bool, str], link: str) -> Run:
    bold, italic, code, align = look
    if align == "superscript" and set(text) <= SUPER_KEYS:
        text = text.translate(SUPER)
    elif align == "subscript" and set(text) <= SUB_KEYS:
        text = text.translate(SUB)
    return Run(text, bold, italic, code, link)


def _symbol(code: str) -> str:
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:  # a symbol font's private area: its ASCII slot
        value -= 0xF000
    return chr(value) if value >= 0x20 else ""
