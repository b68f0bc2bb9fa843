"""What exporting uses of the window, as a Protocol (the review's commands ask for the
same when they keep changes in a Word file): the window itself is not imported."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from gui.documents.commands import FileCommands
from gui.documents.controller import DocumentController
from gui.editor.editor import Editor
from gui.review.controller import ReviewController
from gui.window.preferences import Preferences
from gui.window.status_bar import StatusBar


class ExportWindow(Protocol):
    """What exporting uses of the window."""

    @property
    def documents(self) -> DocumentController: ...
    @property
    def files(self) -> FileCommands: ...
    @property
    def editor(self) -> Editor: ...
    @property
    def review(self) -> ReviewController: ...
    @property
    def preferences(self) -> Preferences: ...
    @property
    def status(self) -> StatusBar: ...
    def window(self) -> QWidget: ...
