"""The menu bar, declared as a table of the window's callables."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar

from engine.config import Settings
from gui.assist.panel import AssistantPanel
from gui.documents.commands import FileCommands
from gui.editor.editor import Editor
from gui.history import commands as history_commands
from gui.knowledge.controller import KnowledgeController
from gui.project.commands import ProjectCommands
from gui.review.controller import ReviewController
from gui.window.actions import Key, add_action, call, fill_recent
from gui.window.preferences import Preferences

Slot = Callable[[], object]
# (text, what it runs, shortcut, object name); None is a separator; a string names a special
# entry built below
Entry = tuple[str, Slot, str | Key | None, str] | str | None


class MenuWindow(history_commands.HistoryWindow, Protocol):
    """What the menus run: the window's parts and its own commands."""

    @property
    def settings(self) -> Settings: ...
    @property
    def editor(self) -> Editor: ...
    @property
    def panel(self) -> AssistantPanel: ...
    @property
    def preferences(self) -> Preferences: ...
    @property
    def files(self) -> FileCommands: ...
    @property
    def review(self) -> ReviewController: ...
    @property
    def knowledge(self) -> KnowledgeController | None: ...
    @property
    def projects(self) -> ProjectCommands: ...
    def focus_templates(self) -> None: ...
    def check_ontology(self) -> None: ...
    def find_replace(self) -> None: ...
    def toggle_focus(self, on: bool) -> None: ...
    def about(self) -> None: ...
    def proofread_document(self) -> None: ...
    def review_action(self, key: str) -> None: ...
    def export_dialog(self) -> None: ...
    def menuBar(self) -> QMenuBar: ...
    def close(self) -> bool: ...


def menus(window: MenuWindow) -> list[tuple[str, list[Entry]]]:
    """The menu bar as a table of the window's own callables (mypy checks each one)."""
    editor, panel, prefs = window.editor, window.panel, window.preferences
    assistant: list[Entry] = [
        ("&Generate", panel.generate_requested.emit, "Ctrl+Return", "generate"),
        ("&Cancel", panel.cancel_requested.emit, "Esc", "cancel"),
        ("&Inspect Prompt", panel.inspect_requested.emit, "Ctrl+Shift+I", "inspect"),
        ("Focus &Templates", window.focus_templates, "Ctrl+T", "focustemplates"),
        None,
        ("&Models…", prefs.open_models, None, "models"),
        ("&Get Models…", partial(prefs.open_models, "get"), None, "getmodels"),
        ("&Templates…", prefs.open_template_editor, None, "templates"),
        ("Open &Ontology…", prefs.choose_ontology, None, "openontology"),
    ]
    if window.knowledge is not None:  # a window without workers has no knowledge base
        assistant += [
            ("Add to &Knowledge…", window.knowledge.add_from_selection, "Ctrl+Shift+K",
             "addknowledge"),
            ("New Knowledge &Base…", window.knowledge.new_knowledge_base, None,
             "newknowledge"),
        ]
    assistant.append(("Check Ontology &Consistency", window.check_ontology, None,
                      "checkontology"))
    assistant.append(("Find &People and Places…", window.projects.open_story, "Ctrl+Alt+B",
                      "findpeople"))
    return [
        ("&File", [
            ("&New", window.files.new_document, Key.New, "new"),
            ("&Open…", window.files.open_dialog, Key.Open, "open"),
            "recent",
            None,
            ("&Save", window.files.save, Key.Save, "save"),
            ("Save &As…", window.files.save_as, Key.SaveAs, "saveas"),
            ("&Export…", window.export_dialog, "Ctrl+E", "export"),
            None,
            ("New &Project…", window.projects.new_project, None, "newproject"),
            ("Open Pro&ject…", window.projects.open_dialog, "Ctrl+Shift+J", "openproject"),
            "recentprojects",
            ("&Build the Book…", window.projects.build, "Ctrl+Shift+B", "build"),
            ("Project Stat&istics…", window.projects.statistics, None, "projectstats"),
            ("Close Projec&t", window.projects.close_project, None, "closeproject"),
            None,
            ("Version &History", partial(history_commands.show, window), "Ctrl+Shift+H",
             "history"),
            ("Name This &Version…", partial(history_commands.name_version, window),
             "Ctrl+Alt+S", "nameversion"),
            None,
            ("&Close Document", window.files.new_document, Key.Close, "close"),
            ("&Quit", window.close, "Ctrl+Q", "quit"),  # Cmd+Q on macOS
        ]),
        ("&Edit", [
            ("&Undo", editor.undo_step, Key.Undo, "undo"),
            ("&Redo", editor.redo_step, Key.Redo, "redo"),
            None,
            ("&Find and Replace…", window.find_replace, Key.Find, "findreplace"),
            ("Find in Pro&ject…", window.projects.show_search, "Ctrl+Shift+F", "findproject"),
            ("&Go to Document…", window.projects.go_to, "Ctrl+P", "gotodocument"),
            ("Select &Paragraph", editor.select_paragraph, "Ctrl+Alt+P", "selectparagraph"),
            None,
            ("Se&ttings…", prefs.open_settings, "Ctrl+,", "settings"),
        ]),
        ("&View", [
            ("Zoom &In", partial(editor.zoom, 1), Key.ZoomIn, "zoomin"),
            ("Zoom &Out", partial(editor.zoom, -1), Key.ZoomOut, "zoomout"),
            ("&Reset Zoom", editor.reset_zoom, "Ctrl+0", "resetzoom"),
            "wrap",
            "focus",
            None,
            "docks",
            "theme",
        ]),
        ("&Assistant", assistant),
        ("&Review", [
            ("&Proofread Document", window.proofread_document, "Ctrl+Shift+D", "proofreaddoc"),
            ("Proofread the Pro&ject", window.projects.proofread.start, "Ctrl+Alt+Shift+D",
             "proofreadproject"),
            ("&Cancel Proofreading", window.review.cancel, None, "cancelproofread"),
            None,
            ("&Next Change", partial(window.review_action, "next"), "Ctrl+Alt+Down",
             "nextchange"),
            ("&Previous Change", partial(window.review_action, "previous"), "Ctrl+Alt+Up",
             "previouschange"),
            ("&Accept Change", partial(window.review_action, "accept"), "Ctrl+Alt+Return",
             "acceptchange"),
            ("&Reject Change", partial(window.review_action, "reject"), "Ctrl+Alt+Backspace",
             "rejectchange"),
            ("Accept All of This &Kind", partial(window.review_action, "accept_kind"),
             "Ctrl+Alt+K", "acceptkind"),
            ("Accept &All", partial(window.review_action, "accept_all"),
             "Ctrl+Alt+Shift+Return", "acceptall"),
            ("Reject A&ll", partial(window.review_action, "reject_all"),
             "Ctrl+Alt+Shift+Backspace", "rejectall"),
        ]),
        ("&Help", [("&About Wordloom", window.about, None, "about")]),
    ]


DOCK_KEYS = {"assistant": ("&AI Assistant", "Ctrl+Shift+A"), "issues": ("&Issues", "Ctrl+Shift+E"),
             "ontology": ("O&ntology", "Ctrl+Shift+O"),
             "preview": ("Markdown &Preview", "Ctrl+Shift+P"),
             "review": ("&Review", "Ctrl+Shift+R"),
             "history": ("&Version History", "Ctrl+Alt+H"),
             "stats": ("&Statistics", "Ctrl+Shift+G"),
             "project": ("Pro&ject", "Ctrl+Alt+J"),
             "search": ("Project Searc&h", "Ctrl+Alt+F")}


def build_menus(window: MenuWindow) -> None:
    """The menu bar of ``window`` from ``menus(window)``."""
    bar = window.menuBar()
    for title, entries in menus(window):
        menu = bar.addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif isinstance(entry, str):
                _special(window, menu, entry)
            else:
                text, slot, shortcut, name = entry
                add_action(window.window(), menu, text, partial(call, slot), shortcut, name)


def _special(window: MenuWindow, menu: QMenu, entry: str) -> None:
    if entry == "recent":
        recent = menu.addMenu("Open &Recent")
        recent.setObjectName("recentmenu")
        prefs = window.preferences

        def refill() -> None:
            fill_recent(recent, prefs.settings.recent_files, window.files.open_path)

        prefs.recent_changed.connect(refill)
        refill()
    elif entry == "recentprojects":
        recent = menu.addMenu("Recent Projec&ts")
        recent.setObjectName("recentprojects")
        projects = window.projects

        def refill_projects() -> None:
            fill_recent(recent, window.settings.recent_projects, projects.open_path)

        projects.recent_changed.connect(refill_projects)
        refill_projects()
    elif entry == "wrap":
        wrap = add_action(window.window(), menu, "&Word Wrap", window.preferences.toggle_wrap,
                          "Alt+Z", "wordwrap")
        wrap.setCheckable(True)
        wrap.setChecked(window.settings.word_wrap)
    elif entry == "focus":
        focus = add_action(window.window(), menu, "&Focus Mode", window.toggle_focus, "F11",
                           "focusmode")
        focus.setCheckable(True)
    elif entry == "docks":
        for key, dock in window.docks.items():
            toggle = dock.toggleViewAction()
            toggle.setObjectName(f"show{key}")
            toggle.setText(DOCK_KEYS[key][0])
            toggle.setShortcut(QKeySequence(DOCK_KEYS[key][1]))
            toggle.triggered.connect(partial(_bring_forward, dock, toggle))  # a tab behind another
            menu.addAction(toggle)
    elif entry == "theme":
        themes = menu.addMenu("T&heme")
        for name in ("system", "light", "dark"):
            add_action(window.window(), themes, name.title(),
                       partial(call, window.preferences.set_theme, name), None,
                       f"theme{name}")


def _bring_forward(dock: QDockWidget, toggle: QAction, *_checked: object) -> None:
    if toggle.isChecked():
        dock.raise_()
