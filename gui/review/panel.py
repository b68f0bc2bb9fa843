"""The Review dock: every pending change in reading order (paragraph, old → new, source),
filtered by source; choosing one shows it in the text. The actions (next, previous,
accept, reject, accept all of this kind, accept all, reject all) are the window's menu
entries, with their shortcuts; the buttons here run the same ones."""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.review.pending import Pending

ALL = "All sources"


class ReviewPanel(QWidget):
    chosen = Signal(int)  # a change id: show it in the text
    action = Signal(str)  # "accept", "reject", "accept_kind", "accept_all", "reject_all"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Changes to review")
        self.changes: list[Pending] = []
        self.summary = QLabel("No changes to review. Review → Proofread Document checks "
                              "the whole text (or the selection).")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Proofreading progress")
        self.progress.hide()
        self.filter = QComboBox()
        self.filter.setAccessibleName("Show changes from")
        self.filter.addItem(ALL)
        self.filter.currentTextChanged.connect(lambda _t: self.show_changes(self.changes))
        self.list = QListWidget()
        self.list.setAccessibleName("Pending changes")
        self.list.setUniformItemSizes(True)
        self.list.currentItemChanged.connect(self._current)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: palette(placeholder-text)")
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label, tip in (("accept", "Accept", "Make this change (one undo step)"),
                                ("reject", "Reject", "Leave the text as it is"),
                                ("accept_kind", "Accept All of Kind",
                                 "Every change from the same source"),
                                ("accept_all", "Accept All", "Every pending change"),
                                ("reject_all", "Reject All", "Drop every pending change")):
            button = QPushButton(label)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, k=key: self.action.emit(k))
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        self._enable()

    def show_changes(self, changes: list[Pending], text: str = "",
                     notes: list[str] | None = None) -> None:
        if self._only_removed(changes):
            self._summarise(notes)
            return
        keep = self.current_id()
        self.changes = changes
        sources = sorted({c.source for c in changes})
        shown = self.filter.currentText()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItems([ALL, *sources])
        self.filter.setCurrentText(shown if shown in sources else ALL)
        self.filter.blockSignals(False)
        wanted = self.filter.currentText()
        self.list.blockSignals(True)
        self.list.clear()
        breaks = _paragraph_breaks(text)
        for change in changes:
            if wanted != ALL and change.source != wanted:
                continue
            paragraph = bisect_right(breaks, change.start) + 1 if text else 0
            old = change.old.strip() or ("¶ break" if "\n" in change.old else "+")
            new = change.new.strip() or ("¶ break" if "\n" in change.new else "(remove)")
            where = f"¶{paragraph}  " if paragraph else ""
            item = QListWidgetItem(f"{where}{old} → {new}    · {change.source}")
            item.setData(Qt.ItemDataRole.UserRole, change.id)
            item.setToolTip(f"{change.kind} from {change.source}" +
                            (f"; the model finds it likelier by {change.gain:.1f}"
                             if change.gain else ""))
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._summarise(notes)
        self.select(keep)

    def _only_removed(self, changes: list[Pending]) -> bool:
        """When changes were only decided (none added, none moved in the list), their rows
        go and the rest stay: accepting one change costs one row, not the whole list."""
        ids = [c.id for c in changes]
        shown = [self.list.item(r).data(Qt.ItemDataRole.UserRole)  # type: ignore[union-attr]
                 for r in range(self.list.count())]
        if not shown or len(ids) >= len(self.changes) or \
                not set(ids) <= {c.id for c in self.changes}:
            return False
        self.changes = changes
        remaining = set(ids)
        row = self.list.currentRow()
        self.list.blockSignals(True)
        for index in reversed(range(len(shown))):
            if shown[index] not in remaining:
                self.list.takeItem(index)
        self.list.blockSignals(False)
        if self.list.count():
            self.list.setCurrentRow(min(max(row, 0), self.list.count() - 1))
        return True

    def _summarise(self, notes: list[str] | None) -> None:
        count = len(self.changes)
        self.summary.setText(f"{count} change(s) to review" if count else
                             "No changes to review. Review → Proofread Document checks "
                             "the whole text (or the selection).")
        if notes is not None:
            self.notes.setText("\n".join(notes[-3:]))
        self._enable()

    def current_id(self) -> int:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else -1

    def select(self, change_id: int) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == change_id:
                self.list.setCurrentRow(row)
                return

    def step(self, forward: bool) -> None:
        """The next (or previous) change, from the one chosen."""
        if not self.list.count():
            return
        row = self.list.currentRow()
        row = 0 if row < 0 else (row + (1 if forward else -1)) % self.list.count()
        self.list.setCurrentRow(row)

    def show_progress(self, done: int, total: int, left: float) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat("%v of %m paragraphs" +
                                (f" · about {left:.0f} s left" if left >= 0 else ""))
        self.progress.setVisible(done < total)

    def _current(self, *_args: object) -> None:
        self._enable()
        if self.current_id() >= 0:
            self.chosen.emit(self.current_id())

    def _enable(self) -> None:
        chosen = self.current_id() >= 0
        for key in ("accept", "reject", "accept_kind"):
            self.buttons[key].setEnabled(chosen)
        for key in ("accept_all", "reject_all"):
            self.buttons[key].setEnabled(bool(self.changes))


def _paragraph_breaks(text: str) -> list[int]:
    from engine.text.split import PARAGRAPH_BREAK

    return [found.start() for found in PARAGRAPH_BREAK.finditer(text)]
