"""The menu bar, declared as a table: each entry names the window's method it runs."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

if TYPE_CHECKING:
    from gui.main_window import MainWindow

Key = QKeySequence.StandardKey
# (text, target on the window [, argument], shortcut, object name); None is a separator;
# a string names a special entry built below
Entry = tuple[str, str | tuple[str, Any], str | Key | None, str] | str | None
MENUS: list[tuple[str, list[Entry]]] = [
    ("&File", [
        ("&New", "new_document", Key.New, "new"),
        ("&Open…", "open_dialog", Key.Open, "open"),
        "recent",
        None,
        ("&Save", "save", Key.Save, "save"),
        ("Save &As…", "save_as", Key.SaveAs, "saveas"),
        ("&Export…", "export_dialog", "Ctrl+E", "export"),
        None,
        ("&Close Document", "new_document", Key.Close, "close"),
        ("&Quit", "close", "Ctrl+Q", "quit"),  # Cmd+Q on macOS
    ]),
    ("&Edit", [
        ("&Undo", "editor.undo", Key.Undo, "undo"),
        ("&Redo", "editor.redo", Key.Redo, "redo"),
        None,
        ("&Find and Replace…", "find_replace", Key.Find, "findreplace"),
        ("Select &Paragraph", "editor.select_paragraph", "Ctrl+Alt+P", "selectparagraph"),
        None,
        ("Se&ttings…", "preferences.open_settings", "Ctrl+,", "settings"),
    ]),
    ("&View", [
        ("Zoom &In", ("editor.zoom", 1), Key.ZoomIn, "zoomin"),
        ("Zoom &Out", ("editor.zoom", -1), Key.ZoomOut, "zoomout"),
        ("&Reset Zoom", "editor.reset_zoom", "Ctrl+0", "resetzoom"),
        "wrap",
        "focus",
        None,
        "docks",
        "theme",
    ]),
    ("&Assistant", [
        ("&Generate", "panel.generate_requested.emit", "Ctrl+Return", "generate"),
        ("&Cancel", "panel.cancel_requested.emit", "Esc", "cancel"),
        ("&Inspect Prompt", "panel.inspect_requested.emit", "Ctrl+Shift+I", "inspect"),
        ("Focus &Templates", "focus_templates", "Ctrl+T", "focustemplates"),
        None,
        ("&Models…", "preferences.open_models", None, "models"),
        ("&Get Models…", ("preferences.open_models", "get"), None, "getmodels"),
        ("&Templates…", "preferences.open_template_editor", None, "templates"),
        ("Open &Ontology…", "preferences.choose_ontology", None, "openontology"),
        ("Add to &Knowledge…", "knowledge.add_from_selection", "Ctrl+Shift+K", "addknowledge"),
        ("New Knowledge &Base…", "knowledge.new_knowledge_base", None, "newknowledge"),
        ("Check Ontology &Consistency", "check_ontology", None, "checkontology"),
    ]),
    ("&Help", [("&About Wordloom", "about", None, "about")]),
]
DOCK_KEYS = {"assistant": ("&AI Assistant", "Ctrl+Shift+A"), "issues": ("&Issues", "Ctrl+Shift+E"),
             "ontology": ("O&ntology", "Ctrl+Shift+O"),
             "preview": ("Markdown &Preview", "Ctrl+Shift+P")}


def add_action(window: QMainWindow, menu: QMenu, text: str, slot: Callable[..., Any],
               shortcut: str | Key | None = None, name: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    action.setObjectName(name or re.sub(r"\W", "", text.replace("&", "")).lower())
    menu.addAction(action)
    return action


def build_menus(window: MainWindow) -> None:
    """The menu bar of ``window`` (a MainWindow) from ``MENUS``."""
    bar = window.menuBar()
    for title, entries in MENUS:
        menu = bar.addMenu(title)
        for entry in entries:
            if entry is None:
                menu.addSeparator()
            elif isinstance(entry, str):
                _special(window, menu, entry)
            else:
                text, target, shortcut, name = entry
                path, *args = target if isinstance(target, tuple) else (target,)
                try:
                    slot = attrgetter(path)(window)
                except AttributeError:  # a window without workers has no knowledge base
                    continue
                add_action(window, menu, text, partial(_call, slot, *args), shortcut, name)


def _call(slot: Callable[..., Any], *args: Any) -> None:
    slot(*args)  # the triggered signal's "checked" argument is not passed on


def _special(window: MainWindow, menu: QMenu, entry: str) -> None:
    if entry == "recent":
        window.recent_menu = menu.addMenu("Open &Recent")
        fill_recent(window)
    elif entry == "wrap":
        wrap = add_action(window, menu, "&Word Wrap", window.preferences.toggle_wrap, "Alt+Z",
                          "wordwrap")
        wrap.setCheckable(True)
        wrap.setChecked(window.settings.word_wrap)
    elif entry == "focus":
        focus = add_action(window, menu, "&Focus Mode", window.toggle_focus, "F11",
                           "focusmode")
        focus.setCheckable(True)
    elif entry == "docks":
        for key, dock in window.docks.items():
            toggle = dock.toggleViewAction()
            toggle.setObjectName(f"show{key}")
            toggle.setText(DOCK_KEYS[key][0])
            toggle.setShortcut(QKeySequence(DOCK_KEYS[key][1]))
            menu.addAction(toggle)
    elif entry == "theme":
        themes = menu.addMenu("T&heme")
        for name in ("system", "light", "dark"):
            add_action(window, themes, name.title(),
                       partial(_call, window.preferences.set_theme, name), None,
                       f"theme{name}")


def fill_recent(window: MainWindow) -> None:
    menu = window.recent_menu
    if menu is None:
        return
    menu.clear()
    for path in window.settings.recent_files[:10]:
        add_action(window, menu, path, partial(_call, window.open_path, Path(path)), None,
                   "recent")
    menu.setEnabled(bool(window.settings.recent_files))
