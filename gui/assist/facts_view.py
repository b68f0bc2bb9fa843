"""The ontology facts that will be sent with a request, each with a checkbox."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ontology.knowledge import Lookup


class FactsView(QWidget):
    entity_requested = Signal(str)  # a fact was double-clicked: show its entity

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.entities = QLabel("No ontology entities found yet.")
        self.entities.setWordWrap(True)
        self.entities.setObjectName("entitiesLabel")
        layout.addWidget(self.entities)
        self.list = QListWidget()
        self.list.setAccessibleName("Facts to send")
        self.list.setWordWrap(True)
        self.list.setMinimumHeight(60)
        layout.addWidget(self.list)
        self.excluded: set[str] = set()  # facts the writer unticked; they stay out
        self.list.itemChanged.connect(self._ticked)
        self.list.itemDoubleClicked.connect(
            lambda item: self.entity_requested.emit(item.data(Qt.ItemDataRole.UserRole)))

    def show_lookup(self, lookup: Lookup, text: str) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        names = []
        for mention in lookup.mentions:
            label = lookup.labels.get(mention.iri, mention.iri)
            found = text[mention.start:mention.end]
            names.append(label if found == label else f"{label} (“{found}”)")
        self.entities.setText("Entities: " + ", ".join(dict.fromkeys(names))
                              if names else "No ontology entities in this text.")
        for fact in lookup.facts:
            item = QListWidgetItem(fact.text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if fact.text in self.excluded
                               else Qt.CheckState.Checked)
            source = lookup.sources.get(fact.iri, "")
            item.setToolTip((f"From {source}\n" if source else "") +
                            f"{fact.iri}\nDouble-click: show it in the Ontology dock")
            if source.endswith("story-bible.owl"):
                item.setText(f"{fact.text}  ⟨story bible⟩")
                item.setData(Qt.ItemDataRole.UserRole + 1, fact.text)
            item.setData(Qt.ItemDataRole.UserRole, fact.iri)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def _ticked(self, item: QListWidgetItem) -> None:
        text = item.data(Qt.ItemDataRole.UserRole + 1) or item.text()  # without its source
        if item.checkState() == Qt.CheckState.Checked:
            self.excluded.discard(text)
        else:
            self.excluded.add(text)

    def clear(self, message: str = "No ontology entities found yet.") -> None:
        self.list.clear()
        self.entities.setText(message)
