"""The ontology in use: its file, what it holds, and the entities of the current text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ontology.knowledge import Lookup


class OntologyPanel(QWidget):
    open_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Ontology")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.info = QLabel("No ontology loaded.")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.entities = QListWidget()
        self.entities.setAccessibleName("Entities in the current text")
        layout.addWidget(self.entities)
        self.open_button = QPushButton("Open ontology…")
        self.open_button.setAccessibleName("Open an ontology file")
        self.open_button.clicked.connect(self.open_requested)
        layout.addWidget(self.open_button)

    def show_opened(self, info: dict[str, Any]) -> None:
        warnings = "\n".join(f"⚠ {w}" for w in info.get("warnings", []))
        text = f"{info['path']}\n{info['entities']} entities"
        self.info.setText(text + (f"\n{warnings}" if warnings else ""))

    def show_failed(self, message: str) -> None:
        self.info.setText(f"Ontology not loaded: {message}")

    def show_lookup(self, lookup: Lookup, text: str) -> None:
        self.entities.clear()
        for mention in lookup.mentions:
            label = lookup.labels.get(mention.iri, mention.iri)
            self.entities.addItem(f"{label} — “{text[mention.start:mention.end]}” "
                                  f"({mention.score:.2f})")
