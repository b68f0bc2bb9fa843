"""The project's commands in the window: New, Open and Recent Projects, the tree's
operations, Search and Replace across the project, Build, and Go to Document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QDialog, QDockWidget, QFileDialog, QInputDialog

from engine.config import Settings
from engine.errors import WordloomError
from engine.project.tree import TEMPLATES
from gui.assist.controller import AssistController
from gui.documents.commands import FileCommands
from gui.grammar.controller import GrammarController
from gui.project.controller import Job, ProjectController, ProjectHost
from gui.project.dock import ProjectDock
from gui.project.proofread import ProjectProofread
from gui.project.search import ProjectSearch
from gui.project.search_panel import SearchPanel
from gui.review import commands as review_commands
from gui.window.preferences import Preferences

if TYPE_CHECKING:
    from gui.project.story import ProjectStory


class ProjectWindow(ProjectHost, Protocol):
    @property
    def settings(self) -> Settings: ...
    @property
    def preferences(self) -> Preferences: ...
    @property
    def docks(self) -> dict[str, QDockWidget]: ...
    @property
    def files(self) -> FileCommands: ...
    @property
    def grammar(self) -> GrammarController | None: ...
    @property
    def assist(self) -> AssistController | None: ...


class ProjectCommands(QObject):
    counted = Signal(object)  # ProjectStats or an error
    recent_changed = Signal()

    def __init__(self, window: ProjectWindow, dock: ProjectDock, search: SearchPanel) -> None:
        super().__init__(window.window())
        self.window = window
        self.dock, self.search = dock, search
        self.controller = ProjectController(window)
        c = self.controller
        c.changed.connect(self.redraw)
        c.message.connect(lambda m: window.status.showMessage(m, 10000))
        c.indexed.connect(lambda _n: self.redraw())
        self.counted.connect(self._counted)
        dock.open_requested.connect(c.open_document)
        dock.new_document.connect(self.new_document)
        dock.new_folder.connect(self.new_folder)
        dock.rename.connect(self.rename)
        dock.delete.connect(lambda rel: self._tree_op(lambda p: p.delete(rel),
                                                      f"{rel} sent to the trash (Undo "
                                                      "brings it back)"))
        dock.undo.connect(self.undo_tree)
        dock.place.connect(lambda rel: self._tree_op(lambda p: p.place(rel)))
        dock.status_set.connect(lambda rel, s: self._tree_op(lambda p: p.set_item(rel,
                                                                                   status=s)))
        dock.describe.connect(self.describe)
        dock.moved.connect(lambda rel, parent, index: self._tree_op(
            lambda p: p.move(rel, parent, None if index < 0 else index)))
        self.searching = ProjectSearch(self.controller, window, search)
        window.documents.opened.connect(lambda _d: self.redraw())
        window.review.changed.connect(self.redraw)
        self.proofread = ProjectProofread(
            self.controller, window.review,
            lambda: review_commands.proofread_document(window))  # type: ignore[arg-type]
        self.proofread.message.connect(lambda m: window.status.showMessage(m, 15000))
        self._story: ProjectStory | None = None  # made when first asked for

    # -- opening ----------------------------------------------------------------------------

    def new_project(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window.window(), "New Project: choose "
                                                  "or make its folder", str(Path.home()))
        if not folder:
            return
        template, ok = QInputDialog.getItem(self.window.window(), "New Project",
                                            "Start with:", list(TEMPLATES), 0, False)
        if not ok:
            return
        self.create(Path(folder), template)

    def create(self, folder: Path, template: str = "empty", title: str = "") -> bool:
        from engine.project.model import Project

        try:
            Project.init(folder, title, template, lock=False)
        except WordloomError as exc:
            self.window.files.tell("No project made", str(exc))
            return False
        return self.open_folder(folder)

    def open_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window.window(), "Open Project",
                                                  str(Path.home()))
        if folder:
            self.open_path(Path(folder))

    def open_path(self, folder: Path) -> None:
        self.open_folder(folder)

    def open_folder(self, folder: Path, show_first: bool = True) -> bool:
        """Open the project in ``folder`` (its first document too, when ``show_first`` and
        nothing of the writer's is shown); False, with a message, when it cannot be."""
        old = self.controller.project.manifest.words if self.controller.project else []
        try:
            project = self.controller.open(folder)
        except WordloomError as exc:
            self.window.status.showMessage(str(exc), 15000)
            self.window.files.tell("Cannot open the project", str(exc))
            return False
        grammar = self.window.grammar
        if grammar is not None:
            grammar.forget_session_words(old)
            grammar.accept_session_words(project.manifest.words)
            grammar.project_word = self._project_word
        self.use_story_bible()
        settings = self.window.settings
        others = [p for p in settings.recent_projects if p != str(project.root)]
        settings.recent_projects = [str(project.root), *others[:9]]
        settings.project_open = True
        self.window.preferences.persist()
        self.recent_changed.emit()
        self.window.docks["project"].show()
        self.window.docks["project"].raise_()
        self.window.status.showMessage(f"Opened the project {project.manifest.title}"
                                       + (" (read-only)" if project.read_only else ""), 6000)
        first = project.documents()[:1]
        if show_first and first and \
                not self.controller.holds(self.window.documents.doc.path) and \
                not self.window.documents.dirty:
            self.controller.open_document(first[0])
        return True

    def _project_word(self, word: str) -> bool:
        project = self.controller.project
        if project is None or project.read_only:
            return False
        try:
            if project.add_word(word):
                self.window.status.showMessage(f"“{word}” added to the dictionary of "
                                               f"{project.manifest.title}", 6000)
        except WordloomError as exc:
            self.window.status.showMessage(str(exc), 10000)
            return False
        return True

    def use_story_bible(self, reread: bool = False) -> None:
        """The open project's knowledge base with the writer's own, for facts and the
        Ontology dock (``reread``: it changed on disk)."""
        from ontology.story_kb import kb_path

        assist, project = self.window.assist, self.controller.project
        if assist is None:
            return
        path = kb_path(project.root) if project is not None else None
        wanted = str(path) if path is not None and path.exists() else ""
        if reread and wanted == assist.project_ontology:
            assist.start_ontology()
        else:
            assist.use_project_ontology(wanted)

    @property
    def story(self) -> ProjectStory:
        """The story bible's commands (its reading, proposals and knowledge base load
        only when the writer first asks for People and Places)."""
        if self._story is None:
            from gui.project.story import ProjectStory

            self._story = ProjectStory(self.controller, self.window.review)
            self._story.message.connect(lambda m: self.window.status.showMessage(m, 10000))
            self._story.accepted.connect(self._story_changed)
        return self._story

    def open_story(self) -> None:
        self.story.open()

    def _story_changed(self) -> None:
        """Entries accepted into the story bible: their names are the project's words now,
        and its facts are read again."""
        project, grammar = self.controller.project, self.window.grammar
        if grammar is not None and project is not None:
            grammar.accept_session_words(project.manifest.words)
        self.use_story_bible(reread=True)

    def close_project(self) -> None:
        project = self.controller.project
        if self.window.grammar is not None and project is not None:
            self.window.grammar.forget_session_words(project.manifest.words)
            self.window.grammar.project_word = None
        self.controller.close()
        self.use_story_bible()
        self.window.settings.project_open = False
        self.window.preferences.persist()

    # -- the tree ---------------------------------------------------------------------------

    def redraw(self) -> None:
        project = self.controller.project
        if project is None:
            self.dock.show_tree("", [], {}, False)
            return
        words = self.controller.index.words() if self.controller.index else {}
        shown = self.window.documents.doc.path
        rel = shown.resolve().relative_to(project.root).as_posix() \
            if self.controller.holds(shown) and shown is not None else ""
        title = project.manifest.title + (" (read-only)" if project.read_only else "")
        self.dock.show_tree(f"{title}: {sum(words.get(d, 0) for d in project.documents()):,}"
                            " words", project.tree(), words, not project.read_only, rel,
                            project.undo_label(), self.controller.pending_counts())

    def _tree_op(self, op: object, said: str = "") -> None:
        project = self.controller.project
        if project is None:
            return
        try:
            op(project)  # type: ignore[operator]
        except WordloomError as exc:
            self.window.status.showMessage(str(exc), 10000)
            return
        if said:
            self.window.status.showMessage(said, 8000)
        self.controller.changed_tree()

    def _ask(self, title: str, label: str, text: str = "") -> str:
        name, ok = QInputDialog.getText(self.window.window(), title, label, text=text)
        return name.strip() if ok else ""

    def new_document(self, folder: str) -> None:
        name = self._ask("New Document", "Name:")
        if name and self.controller.project is not None:
            made: list[str] = []
            self._tree_op(lambda p: made.append(p.new_document(folder, name)))
            if made:
                self.controller.open_document(made[0])

    def new_folder(self, folder: str) -> None:
        name = self._ask("New Folder", "Name:")
        if name:
            self._tree_op(lambda p: p.new_folder(folder, name))

    def rename(self, rel: str) -> None:
        current = Path(rel.rstrip("/"))
        name = self._ask("Rename", "New name:", current.stem if not rel.endswith("/")
                         else current.name)
        if not name or self.controller.project is None:
            return
        shown = self.window.documents
        old_path = self.controller.project.path(rel)
        new: list[str] = []
        self._tree_op(lambda p: new.append(p.rename(rel, name)))
        if new and shown.doc.path is not None and (shown.doc.path == old_path or
                                                   old_path in shown.doc.path.parents):
            shown.doc.path = self.controller.project.path(new[0]) / \
                shown.doc.path.relative_to(old_path) if rel.endswith("/") else \
                self.controller.project.path(new[0])
            self.window.files.update_title()

    def describe(self, rel: str, what: str) -> None:
        """A document's word target or synopsis, asked for and kept in the project file."""
        project = self.controller.project
        item = project.manifest.item(rel) if project is not None else None
        if item is None:
            return
        parent = self.window.window()
        if what == "target":
            words, ok = QInputDialog.getInt(parent, "Word Target", f"Words for {rel} (0: "
                                            "none):", item.target, 0, 10_000_000, 500)
            if ok:
                self._tree_op(lambda p: p.set_item(rel, target=words))
            return
        text, ok = QInputDialog.getMultiLineText(parent, "Synopsis", f"What happens in {rel}:",
                                                 item.synopsis)
        if ok:
            self._tree_op(lambda p: p.set_item(rel, synopsis=text.strip()))

    def undo_tree(self) -> None:
        project = self.controller.project
        if project is not None and project.undo_label():
            self._tree_op(lambda p: self.window.status.showMessage(f"Undone: {p.undo()}", 6000))

    # -- build and go to ---------------------------------------------------------------------

    def build(self) -> None:
        from dataclasses import replace as with_

        from engine.project.build import build
        from gui.project.build_dialog import PRESET, BuildDialog

        project = self.controller.project
        if project is None:
            self.window.status.showMessage("Open a project first (File → Open Project…)", 8000)
            return
        dialog = BuildDialog(project, self.window.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        preset, target = dialog.preset(), dialog.target()
        if target.suffix.lower() == ".pdf":
            from render import pdf  # noqa: F401  (Qt draws PDFs; imported only for them)
        try:
            chapters = build(project, target, preset)
            if not project.read_only:
                project.manifest.builds[PRESET] = with_(preset, only=preset.only)
                project.commit(project.manifest)
        except WordloomError as exc:
            self.window.files.tell("The book was not built", str(exc))
            return
        self.window.status.showMessage(f"Built {target.name}: {len(chapters)} chapter(s)",
                                       10000)

    def statistics(self) -> None:
        """The project's statistics, counted on a worker thread, then shown."""
        from engine.project.stats import project_stats

        project = self.controller.project
        if project is None:
            self.window.status.showMessage("Open a project first (File → Open Project…)", 8000)
            return
        self.window.status.showMessage("Counting the project…")
        QThreadPool.globalInstance().start(Job(lambda: project_stats(project), self.counted))

    def _counted(self, result: object) -> None:
        from engine.project.stats import ProjectStats
        from gui.project.stats_dialog import ProjectStatsDialog

        project = self.controller.project
        if project is None or not isinstance(result, ProjectStats):
            self.window.status.showMessage(str(result), 10000)
            return
        self.window.status.clearMessage()
        dialog = ProjectStatsDialog(project.manifest.title, result, self.window.window())
        if dialog.exec() != QDialog.DialogCode.Accepted or project.read_only:
            return
        words, by = dialog.goal()
        manifest = project.manifest.copy()
        manifest.goal_words, manifest.goal_by = words, by if words else None
        try:
            project.commit(manifest)
        except WordloomError as exc:
            self.window.status.showMessage(str(exc), 10000)

    def show_search(self) -> None:
        self.searching.show()

    def go_to(self) -> None:
        from gui.project.switcher import QuickSwitcher

        project = self.controller.project
        if project is None:
            self.window.status.showMessage("Open a project first (File → Open Project…)", 8000)
            return
        switcher = QuickSwitcher(project.documents() + project.unplaced, self.window.window())
        if switcher.exec() == QDialog.DialogCode.Accepted and switcher.chosen():
            self.controller.open_document(switcher.chosen())
