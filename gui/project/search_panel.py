"""The Project Search dock: find across every document (whole word, match case, regular
expression), the hits grouped by document with the words around them; and replace, each
hit a change to keep or leave (ticked), made in every file at once and undone as one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.project.index import Hit

if TYPE_CHECKING:
    from engine.project.replace import FileReplace

HIT = Qt.ItemDataRole.UserRole
LIMIT = 1_000  # engine.project.index.SearchIndex.search's
EXPANDED = 20  # documents opened in the list; the rest open with a click


class SearchPanel(QWidget):
    find_requested = Signal(str, bool, bool, bool)  # query, whole word, case, regex
    preview_requested = Signal(str, str, bool, bool, bool)  # old, new, options
    apply_requested = Signal()
    undo_requested = Signal()
    hit_chosen = Signal(object)  # Hit

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectSearch")
        self.query = QLineEdit()
        self.query.setObjectName("projectQuery")
        self.query.setPlaceholderText("Find in the project")
        self.query.setClearButtonEnabled(True)
        self.replacement = QLineEdit()
        self.replacement.setObjectName("projectReplacement")
        self.replacement.setPlaceholderText("Replace with")
        self.whole = QCheckBox("Whole &word")
        self.case = QCheckBox("Match &case")
        self.regex = QCheckBox("Re&gular expression")
        self.find_button = QPushButton("&Find")
        self.find_button.setObjectName("projectFind")
        self.preview_button = QPushButton("Re&place…")
        self.preview_button.setObjectName("projectPreview")
        self.preview_button.setToolTip("List every hit as a change to keep or leave; nothing is "
                                "written until Replace Ticked")
        self.apply_button = QPushButton("Replace &Ticked")
        self.apply_button.setObjectName("projectApply")
        self.undo_button = QPushButton("&Undo Replace")
        self.undo_button.setObjectName("projectUndoReplace")
        self.summary = QLabel("")
        self.summary.setObjectName("projectSearchSummary")
        self.summary.setWordWrap(True)
        self.results = QTreeWidget()
        self.results.setObjectName("projectResults")
        self.results.setHeaderLabels(["Where", "Words around it"])
        self.results.setColumnWidth(0, 200)
        self.results.itemActivated.connect(self._chosen)
        self.results.itemClicked.connect(self._chosen)
        grid = QGridLayout()
        grid.addWidget(self.query, 0, 0)
        grid.addWidget(self.find_button, 0, 1)
        grid.addWidget(self.replacement, 1, 0)
        grid.addWidget(self.preview_button, 1, 1)
        options = QHBoxLayout()
        for box in (self.whole, self.case, self.regex):
            options.addWidget(box)
        options.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.summary, 1)
        actions.addWidget(self.apply_button)
        actions.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(grid)
        layout.addLayout(options)
        layout.addWidget(self.results, 1)
        layout.addLayout(actions)
        self.query.returnPressed.connect(self._find)
        self.find_button.clicked.connect(self._find)
        self.preview_button.clicked.connect(self._preview)
        self.apply_button.clicked.connect(self.apply_requested)
        self.undo_button.clicked.connect(self.undo_requested)
        self.apply_button.setEnabled(False)
        self.undo_button.setEnabled(False)

    def options(self) -> tuple[bool, bool, bool]:
        return self.whole.isChecked(), self.case.isChecked(), self.regex.isChecked()

    def _find(self) -> None:
        if self.query.text():
            self.summary.setText("Searching…")
            self.find_requested.emit(self.query.text(), *self.options())

    def _preview(self) -> None:
        if self.query.text():
            self.summary.setText("Finding what to replace…")
            self.preview_requested.emit(self.query.text(), self.replacement.text(),
                                        *self.options())

    def _chosen(self, item: QTreeWidgetItem) -> None:
        hit = item.data(0, HIT)
        if isinstance(hit, Hit):
            self.hit_chosen.emit(hit)

    def show_hits(self, hits: list[Hit], took_ms: float) -> None:
        self.results.clear()
        self.apply_button.setEnabled(False)
        groups: dict[str, QTreeWidgetItem] = {}
        for hit in hits:
            group = groups.get(hit.path)
            if group is None:
                group = QTreeWidgetItem([hit.path, ""])
                groups[hit.path] = group
            shown = (f"{hit.context[:hit.at]}«{hit.context[hit.at:hit.at + hit.length]}»"
                     f"{hit.context[hit.at + hit.length:]}")
            item = QTreeWidgetItem([f"line {hit.line}", shown])
            item.setData(0, HIT, hit)
            item.setToolTip(1, hit.context)
            group.addChild(item)
        for path, group in groups.items():
            group.setText(1, f"{group.childCount()} hit(s)")
            group.setData(0, HIT, Hit(path, 1, 1, 0, ""))
        self.results.addTopLevelItems(list(groups.values()))  # one layout, not one a group
        for n in range(min(EXPANDED, self.results.topLevelItemCount())):
            top = self.results.topLevelItem(n)
            if top is not None:
                top.setExpanded(True)
        more = " (the first ones; make the search narrower for the rest)" \
            if len(hits) >= LIMIT else ""
        self.summary.setText(f"{len(hits)} hit(s) in {len(groups)} document(s), "
                             f"{took_ms:.0f} ms{more}" if hits else "Not found")

    def show_changes(self, files: list[FileReplace], notes: list[str]) -> None:
        """Each change a ticked row under its document."""
        self.results.clear()
        total = 0
        for item in files:
            group = QTreeWidgetItem([item.path, f"{len(item.review.changes)} change(s)"])
            group.setFlags(group.flags() | Qt.ItemFlag.ItemIsAutoTristate |
                           Qt.ItemFlag.ItemIsUserCheckable)
            group.setData(0, HIT, Hit(item.path, 1, 1, 0, ""))
            self.results.addTopLevelItem(group)
            text = item.review.text
            for change in item.review.changes:
                line = text.count("\n", 0, change.start) + 1
                start = text.rfind("\n", 0, change.start) + 1
                column = change.start - start + 1
                left = text[max(start, change.start - 30):change.start]
                right = text[change.end:change.end + 30].split("\n")[0]
                row = QTreeWidgetItem([f"line {line}",
                                       f"{left}[{change.old} → {change.new}]{right}"])
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(0, Qt.CheckState.Checked)
                row.setData(0, HIT, Hit(item.path, line, column, len(change.old), ""))
                row.setData(1, HIT, change.id)
                group.addChild(row)
                total += 1
        self.results.expandAll()
        note = (" " + " ".join(notes)) if notes else ""
        self.summary.setText(f"{total} change(s) in {len(files)} document(s): untick those "
                             f"to leave, then Replace Ticked.{note}" if total else
                             f"Nothing to replace.{note}")
        self.apply_button.setEnabled(bool(total))

    def ticked(self) -> dict[str, set[int]]:
        """The change ids ticked, by document."""
        out: dict[str, set[int]] = {}
        for n in range(self.results.topLevelItemCount()):
            group = self.results.topLevelItem(n)
            if group is None:
                continue
            rows = [group.child(k) for k in range(group.childCount())]
            out[group.text(0)] = {int(row.data(1, HIT)) for row in rows
                                  if row is not None and
                                  row.checkState(0) == Qt.CheckState.Checked}
        return out
