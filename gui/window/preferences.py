"""Settings in the app: kept in ``window.settings``, saved, and broadcast through
``window.changes`` when they change; each part of the window that uses them listens."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from engine.config import Settings, save_settings
from engine.grammar.wordlist import personal_dictionary
from gui.assist.controller import AssistController
from gui.window.changes import Changes
from gui.window.status_bar import StatusBar
from gui.window.theme import apply_theme


class PreferencesHost(Protocol):
    """What the settings use of the window: it holds them (``settings`` is replaced as a
    whole), and its broadcast tells the rest."""

    settings: Settings

    @property
    def status(self) -> StatusBar: ...
    @property
    def changes(self) -> Changes: ...
    @property
    def assist(self) -> AssistController | None: ...
    def window(self) -> QWidget: ...


class Preferences(QObject):
    recent_changed = Signal()  # Open Recent's list

    def __init__(self, host: PreferencesHost) -> None:
        super().__init__(host.window())
        self.host = host

    @property
    def settings(self) -> Settings:
        return self.host.settings

    def persist(self) -> None:
        try:
            save_settings(self.settings)
        except OSError as exc:
            self.host.status.showMessage(f"Settings not saved: {exc.strerror}", 8000)

    def remember(self, path: str) -> None:
        """A document opened or saved: first in Open Recent, and its folder the last used."""
        recent = [path] + [p for p in self.settings.recent_files if p != path]
        self.settings.recent_files = recent[:10]
        self.settings.last_folder = str(Path(path).parent)
        self.persist()
        self.recent_changed.emit()

    def used_folder(self, folder: Path) -> None:
        """A file dialog was answered in ``folder``: the next one without a document
        starts there."""
        if str(folder) != self.settings.last_folder:
            self.settings.last_folder = str(folder)
            self.persist()

    def template_changed(self, name: str) -> None:
        if name and name != self.settings.last_template:
            self.settings.last_template = name
            self.persist()

    def toggle_wrap(self, on: bool) -> None:
        self.apply_settings(dataclasses.replace(self.settings, word_wrap=bool(on)))

    def set_theme(self, name: str) -> None:
        self.apply_settings(dataclasses.replace(self.settings, theme=name))

    def open_settings(self) -> None:
        from gui.window.settings_dialog import SettingsDialog

        words = sorted(personal_dictionary().items)  # the file, not the worker's copy
        dialog = SettingsDialog(self.settings, words, self.host.window())
        dialog.on_apply = self.apply_settings  # when applied from the question on closing
        if dialog.exec():
            self.apply_settings(dialog.result_settings(), dialog.words())

    def apply_settings(self, new: Settings, words: list[str] | None = None) -> None:
        """Make ``new`` the settings: saved, then told to everyone who listens."""
        window, old = self.host, self.settings
        window.settings = new
        self.persist()
        app = QApplication.instance()
        if new.theme != old.theme and isinstance(app, QApplication):
            apply_theme(app, new.theme)  # the whole application's, not one view's
        window.changes.settings.emit(old, new)
        if words is not None:
            window.changes.dictionary.emit(words)

    def use_ontology(self, path: str) -> None:
        """The knowledge base in use is now the file at ``path``."""
        self.apply_settings(dataclasses.replace(self.settings, ontology=path))

    def open_models(self, tab: str = "installed") -> None:
        from gui.models.model_manager import ModelManager

        info = self.host.assist.model_info if self.host.assist is not None else None
        dialog = ModelManager(dataclasses.replace(self.settings), self.host.window(),
                              list(info.server_models) if info is not None else [], tab)
        # the dialog changes its own copy; each default it sets (and on closing, the hub
        # mirror) becomes the window's settings, so the model lane hears of it
        dialog.default_changed.connect(
            lambda _p: self.apply_settings(dataclasses.replace(dialog.settings)))
        dialog.exec()
        if dialog.settings != self.settings:
            self.apply_settings(dataclasses.replace(dialog.settings))

    def open_template_editor(self) -> None:
        from gui.assist.template_editor import TemplateEditor

        dialog = TemplateEditor(self.host.window())
        dialog.saved.connect(lambda _n: self.host.changes.templates.emit())
        dialog.exec()

    def choose_ontology(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.host.window(), "Open ontology", "",
                                              "Ontologies (*.owl *.rdf *.owx *.nt *.ttl)")
        if path:
            self.use_ontology(path)
