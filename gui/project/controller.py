"""The project open in the window: its tree, the documents open from it, its search
index (built and kept up to date on a worker thread), and changes made outside.

Opening a document of the project sets the one shown aside whole (its text, undo
history and pending review: ``gui.documents.controller.SetAside``), so that going back to
it finds it as it was left. A change on disk to a document with no unsaved edits
reloads it; one with unsaved edits is asked about, never overwritten.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QMessageBox, QWidget

from engine.documents.files import disk_changed, open_document, save_document
from engine.errors import WordloomError
from gui.documents.controller import DocumentController, SetAside
from gui.editor.editor import Editor
from gui.review.controller import ReviewController
from gui.window.status_bar import StatusBar

if TYPE_CHECKING:
    from engine.project.index import Hit, SearchIndex
    from engine.project.model import Project
    from engine.project.watch import ProjectWatcher


class ProjectHost(Protocol):
    """What the project uses of the window."""

    @property
    def editor(self) -> Editor: ...
    @property
    def documents(self) -> DocumentController: ...
    @property
    def review(self) -> ReviewController: ...
    @property
    def status(self) -> StatusBar: ...
    def window(self) -> QWidget: ...


class Job(QRunnable):
    def __init__(self, work: Callable[[], object], done: SignalInstance) -> None:
        super().__init__()
        self.work, self.done = work, done

    def run(self) -> None:
        try:
            result: object = self.work()
        except (WordloomError, OSError) as exc:
            result = exc
        self.done.emit(result)


class ProjectController(QObject):
    changed = Signal()  # the tree, the counts or the open state
    indexed = Signal(object)  # documents read again (int), or the error
    searched = Signal(object)  # (hits, milliseconds), or the error
    _outside = Signal(object)  # paths changed on disk (from the watcher's thread)
    message = Signal(str)

    def __init__(self, host: ProjectHost) -> None:
        super().__init__(host.window())
        self.host = host
        self.project: Project | None = None
        self.index: SearchIndex | None = None
        self.watcher: ProjectWatcher | None = None
        self.aside: dict[Path, SetAside] = {}
        self.indexing = False
        self._again = False
        self._cancel = threading.Event()
        self._outside.connect(self.taken_in)
        self.indexed.connect(self._indexed)
        host.documents.saved.connect(self._saved)

    # -- opening and closing -----------------------------------------------------------------

    def open(self, root: Path) -> Project:
        """Open the project in ``root`` (raises a one-line error); the tree is shown at
        once, the index is brought up to date behind it."""
        from engine.project.index import SearchIndex  # (loaded with the first project, not
        from engine.project.model import Project  # at start-up)
        from engine.project.watch import ProjectWatcher

        project = Project.open(root)
        self.close()
        self.project = project
        self.index = SearchIndex(project.root)
        self.watcher = ProjectWatcher(project.root, self._outside.emit)
        self.watcher.start()
        for note in project.notes:
            self.message.emit(note)
        self.changed.emit()
        self.reindex()
        return project

    def close(self) -> None:
        """Close the project (the window asked about unsaved work first)."""
        if self.project is None:
            return
        self._cancel.set()
        if self.watcher is not None:
            self.watcher.stop()
        QThreadPool.globalInstance().waitForDone(10_000)
        for kept in self.aside.values():
            self.host.documents.journal.discard(kept.doc_id)
            if kept.lock is not None:
                kept.lock.release()
            kept.text.deleteLater()
        self.aside.clear()
        if self.index is not None:
            self.index.close()
        self.project.close()
        self.project, self.index, self.watcher = None, None, None
        self._cancel = threading.Event()
        self.changed.emit()

    # -- the index --------------------------------------------------------------------------

    def reindex(self) -> None:
        if self.project is None or self.index is None:
            return
        if self.indexing:
            self._again = True
            return
        self.indexing = True
        index, cancel = self.index, self._cancel
        paths = self.project.documents() + self.project.unplaced
        QThreadPool.globalInstance().start(Job(lambda: index.sync(paths, cancel=cancel),
                                                self.indexed))

    def _indexed(self, result: object) -> None:
        self.indexing = False
        if isinstance(result, Exception):
            self.message.emit(f"The search index could not be brought up to date: {result}")
        if self._again:
            self._again = False
            self.reindex()

    def search(self, query: str, *, whole_word: bool, case: bool, regex: bool) -> None:
        """Search on a worker thread; ``searched`` follows."""
        if self.project is None or self.index is None:
            return
        index, order = self.index, self.project.documents()
        QThreadPool.globalInstance().start(Job(
            lambda: index.search(query, whole_word=whole_word, case=case, regex=regex,
                                 order=order), self.searched))

    # -- documents --------------------------------------------------------------------------

    def holds(self, path: Path | None) -> bool:
        return self.project is not None and path is not None and \
            self.project.root in Path(path).resolve().parents

    def open_document(self, rel: str, hit: Hit | None = None) -> None:
        """Show a document of the project (at a search hit), setting the one shown aside
        whole when it belongs to the project."""
        if self.project is None:
            return
        docs, review = self.host.documents, self.host.review
        path = self.project.path(rel)
        if docs.doc.path != path:
            current = docs.doc.path
            if current is not None and self.holds(current):
                kept_review = review.stash()
                kept = docs.set_aside(self)
                kept.review = kept_review
                self.aside[current] = kept
            elif docs.dirty:
                self.message.emit(f"Save or close {docs.doc.title} first: it is not part "
                                  "of the project")
                return
            taken = self.aside.pop(path, None)
            if taken is not None and not taken.dirty and disk_changed(taken.doc):
                taken.text.deleteLater()  # changed on disk, nothing unsaved: read it again
                taken = None
            if taken is not None:
                docs.take_up(taken, self)
                review.unstash(taken.review)  # type: ignore[arg-type]
            else:
                try:
                    docs.open_now(path)
                except WordloomError as exc:
                    self.message.emit(str(exc))
                    return
        if hit is not None:
            self._show_hit(hit)
        self.changed.emit()

    def _show_hit(self, hit: Hit) -> None:
        editor = self.host.editor
        block = editor.document().findBlockByNumber(hit.line - 1)
        if not block.isValid():
            return
        text = block.text()
        start = len(text[:hit.column - 1].encode("utf-16-le")) // 2
        end = start + len(text[hit.column - 1:hit.column - 1 + hit.length]
                          .encode("utf-16-le")) // 2
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + end, QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.centerCursor()
        editor.setFocus()

    def pending_counts(self) -> dict[str, int]:
        """Changes still to review, by document of the project (the shown one's too)."""
        if self.project is None:
            return {}
        root, out = self.project.root, {}
        shown = self.host.documents.doc.path
        if self.holds(shown) and shown is not None and self.host.review.review.changes:
            out[shown.resolve().relative_to(root).as_posix()] = len(
                self.host.review.review.changes)
        for path, kept in self.aside.items():
            review = kept.review[0] if isinstance(kept.review, tuple) else None
            if review is not None and review.changes:
                out[path.resolve().relative_to(root).as_posix()] = len(review.changes)
        return out

    def unsaved(self) -> list[tuple[str, Callable[[], bool]]]:
        """The documents set aside with unsaved edits: (title, how to save it)."""
        return [(kept.doc.title, partial(self._save_aside, kept))
                for kept in self.aside.values() if kept.dirty]

    def _save_aside(self, kept: SetAside) -> bool:
        try:
            save_document(kept.doc, kept.text.toPlainText())
        except WordloomError as exc:
            self.message.emit(str(exc))
            return False
        kept.text.setModified(False)
        self.host.documents.journal.discard(kept.doc_id)
        return True

    # -- changes -------------------------------------------------------------------------------

    def _saved(self, path: str) -> None:
        if self.project is None or self.index is None or not self.holds(Path(path)):
            return
        rel = Path(path).resolve().relative_to(self.project.root).as_posix()
        self.project.refresh()
        self.index.update(rel, self.host.editor.toPlainText())
        self.changed.emit()

    def changed_tree(self) -> None:
        """After an operation on the tree: counts and the index follow."""
        self.changed.emit()
        self.reindex()

    def taken_in(self, paths: set[str]) -> None:
        """Paths changed on disk (by another program, or by a replace): the tree, the
        index and the documents open follow."""
        if self.project is None:
            return
        for line in self.project.refresh():
            self.message.emit(line)
        docs = self.host.documents
        for rel in sorted(paths):
            path = self.project.path(rel)
            if docs.doc.path == path and disk_changed(docs.doc):
                self._reload_shown(path)
            kept = self.aside.get(path)
            if kept is not None and not kept.dirty and disk_changed(kept.doc):
                self.aside.pop(path).text.deleteLater()  # read again when next opened
        self.changed.emit()
        self.reindex()

    def _reload_shown(self, path: Path) -> None:
        docs = self.host.documents
        if docs.dirty:
            answer = QMessageBox.question(
                self.host.window(), "Changed on disk",
                f"{path.name} was changed by another program, and you have unsaved edits "
                "in it. Reload it and lose your edits? (No keeps your version: saving then "
                "asks before it overwrites.)")
            if answer != QMessageBox.StandardButton.Yes:
                return
        position = self.host.editor.textCursor().position()
        try:
            document = open_document(path)
        except WordloomError as exc:
            self.message.emit(str(exc))
            return
        self.host.review.stash()
        docs.open_now(path)
        cursor = self.host.editor.textCursor()
        cursor.setPosition(min(position, len(document.text),
                               self.host.editor.document().characterCount() - 1))
        self.host.editor.setTextCursor(cursor)
        self.message.emit(f"{path.name} was changed outside Wordloom and read again")
