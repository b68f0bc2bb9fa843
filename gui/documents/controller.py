"""The open document: open, save, autosave journal, lock file, and crash safety."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget

from engine.documents.files import (
    Document,
    DocumentError,
    FileChangedError,
    open_document,
    save_document,
)
from engine.documents.formats import import_document, is_importable
from engine.documents.journal import DocumentLock, Journal, JournalEntry
from gui.editor.editor import Editor

log = logging.getLogger("wordloom.gui")
MAX_LINE = 1_000_000  # characters; longer lines would stall the text layout
MAX_CHARS = 20_000_000  # beyond this, showing the text would freeze the window


class _Loaded(QObject):
    done = Signal(object, object)  # Document or None, error message or None


class _LoadTask(QRunnable):
    def __init__(self, path: Path, signals: _Loaded) -> None:
        super().__init__()
        self.path = path
        self.signals = signals

    def run(self) -> None:
        try:
            doc = _import(self.path) if is_importable(self.path) else open_document(self.path)
            if len(doc.text) > MAX_CHARS:
                raise DocumentError(f"{self.path}: has {len(doc.text):,} characters; the "
                                    f"editor opens files up to {MAX_CHARS:,}")
            longest = max((len(line) for line in doc.text.split("\n")), default=0)
            if longest > MAX_LINE:
                raise DocumentError(f"{self.path}: has a line of {longest:,} characters; "
                                    f"Wordloom opens files whose lines are shorter than "
                                    f"{MAX_LINE:,} characters")
        except DocumentError as exc:
            self.signals.done.emit(None, str(exc))
            return
        except Exception as exc:
            log.exception("opening %s failed", self.path)
            self.signals.done.emit(None, f"{self.path}: cannot open it ({exc})")
            return
        self.signals.done.emit(doc, None)


def _import(path: Path) -> Document:
    """A Word or OpenDocument file as an unsaved Markdown document: Save asks where to
    keep the Markdown, so the original is never overwritten with a lossy copy. A Word file
    with tracked changes opens as its paragraphs before them, the changes pending in the
    Review dock (never merged silently)."""
    if path.suffix.lower() == ".docx":
        from engine.documents.tracked_reader import read_tracked_docx
        from engine.review.pending import Review

        tracked = read_tracked_docx(path)
        if tracked.changes:
            by = ", ".join(tracked.authors)
            return Document(text=tracked.text, imported_from=path, review=Review(
                tracked.text, tracked.changes).to_json(), warnings=[
                f"Imported {path.name} with {len(tracked.changes)} tracked change(s) by "
                f"{by}: they are in the Review dock to accept or reject; the text is its "
                "plain paragraphs while they are pending."] + [
                f"{path.name}: {note} (in neither the text nor the changes, as in Word)"
                for note in tracked.notes[:3]])
    imported = import_document(path)
    note = f"; {imported.note()}" if imported.note() else ""
    return Document(text=imported.markdown, imported_from=path, media=imported.media, warnings=[
        f"Imported {path.name} as Markdown{note}. Save keeps Markdown; Export writes "
        f"{'Word' if path.suffix.lower() == '.docx' else 'OpenDocument'} again."])


@dataclass
class SetAside:
    """A document taken out of the editor whole (its QTextDocument keeps the text, the
    undo history and the cursors) while another is shown: a project's open documents."""

    doc: Document
    doc_id: str
    text: QTextDocument
    lock: DocumentLock | None
    cursor: int = 0
    review: object = None  # the review's own part (gui.review.controller.stash)

    @property
    def dirty(self) -> bool:
        return self.text.isModified()


class DocumentController(QObject):
    opened = Signal(object)  # Document
    open_failed = Signal(str)
    saved = Signal(str)  # path
    save_failed = Signal(str)
    changed_on_disk = Signal(str)  # path: ask before overwriting
    warning = Signal(str)
    review_restored = Signal(dict)  # changes to review the journal kept, after a crash

    def __init__(self, editor: Editor, autosave_seconds: int) -> None:
        super().__init__()
        self.editor = editor
        self.doc = Document()
        self.journal = Journal()
        self.doc_id = Journal.new_id()
        self.lock: DocumentLock | None = None
        self._journaled = ""
        self._journaled_review = ""
        # the changes still to review, for the journal (set by the window)
        self.review_state: Callable[[], dict[str, Any] | None] | None = None
        self._loader = _Loaded()
        self._loader.done.connect(self._loaded)
        self.loading = False
        self.autosave = QTimer(self)
        self.autosave.setInterval(autosave_seconds * 1000)
        self.autosave.timeout.connect(self.write_journal)
        self.autosave.start()
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(1500)
        self.pause.timeout.connect(self.write_journal)
        editor.text_edited.connect(self.pause.start)

    @property
    def dirty(self) -> bool:
        return self.editor.document().isModified()

    # -- opening ---------------------------------------------------------------------------

    def open(self, path: Path) -> None:
        """Read in a worker thread; ``opened`` or ``open_failed`` follows."""
        self.loading = True
        QThreadPool.globalInstance().start(_LoadTask(Path(path), self._loader))

    def open_now(self, path: Path) -> Document:
        doc = _import(Path(path)) if is_importable(Path(path)) else open_document(Path(path))
        self._show(doc)
        return doc

    def _loaded(self, doc: Document | None, error: str | None) -> None:
        self.loading = False
        if doc is None:
            self.open_failed.emit(error or "cannot open the file")
            return
        self._show(doc)

    def _show(self, doc: Document) -> None:
        self.release()
        self.journal.discard(self.doc_id)
        self.doc = doc
        self.doc_id = Journal.new_id(doc.path)
        self.editor.setPlainText(doc.text)
        self.editor.document().setModified(False)
        self._journaled = doc.text
        self._journaled_review = ""
        if doc.path is not None:
            self.lock = DocumentLock(doc.path)
            other = self.lock.acquire()
            if other:
                self.warning.emit(other)
        if doc.imported_from is not None:
            self.editor.document().setModified(True)  # not kept anywhere yet
        self.opened.emit(doc)
        if doc.review:
            self.review_restored.emit(doc.review)
        for line in doc.warnings:
            self.warning.emit(line)

    def set_aside(self, keeper: QObject) -> SetAside:
        """Take the document out of the editor, whole, leaving an empty one shown; the
        journal keeps its unsaved text meanwhile."""
        self.pause.stop()
        self.write_journal()
        cursor = self.editor.textCursor().position()
        text = self.editor.swap_document(keeper)
        kept = SetAside(self.doc, self.doc_id, text, self.lock, cursor)
        self.lock = None
        self.doc = Document()
        self.doc_id = Journal.new_id()
        self._journaled = self._journaled_review = ""
        return kept

    def take_up(self, kept: SetAside, keeper: QObject) -> None:
        """Show a document set aside, as it was left (the one shown now must be clean or
        set aside itself)."""
        self.release()
        self.journal.discard(self.doc_id)
        shown = self.editor.swap_document(keeper, kept.text)
        shown.deleteLater()
        self.doc, self.doc_id, self.lock = kept.doc, kept.doc_id, kept.lock
        self._journaled = kept.text.toPlainText() if kept.dirty else ""
        self._journaled_review = ""
        cursor = self.editor.textCursor()
        cursor.setPosition(min(kept.cursor, kept.text.characterCount() - 1))
        self.editor.setTextCursor(cursor)
        self.opened.emit(self.doc)

    def offer_recovery(self, parent: QWidget,
                       orphans: list[JournalEntry] | None = None) -> None:
        """After a crash: offer the text the journal kept for documents left unsaved
        (``orphans`` when start-up has read them already)."""
        from gui.documents.recovery_dialog import RecoveryDialog

        journal = Journal()
        orphans = journal.orphans() if orphans is None else orphans
        if not orphans:
            return
        dialog = RecoveryDialog(orphans, journal, parent)

        def restore(entry: JournalEntry) -> None:
            self.restore(entry.path, entry.text)
            if entry.review:
                self.review_restored.emit(entry.review)
                self.write_journal()
            journal.discard(entry.doc_id)

        dialog.restore.connect(restore)
        dialog.exec()

    def new(self) -> None:
        self._show(Document())

    def restore(self, path: str, text: str) -> None:
        """Show recovered text for ``path`` (or an untitled document) as unsaved."""
        doc = Document()
        if path:
            try:
                doc = open_document(Path(path))
            except DocumentError:
                doc = Document(path=Path(path))
        self._show(doc)
        self.editor.setPlainText(text)
        self.editor.document().setModified(True)
        self.write_journal()

    # -- saving ----------------------------------------------------------------------------

    def save(self, path: Path | None = None, overwrite_changed: bool = False) -> bool:
        text = self.editor.toPlainText()
        target = Path(path) if path else self.doc.path
        if target is None:
            self.save_failed.emit("The document has no file name yet; use Save As.")
            return False
        if path is not None and target.suffix == "" and self.doc.path is None:
            target = target.with_suffix(".md")
        if target.suffix.lower() in (".docx", ".odt", ".pdf", ".html", ".htm"):
            self.save_failed.emit(f"{target.name}: Save keeps the text as Markdown or plain "
                                  "text; use File → Export for Word, OpenDocument, PDF or "
                                  "HTML.")
            return False
        try:
            warnings = save_document(self.doc, text, target,
                                     overwrite_changed=overwrite_changed)
        except FileChangedError:
            self.changed_on_disk.emit(str(target))
            return False
        except DocumentError as exc:
            self.save_failed.emit(str(exc))
            return False
        for line in warnings:
            self.warning.emit(line)
        self.editor.document().setModified(False)
        if self.lock is None or self.lock.path != target:
            self.release()
            self.lock = DocumentLock(target)
            self.lock.acquire()
        self.journal.discard(self.doc_id)
        self._journaled = text
        self._journaled_review = ""  # changes still to review go back in at the next write
        self.saved.emit(str(target))
        return True

    # -- journal ---------------------------------------------------------------------------

    def write_journal(self) -> None:
        """Put unsaved text, and changes still to review, in the recovery journal (only when
        they changed)."""
        review = self.review_state() if self.review_state is not None else None
        if not self.dirty and not review:
            return
        text = self.editor.toPlainText()
        kept = json.dumps(review, sort_keys=True) if review else ""
        if text == self._journaled and kept == self._journaled_review:
            return
        try:
            self.journal.write(self.doc_id, self.doc.path, text, self.doc.title, review)
            self._journaled = text
            self._journaled_review = kept
        except OSError as exc:
            log.warning("the recovery journal could not be written: %s", exc.strerror)

    def set_interval(self, seconds: int) -> None:
        self.autosave.setInterval(seconds * 1000)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def close_clean(self) -> None:
        """A normal close: nothing to recover."""
        self.autosave.stop()
        self.pause.stop()
        self.journal.discard(self.doc_id)
        self.release()
