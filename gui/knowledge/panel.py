"""The Ontology dock: a browser of the writer's knowledge base. Classes as a tree with
their individuals, a search field, the selected entry's details (labels per language,
other names, comment, types, relations both ways, values, and where the open document
mentions it), the entries of the current paragraph, and the buttons that change it."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ontology.kb_types import ClassNode, Details
    from ontology.knowledge import Lookup

IRI_ROLE = Qt.ItemDataRole.UserRole


class OntologyPanel(QWidget):
    open_requested = Signal()
    new_requested = Signal()
    entity_selected = Signal(str)  # an IRI
    search_changed = Signal(str)
    add_requested = Signal()
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    undo_requested = Signal()
    redo_requested = Signal()
    save_requested = Signal()
    mention_clicked = Signal(int, int)  # start, end in the document (code points)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Ontology")
        self.current = ""  # the IRI shown in the details
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.info = QLabel("No ontology loaded.")
        self.info.setWordWrap(True)
        layout.addWidget(self.info)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the knowledge base…")
        self.search.setAccessibleName("Search the knowledge base")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.search_changed)
        layout.addWidget(self.search)

        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Classes and their members")
        self.tree.currentItemChanged.connect(self._picked)
        split.addWidget(self.tree)
        self.details = QTextBrowser()
        self.details.setAccessibleName("The selected entry")
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._link)
        split.addWidget(self.details)
        here = QWidget()
        here_layout = QVBoxLayout(here)
        here_layout.setContentsMargins(0, 0, 0, 0)
        here_layout.addWidget(QLabel("In this paragraph:"))
        self.entities = QListWidget()
        self.entities.setAccessibleName("Entities in the current text")
        self.entities.itemActivated.connect(self._paragraph_entry)
        self.entities.itemClicked.connect(self._paragraph_entry)
        here_layout.addWidget(self.entities)
        split.addWidget(here)
        split.setSizes([200, 300, 80])
        layout.addWidget(split, 1)

        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        grid = QGridLayout()
        self.add_button = QPushButton("&Add…")
        self.add_button.setToolTip("Add an entry (or select text and use Add to Knowledge…)")
        self.edit_button = QPushButton("Ed&it…")
        self.delete_button = QPushButton("De&lete")
        self.undo_button = QPushButton("Undo")
        self.redo_button = QPushButton("Redo")
        self.save_button = QPushButton("&Save")
        self.open_button = QPushButton("Open ontology…")
        self.open_button.setAccessibleName("Open an ontology file")
        self.new_button = QPushButton("New…")
        self.new_button.setToolTip("Create an empty knowledge base for this project")
        buttons = [self.add_button, self.edit_button, self.delete_button, self.undo_button,
                   self.redo_button, self.save_button, self.open_button, self.new_button]
        for i, button in enumerate(buttons[:6]):
            grid.addWidget(button, i // 3, i % 3)
        grid.addWidget(self.open_button, 2, 0, 1, 2)
        grid.addWidget(self.new_button, 2, 2)
        layout.addLayout(grid)
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        self.undo_button.clicked.connect(self.undo_requested)
        self.redo_button.clicked.connect(self.redo_requested)
        self.save_button.clicked.connect(self.save_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.new_button.clicked.connect(self.new_requested)
        self.warnings = ""  # the open ontology's, shown under its summary
        self.set_state(False, "", "", False)

    # --- what the controller shows ---------------------------------------------------------

    def show_opened(self, info: dict[str, Any]) -> None:
        self.warnings = "\n".join(f"⚠ {w}" for w in info.get("warnings", []))
        self.show_summary(str(info["path"]), int(info["entities"]))

    def show_summary(self, path: str, entities: int) -> None:
        """The file in use and its entities now (after every change too)."""
        text = f"{path}\n{entities} entit{'y' if entities == 1 else 'ies'}"
        self.info.setText(text + (f"\n{self.warnings}" if self.warnings else ""))

    def show_failed(self, message: str) -> None:
        self.info.setText(f"Ontology not loaded: {message}")

    def show_lookup(self, lookup: Lookup, text: str) -> None:
        self.entities.clear()
        for mention in lookup.mentions:
            label = lookup.labels.get(mention.iri, mention.iri)
            item = QListWidgetItem(f"{label} — “{text[mention.start:mention.end]}” "
                                   f"({mention.score:.2f})")
            item.setData(IRI_ROLE, mention.iri)
            self.entities.addItem(item)

    def show_tree(self, nodes: list[ClassNode]) -> None:
        """Classes under their parents, individuals under their classes."""
        keep = self.current
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for node in nodes:
            item = QTreeWidgetItem([node.label])
            item.setData(0, IRI_ROLE, node.iri)
            item.setToolTip(0, node.iri)
            items[node.iri] = item
            for iri, label in node.individuals:
                child = QTreeWidgetItem([f"• {label}"])
                child.setData(0, IRI_ROLE, iri)
                child.setToolTip(0, iri)
                item.addChild(child)
        for node in nodes:
            parent = next((items[p] for p in node.parents if p in items), None)
            if parent is not None:
                parent.addChild(items[node.iri])
            else:
                self.tree.addTopLevelItem(items[node.iri])
        self.tree.sortItems(0, Qt.SortOrder.AscendingOrder)
        self.tree.blockSignals(False)
        if keep:
            self.select(keep, quiet=True)

    def show_search(self, hits: list[tuple[str, str, str]]) -> None:
        """Search results replace the tree while the field has text."""
        self.tree.blockSignals(True)
        self.tree.clear()
        for iri, label, kind in hits:
            item = QTreeWidgetItem([f"{label}  ({kind.replace('_', ' ')})"])
            item.setData(0, IRI_ROLE, iri)
            item.setToolTip(0, iri)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)

    def select(self, iri: str, quiet: bool = False) -> bool:
        found = self._find(iri)
        if found is None:
            return False
        self.tree.blockSignals(quiet)
        parent = found.parent()
        while parent is not None:
            parent.setExpanded(True)
            parent = parent.parent()
        self.tree.setCurrentItem(found)
        self.tree.scrollToItem(found)
        self.tree.blockSignals(False)
        return True

    def _find(self, iri: str) -> QTreeWidgetItem | None:
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            if item.data(0, IRI_ROLE) == iri:
                return item
            stack.extend(item.child(i) for i in range(item.childCount()))
        return None

    def show_details(self, details: Details | None,
                     mentions: list[tuple[int, int, str]] | None = None) -> None:
        self.current = details.iri if details is not None else ""
        if details is None:
            self.details.setHtml("")
            self.edit_button.setEnabled(False)
            self.delete_button.setEnabled(False)
            return

        def link(iri: str, label: str) -> str:
            return f'<a href="entity:{escape(iri)}">{escape(label)}</a>'

        rows = [f"<b>{escape(details.label)}</b> <small>({escape(details.kind)})</small>"]
        for lang, texts in sorted(details.labels.items()):
            rows.append(f"{escape(lang or '—')}: {escape('; '.join(texts))}")
        if details.alt_names:
            rows.append("also: " + escape("; ".join(t for t, _l in details.alt_names)))
        rows += [f"<i>{escape(c)}</i>" for c in details.comments]
        rows += [f"{escape(t.prop_label)}: {link(t.iri, t.label)}" for t in details.types]
        rows += [f"{escape(r.prop_label)} → {link(r.iri, r.label)}" for r in details.outgoing]
        rows += [f"{link(r.iri, r.label)} {escape(r.prop_label)} → this"
                 for r in details.incoming]
        rows += [f"{escape(p)}: {escape(v)}" for p, v in details.values]
        if details.members:
            rows.append("members: " + ", ".join(link(m.iri, m.label)
                                                 for m in details.members[:40]))
        if mentions is not None:
            if mentions:
                spots = ", ".join(f'<a href="at:{s}:{e}">{escape(t)}</a>'
                                  for s, e, t in mentions[:30])
                rows.append(f"in the document ({len(mentions)}): {spots}")
            else:
                rows.append("not mentioned in the document")
        self.details.setHtml("<br>".join(rows))
        self.edit_button.setEnabled(True)
        self.delete_button.setEnabled(True)

    def set_state(self, can_undo: bool, undo_text: str, redo_text: str, dirty: bool) -> None:
        self.undo_button.setEnabled(can_undo)
        self.undo_button.setToolTip(undo_text)
        self.redo_button.setEnabled(bool(redo_text))
        self.redo_button.setToolTip(redo_text)
        self.save_button.setEnabled(dirty)
        self.edit_button.setEnabled(bool(self.current))
        self.delete_button.setEnabled(bool(self.current))

    # --- clicks ----------------------------------------------------------------------------

    def _edit(self) -> None:
        if self.current:
            self.edit_requested.emit(self.current)

    def _delete(self) -> None:
        if self.current:
            self.delete_requested.emit(self.current)

    def _picked(self, item: QTreeWidgetItem | None, _old: object = None) -> None:
        if item is not None:
            self.entity_selected.emit(item.data(0, IRI_ROLE))

    def _paragraph_entry(self, item: QListWidgetItem) -> None:
        iri = item.data(IRI_ROLE)
        if iri:
            self.entity_selected.emit(iri)

    def _link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("entity:"):
            self.entity_selected.emit(text[len("entity:"):])
        elif text.startswith("at:"):
            _at, start, end = text.split(":")
            self.mention_clicked.emit(int(start), int(end))
