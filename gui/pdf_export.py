"""PDF export, drawn by Qt: the Markdown as a standalone HTML page on pages of a chosen
size. Qt embeds the fonts it uses, falling back per character, so Chinese text needs a
CJK font on the system (packaging/deb/depends.txt installs one). The command line uses
this too, with an offscreen QGuiApplication."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from engine.documents.formats import html_page
from engine.errors import DocumentError

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter,
              "A5": QPageSize.PageSizeId.A5, "Legal": QPageSize.PageSizeId.Legal}


def export_pdf(markdown: str, path: Path, title: str = "", page: str = "A4") -> None:
    """Write the PDF atomically; DocumentError with the reason otherwise."""
    if page not in PAGE_SIZES:
        raise DocumentError(f"unknown page size '{page}' (known: {', '.join(PAGE_SIZES)})")
    if not path.parent.is_dir():
        raise DocumentError(f"{path}: cannot export: the folder {path.parent} does not exist")
    if QGuiApplication.instance() is None:  # the command line
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication([])  # lives until the PDF is written
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setTitle(title or path.stem)
        writer.setCreator("Wordloom")
        writer.setPageLayout(QPageLayout(QPageSize(PAGE_SIZES[page]),
                                         QPageLayout.Orientation.Portrait,
                                         QMarginsF(20, 20, 20, 20),
                                         QPageLayout.Unit.Millimeter))
        document = QTextDocument()
        document.setHtml(html_page(markdown, title))
        document.print_(writer)
        del writer  # flushes and closes the file
        if os.path.getsize(tmp) == 0:
            raise DocumentError(f"{path}: Qt could not write the PDF")
        os.replace(tmp, path)
    except OSError as exc:
        raise DocumentError(f"{path}: cannot export ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
