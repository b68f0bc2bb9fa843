"""Find and replace in the editor."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)


class FindReplaceDialog(QDialog):
    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find and Replace")
        self.editor = editor
        self.find_text = QLineEdit()
        self.find_text.setAccessibleName("Find")
        self.replace_text = QLineEdit()
        self.replace_text.setAccessibleName("Replace with")
        self.case = QCheckBox("Match &case")
        self.status = QLabel("")
        form = QFormLayout(self)
        form.addRow("&Find", self.find_text)
        form.addRow("Re&place", self.replace_text)
        form.addRow(self.case)
        row = QHBoxLayout()
        for label, slot in (("Find &next", self.find_next), ("&Replace", self.replace_one),
                            ("Replace &all", self.replace_all)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
        form.addRow(row)
        form.addRow(self.status)
        self.find_text.returnPressed.connect(self.find_next)

    def _flags(self) -> QTextDocument.FindFlag:
        flags = QTextDocument.FindFlag(0)
        if self.case.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        return flags

    def find_next(self) -> bool:
        needle = self.find_text.text()
        if not needle:
            return False
        if self.editor.find(needle, self._flags()):
            self.status.setText("")
            return True
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        found = self.editor.find(needle, self._flags())
        self.status.setText("" if found else f"“{needle}” not found")
        return found

    def replace_one(self) -> None:
        cursor = self.editor.textCursor()
        same = cursor.selectedText() == self.find_text.text() if self.case.isChecked() else \
            cursor.selectedText().lower() == self.find_text.text().lower()
        if cursor.hasSelection() and same:
            cursor.insertText(self.replace_text.text())
        self.find_next()

    def replace_all(self) -> int:
        needle = self.find_text.text()
        if not needle:
            return 0
        document = self.editor.document()
        cursor = QTextCursor(document)
        cursor.beginEditBlock()
        count = 0
        found = document.find(needle, 0, self._flags())
        while not found.isNull():
            cursor.setPosition(found.selectionStart())
            cursor.setPosition(found.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(self.replace_text.text())  # one undo step for all
            count += 1
            found = document.find(needle, cursor.position(), self._flags())
        cursor.endEditBlock()
        self.status.setText(f"Replaced {count} occurrence(s)")
        return count
