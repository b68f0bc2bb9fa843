"""The new words of pending changes, in a margin beside the text (Word's balloons).

The text itself is not changed until a change is accepted, so an insertion or a
replacement cannot be drawn inline without covering the words after it. Each visible
change gets a line in a margin at the editor's right, level with its words (pushed down
when two share a line): the new words in green, a deletion as "delete" in red. Hovering a
line says what the change does and why; clicking it chooses the change. The margin is there
only while changes are pending.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QToolTip, QWidget

from engine.review.pending import Pending
from gui.editor.editor import Editor
from gui.review import marks as review_marks

# the changes whose words start between two positions (UTF-16), with their starts
Visible = Callable[[int, int], list[tuple[int, Pending]]]


def label(change: Pending) -> str:
    """What a line of the margin says of a change."""
    new = " ".join(change.new.split())
    if change.kind == "deletion":
        return "delete"
    return ("+ " if change.kind == "insertion" else "→ ") + (new or "¶")


class ReviewMargin(QWidget):
    chosen = Signal(int)  # a change's line was clicked

    def __init__(self, editor: Editor, visible: Visible) -> None:
        super().__init__(editor)
        self.setObjectName("reviewMargin")
        self.setAccessibleName("Changes to review, beside the text")
        self.editor = editor
        self.visible = visible
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._follow_font()
        self.hide()
        editor.viewport().installEventFilter(self)
        editor.installEventFilter(self)  # its font (zoom)

    def _follow_font(self) -> None:
        font = QFont(self.editor.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        self.setFont(font)

    def width_wanted(self) -> int:
        return max(150, min(240, self.editor.width() // 5))

    def refresh(self, pending: bool) -> None:
        """Show the margin while changes are pending, and redraw it."""
        if pending != self.isVisible():
            self.setVisible(pending)
            self.editor.setViewportMargins(0, 0, self.width_wanted() if pending else 0, 0)
            self._place()
            # scrolling and edits redraw it, only while it is there (no keystroke of a
            # text without changes to review reaches Python for it)
            if pending:
                self.editor.updateRequest.connect(self._follow_text)
            else:
                self.editor.updateRequest.disconnect(self._follow_text)
        self.update()

    def _follow_text(self, _rect: QRect, _dy: int) -> None:
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is not self.editor:
            self._place()  # the viewport moved: follow it
        elif event.type() == QEvent.Type.FontChange and watched is self.editor:
            self._follow_font()  # zoomed: the new words grow with the text
        return False

    def _place(self) -> None:
        if not self.isVisible():
            return
        width = self.width_wanted()
        port = self.editor.viewport().geometry()
        if self.editor.viewportMargins().right() != width:
            self.editor.setViewportMargins(0, 0, width, 0)
            port = self.editor.viewport().geometry()
        self.setGeometry(port.right() + 1, port.top(), width, port.height())

    # -- drawing ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        dark = self.editor.palette().color(self.editor.backgroundRole()).lightness() < 128
        painter.fillRect(self.rect(), self.editor.palette().color(
            self.editor.backgroundRole()).darker(104 if not dark else 90))
        painter.setPen(QColor(128, 128, 128, 90))
        painter.drawLine(0, 0, 0, self.height())
        colours = review_marks.colours(dark)
        metrics = painter.fontMetrics()
        for rect, change in self.lines():
            colour = colours[0] if change.kind == "deletion" else colours[1]
            fill = QColor(colour)
            fill.setAlpha(38)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(rect), 4, 4)
            painter.setPen(colour)
            text = metrics.elidedText(label(change), Qt.TextElideMode.ElideRight,
                                      rect.width() - 12)
            painter.drawText(rect.adjusted(6, 0, -6, 0),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             text)
        painter.end()

    def lines(self) -> list[tuple[QRect, Pending]]:
        """Where each visible change's words go: level with its line of text, side by side
        with the others on that line while they fit, else on a row below."""
        editor, height, right = self.editor, self.height(), self.width() - 4
        block = editor.firstVisibleBlock()
        if not block.isValid():
            return []
        last = editor.cursorForPosition(QPoint(editor.viewport().width() - 1, height - 1))
        metrics = self.fontMetrics()
        step = metrics.height() + 4
        out: list[tuple[QRect, Pending]] = []
        row, x = -step, right  # the row being filled, and where its next label goes
        cursor = QTextCursor(editor.document())
        for start16, change in self.visible(block.position(), last.block().position()
                                            + last.block().length()):
            cursor.setPosition(start16)
            top = editor.cursorRect(cursor).top()
            width = min(metrics.horizontalAdvance(label(change)) + 16, right - 4)
            if top > row or x + width > right:  # a row of its own
                row, x = max(top, row + step), 4
                if row >= height:
                    break
            out.append((QRect(x, row, width, step - 2), change))
            x += width + 3
        return out

    # -- the mouse -------------------------------------------------------------------------

    def change_at(self, point: QPoint) -> Pending | None:
        for rect, change in self.lines():
            if rect.contains(point):
                return change
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        change = self.change_at(event.position().toPoint())
        if change is not None and event.button() == Qt.MouseButton.LeftButton:
            self.chosen.emit(change.id)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            change = self.change_at(event.pos())
            if change is not None:
                QToolTip.showText(event.globalPos(), review_marks.change_tip(change), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
