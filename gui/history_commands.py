"""What the window does for the Version History and Statistics docks: show the history,
name the text as it is now, keep a shown comparison up to date, give the docks room."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QInputDialog

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def wire(window: MainWindow) -> None:
    """The history's reports to its dock and the status bar; the dock's requests to it."""
    history, panel = window.history, window.history_panel
    history.changed.connect(lambda snap: panel.show_versions(snap.versions))
    history.shown.connect(panel.show_version)
    history.message.connect(lambda m: window.status.showMessage(m, 10000))
    history.stale.connect(partial(refresh_view, window))
    panel.show_requested.connect(history.show)
    panel.restore_requested.connect(history.restore)
    panel.name_requested.connect(history.name_version)
    window.changes.accepting.connect(history.before_change)


def show(window: MainWindow) -> None:
    """File → Version History: the dock in front, the newest version chosen."""
    dock = window.docks["history"]
    dock.show()
    dock.raise_()
    versions = window.history_panel.list
    newest = versions.topLevelItem(0)
    if versions.currentItem() is None and newest is not None:
        versions.setCurrentItem(newest)
    versions.setFocus()


def name_version(window: MainWindow) -> None:
    """Keep the text as it is now as a named version ("sent to editor")."""
    name, ok = QInputDialog.getText(window, "Name this version", "Name:")
    if ok and name.strip():
        window.history.keep_named(name.strip())


def refresh_view(window: MainWindow) -> None:
    """The text changed: what the chosen version differs by is worked out again."""
    if window.docks["history"].isVisible() and window.history_panel.current_id():
        window.history.show(window.history_panel.current_id())


def roomy(window: MainWindow, dock: QDockWidget, visible: bool) -> None:
    """Version History and Statistics need more height than the Issues list they share
    the bottom with: it grows when one of them comes into view."""
    if visible and dock.height() < 280 and \
            window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
        QTimer.singleShot(0, lambda: window.resizeDocks([dock], [300],
                                                        Qt.Orientation.Vertical))
