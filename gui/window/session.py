"""Where the writer left off, in the window: kept when it closes (the document, the
cursor, the scroll, the docks and the window's size), and given back at the next start
when the setting says so."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMainWindow

from engine.config import Settings
from engine.documents.files import Document
from engine.session import Session, load_session, save_session
from gui.documents.commands import FileCommands
from gui.documents.controller import DocumentController
from gui.editor.editor import Editor


class SessionWindow(Protocol):
    @property
    def settings(self) -> Settings: ...
    @property
    def editor(self) -> Editor: ...
    @property
    def documents(self) -> DocumentController: ...
    @property
    def files(self) -> FileCommands: ...


def keep(window: SessionWindow, main: QMainWindow) -> None:
    """The session as the window closes."""
    editor = window.editor
    doc = window.documents.doc
    path = doc.path or doc.imported_from
    save_session(Session(
        document=str(path) if path is not None else "",
        cursor=editor.textCursor().position(),
        top=editor.firstVisibleBlock().blockNumber(),
        geometry=bytes(main.saveGeometry().toBase64().data()).decode("ascii"),
        state=bytes(main.saveState().toBase64().data()).decode("ascii")))


def layout(window: SessionWindow, main: QMainWindow) -> None:
    """The window's size and docks as they were (before it is first shown)."""
    session = load_session()
    if not window.settings.reopen_last:
        return
    if session.geometry:
        main.restoreGeometry(QByteArray.fromBase64(session.geometry.encode("ascii")))
    if session.state:
        main.restoreState(QByteArray.fromBase64(session.state.encode("ascii")))


def reopen(window: SessionWindow) -> bool:
    """Open the last document again, with its cursor and scroll where they were; False
    when there is none to open (or the setting is off)."""
    session = load_session()
    if not window.settings.reopen_last or not session.document or \
            not Path(session.document).is_file():
        return False
    docs, editor = window.documents, window.editor

    def opened(doc: Document) -> None:
        docs.opened.disconnect(opened)
        if str(doc.path or doc.imported_from) == session.document:
            QTimer.singleShot(0, lambda: show_place(editor, session.top, session.cursor))

    docs.opened.connect(opened)
    window.files.open_path(Path(session.document))
    return True


def show_place(editor: Editor, top: int, position: int) -> None:
    """The cursor at ``position`` and paragraph ``top`` first in view. The scroll bar
    counts lines as laid out so far (Qt lays a long text out as it is shown), so the
    value a paragraph needs is asked of the layout now, not taken from the last run."""
    document = editor.document()
    cursor = QTextCursor(document)
    cursor.setPosition(min(position, document.characterCount() - 1))
    editor.setTextCursor(cursor)
    block = document.findBlockByNumber(min(top, document.blockCount() - 1))
    editor.verticalScrollBar().setValue(block.firstLineNumber())
