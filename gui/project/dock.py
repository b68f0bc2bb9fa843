"""The Project dock: the book's tree in its order, each document's words and status,
the documents not in the book below it, and the tree's commands (new, rename, move by
drag and drop, delete to the trash, undo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.project.manifest import STATUSES

if TYPE_CHECKING:
    from engine.project.model import Node

PATH = Qt.ItemDataRole.UserRole
OUTSIDE = "\0outside"  # the "Not in the book" row


class ProjectTree(QTreeWidget):
    """A tree whose drops are asked for, not made: the project moves the file."""

    moved = Signal(str, str, int)  # path, into folder ("" the top), at index (-1: last)

    def dropEvent(self, event: QDropEvent) -> None:
        dragged = self.currentItem()
        target = self.itemAt(event.position().toPoint())
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if dragged is None:
            return
        rel = str(dragged.data(0, PATH))
        where = self.dropIndicatorPosition()
        if target is None:
            self.moved.emit(rel, "", -1)
            return
        target_rel = str(target.data(0, PATH))
        if target_rel == OUTSIDE:
            return
        on = QAbstractItemView.DropIndicatorPosition.OnItem
        if where == on and target_rel.endswith("/"):
            self.moved.emit(rel, target_rel, -1)
            return
        parent = target.parent()
        parent_rel = str(parent.data(0, PATH)) if parent is not None else ""
        if parent_rel == OUTSIDE:
            return
        siblings = [parent.child(n) if parent else self.topLevelItem(n)
                    for n in range(parent.childCount() if parent else self.topLevelItemCount())]
        index = siblings.index(target) + (0 if where ==
                                          QAbstractItemView.DropIndicatorPosition.AboveItem
                                          else 1)
        moving_before = [s for s in siblings[:index] if s is dragged]
        self.moved.emit(rel, parent_rel, index - len(moving_before))


class ProjectDock(QWidget):
    open_requested = Signal(str)
    new_document = Signal(str)  # in folder
    new_folder = Signal(str)
    rename = Signal(str)
    delete = Signal(str)
    undo = Signal()
    place = Signal(str)
    status_set = Signal(str, str)  # path, status
    describe = Signal(str, str)  # path, "target" or "synopsis": ask the writer for it
    moved = Signal(str, str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectDock")
        self.title = QLabel("No project open: File → Open Project…")
        self.title.setObjectName("projectTitle")
        self.title.setWordWrap(True)
        self.tree = ProjectTree()
        self.tree.setObjectName("projectTree")
        self.tree.setAccessibleName("The project's documents")
        self.tree.setHeaderLabels(["Document", "Words", "Status"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.itemActivated.connect(self._activated)
        self.tree.moved.connect(self.moved)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for key, text, tip in (("newdoc", "New", "A new document in the chosen folder"),
                               ("newfolder", "Folder", "A new folder"),
                               ("rename", "Rename", "Rename the chosen document or folder"),
                               ("delete", "Delete", "Send it to the trash (Undo brings it "
                                "back)"),
                               ("undo", "Undo", "Undo the last change to the tree")):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setObjectName(f"project{key}")
            button.clicked.connect(lambda _c=False, k=key: self._button(k))
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addWidget(self.tree)
        self.show_tree("", [], {}, False)

    def chosen(self) -> str:
        item = self.tree.currentItem()
        rel = str(item.data(0, PATH)) if item is not None else ""
        return "" if rel == OUTSIDE else rel

    def _folder_of_choice(self) -> str:
        rel = self.chosen()
        if rel.endswith("/"):
            return rel
        return rel.rpartition("/")[0] + "/" if "/" in rel else ""

    def _button(self, key: str) -> None:
        rel = self.chosen()
        if key == "newdoc":
            self.new_document.emit(self._folder_of_choice())
        elif key == "newfolder":
            self.new_folder.emit(self._folder_of_choice())
        elif key == "undo":
            self.undo.emit()
        elif rel:
            (self.rename if key == "rename" else self.delete).emit(rel)

    def _activated(self, item: QTreeWidgetItem) -> None:
        rel = str(item.data(0, PATH))
        if rel and rel != OUTSIDE and not rel.endswith("/"):
            self.open_requested.emit(rel)

    def show_tree(self, title: str, nodes: list[Node], words: dict[str, int], open_: bool,
                  shown: str = "", undo_label: str = "",
                  pending: dict[str, int] | None = None) -> None:
        """Draw the tree; ``shown``: the document in the editor (in bold)."""
        self.title.setText(title or "No project open: File → Open Project…")
        for button in self.buttons.values():
            button.setEnabled(open_)
        self.buttons["undo"].setEnabled(bool(undo_label))
        self.buttons["undo"].setToolTip(f"Undo {undo_label}" if undo_label else
                                        "Nothing to undo")
        chosen = self.chosen()
        self.tree.clear()
        folders: dict[str, QTreeWidgetItem] = {}
        outside: QTreeWidgetItem | None = None
        placed = [n.item.path for n in nodes if n.placed and not n.item.is_folder]
        for node in nodes:
            rel = node.item.path
            name = rel.rstrip("/").rpartition("/")[2]
            if node.placed:
                parent = folders.get(node.item.parent)
            else:
                if outside is None:
                    outside = QTreeWidgetItem(["Not in the book", "", ""])
                    outside.setData(0, PATH, OUTSIDE)
                    font = outside.font(0)
                    font.setItalic(True)
                    outside.setFont(0, font)
                    outside.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    self.tree.addTopLevelItem(outside)
                parent, name = outside, rel
            count = words.get(rel, 0) if not rel.endswith("/") else \
                sum(words.get(p, 0) for p in placed if p.startswith(rel))
            target = node.item.target
            shown_words = f"{count:,}" + (f" / {target:,}" if target else "")
            status = node.item.status if node.placed and not node.item.is_folder else ""
            if pending and pending.get(rel):
                status = f"{status} · {pending[rel]} to review".lstrip(" ·")
            item = QTreeWidgetItem([name, shown_words, status])
            item.setData(0, PATH, rel)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            if target:
                item.setToolTip(1, f"{min(100, round(100 * count / target))} % of the "
                                f"target of {target:,} words")
            if node.item.synopsis:
                item.setToolTip(0, node.item.synopsis)
            if rel == shown:
                font = QFont(item.font(0))
                font.setBold(True)
                item.setFont(0, font)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            if rel.endswith("/"):
                folders[rel] = item
            if rel == chosen:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()

    def _menu(self, point: QPoint) -> None:
        item = self.tree.itemAt(point)
        if item is None:
            return
        rel = str(item.data(0, PATH))
        if not rel or rel == OUTSIDE:
            return
        menu = QMenu(self)
        if not rel.endswith("/"):
            menu.addAction("Open", lambda: self.open_requested.emit(rel))
        parent = item.parent()
        if parent is not None and str(parent.data(0, PATH)) == OUTSIDE:
            menu.addAction("Place in the Book", lambda: self.place.emit(rel))
        elif not rel.endswith("/"):
            statuses = menu.addMenu("Status")
            for status in STATUSES:
                action = QAction(status.title(), statuses)
                action.setCheckable(True)
                action.setChecked(item.text(2) == status)
                action.triggered.connect(lambda _c=False, s=status: self.status_set.emit(rel, s))
                statuses.addAction(action)
            menu.addAction("Word Target…", lambda: self.describe.emit(rel, "target"))
            menu.addAction("Synopsis…", lambda: self.describe.emit(rel, "synopsis"))
        menu.addAction("Rename…", lambda: self.rename.emit(rel))
        menu.addAction("Delete", lambda: self.delete.emit(rel))
        menu.exec(self.tree.viewport().mapToGlobal(point))
