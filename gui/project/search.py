"""Find and replace across the project, in the Project Search dock: the search runs on
a worker; a replace is first a list of every hit, each a change to keep or leave, then
one write of every changed file (a version of each kept first), undone as one step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QDockWidget

from engine.errors import WordloomError
from engine.project.index import Hit
from gui.documents.controller import DocumentController
from gui.project.controller import Job, ProjectController
from gui.project.search_panel import SearchPanel

if TYPE_CHECKING:
    from engine.project.replace import Applied, FileReplace


class SearchWindow(Protocol):
    @property
    def docks(self) -> dict[str, QDockWidget]: ...
    @property
    def documents(self) -> DocumentController: ...


class ProjectSearch(QObject):
    previewed = Signal(object)  # (files, notes, left out) or an error

    def __init__(self, controller: ProjectController, window: SearchWindow,
                 search: SearchPanel) -> None:
        super().__init__(controller)
        self.controller, self.window, self.search = controller, window, search
        self.files: list[FileReplace] = []
        self.applied: Applied | None = None
        controller.searched.connect(self._searched)
        self.previewed.connect(self._previewed)
        search.find_requested.connect(self._find)
        search.preview_requested.connect(self._preview)
        search.apply_requested.connect(self.apply_replace)
        search.undo_requested.connect(self.undo_replace)
        search.hit_chosen.connect(self._hit)

    def show(self) -> None:
        self.window.docks["search"].show()
        self.window.docks["search"].raise_()
        self.search.query.setFocus()
        self.search.query.selectAll()

    def _find(self, query: str, whole: bool, case: bool, regex: bool) -> None:
        if self.controller.project is None:
            self.search.summary.setText("Open a project first (File → Open Project…)")
            return
        self.controller.search(query, whole_word=whole, case=case, regex=regex)

    def _searched(self, result: object) -> None:
        if isinstance(result, Exception):
            self.search.summary.setText(str(result))
            return
        hits, took = cast("tuple[list[Hit], float]", result)
        self.search.show_hits(hits, took)

    def _hit(self, hit: Hit) -> None:
        self.controller.open_document(hit.path, hit if hit.length else None)

    def _preview(self, old: str, new: str, whole: bool, case: bool, regex: bool) -> None:
        from engine.project.replace import preview
        project = self.controller.project
        if project is None:
            self.search.summary.setText("Open a project first (File → Open Project…)")
            return
        unsaved = {p for p, k in self.controller.aside.items() if k.dirty}
        if self.window.documents.dirty and self.window.documents.doc.path is not None:
            unsaved.add(self.window.documents.doc.path)
        chosen = [r for r in project.documents() + project.unplaced
                  if project.path(r) not in unsaved]
        left = [p.name for p in unsaved if self.controller.holds(p)]
        QThreadPool.globalInstance().start(Job(
            lambda: (*preview(project, old, new, whole_word=whole, case=case, regex=regex,
                              only=chosen), left), self.previewed))

    def _previewed(self, result: object) -> None:
        if isinstance(result, Exception):
            self.search.summary.setText(str(result))
            return
        files, notes, left = cast("tuple[list[FileReplace], list[str], list[str]]", result)
        if left:
            notes = [*notes, f"Not searched, as they have unsaved edits: {', '.join(left)}."]
        self.files = files
        self.search.show_changes(files, notes)

    def apply_replace(self) -> None:
        project = self.controller.project
        if project is None or not self.files:
            return
        ticked = self.search.ticked()
        for item in self.files:
            keep = ticked.get(item.path, set())
            for change in list(item.review.changes):
                if change.id not in keep:
                    item.review.reject(change.id)
        from engine.project.replace import apply

        try:
            self.applied = apply(project, self.files)
        except WordloomError as exc:
            self.search.summary.setText(str(exc))
            return
        done = self.applied
        self.files = []
        self.search.results.clear()
        self.search.apply_button.setEnabled(False)
        self.search.undo_button.setEnabled(bool(done.files))
        count = sum(1 for _ in done.files)
        self.search.summary.setText(f"Replaced in {count} document(s); a version of each "
                                    "was kept first. " + " ".join(done.notes))
        self.controller.taken_in({p for p, _b, _h in done.files})

    def undo_replace(self) -> None:
        project = self.controller.project
        if project is None or self.applied is None:
            return
        from engine.project.replace import undo

        notes = undo(project, self.applied)
        paths = {p for p, _b, _h in self.applied.files}
        self.applied = None
        self.search.undo_button.setEnabled(False)
        self.search.summary.setText("The replace was undone in every document. " +
                                    " ".join(notes))
        self.controller.taken_in(paths)
