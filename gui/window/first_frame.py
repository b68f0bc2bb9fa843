"""Call something once a widget has drawn its first frame (or at once if it is hidden)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstFrame(QObject):
    """Runs ``then`` after ``widget``'s first paint has been handled, or at the first turn of
    the event loop when the widget is not shown by then (a window under test, a dialog
    first); once either way."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.widget = widget
        self.then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(0, self._hidden)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._run)  # after this frame is on screen
        return False

    def _hidden(self) -> None:
        if not self.widget.isVisible():
            self._run()

    def _run(self) -> None:
        if self.then is not None:
            then, self.then = self.then, None
            self.widget.removeEventFilter(self)
            then()
