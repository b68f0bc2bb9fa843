"""What the window does for the Version History and Statistics docks: show the history,
name the text as it is now, keep a shown comparison up to date, give the docks room."""

from __future__ import annotations

from functools import partial
from typing import Protocol

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMainWindow, QMessageBox, QWidget

from gui.history.controller import HistoryController
from gui.history.panel import HistoryPanel
from gui.review.controller import ReviewController
from gui.window.changes import Changes
from gui.window.status_bar import StatusBar


class HistoryWindow(Protocol):
    """What the history's commands use of the window."""

    @property
    def history(self) -> HistoryController: ...
    @property
    def history_panel(self) -> HistoryPanel: ...
    @property
    def status(self) -> StatusBar: ...
    @property
    def changes(self) -> Changes: ...
    @property
    def docks(self) -> dict[str, QDockWidget]: ...
    @property
    def review(self) -> ReviewController: ...
    def window(self) -> QWidget: ...


def wire(window: HistoryWindow) -> None:
    """The history's reports to its dock and the status bar; the dock's requests to it."""
    history, panel = window.history, window.history_panel
    history.changed.connect(lambda snap: panel.show_versions(snap.versions))
    history.shown.connect(panel.show_version)
    history.message.connect(lambda m: window.status.showMessage(m, 10000))
    history.stale.connect(partial(refresh_view, window))
    panel.show_requested.connect(history.show)
    panel.restore_requested.connect(history.restore)
    history.put_back = partial(put_back, window)
    panel.name_requested.connect(history.name_version)
    window.changes.accepting.connect(history.before_change)


def put_back(window: HistoryWindow, text: str) -> str | None:
    """Make a version's text the document's, as one undo step. Changes still to review
    that do not fit it are set aside: the writer is told how many first, and Undo brings
    them back with the text. Returns what to add to the message that says it was done;
    None: the writer chose to keep the text as it is."""
    review = window.review
    total = len(review.review.changes)
    lost = total - len(review.fit(text)) if total else 0
    if lost and not window.window().property("quiet"):
        buttons = QMessageBox.StandardButton
        answer = QMessageBox.question(
            window.window(), "Restore this version?",
            f"{lost} of the {total} changes still to review "
            f"{'does' if lost == 1 else 'do'} not fit this version and "
            f"{'is' if lost == 1 else 'are'} set aside; the others stay. Undo after "
            "restoring brings back your text and every change.",
            buttons.Yes | buttons.Cancel, buttons.Cancel)
        if answer != buttons.Yes:
            return None
    set_aside = review.replace_text(text)
    return f" {set_aside} change(s) to review set aside: they do not fit it." if set_aside \
        else ""


def show(window: HistoryWindow) -> None:
    """File → Version History: the dock in front, the newest version chosen."""
    dock = window.docks["history"]
    dock.show()
    dock.raise_()
    versions = window.history_panel.list
    newest = versions.topLevelItem(0)
    if versions.currentItem() is None and newest is not None:
        versions.setCurrentItem(newest)
    versions.setFocus()


def name_version(window: HistoryWindow) -> None:
    """Keep the text as it is now as a named version ("sent to editor")."""
    name, ok = QInputDialog.getText(window.window(), "Name this version", "Name:")
    if ok and name.strip():
        window.history.keep_named(name.strip())


def refresh_view(window: HistoryWindow) -> None:
    """The text changed: what the chosen version differs by is worked out again."""
    if window.docks["history"].isVisible() and window.history_panel.current_id():
        window.history.show(window.history_panel.current_id())


def roomy(dock: QDockWidget, visible: bool) -> None:
    """Version History and Statistics need more height than the Issues list they share
    the bottom with: it grows when one of them comes into view."""
    window = dock.parentWidget()
    if visible and dock.height() < 280 and isinstance(window, QMainWindow) and \
            window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
        QTimer.singleShot(0, lambda: window.resizeDocks([dock], [300],
                                                        Qt.Orientation.Vertical))
