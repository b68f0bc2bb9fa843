"""The History dock: every version kept of the document, what changed since each one, and
the way back (restore the whole version, or copy one paragraph out of it)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.history.codec import Version

REASONS = {"save": "saved", "suggestion": "before a suggestion",
           "review": "before a review change", "writing": "while writing",
           "restore": "restored", "before-restore": "before a restore",
           "before-replace": "before a project replace", "replace": "project replace",
           "snapshot": "kept by hand", "import": "as opened"}
EMPTY = ("No versions yet. Wordloom keeps one each time you save, before each suggestion you "
         "accept, and once an hour while you write.")


def when_text(version: Version, today: dt.date | None = None) -> str:
    when = version.when
    today = today or dt.date.today()
    if when.date() == today:
        return when.strftime("today %H:%M")
    if when.year == today.year:
        return when.strftime("%a %d %b %H:%M")
    return when.strftime("%d %b %Y %H:%M")


class HistoryPanel(QWidget):
    show_requested = Signal(int)
    restore_requested = Signal(int)
    name_requested = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Document history")
        self.versions: list[Version] = []
        self.shown_id = 0
        self.shown_text = ""
        self.changes_html = ""
        self.list = QTreeWidget()
        self.list.setAccessibleName("Versions")
        self.list.setHeaderLabels(["When", "Words", "Change", "Why", "Name"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.currentItemChanged.connect(self._chosen)
        self.list.itemActivated.connect(lambda *_: self._restore())
        self.empty = QLabel(EMPTY)
        self.empty.setWordWrap(True)
        self.view = QTextBrowser()
        self.view.setAccessibleName("The chosen version")
        self.view.setOpenLinks(False)
        self.as_changes = QRadioButton("&Changes since")
        self.as_changes.setToolTip("What changed from this version to the text as it is now")
        self.as_whole = QRadioButton("&Whole version")
        self.as_changes.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.as_changes, self.as_whole):
            group.addButton(button)
            button.toggled.connect(self._render)
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setToolTip("Put this version back in the editor (one undo step; "
                                       "the text you have now is kept as a version first)")
        self.restore_button.clicked.connect(self._restore)
        self.copy_button = QPushButton("Copy &Paragraph")
        self.copy_button.setToolTip("Copy the selected text, or the paragraph at the cursor, "
                                    "of the whole version")
        self.copy_button.clicked.connect(self.copy_paragraph)
        self.name_button = QPushButton("&Name…")
        self.name_button.setToolTip("Name this version (\"sent to editor\"); named versions "
                                    "are never thinned out")
        self.name_button.clicked.connect(self._name)
        modes = QHBoxLayout()
        modes.addWidget(self.as_changes)
        modes.addWidget(self.as_whole)
        modes.addStretch(1)
        for action in (self.restore_button, self.copy_button, self.name_button):
            modes.addWidget(action)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(modes)
        lower_layout.addWidget(self.view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(lower)
        split.setSizes([160, 260])
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(split)
        self._enable()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Side by side in a wide dock (below the editor), one above the other in a tall
        one."""
        super().resizeEvent(event)
        wide = event.size().width() > 1.6 * event.size().height()
        wanted = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.split.orientation() != wanted:
            self.split.setOrientation(wanted)

    def show_versions(self, versions: list[Version]) -> None:
        """The list, newest first; the chosen version stays chosen when it is still there."""
        keep = self.current_id()
        self.versions = versions
        self.list.blockSignals(True)
        self.list.clear()
        today = dt.date.today()
        items = []
        for version in versions:
            item = QTreeWidgetItem([when_text(version, today), f"{version.words:,}",
                                    f"+{version.added:,} −{version.removed:,}",
                                    REASONS.get(version.reason, version.reason), version.name])
            item.setData(0, Qt.ItemDataRole.UserRole, version.id)
            item.setToolTip(0, version.when.strftime("%Y-%m-%d %H:%M:%S"))
            for column in (2, 3, 4):  # whatever a narrow dock cuts, the tip says whole
                item.setToolTip(column, item.text(column))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            items.append(item)
        self.list.addTopLevelItems(items)
        for column in range(4):  # each column as wide as its words; the name takes the rest
            self.list.resizeColumnToContents(column)
        self.list.blockSignals(False)
        self.empty.setVisible(not versions)
        for item in items:
            if item.data(0, Qt.ItemDataRole.UserRole) == keep:
                self.list.setCurrentItem(item)
                break
        else:
            self.shown_id = 0
            self.view.clear()
        self._enable()

    def current_id(self) -> int:
        item = self.list.currentItem()
        return int(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else 0

    def show_version(self, version_id: int, text: str, changes_html: str) -> None:
        if version_id != self.current_id():
            return  # the writer moved on
        self.shown_id, self.shown_text, self.changes_html = version_id, text, changes_html
        self._render()
        self._enable()

    def copy_paragraph(self) -> str:
        """Copy the selection, else the paragraph at the cursor, of the whole version."""
        if not self.as_whole.isChecked():
            self.as_whole.setChecked(True)
        cursor = self.view.textCursor()
        text = cursor.selectedText().replace("\u2029", "\n") if cursor.hasSelection() \
            else cursor.block().text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def _chosen(self, *_args: object) -> None:
        version_id = self.current_id()
        self._enable()
        if version_id:
            self.show_requested.emit(version_id)

    def _render(self, *_args: object) -> None:
        if not self.shown_id:
            return
        if self.as_whole.isChecked():
            self.view.setPlainText(self.shown_text)
        else:
            self.view.setHtml(self.changes_html)

    def _restore(self) -> None:
        if self.current_id():
            self.restore_requested.emit(self.current_id())

    def _name(self) -> None:
        version_id = self.current_id()
        if not version_id:
            return
        current = next((v.name for v in self.versions if v.id == version_id), "")
        name, ok = QInputDialog.getText(self, "Name this version", "Name:", text=current)
        if ok:
            self.name_requested.emit(version_id, name.strip())

    def _enable(self) -> None:
        chosen = bool(self.current_id())
        self.restore_button.setEnabled(chosen)
        self.name_button.setEnabled(chosen)
        self.copy_button.setEnabled(chosen and self.shown_id == self.current_id())
