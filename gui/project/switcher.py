"""Go to a document of the project by typing part of its name (Ctrl+P)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QVBoxLayout, QWidget
from rapidfuzz import fuzz, process, utils


class QuickSwitcher(QDialog):
    def __init__(self, documents: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickSwitcher")
        self.setWindowTitle("Go to Document")
        self.documents = documents
        self.query = QLineEdit()
        self.query.setObjectName("switcherQuery")
        self.query.setPlaceholderText("Type part of a document's name")
        self.matches = QListWidget()
        self.matches.setObjectName("switcherMatches")
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.matches)
        self.query.textChanged.connect(self._filter)
        self.matches.itemActivated.connect(lambda _i: self.accept())
        self.query.returnPressed.connect(self._enter)
        self.resize(460, 320)
        self._filter("")

    def _filter(self, text: str) -> None:
        self.matches.clear()
        if not text:
            found = self.documents
        else:
            ranked = process.extract(text, self.documents, scorer=fuzz.WRatio, limit=30,
                                     processor=utils.default_process, score_cutoff=50)
            found = [name for name, _score, _n in ranked]
        self.matches.addItems(found)
        if found:
            self.matches.setCurrentRow(0)

    def _enter(self) -> None:
        if self.matches.currentItem() is not None:  # nothing matches: keep typing
            self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            row = self.matches.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.matches.setCurrentRow(max(0, min(row, self.matches.count() - 1)))
            return
        super().keyPressEvent(event)

    def chosen(self) -> str:
        item = self.matches.currentItem()
        return item.text() if item is not None else ""
