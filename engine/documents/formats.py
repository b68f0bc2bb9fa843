"""Writers' formats: import Word and OpenDocument as Markdown, export Markdown to Word,
OpenDocument, a standalone HTML page and PDF. PDF is drawn by Qt, which this layer does
not import: ``render/pdf.py`` registers its writer here when a front end imports it.

An import never writes back to the original: the editor holds Markdown, and Word or
OpenDocument come out again only through an export the writer asks for.
"""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from engine.documents.blocks import Block, from_markdown, markdown_to_html, to_markdown
from engine.errors import DocumentError
from engine.fsutil import atomic_write_bytes

log = logging.getLogger("wordloom.formats")
IMPORTABLE = (".docx", ".odt")
EXPORTABLE = (".docx", ".odt", ".html", ".pdf", ".md")
MAX_IMPORT_BYTES = 200 * 1024 * 1024
PagedWriter = Callable[[str, str, str], bytes]  # (markdown, title, page size) -> the file
_PAGED: dict[str, tuple[PagedWriter, tuple[str, ...]]] = {}  # suffix -> writer, page sizes


def register_paged(suffix: str, writer: PagedWriter, pages: tuple[str, ...]) -> None:
    """A writer of a paged format (PDF) that needs a drawing library this layer does not
    import; the page sizes it knows, the first its default."""
    _PAGED[suffix] = (writer, pages)


def page_sizes(suffix: str) -> tuple[str, ...]:
    """The page sizes a paged format can be written in (none: not paged, or no writer)."""
    return _PAGED[suffix][1] if suffix in _PAGED else ()


@dataclass
class Imported:
    markdown: str
    blocks: list[Block]
    dropped: Counter[str] = field(default_factory=Counter)  # "comments": 2, ...
    media: dict[str, bytes] = field(default_factory=dict)  # pictures, by linked name

    def note(self) -> str:
        """What could not come across, in words ("" when nothing was lost)."""
        if not self.dropped:
            return ""
        parts = [f"{n} {what if n != 1 else what.rstrip('s')}"
                 for what, n in sorted(self.dropped.items())]
        tracked = " (the text is as it was before the tracked changes)" \
            if "tracked changes" in self.dropped else ""
        return "left out: " + ", ".join(parts) + tracked


def is_importable(path: Path) -> bool:
    return path.suffix.lower() in IMPORTABLE


def import_document(path: Path, accepted: bool = False) -> Imported:
    """A Word or OpenDocument file as Markdown; DocumentError with the reason otherwise.
    ``accepted``: a Word file's tracked changes made (else its text before them)."""
    suffix = path.suffix.lower()
    if suffix not in IMPORTABLE:
        known = ", ".join(IMPORTABLE)
        raise DocumentError(f"{path}: cannot import {suffix or 'this'} files (only {known})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if size > MAX_IMPORT_BYTES:
        raise DocumentError(f"{path}: is {size // 1_000_000} MB, more than the "
                            f"{MAX_IMPORT_BYTES // 1_000_000} MB Wordloom imports")
    kind = "Word" if suffix == ".docx" else "OpenDocument"
    try:
        if suffix == ".docx":
            from engine.documents.word import read_docx

            blocks, dropped, media = read_docx(path, accepted)
        else:
            from engine.documents.odt_reader import read_odt

            blocks, dropped, media = read_odt(path)
    except DocumentError:
        raise
    except Exception as exc:  # the file came from anywhere: any parser failure is its own
        log.info("importing %s failed", path, exc_info=True)
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise DocumentError(f"{path}: not a readable {kind} file ({reason})") from exc
    return Imported(to_markdown(blocks), blocks, dropped, media)


def html_page(markdown: str, title: str = "") -> str:
    """A standalone HTML page (no external files) for the Markdown text."""
    body = markdown_to_html(markdown)
    name = html.escape(title or "Untitled")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
            f"<title>{name}</title>\n<style>body{{max-width:42em;margin:2em auto;"
            "font-family:serif;line-height:1.5;padding:0 1em}table{border-collapse:collapse}"
            "td,th{border:1px solid #999;padding:.2em .5em}blockquote{margin-left:1.5em;"
            "color:#444}code,pre{font-family:monospace}</style>\n</head><body>\n"
            f"{body}</body></html>\n")


def export_document(markdown: str, path: Path, title: str = "", page: str = "") -> None:
    """Write ``markdown`` as ``path``'s format, atomically; ``page``: a paged format's
    page size (empty: its default)."""
    suffix = path.suffix.lower()
    if suffix in (*EXPORTABLE, ".markdown", ".txt", ".htm") and not path.parent.is_dir():
        raise DocumentError(f"{path}: cannot export: the folder {path.parent} does not exist")
    if suffix in _PAGED:
        writer, pages = _PAGED[suffix]
        data = writer(markdown, title or path.stem, page or pages[0])
    elif suffix == ".pdf":
        raise DocumentError(f"{path}: PDF is drawn by Qt; this program was started without "
                            "it (import render.pdf first)")
    elif suffix == ".docx":
        from engine.documents.word import write_docx

        data = write_docx(from_markdown(markdown), title)
    elif suffix == ".odt":
        from engine.documents.opendocument import write_odt

        data = write_odt(from_markdown(markdown), title)
    elif suffix in (".html", ".htm"):
        data = html_page(markdown, title).encode("utf-8")
    elif suffix in (".md", ".markdown", ".txt"):
        data = markdown.encode("utf-8")
    else:
        what = suffix or "a file without an extension"
        raise DocumentError(f"{path}: cannot export to {what} (Wordloom writes .docx, .odt, "
                            ".html, .pdf and .md)")
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise DocumentError(f"{path}: cannot export ({exc.strerror or exc})") from exc
