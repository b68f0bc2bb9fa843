"""What the knowledge base's commands use of the window, as a Protocol: the window is not
imported, so nothing imports itself in a circle."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QDockWidget, QWidget

from engine.config import Settings
from gui.assist.controller import AssistController
from gui.assist.panel import AssistantPanel
from gui.documents.commands import FileCommands
from gui.documents.controller import DocumentController
from gui.editor.editor import Editor
from gui.knowledge.consistency_check import ConsistencyCheck
from gui.knowledge.panel import OntologyPanel
from gui.window.changes import Changes
from gui.window.lane import Lane
from gui.window.ontology_host import OntologyHost
from gui.window.preferences import Preferences


class KnowledgeWindow(Protocol):
    """What the knowledge base's commands use of the window."""

    @property
    def settings(self) -> Settings: ...
    @property
    def assist(self) -> AssistController | None: ...
    @property
    def ontology(self) -> OntologyPanel: ...
    @property
    def ontology_lane(self) -> Lane[OntologyHost] | None: ...
    @property
    def panel(self) -> AssistantPanel: ...
    @property
    def documents(self) -> DocumentController: ...
    @property
    def editor(self) -> Editor: ...
    @property
    def docks(self) -> dict[str, QDockWidget]: ...
    @property
    def changes(self) -> Changes: ...
    @property
    def preferences(self) -> Preferences: ...
    @property
    def files(self) -> FileCommands: ...
    @property
    def consistency(self) -> ConsistencyCheck | None: ...
    def window(self) -> QWidget: ...
