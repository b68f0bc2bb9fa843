"""The File menu's document commands in the window: new, open, save, save as, export, the
question about unsaved changes, and the window's title that says what is open."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from engine.config import Settings
from engine.documents.files import Document
from engine.paths import start_folder
from gui.documents.controller import DocumentController
from gui.editor.editor import Editor
from gui.grammar.controller import GrammarController
from gui.history.stats_controller import StatsController
from gui.window.preferences import Preferences
from gui.window.status_bar import StatusBar

FILTERS = "Text and Markdown (*.txt *.md *.markdown);;All files (*)"
OPEN_FILTERS = ("Documents (*.txt *.md *.markdown *.docx *.odt);;Text and Markdown (*.txt *.md "
                "*.markdown);;Word and OpenDocument (*.docx *.odt);;All files (*)")
MARKDOWN = (".md", ".markdown")


class FilesHost(Protocol):
    """What the document commands use of the window."""

    @property
    def settings(self) -> Settings: ...
    @property
    def documents(self) -> DocumentController: ...
    @property
    def editor(self) -> Editor: ...
    @property
    def status(self) -> StatusBar: ...
    @property
    def preferences(self) -> Preferences: ...
    @property
    def grammar(self) -> GrammarController | None: ...
    @property
    def stats(self) -> StatsController: ...
    def window(self) -> QWidget: ...


class FileCommands(QObject):
    def __init__(self, host: FilesHost) -> None:
        super().__init__(host.window())
        self.host = host
        docs = host.documents
        docs.opened.connect(self._opened)
        docs.open_failed.connect(lambda m: self.tell("Cannot open", m))
        docs.saved.connect(self._saved)
        docs.save_failed.connect(lambda m: self.tell("Not saved", m))
        docs.changed_on_disk.connect(self._changed_on_disk)
        docs.warning.connect(lambda m: host.status.showMessage(m, 10000))
        host.editor.document().modificationChanged.connect(self.update_title)
        host.editor.document_swapped.connect(self._swapped)

    def _swapped(self, old: QTextDocument, new: QTextDocument) -> None:
        old.modificationChanged.disconnect(self.update_title)
        new.modificationChanged.connect(self.update_title)
        self.update_title()

    def tell(self, title: str, message: str) -> None:
        """A message in the status bar, and in a box unless the window is quiet (tests,
        the smoke run)."""
        self.host.status.showMessage(message, 15000)
        if not self.host.window().property("quiet"):
            QMessageBox.warning(self.host.window(), title, message)

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False means the writer cancelled."""
        docs = self.host.documents
        if not docs.dirty:
            return True
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.host.window(), "Unsaved changes", f"Save the changes to {docs.doc.title}?",
            buttons.Save | buttons.Discard | buttons.Cancel, buttons.Save)
        if answer == buttons.Save:
            return self.save()
        return answer == buttons.Discard

    def new_document(self) -> None:
        if self.maybe_save():
            self.host.documents.new()

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self.host.window(), "Open",
                                              str(self.start_folder()), OPEN_FILTERS)
        if path:
            self.open_path(Path(path))

    def start_folder(self) -> Path:
        """Where Open, Save As and Export start (see engine.paths.start_folder)."""
        doc = self.host.documents.doc
        return start_folder(doc.path or doc.imported_from, self.host.settings.last_folder)

    def open_path(self, path: Path) -> None:
        self.host.status.showMessage(f"Opening {path.name}…")
        self.host.documents.open(path)

    def save(self) -> bool:
        if self.host.documents.doc.path is None:
            return self.save_as()
        return self.host.documents.save()

    def save_as(self) -> bool:
        doc = self.host.documents.doc
        name = doc.imported_from.with_suffix(".md").name if doc.imported_from else \
            doc.path.name if doc.path else f"{doc.title}.md"
        path, _ = QFileDialog.getSaveFileName(self.host.window(), "Save As",
                                              str(self.start_folder() / name), FILTERS)
        return bool(path) and self.host.documents.save(Path(path))

    def _opened(self, doc: Document) -> None:
        host = self.host
        path = doc.path
        if path is not None:
            host.preferences.remember(str(path))
            if host.grammar is not None:
                host.grammar.markup = "markdown" if path.suffix in MARKDOWN else "plaintext"
        elif doc.imported_from is not None and host.grammar is not None:
            host.grammar.markup = "markdown"
        host.editor.highlighter.set_markdown(path is None or path.suffix in MARKDOWN)
        host.status.showMessage(f"Opened {doc.title}", 4000)
        self.update_title()
        host.stats.new_document()

    def _saved(self, path: str) -> None:
        self.host.preferences.remember(path)
        self.update_title()
        self.host.status.showMessage(f"Saved {Path(path).name}", 4000)

    def _changed_on_disk(self, path: str) -> None:
        answer = QMessageBox.question(
            self.host.window(), "Changed on disk", f"{Path(path).name} was changed by another "
            "program since you opened it. Overwrite it with your version?")
        if answer == QMessageBox.StandardButton.Yes:
            self.host.documents.save(Path(path), overwrite_changed=True)

    def update_title(self, *_args: object) -> None:
        docs = self.host.documents
        window = self.host.window()
        window.setWindowTitle(f"{docs.doc.title}[*] — Wordloom")
        window.setWindowModified(docs.dirty)
        self.host.status.set_saved(docs.dirty, docs.doc.path is not None)
