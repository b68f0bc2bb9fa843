"""After a crash: restore, compare or discard each recovered document."""

from __future__ import annotations

import difflib
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.documents.files import open_document
from engine.documents.journal import Journal, JournalEntry
from engine.errors import DocumentError
from engine.text.words import writers_word_count


class RecoveryDialog(QDialog):
    restore = Signal(object)

    def __init__(self, entries: list[JournalEntry], journal: Journal,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.entries = list(entries)
        self.journal = journal
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Wordloom closed unexpectedly. These documents had unsaved "
                                "changes:"))
        self.list = QListWidget()
        self.list.setAccessibleName("Recovered documents")
        layout.addWidget(self.list)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setAccessibleName("Recovered text or difference")
        layout.addWidget(self.view)
        row = QHBoxLayout()
        for label, slot in (("&Restore", self._restore), ("Show &difference", self._diff),
                            ("&Discard", self._discard), ("&Later", self.reject)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout.addLayout(row)
        self.list.currentRowChanged.connect(self._show)
        self._fill()
        self.resize(640, 480)

    def _fill(self) -> None:
        self.list.clear()
        for entry in self.entries:
            self.list.addItem(f"{entry.name} — {writers_word_count(entry.text)} words")
        if self.entries:
            self.list.setCurrentRow(0)
        else:
            self.accept()

    def _current(self) -> JournalEntry | None:
        row = self.list.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _show(self, _row: int) -> None:
        entry = self._current()
        self.view.setPlainText(entry.text if entry else "")

    def _diff(self) -> None:
        entry = self._current()
        if entry is None:
            return
        try:
            on_disk = open_document(Path(entry.path)).text if entry.path else ""
        except DocumentError as exc:
            self.view.setPlainText(f"(the file cannot be read: {exc})\n\n{entry.text}")
            return
        diff = difflib.unified_diff(on_disk.splitlines(), entry.text.splitlines(),
                                    "on disk", "recovered", lineterm="")
        self.view.setPlainText("\n".join(diff) or "(no difference from the file on disk)")

    def _restore(self) -> None:
        entry = self._current()
        if entry is not None:
            self.restore.emit(entry)
            self._drop(entry)

    def _discard(self) -> None:
        entry = self._current()
        if entry is not None:
            self.journal.discard(entry.doc_id)
            self._drop(entry)

    def _drop(self, entry: JournalEntry) -> None:
        self.entries.remove(entry)
        self._fill()
