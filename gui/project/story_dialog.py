"""People and Places: the story bible's proposals for the open project (accept, rename,
merge or dismiss each), where each one appears (a double-click opens the place), and the
names spelled two ways (a double-click opens the document with its findings in the
Review dock)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.story.bible import Entity, Mention
from engine.story.continuity import Merge, Suspect

ROW = Qt.ItemDataRole.UserRole


class StoryDialog(QDialog):
    accept_requested = Signal(list)  # [Entity], merged into one when several
    rename_requested = Signal(object)  # Entity
    dismiss_requested = Signal(list)  # [Entity]
    facts_requested = Signal(list)  # [Entity] in the story bible: facts from the text
    place_chosen = Signal(object)  # Mention
    finding_chosen = Signal(str)  # a document with continuity findings

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyDialog")
        self.setWindowTitle("People and Places")
        self.resize(760, 560)
        self.summary = QLabel("Reading the project…")
        self.summary.setObjectName("storySummary")
        self.summary.setWordWrap(True)
        self.proposals = QTreeWidget()
        self.proposals.setObjectName("storyProposals")
        self.proposals.setHeaderLabels(["Name", "Kind", "Mentions", "Also called", "First"])
        self.proposals.setRootIsDecorated(False)
        self.proposals.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.proposals.setColumnWidth(0, 180)
        self.proposals.itemSelectionChanged.connect(self._show_mentions)
        self.mentions = QListWidget()
        self.mentions.setObjectName("storyMentions")
        self.mentions.itemActivated.connect(self._mention)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, tip in (
                ("accept", "&Accept", "Into the project's knowledge base (several chosen: "
                 "merged into one entry)"),
                ("rename", "&Rename and Accept…", "Accept under another name"),
                ("dismiss", "&Dismiss", "Never propose these again in this project"),
                ("facts", "&Facts from the Text", "Short facts the text gives about the chosen "
                 "entries in the story bible (\"lives at …\"), each with its chapter and line")):
            button = QPushButton(text)
            button.setObjectName(f"story{key}")
            button.setToolTip(tip)
            button.clicked.connect(lambda _c=False, k=key: self._act(k))
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        found = QWidget()
        layout = QVBoxLayout(found)
        layout.addWidget(self.proposals, 3)
        layout.addLayout(buttons)
        layout.addWidget(QLabel("Where the chosen one appears (double-click to open):"))
        layout.addWidget(self.mentions, 2)
        self.findings = QTreeWidget()
        self.findings.setObjectName("storyFindings")
        self.findings.setHeaderLabels(["Where", "Written", "Meant"])
        self.findings.itemActivated.connect(self._finding)
        self.tabs = QTabWidget()
        self.tabs.addTab(found, "People and places")
        self.tabs.addTab(self.findings, "Names spelled two ways")
        main = QVBoxLayout(self)
        main.addWidget(self.summary)
        main.addWidget(self.tabs)

    def show_bible(self, entities: list[Entity], found: list[Suspect], merges: list[Merge],
                   accepted: set[str]) -> None:
        self.proposals.clear()
        fresh = [e for e in entities if not set(e.names) & accepted]
        for entity in sorted(entities, key=lambda e: bool(set(e.names) & accepted)):
            kept = bool(set(entity.names) & accepted)
            row = QTreeWidgetItem([entity.name, entity.kind + (" ✓" if kept else ""),
                                   str(len(entity.mentions)), ", ".join(entity.aliases),
                                   f"{entity.first.path}:{entity.first.line}"])
            if kept:
                row.setToolTip(1, "In the story bible (the project's knowledge base)")
            row.setData(0, ROW, entity)
            row.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
            self.proposals.addTopLevelItem(row)
        self.findings.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for suspect in found:
            for place in suspect.places:
                group = groups.get(place.path)
                if group is None:
                    group = QTreeWidgetItem([place.path, "", ""])
                    group.setData(0, ROW, place.path)
                    groups[place.path] = group
                    self.findings.addTopLevelItem(group)
                row = QTreeWidgetItem([f"line {place.line}", suspect.word,
                                       suspect.suggestions[0]])
                row.setData(0, ROW, place.path)
                group.addChild(row)
        for offer in merges:
            row = QTreeWidgetItem(["one person?", offer.names[0], offer.names[1]])
            self.findings.addTopLevelItem(row)
        self.findings.expandAll()
        known = len(entities) - len(fresh)
        self.summary.setText(
            f"{len(fresh)} proposal(s) from the writing"
            + (f", {known} in the knowledge base already" if known else "")
            + f"; {sum(len(s.places) for s in found)} name(s) that look misspelled"
            + (f", {len(merges)} pair(s) that may be one" if merges else "") + ".")
        self.tabs.setTabText(1, f"Names spelled two ways ({len(found) + len(merges)})")

    def chosen(self) -> list[Entity]:
        return [item.data(0, ROW) for item in self.proposals.selectedItems()]

    def in_bible(self) -> list[Entity]:
        """The chosen ones that are in the story bible already."""
        return [item.data(0, ROW) for item in self.proposals.selectedItems()
                if item.text(1).endswith("✓")]

    def _act(self, key: str) -> None:
        chosen = self.chosen()
        if not chosen:
            return
        if key == "facts":
            self.facts_requested.emit(self.in_bible())
        elif key == "accept":
            self.accept_requested.emit(chosen)
        elif key == "rename":
            self.rename_requested.emit(chosen[0])
        else:
            self.dismiss_requested.emit(chosen)

    def _show_mentions(self) -> None:
        self.mentions.clear()
        chosen = self.chosen()
        for mention in chosen[0].mentions[:500] if chosen else []:
            item = QListWidgetItem(f"{mention.path}:{mention.line}  {mention.text}")
            item.setData(ROW, mention)
            self.mentions.addItem(item)

    def _mention(self, item: QListWidgetItem) -> None:
        mention = item.data(ROW)
        if isinstance(mention, Mention):
            self.place_chosen.emit(mention)

    def _finding(self, item: QTreeWidgetItem) -> None:
        path = item.data(0, ROW)
        if isinstance(path, str):
            self.finding_chosen.emit(path)
