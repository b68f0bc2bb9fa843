"""The main window: editor in the middle, the AI panel, issues and ontology as docks."""

from __future__ import annotations

import gc
import sys
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QWidget

from engine.config import Settings
from engine.documents.journal import JournalEntry
from engine.grammar.issues import CheckResult
from engine.version import __version__
from gui.assist.controller import AssistController
from gui.assist.panel import AssistantPanel
from gui.documents.commands import FileCommands
from gui.documents.controller import DocumentController
from gui.editor.editor import Editor
from gui.editor.markdown_preview import MarkdownPreview
from gui.grammar.controller import GrammarController
from gui.grammar.issues_panel import IssuesPanel
from gui.history import commands as history_commands
from gui.history.controller import HistoryController
from gui.history.panel import HistoryPanel
from gui.history.stats_controller import StatsController
from gui.history.stats_panel import StatsPanel
from gui.knowledge.consistency_check import ConsistencyCheck
from gui.knowledge.controller import KnowledgeController
from gui.knowledge.panel import OntologyPanel
from gui.project.commands import ProjectCommands
from gui.project.dock import ProjectDock
from gui.project.search_panel import SearchPanel
from gui.review import commands as review_commands
from gui.review.controller import ReviewController
from gui.review.margin import ReviewMargin
from gui.review.panel import ReviewPanel
from gui.window import closing
from gui.window.changes import Changes
from gui.window.first_frame import FirstFrame
from gui.window.lane import Lane, hold_work, release_work
from gui.window.menus import build_menus
from gui.window.ontology_host import OntologyHost
from gui.window.preferences import Preferences
from gui.window.status_bar import StatusBar
from gui.window.unsaved_dialog import Unsaved, ask_about_unsaved

SWITCH_INTERVAL_S = 0.001  # see MainWindow.__init__


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, start_workers: bool = True) -> None:
        super().__init__()
        self.settings = settings
        self.setObjectName("mainWindow")
        self.setAccessibleName("Wordloom")
        self.resize(1280, 800)
        self.editor = Editor()
        self.setCentralWidget(self.editor)
        self.panel = AssistantPanel()
        self.issues = IssuesPanel()
        self.ontology = OntologyPanel()
        self.docks: dict[str, QDockWidget] = {}
        self._dock("assistant", "AI Assistant", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self._dock("issues", "Issues", self.issues, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._dock("ontology", "Ontology", self.ontology, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.preview = MarkdownPreview(self.editor)
        self._dock("preview", "Preview", self.preview, Qt.DockWidgetArea.RightDockWidgetArea)
        self.docks["preview"].hide()
        self.history_panel = HistoryPanel()
        self._dock("history", "Version History", self.history_panel,
                   Qt.DockWidgetArea.BottomDockWidgetArea)
        self.stats_panel = StatsPanel()
        self._dock("stats", "Statistics", self.stats_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.review_panel = ReviewPanel()
        self._dock("review", "Review", self.review_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        for key in ("review", "history", "stats"):  # tabs beside Issues, below the editor
            self.tabifyDockWidget(self.docks["issues"], self.docks[key])
            self.docks[key].hide()
            self.docks[key].visibilityChanged.connect(
                partial(history_commands.roomy, self.docks[key]))
        self.project_dock = ProjectDock()
        self._dock("project", "Project", self.project_dock, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.tabifyDockWidget(self.docks["ontology"], self.docks["project"])
        self.docks["project"].hide()  # shown when a project opens (View → Project)
        self.search_panel = SearchPanel()
        self._dock("search", "Project Search", self.search_panel,
                   Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.docks["issues"], self.docks["search"])
        self.docks["search"].hide()
        self.status = StatusBar()
        self.setStatusBar(self.status)
        self.resizeDocks([self.docks["assistant"], self.docks["ontology"]], [430, 300],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["issues"]], [170], Qt.Orientation.Vertical)
        self.changes = Changes(self)
        self.changes.settings.connect(self._settings_changed)
        self.documents = DocumentController(self.editor, settings.autosave_seconds)
        self.history = HistoryController(self.editor, self.documents,
                                         enabled=settings.keep_history)
        self.stats = StatsController(self.editor, self.status, self.stats_panel,
                                     self.docks["stats"], self.history)
        if start_workers:
            # Python hands its lock to a waiting thread after this long: the workers'
            # Python (model metadata, scoring, the lexicon) then delays a repaint by about
            # 1 ms per hand-over instead of 5 (load stalls 44-54 ms -> 22-30 ms, bench/
            # gui_latency.py); the workers' C code (llama.cpp, Harper) lets go anyway.
            sys.setswitchinterval(SWITCH_INTERVAL_S)
            hold_work()  # the workers load once the window has drawn its first frame
            FirstFrame(self.editor.viewport(), release_work)
        self.grammar = GrammarController(self.editor, settings, self.changes) \
            if start_workers else None
        # the ontology's thread is the window's: the assistant reads facts on it, the
        # knowledge base edits and saves on it, the consistency check starts HermiT on it
        self.ontology_lane = Lane("ontology", OntologyHost()) if start_workers else None
        self.assist = AssistController(self.editor, self.panel, settings, self.ontology_lane,
                                       self.changes, self.grammar.lane if self.grammar else None) \
            if self.ontology_lane is not None else None
        self.consistency = ConsistencyCheck(self.ontology_lane, self) \
            if self.ontology_lane is not None else None
        for controller in (self.documents, self.grammar, self.assist, self.history, self.stats):
            if controller is not None:
                controller.setParent(self)  # their timers die with the window
        self.review = ReviewController(self.editor,
                                       self.assist.model if self.assist is not None else None)
        self.review.setParent(self)
        self.review_margin = ReviewMargin(self.editor, self.review.visible)
        if self.assist is not None:
            self.assist.lane_taken = lambda: self.review.running
        self.preferences = Preferences(self)
        self.files = FileCommands(self)
        self.projects = ProjectCommands(self, self.project_dock, self.search_panel)
        self.knowledge = KnowledgeController(self) if self.assist is not None else None
        if self.knowledge is not None:
            self.editor.add_to_knowledge.connect(self.knowledge.add_from_selection)
        self._wire()
        build_menus(self)
        self._settings_changed(None, settings)
        self.closing = False
        self.files.update_title()
        self._settled = {"model": False, "ontology": False}
        if self.assist is not None:
            self.assist.model_state.connect(lambda _t: self._settle("model"))
            self.assist.ontology_opened.connect(lambda _i: self._settle("ontology"))
            self.assist.ontology_failed.connect(lambda _m: self._settle("ontology"))
            self.assist.start()

    def _settings_changed(self, old: Settings | None, new: Settings) -> None:
        """The window's own part of a settings change (``old`` None: at start); a long
        document is laid out again only when its font or wrapping changed."""
        if old is None or (old.editor_font, old.editor_font_size) != (new.editor_font,
                                                                     new.editor_font_size):
            self.editor.set_editor_font(new.editor_font, new.editor_font_size)
        if old is None or old.word_wrap != new.word_wrap:
            self.editor.setLineWrapMode(Editor.LineWrapMode.WidgetWidth if new.word_wrap
                                        else Editor.LineWrapMode.NoWrap)
        self.documents.set_interval(new.autosave_seconds)
        if old is not None:
            self.history.set_enabled(new.keep_history)

    def _settle(self, part: str) -> None:
        """Once the model and ontology are in memory, keep the garbage collector off them:
        a full collection over them would stall typing by tens of milliseconds."""
        if self.assist is not None and part == "model" and not self.assist.model_ready:
            return
        self._settled[part] = True
        if all(self._settled.values()):
            gc.freeze()  # no collect first: that alone would stall for ~80 ms

    def _dock(self, key: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}Dock")
        dock.setWidget(widget)
        dock.setAccessibleName(title)
        self.addDockWidget(area, dock)
        self.docks[key] = dock

    def _wire(self) -> None:
        self.issues.chosen.connect(self.editor.select_issue)
        if self.grammar is not None:
            if self.assist is not None:
                self.grammar.order_replacements = self.assist.order_replacements
                self.assist.model_loaded.connect(self.grammar.reorder)
            self.grammar.checked.connect(self._checked)
            self.grammar.engine_state.connect(self.status.set_engine)
            self.grammar.failed.connect(lambda m: self.status.showMessage(m, 10000))
        if self.assist is not None:
            self.assist.message.connect(lambda m: self.status.showMessage(m, 10000))
            self.assist.warning.connect(
                lambda m: self.files.tell("Text will leave this machine", m))
            self.assist.model_state.connect(self.status.set_model)
            self.assist.speed.connect(self.status.set_speed)
            self.assist.ontology_opened.connect(self.ontology.show_opened)
            if self.grammar is not None:
                self.assist.ontology_opened.connect(
                    lambda info: self.grammar.accept_session_words(info.get("words", [])))
            self.assist.ontology_failed.connect(self.ontology.show_failed)
            self.assist.looked_up.connect(self.ontology.show_lookup)
            self.documents.opened.connect(self.assist.forget)
        history_commands.wire(self)
        review_commands.wire(self)
        self.ontology.open_requested.connect(self.preferences.choose_ontology)
        self.panel.select_template(self.settings.last_template)
        self.panel.template_changed.connect(self.preferences.template_changed)

    def export_dialog(self) -> None:
        from gui.documents.export_dialog import export_current  # Qt's PDF drawing: when asked

        export_current(self)

    # -- review (gui/review/commands.py) ----------------------------------------------------

    def proofread_document(self) -> None:
        review_commands.proofread_document(self)

    def review_action(self, key: str) -> None:
        review_commands.act(self, key)

    def _checked(self, result: CheckResult) -> None:
        # the list always shows what is underlined; Harper's early answer says more may come
        self.issues.show_issues(result.issues, self.grammar.sent_text if self.grammar else "",
                                complete=result.complete)
        for engine, state in result.engines.items():
            self.status.set_engine(engine, state)
        self.status.set_languages(result.languages)

    # -- view -----------------------------------------------------------------------------------

    def toggle_focus(self, on: bool) -> None:
        """Focus mode hides the docks and the status bar; leaving it brings back the docks
        that were shown."""
        if on:
            self._shown_docks = [k for k, d in self.docks.items() if d.isVisible()]
        for key, dock in self.docks.items():
            dock.setVisible(not on and key in getattr(self, "_shown_docks", self.docks))
        self.status.setVisible(not on)

    # -- dialogs --------------------------------------------------------------------------------

    def find_replace(self) -> None:
        from gui.editor.find_replace import FindReplaceDialog

        if not hasattr(self, "_find"):
            self._find = FindReplaceDialog(self.editor, self)
        self._find.show()
        self._find.find_text.setFocus()

    def focus_templates(self) -> None:
        self.docks["assistant"].show()
        self.panel.search.setFocus()

    def check_ontology(self) -> None:
        if self.consistency is not None:
            self.consistency.start()

    def about(self) -> None:
        QMessageBox.about(self, "About Wordloom",
                          f"<b>Wordloom {__version__}</b><br>An offline writing editor with a "
                          "local AI assistant.<br>Model: " + self.status.model.text())

    # -- closing --------------------------------------------------------------------------------

    def unsaved_work(self) -> list[Unsaved]:
        return closing.unsaved_work(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.closing and not ask_about_unsaved(self, self.unsaved_work()):
            event.ignore()
            return
        self.closing = True
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        closing.shut_down(self)

    def offer_recovery(self, orphans: list[JournalEntry] | None = None) -> None:
        self.documents.offer_recovery(self, orphans)
