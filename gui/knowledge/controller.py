"""The knowledge base in the window: the Ontology dock's browser, Add to Knowledge…, edit,
delete, undo, save (asking before overwriting a file changed on disk, offering Save As
for one that cannot be written), a new knowledge base per project, the link from the
Facts tab, and HermiT after each save. Every ontology access runs on the ontology lane."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.documents.ontology_links import ontology_for, remember
from engine.errors import OntologyError
from engine.paths import app_paths
from engine.text.offsets import OffsetMap
from gui.knowledge.entry_dialog import EntryForm, KnowledgeEntryDialog
from gui.knowledge.parts import KnowledgeWindow
from gui.knowledge.queries import State, entry_choices, kb_state, save_work
from gui.window.lane import plain_error
from gui.window.ontology_host import OntologyHost
from gui.window.unsaved_dialog import Unsaved

if TYPE_CHECKING:
    from ontology.kb_types import Change


class KnowledgeController(QObject):
    changed = Signal(str)  # what changed (also after undo and redo)
    saved = Signal(str)  # the file
    failed = Signal(str)
    shown = Signal(str)  # the IRI in the details

    def __init__(self, window: KnowledgeWindow) -> None:
        super().__init__(window.window())
        assert window.assist is not None
        self.window = window
        self.panel = window.ontology
        assert window.ontology_lane is not None
        self.lane = window.ontology_lane
        self.last_change = ""
        self.dirty = False  # changes not saved yet (as the last state from the lane said)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(150)
        self.search_timer.timeout.connect(self._search)
        panel = self.panel
        panel.search_changed.connect(lambda _t: self.search_timer.start())
        panel.entity_selected.connect(self.show)
        panel.add_requested.connect(lambda: self.add(""))
        panel.edit_requested.connect(self.edit)
        panel.delete_requested.connect(self.delete)
        panel.undo_requested.connect(self.undo)
        panel.redo_requested.connect(self.redo)
        panel.save_requested.connect(lambda: self.save())
        panel.new_requested.connect(self.new_knowledge_base)
        panel.mention_clicked.connect(self.jump)
        window.assist.ontology_opened.connect(self._opened)
        window.panel.facts.entity_requested.connect(self.reveal)
        window.documents.opened.connect(self._document_opened)

    def _document_path(self) -> Path | None:
        doc = self.window.documents.doc
        found = doc.path or getattr(doc, "imported_from", None)
        return Path(found) if found else None

    @property
    def quiet(self) -> bool:
        return bool(self.window.window().property("quiet"))

    def _run(self, fn: Any, done: Any) -> None:
        self.lane.run(fn, done, self._failed)

    def _failed(self, message: str) -> None:
        self.panel.status.setText(f"⚠ {message}")
        self.failed.emit(message)

    # --- browsing --------------------------------------------------------------------------

    def _opened(self, info: dict[str, Any]) -> None:
        path = self._document_path()
        if path is not None and info.get("path"):
            remember(path, str(info["path"]))
        self.refresh()

    def refresh(self) -> None:
        def work(host: OntologyHost, _ctx: object) -> tuple[Any, State, tuple[str, int]]:
            kb = host.browse()
            return kb.classes(), kb_state(kb), host.summary()

        self._run(work, self._tree)

    def _tree(self, result: tuple[Any, State, tuple[str, int]]) -> None:
        nodes, state, (path, count) = result
        self.panel.show_summary(path, count)
        if self.panel.search.text().strip():
            self._search()
        else:
            self.panel.show_tree(nodes)
        self._set_state(state)

    def _set_state(self, state: State) -> None:
        self.dirty = state[3]
        self.panel.set_state(*state)

    def _search(self) -> None:
        query = self.panel.search.text().strip()
        if not query:
            self.refresh()
            return
        self._run(lambda host, _ctx: host.browse().search(query), self.panel.show_search)

    def show(self, iri: str) -> None:
        text = self.window.editor.toPlainText()

        def work(host: OntologyHost, _ctx: object) -> tuple[Any, Any]:
            return host.browse().details(iri), host.mentions_of(iri, text)

        self._run(work, self._details)

    def _details(self, result: tuple[Any, Any]) -> None:
        details, mentions = result
        self.panel.show_details(details, mentions)
        self.shown.emit(details.iri)

    def reveal(self, iri: str) -> None:
        """From a fact: the dock shows its entity."""
        self.window.docks["ontology"].show()
        self.window.docks["ontology"].raise_()
        if not self.panel.select(iri):
            self.panel.search.clear()
        self.show(iri)

    def jump(self, start: int, end: int) -> None:
        editor = self.window.editor
        offsets = OffsetMap(editor.toPlainText())
        cursor = editor.textCursor()
        cursor.setPosition(offsets.to_utf16(start))
        cursor.setPosition(offsets.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.ensureCursorVisible()
        editor.setFocus()

    # --- changing --------------------------------------------------------------------------

    def add_from_selection(self) -> None:
        self.add(self.window.editor.textCursor().selectedText().replace("\u2029", " ").strip())

    def add(self, name: str) -> None:
        self._run(lambda host, _ctx: entry_choices(host.browse()),
                  lambda lists: self._add_dialog(EntryForm(name=name), lists))

    def _add_dialog(self, form: EntryForm, lists: tuple[list[str], list[str], list[str]]) -> None:
        dialog = KnowledgeEntryDialog(*lists, form, parent=self.window.window())
        self.dialog = dialog  # tests fill it in
        if self.quiet:
            return
        if dialog.exec():
            self.submit_add(dialog.form())

    def submit_add(self, form: EntryForm) -> None:
        def work(host: OntologyHost, _ctx: object) -> tuple[str, Any]:
            from ontology.kb_types import NameTakenError

            kb = host.kb()
            try:
                if form.create_type and kb.resolve(form.type_ref, ("class",)) is None:
                    kb.add("class", form.type_ref)  # the writer agreed to a new class
                change = kb.add(form.kind, form.name, form.type_ref, form.labels,
                                form.comment, form.relations)
            except NameTakenError as exc:
                return "taken", (str(exc), exc.iri, form)
            return "added", change

        self._run(work, self._added)

    def _added(self, result: tuple[str, Any]) -> None:
        what, value = result
        if what == "taken":
            message, iri, form = value
            self._failed(message)
            buttons = QMessageBox.StandardButton
            if not self.quiet and QMessageBox.question(
                    self.window.window(), "Already there",
                    f"{message}\n\nShow that entry? No goes back to your form, as you filled "
                    "it in, to change the name.", buttons.Yes | buttons.No,
                    buttons.No) == buttons.No:
                self._run(lambda host, _ctx: entry_choices(host.browse()),
                          lambda lists: self._add_dialog(form, lists))
                return
            self.reveal(iri)
            return
        change = value
        self._changed(change)
        self.reveal(change.subject)

    def edit(self, iri: str) -> None:
        def work(host: OntologyHost, _ctx: object) -> Any:
            kb = host.browse()
            return (kb.details(iri), *entry_choices(kb))

        self._run(work, self._edit_dialog)

    def _edit_dialog(self, result: Any) -> None:
        details, classes, entries, properties = result
        labels = [(lang, text) for lang, texts in sorted(details.labels.items())
                  for text in texts]
        form = EntryForm(details.kind, details.label, "", labels, "\n".join(details.comments),
                         [(r.prop_label, r.label) for r in details.outgoing])
        dialog = KnowledgeEntryDialog(classes, entries, properties, form, editing=True,
                                      parent=self.window.window())
        self.dialog = dialog
        self.editing = details
        if self.quiet:
            return
        if dialog.exec():
            self.submit_edit(dialog.form())

    def submit_edit(self, form: EntryForm) -> None:
        details = self.editing
        before = {(r.prop_label, r.label): (r.prop, r.iri) for r in details.outgoing}
        after = set(form.relations)
        dropped = [before[k] for k in before if k not in after]
        added = [r for r in form.relations if r not in before]

        def work(host: OntologyHost, _ctx: object) -> Change:
            return host.kb().update(details.iri, labels=form.labels, comment=form.comment,
                                    add_relations=added, remove_relations=dropped)

        self._run(work, self._edited)

    def _edited(self, change: Change) -> None:
        self._changed(change)
        self.show(change.subject)

    def delete(self, iri: str) -> None:
        if not self.quiet and QMessageBox.question(
                self.window.window(), "Delete entry",
                "Delete this entry and every statement about it? (Undo brings it back.)") != \
                QMessageBox.StandardButton.Yes:
            return
        self._run(lambda host, _ctx: host.kb().delete(iri), self._deleted)

    def _deleted(self, change: Change) -> None:
        self.panel.show_details(None)
        self._changed(change)

    def undo(self) -> None:
        self._run(lambda host, _ctx: host.browse().undo(), self._changed)

    def redo(self) -> None:
        self._run(lambda host, _ctx: host.browse().redo(), self._changed)

    def _changed(self, change: Change | None) -> None:
        if change is None:
            return
        self.last_change = change.description
        self.dirty = True  # until the state the refresh brings says otherwise (undo)
        self.panel.status.setText(f"{change.description} — not saved yet")
        self.refresh()
        if self.panel.current and self.panel.current in change.iris:
            self.show(self.panel.current)
        self.window.changes.knowledge.emit(change)  # the Facts tab, the paragraph's entries
        self.changed.emit(change.description)

    # --- saving ----------------------------------------------------------------------------

    def save(self, force: bool = False, path: str = "") -> None:
        self._run(save_work(force, path), self._saved)

    def _next_try(self, what: str, text: str) -> tuple[bool, str] | None:
        """After a save that could not happen: (force, path) to try again with, or None."""
        self._failed(text)
        if self.quiet:
            return None
        if what == "changed":
            if QMessageBox.question(self.window.window(), "Changed on disk",
                                    f"{text}.\n\nOverwrite it with your version?"
                                    ) == QMessageBox.StandardButton.Yes:
                return True, ""
            return None
        path, _ = QFileDialog.getSaveFileName(
            self.window.window(), "Save knowledge base as",
            str(app_paths().data / "knowledge" / "my-knowledge.owl"), "RDF/XML ontology (*.owl)")
        if not path:
            return None
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return False, path if path.endswith(".owl") else path + ".owl"

    def _saved(self, result: tuple[str, str, State | None]) -> None:
        what, text, state = result
        if what != "saved":
            retry = self._next_try(what, text)
            if retry is not None:
                self.save(*retry)
            return
        self._record_saved(text, state)
        self.panel.status.setText(f"Saved {Path(text).name}; checking consistency…")
        self._check()

    def _record_saved(self, text: str, state: State | None) -> None:
        self.panel.status.setText(f"Saved {Path(text).name}")
        if state is not None:
            self._set_state(state)
        if text != self.window.settings.ontology:  # Save As: the new file is the one in use
            self.window.settings.ontology = text
            self.window.preferences.persist()
        self.saved.emit(text)

    # --- unsaved work on closing -----------------------------------------------------------

    def unsaved(self) -> list[Unsaved]:
        """The knowledge base's changes not yet saved, for the question before closing."""
        if not self.dirty:
            return []
        name = Path(self.window.settings.ontology).name
        what = f"The knowledge base “{name}”" if name else "The new knowledge base (not saved yet)"
        return [Unsaved(what, self.last_change, self.save_and_wait)]

    def save_and_wait(self) -> bool:
        """Save now and wait for the ontology lane (the window is about to close), with the
        questions Save asks; False when it was not saved."""
        force, path = False, ""
        while True:
            try:
                what, text, state = self.lane.query(save_work(force, path))
            except Exception as exc:  # the same sentence a failed Save shows
                self._failed(plain_error(exc))
                self.window.files.tell("Knowledge base not saved", plain_error(exc))
                return False
            if what == "saved":
                self._record_saved(text, state)
                return True
            retry = self._next_try(what, text)
            if retry is None:
                return False
            force, path = retry

    def _check(self) -> None:
        check = self.window.consistency
        if check is None:
            return

        def finished(summary: str) -> None:
            check.finished.disconnect(finished)
            if summary.startswith("The ontology is inconsistent"):
                self.panel.status.setText(f"⚠ {summary}")
                if not self.quiet and self.last_change and QMessageBox.question(
                        self.window.window(), "Inconsistent",
                        f"{summary}\n\nUndo “{self.last_change}” and save again?") == \
                        QMessageBox.StandardButton.Yes:
                    self.undo()
                    self.lane.run(lambda _h, _c: None, lambda _r: self.save())
            else:
                self.panel.status.setText(summary)

        check.finished.connect(finished)
        check.start(announce=False)

    # --- a knowledge base per project ------------------------------------------------------

    def new_knowledge_base(self, path: str = "") -> None:
        from ontology.kb import KnowledgeBase

        if not path:
            start = self._document_path()
            path, _ = QFileDialog.getSaveFileName(
                self.window.window(), "New knowledge base", str(Path(start).with_suffix(".owl"))
                if start else "", "RDF/XML ontology (*.owl)")
            if not path:
                return
        try:
            created = KnowledgeBase.create(path)
        except OntologyError as exc:
            self._failed(str(exc))
            return
        self.use(str(created))

    def use(self, ontology: str) -> None:
        self.window.preferences.use_ontology(ontology)

    def _document_opened(self, _doc: object) -> None:
        path = self._document_path()
        linked = ontology_for(path) if path is not None else None
        if linked and linked != self.window.settings.ontology:
            self.use(linked)
