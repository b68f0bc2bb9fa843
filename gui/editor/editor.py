"""The writing surface: a plain-text editor with grammar underlines, hover help and fixes."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextDocumentLayout, QPlainTextEdit, QToolTip, QWidget

from engine.grammar.issues import Issue, Span
from engine.text.offsets import utf16_len
from gui.editor.highlighter import IssueHighlighter


class Editor(QPlainTextEdit):
    """Emits requests for the grammar worker; applies fixes as single undo steps."""

    add_word = Signal(str)
    add_to_knowledge = Signal()  # "Add to Knowledge…" on a selection
    ignore_rule = Signal(str)
    ignore_once = Signal(object)
    # the text itself changed (typing, undo, a load); the document's contentsChanged also
    # fires when the highlighter repaints underlines, which is no edit
    text_edited = Signal()
    document_swapped = Signal(object, object)  # the QTextDocument shown before, and now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("editor")
        self.setAccessibleName("Document text")
        self.setAccessibleDescription("The document you are writing")
        self.highlighter = IssueHighlighter(self.document())
        self.document().contentsChange.connect(self.text_edited)  # signal to signal: no Python
        self.issues: list[Issue] = []
        # what a pending change to review at a position would do (gui.review.controller)
        self.pending_tip: Callable[[int], str | None] | None = None
        # Undo and Redo of a review decision, when it is the next step (gui.review.undo);
        # they answer False when the step is the writer's own
        self.decision_undo: Callable[[], bool] | None = None
        self.decision_redo: Callable[[], bool] | None = None
        self._starts: list[int] = []
        self._checked_text = ""
        self.setTabChangesFocus(False)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self.document().setDocumentMargin(18)
        self.base_point_size = 12.0
        self.document().setModified(False)  # setting the margin counts as a change

    # -- documents -----------------------------------------------------------------------

    def swap_document(self, keeper: QObject, document: QTextDocument | None = None
                      ) -> QTextDocument:
        """Show ``document`` (a new, empty one when None) and return the one shown until
        now, whole: its text, its undo history and its cursors. ``keeper`` becomes its
        parent (Qt deletes a replaced document that is the editor's child)."""
        old = self.document()
        if document is None:
            document = QTextDocument()
            document.setDocumentLayout(QPlainTextDocumentLayout(document))
            document.setDefaultFont(old.defaultFont())
            document.setDocumentMargin(old.documentMargin())
        old.setParent(keeper)
        old.contentsChange.disconnect(self.text_edited)
        document.setParent(self)
        self.highlighter.setDocument(document)
        self.setDocument(document)
        document.contentsChange.connect(self.text_edited)
        self.document_swapped.emit(old, document)
        self.text_edited.emit()  # underlines and counts for the text now shown
        return old

    # -- issues --------------------------------------------------------------------------

    def set_issues(self, issues: list[Issue], checked_text: str,
                   lines: dict[str, list[Span]] | None = None) -> None:
        """Underline ``issues`` found in ``checked_text``; ``lines``: their underlines by
        line, when the checker worked them out (``engine.grammar.issues.line_spans``)."""
        self.issues = sorted(issues, key=lambda i: i.start16)
        self._starts = [i.start16 for i in self.issues]
        self._checked_text = checked_text
        self.highlighter.apply(self.issues, checked_text, lines)

    def issue_at(self, position: int) -> Issue | None:
        """The issue covering a document position (UTF-16), if the text is unchanged."""
        if self.toPlainText() != self._checked_text:
            return None
        index = bisect_right(self._starts, position) - 1
        for issue in self.issues[max(0, index - 3):index + 1]:
            if issue.start16 <= position < issue.end16:
                return issue
        return None

    def select_issue(self, issue: Issue) -> None:
        cursor = self.textCursor()
        cursor.setPosition(issue.start16)
        cursor.setPosition(issue.end16, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()
        self.setFocus()

    def replace_issue(self, issue: Issue, replacement: str) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.setPosition(issue.start16)
        cursor.setPosition(issue.end16, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)
        cursor.endEditBlock()

    # -- editing helpers -----------------------------------------------------------------

    def replace_range(self, start: int, end: int, text: str) -> None:
        """Replace a span as one undo step."""
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def undo_step(self) -> None:
        """Undo (the menu, the keys, the context menu): an accepted or rejected change to
        review comes back as pending."""
        if self.decision_undo is None or not self.decision_undo():
            self.undo()

    def redo_step(self) -> None:
        if self.decision_redo is None or not self.decision_redo():
            self.redo()

    def select_paragraph(self) -> None:
        start, end = self.paragraph_range()
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def paragraph_range(self) -> tuple[int, int]:
        """The paragraph around the cursor: lines between blank lines (UTF-16 positions)."""
        block = self.textCursor().block()
        first = last = block
        while first.previous().isValid() and first.previous().text().strip():
            first = first.previous()
        while last.next().isValid() and last.next().text().strip():
            last = last.next()
        return first.position(), last.position() + utf16_len(last.text())

    def text_between(self, start: int, end: int) -> str:
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def zoom(self, steps: int) -> None:
        font = self.font()
        size = max(6.0, min(48.0, font.pointSizeF() + steps))
        font.setPointSizeF(size)
        self.setFont(font)

    def reset_zoom(self) -> None:
        font = self.font()
        font.setPointSizeF(self.base_point_size)
        self.setFont(font)

    def set_editor_font(self, family: str, size: int) -> None:
        font = QFont(family) if family else self.font()
        font.setPointSizeF(size)
        self.base_point_size = size
        self.setFont(font)

    # -- hover and menu ------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cursor = self.cursorForPosition(event.pos())
            issue = self.issue_at(cursor.position())
            pending = self.pending_tip(cursor.position()) if self.pending_tip else None
            if pending is not None:  # a change to review says more than the underline
                QToolTip.showText(event.globalPos(), pending, self)
            elif issue is not None:
                tips = f"<b>{issue.category.title()}</b>: {issue.message}"
                if issue.replacements:
                    tips += "<br>Suggestions: " + ", ".join(
                        f"<i>{r or '(remove)'}</i>" for r in issue.replacements[:5])
                tips += f"<br><small>{issue.rule} · {issue.engine}</small>"
                QToolTip.showText(event.globalPos(), tips, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def issue_menu(self, issue: Issue, menu: QMenu) -> None:
        """Put fixes for ``issue`` at the top of ``menu``."""
        first = menu.actions()[0] if menu.actions() else None
        actions: list[QAction] = []
        for replacement in issue.replacements[:5]:
            label = replacement if replacement.strip() else "(remove)"
            action = QAction(f"Replace with “{label}”", menu)
            action.triggered.connect(lambda _=False, r=replacement: self.replace_issue(issue, r))
            actions.append(action)
        once = QAction("Ignore once", menu)
        once.triggered.connect(lambda: self.ignore_once.emit(issue))
        rule = QAction(f"Ignore rule ({issue.rule})", menu)
        rule.triggered.connect(lambda: self.ignore_rule.emit(issue.rule))
        actions += [once, rule]
        if issue.category == "spelling":
            word = QAction(f"Add “{issue.text}” to dictionary", menu)
            word.triggered.connect(lambda: self.add_word.emit(issue.text))
            actions.append(word)
        if first is None:  # an empty menu: append
            menu.addActions(actions)
            return
        for action in actions:
            menu.insertAction(first, action)
        menu.insertSeparator(first)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.context_menu(event.pos()).exec(event.globalPos())

    def context_menu(self, point: QPoint) -> QMenu:
        """The menu for a right click at ``point``: Qt's own, with fixes for the issue
        there and the review's Undo and Redo."""
        menu = self.createStandardContextMenu()
        for action in menu.actions():  # Qt's own Undo and Redo skip the review's steps
            step = {"edit-undo": self.undo_step, "edit-redo": self.redo_step}.get(
                action.objectName())
            if step is not None:
                action.triggered.disconnect()
                action.triggered.connect(step)
        issue = self.issue_at(self.cursorForPosition(point).position())
        if issue is not None:
            self.issue_menu(issue, menu)
        if self.textCursor().hasSelection():
            menu.addSeparator()
            knowledge = menu.addAction("Add to &Knowledge…")
            knowledge.setShortcut("Ctrl+Shift+K")
            knowledge.triggered.connect(self.add_to_knowledge)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_step()
            return
        if event.matches(QKeySequence.StandardKey.Redo):
            self.redo_step()
            return
        if event.key() == Qt.Key.Key_Menu:
            rect = self.cursorRect()
            self.contextMenuEvent(QContextMenuEvent(QContextMenuEvent.Reason.Keyboard,
                                                    rect.center(),
                                                    self.mapToGlobal(rect.center())))
            return
        super().keyPressEvent(event)
