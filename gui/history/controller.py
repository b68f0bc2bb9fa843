"""The open document's local history: versions kept on save, before an accepted suggestion
and once an hour while writing, written on the history's own lane so the window never
waits for the disk; restoring a version is one undo step and a version of its own."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from engine.errors import HistoryError
from engine.history.codec import Version, text_hash
from engine.history.compare import changes_html
from engine.history.compare import lines as cut_lines
from engine.history.daily import Goal
from engine.history.library import HistoryLibrary
from engine.history.store import HistoryStore
from gui.window.lane import Lane, OpContext

log = logging.getLogger("wordloom.gui")
HOURLY_S = 3600.0
CHECK_MS = 60_000


@dataclass
class Snapshot:
    """What the views show: the document's versions (newest first) and goal."""

    path: str = ""
    versions: list[Version] = field(default_factory=list)
    goal: Goal | None = None
    notes: list[str] = field(default_factory=list)


class HistoryKeeper:
    """Owned by the history lane: the library and the open document's store."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self.store: HistoryStore | None = None
        self.path = ""

    def attach(self, path: str, text: str, reason: str = "import") -> Snapshot:
        """Open the history of ``path``; the text as opened is kept when the history does
        not have it as its newest version (a new file, or one edited elsewhere): as it
        was found ("import"), or, for a document first written here, as saved."""
        self.close()
        opened = HistoryLibrary(self.root).open(Path(path), text)
        assert opened is not None
        self.store, self.path = opened.store, path
        latest = self.store.latest()
        if latest is None or self.store.text_hash_of(latest.id) != text_hash(text):
            self.store.record(text, reason)
        snap = self.snapshot()
        snap.notes = opened.notes
        return snap

    def record(self, text: str, reason: str, name: str = "") -> Snapshot:
        if self.store is not None:
            self.store.record(text, reason, name)
        return self.snapshot()

    def set_name(self, version_id: int, name: str) -> Snapshot:
        if self.store is not None:
            self.store.set_name(version_id, name)
        return self.snapshot()

    def set_goal(self, goal: Goal | None) -> Snapshot:
        if self.store is not None:
            self.store.set_meta("goal", goal.to_json() if goal else "")
        return self.snapshot()

    def snapshot(self) -> Snapshot:
        if self.store is None:
            return Snapshot()
        goal = None
        try:
            goal = Goal.from_json(self.store.get_meta("goal"))
        except HistoryError as exc:
            log.warning("%s", exc)
        return Snapshot(self.path, self.store.versions(), goal)

    def text(self, version_id: int) -> str:
        if self.store is None:
            raise HistoryError("this document has no history yet: save it first")
        return self.store.text(version_id)

    def detach(self) -> Snapshot:
        """An untitled document: no history until it is saved."""
        self.close()
        return Snapshot()

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store, self.path = None, ""


class HistoryController(QObject):
    changed = Signal(object)  # Snapshot
    shown = Signal(int, str, str)  # version id, its text, what changed since (HTML)
    message = Signal(str)
    stale = Signal()  # the text changed a second ago: a shown comparison is out of date

    def __init__(self, editor: object, documents: object, root: Path | None = None,
                 enabled: bool = True) -> None:
        super().__init__()
        from gui.documents.controller import DocumentController
        from gui.editor.editor import Editor

        assert isinstance(editor, Editor) and isinstance(documents, DocumentController)
        self.editor = editor
        self.documents = documents
        self.lane = Lane("history", HistoryKeeper(root), on_failed=self._failed)
        self.snapshot = Snapshot()
        self.enabled = enabled  # the writer's setting: keep versions at all
        self.attached = ""
        self.pending = 0  # operations queued on the lane and not finished
        self.last_recorded = 0.0
        self.recorded_at = -1  # the document's revision when a version was last kept
        self.put_back: Callable[[str], str | None] | None = None  # restores a version
        self.written_here = True  # the document was new here: its first save is writing
        documents.opened.connect(self._opened)
        documents.saved.connect(self._saved)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(1000)
        self.settle.timeout.connect(self.stale.emit)
        editor.text_edited.connect(self.settle.start)
        self.hourly = QTimer(self)
        self.hourly.setInterval(CHECK_MS)
        self.hourly.timeout.connect(self.while_writing)
        self.hourly.start()

    # -- what the document does ----------------------------------------------------------

    def set_enabled(self, enabled: bool) -> None:
        """Turned off, nothing more is kept (what was kept stays); turned on, the open
        document's history starts again from its text as saved."""
        if enabled == self.enabled:
            return
        self.enabled = enabled
        self._opened(self.documents.doc)

    def _opened(self, doc: object) -> None:
        self.snapshot = Snapshot()  # not the last document's versions, even for a moment
        self.changed.emit(self.snapshot)
        self.written_here = getattr(doc, "path", None) is None and \
            getattr(doc, "imported_from", None) is None  # a new document: words of today
        path = getattr(doc, "path", None)
        if path is None or not self.enabled:
            self.attached = ""
            self._run(lambda k, _c: k.detach())
            return
        self._attach(str(path), getattr(doc, "text", ""))

    def _attach(self, path: str, text: str, reason: str = "import") -> None:
        self.attached = path
        self.last_recorded = time.time()
        self.recorded_at = self._revision()
        self._run(lambda k, _c: k.attach(path, text, reason))

    def _saved(self, path: str) -> None:
        if not self.enabled:
            return
        text = self.documents.doc.text
        if path != self.attached:  # a first save or Save As: that file's history
            self._attach(path, text, "save" if self.written_here else "import")
            self.written_here = False
            self._record(text, "save")
            return
        self._record(text, "save")

    def _revision(self) -> int:
        """The document's edit count (read when needed: no Python runs per keystroke)."""
        return int(self.editor.document().revision())

    def before_change(self, reason: str) -> None:
        """Keep the text as it is before a suggestion (or a review change) lands, so "undo
        the AI" survives a restart."""
        if self.attached:
            self._record(self.editor.toPlainText(), reason)

    def while_writing(self) -> None:
        """At most one version an hour while the writer writes (unsaved text too)."""
        if self.attached and self._revision() != self.recorded_at and \
                time.time() - self.last_recorded >= HOURLY_S:
            self._record(self.editor.toPlainText(), "writing")

    def _record(self, text: str, reason: str, name: str = "") -> None:
        """Queued once the window is done with what it is doing (a save returns first:
        the history's thread would otherwise hold the interpreter while it finishes)."""
        self.last_recorded = time.time()
        self.recorded_at = self._revision()
        self.pending += 1

        def later() -> None:
            self.pending -= 1
            self._run(lambda k, _c: k.record(text, reason, name))

        QTimer.singleShot(0, self, later)

    # -- what the writer asks ------------------------------------------------------------

    def name_version(self, version_id: int, name: str) -> None:
        self._run(lambda k, _c: k.set_name(version_id, name))

    def keep_named(self, name: str) -> None:
        """Keep the text as it is now as a named version."""
        if not self.enabled:
            self.message.emit("Version history is off (Settings → App).")
            return
        if not self.attached:
            self.message.emit("Save the document first: history is kept for saved files.")
            return
        self._record(self.editor.toPlainText(), "snapshot", name)

    def set_goal(self, goal: Goal | None) -> None:
        if not self.attached:
            self.message.emit("Save the document first: its goal is kept with its history.")
            return
        self._run(lambda k, _c: k.set_goal(goal))

    def show(self, version_id: int) -> None:
        """Read a version and what changed from it to the text now (``shown`` follows)."""
        now = self.editor.toPlainText()
        removed, added = _diff_colors(self.editor)

        def work(keeper: HistoryKeeper, _ctx: OpContext) -> tuple[int, str, str]:
            text = keeper.text(version_id)
            return version_id, text, changes_html(cut_lines(text), cut_lines(now),
                                                  removed, added)

        self.pending += 1
        self.lane.run(work, self._show_done, self._failed_op)

    def restore(self, version_id: int) -> None:
        """Put a version back: the text now is kept first, the restore is one undo step.
        ``put_back`` (the window's) makes the text the editor's, after asking what the
        writer would lose; False: the writer said no, and nothing changes."""
        now = self.editor.toPlainText()

        def work(keeper: HistoryKeeper, _ctx: OpContext) -> str:
            return keeper.text(version_id)  # whole, or nothing changes

        def done(text: object) -> None:
            self.pending -= 1
            if not isinstance(text, str):
                return
            note: str | None = ""
            if self.put_back is not None:
                note = self.put_back(text)
                if note is None:
                    self.message.emit("The version was not restored.")
                    return
            else:
                self.editor.replace_range(0, _utf16_len(self.editor), text)
            self._record(now, "before-restore")
            self._record(text, "restore")
            self.message.emit(f"Restored version {version_id}.{note} Undo puts back what you "
                              "had.")

        self.pending += 1
        self.lane.run(work, done, self._failed_op)

    # -- lane plumbing -------------------------------------------------------------------

    def _run(self, fn: object) -> None:
        self.pending += 1
        self.lane.run(fn, self._done, self._failed_op)  # type: ignore[arg-type]

    def _done(self, snap: object) -> None:
        self.pending -= 1
        if isinstance(snap, Snapshot):
            self.snapshot = snap
            for note in snap.notes:
                self.message.emit(note)
            self.changed.emit(snap)

    def _show_done(self, result: object) -> None:
        self.pending -= 1
        if isinstance(result, tuple):
            self.shown.emit(*result)

    def _failed_op(self, message: str) -> None:
        self.pending -= 1
        self._failed(message)

    def _failed(self, message: str) -> None:
        log.warning("history: %s", message)
        self.message.emit(f"History: {message}")

    def keep_unsaved(self) -> None:
        """On closing with changes not saved (the writer chose Discard, or the window is
        going away): they are kept as a version, so "Discard" can be taken back."""
        if self.enabled and self.attached and self.documents.dirty:
            text = self.editor.toPlainText()
            self._run(lambda k, _c: k.record(text, "writing"))

    def stop(self) -> None:
        self.hourly.stop()
        self.settle.stop()
        self.lane.stop(HistoryKeeper.close)


def _utf16_len(editor: object) -> int:
    from gui.editor.editor import Editor

    assert isinstance(editor, Editor)
    return editor.document().characterCount() - 1


def _diff_colors(editor: object) -> tuple[str, str]:
    """Struck-out and added colours that read on the editor's background."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QWidget

    assert isinstance(editor, QWidget)
    dark = editor.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return ("#ff7b72", "#7ee787") if dark else ("#c0392b", "#1e8449")
