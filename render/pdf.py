"""PDF export, drawn by Qt: the Markdown as a standalone HTML page on pages of a chosen
size. Qt embeds the fonts it uses, falling back per character, so Chinese text needs a
CJK font on the system (packaging/deb/depends.txt installs one). Importing this module
teaches ``engine.documents.formats.export_document`` to write ``.pdf``; without a window
(the command line) it starts an offscreen QGuiApplication for the drawing."""

from __future__ import annotations

import os

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from engine.documents.formats import html_page, register_paged
from engine.errors import DocumentError

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter,
              "A5": QPageSize.PageSizeId.A5, "Legal": QPageSize.PageSizeId.Legal}
_APP: list[QGuiApplication] = []  # the command line's, kept for the process


def pdf_bytes(markdown: str, title: str, page: str = "A4") -> bytes:
    """The PDF of ``markdown``; DocumentError for an unknown page size."""
    if page not in PAGE_SIZES:
        raise DocumentError(f"unknown page size '{page}' (known: {', '.join(PAGE_SIZES)})")
    if QGuiApplication.instance() is None:  # the command line
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP.append(QGuiApplication([]))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("Wordloom")
    writer.setPageLayout(QPageLayout(QPageSize(PAGE_SIZES[page]),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.setHtml(html_page(markdown, title))
    document.print_(writer)
    del writer  # flushes the last page into the buffer
    buffer.close()
    out = bytes(data.data())
    if not out:
        raise DocumentError("Qt could not draw the PDF")
    return out


register_paged(".pdf", pdf_bytes, tuple(PAGE_SIZES))
