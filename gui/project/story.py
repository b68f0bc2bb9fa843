"""The story bible in the window: Find People and Places reads the project on a worker
(each document only when its text changed, from the search index), shows the proposals
and the names spelled two ways, and keeps what the writer accepts in the project's own
knowledge base; accepted names go into the project's dictionary, so they are never
flagged in this book."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QInputDialog

from engine.documents.files import open_document
from engine.errors import WordloomError
from engine.project.index import Hit
from engine.project.story import as_pending, continuity, dismiss, proposals, read_bible
from engine.story.bible import Entity, Mention, StoryBible
from engine.story.continuity import Merge, Suspect
from engine.story.facts import TextFact, facts_about
from engine.text.readability import syllable_table
from gui.project.controller import Job, ProjectController
from gui.project.story_dialog import StoryDialog
from gui.review.controller import ReviewController
from ontology.story_kb import accept, add_text_facts, entry_names, kb_path, open_story_kb

Found = tuple[list[Entity], list[Suspect], list[Merge], set[str]]


def known_word(word: str) -> bool:
    return bool(syllable_table().lines(word.lower()))


class ProjectStory(QObject):
    computed = Signal(object)  # Found, or an error
    drawn = Signal(object)  # {entry name: [TextFact]}, or an error
    message = Signal(str)
    accepted = Signal()  # the knowledge base changed on disk

    def __init__(self, controller: ProjectController, review: ReviewController) -> None:
        super().__init__(controller)
        self.controller, self.review = controller, review
        self.bible = StoryBible()
        self.found: Found | None = None
        self.dialog: StoryDialog | None = None
        self.computing = False
        self.computed.connect(self._computed)
        self.drawn.connect(self._drawn)

    def open(self) -> None:
        if self.controller.project is None:
            self.message.emit("Open a project first (File → Open Project…)")
            return
        if self.dialog is None:
            self.dialog = StoryDialog(self.controller.host.window())
            self.dialog.accept_requested.connect(self.accept)
            self.dialog.rename_requested.connect(self.rename)
            self.dialog.dismiss_requested.connect(self.dismiss)
            self.dialog.place_chosen.connect(self.show_place)
            self.dialog.finding_chosen.connect(self.review_findings)
            self.dialog.facts_requested.connect(self.add_facts)
        self.dialog.show()
        self.dialog.raise_()
        self.refresh()

    def refresh(self) -> None:
        """Read the project again (what changed only) on a worker; ``computed`` follows."""
        project, index = self.controller.project, self.controller.index
        if project is None or self.computing:
            return
        self.computing = True
        bible = self.bible

        def work() -> Found:
            read_bible(project, bible, index)
            entities = proposals(project, bible)
            found, offers = continuity(project, bible, known_word)
            path = kb_path(project.root)
            accepted: set[str] = set()
            if path.exists():
                kb = open_story_kb(project.root, project.manifest.title)
                accepted = entry_names(kb)
                kb.close()
            return entities, found, offers, accepted

        QThreadPool.globalInstance().start(Job(work, self.computed))

    def _computed(self, result: object) -> None:
        self.computing = False
        if isinstance(result, Exception):
            self.message.emit(f"The story bible could not be read: {result}")
            return
        self.found = cast(Found, result)
        if self.dialog is not None:
            self.dialog.show_bible(*self.found)

    # -- the writer's choices ----------------------------------------------------------------

    def accept(self, chosen: list[Entity], name: str = "") -> None:
        project = self.controller.project
        if project is None or not chosen:
            return
        entity = chosen[0]
        if len(chosen) > 1:  # merged: one entry, every name an alias
            names = [n for e in chosen for n in e.names if n != entity.name]
            mentions = sorted((m for e in chosen for m in e.mentions),
                              key=lambda m: (m.path, m.line, m.column))
            entity = Entity(entity.name, entity.kind, list(dict.fromkeys(names)), mentions)
        try:
            kb = open_story_kb(project.root, project.manifest.title)
            try:
                accept(kb, entity, name)
                kb.save()
            finally:
                kb.close()
            for word in {w for n in [name, *entity.names] for w in n.split() if w[:1].isupper()}:
                project.add_word(word)
        except WordloomError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(f"{name or entity.name} is in the story bible "
                          f"({kb_path(project.root).name})")
        self.accepted.emit()
        self.refresh()

    def add_facts(self, chosen: list[Entity]) -> None:
        """Facts the text gives about entries in the story bible, drawn on a worker."""
        project, index, found = self.controller.project, self.controller.index, self.found
        if project is None or found is None:
            return
        if not chosen:
            self.message.emit("Choose entries that are in the story bible (marked ✓) first.")
            return
        paths = project.documents() + project.unplaced

        def work() -> dict[str, list[TextFact]]:
            texts = index.texts(paths) if index is not None else {}
            for rel in paths:
                if rel not in texts:
                    try:
                        texts[rel] = open_document(project.path(rel)).text
                    except WordloomError:
                        continue
            return {e.name: facts_about(e, texts, found[0]) for e in chosen}

        QThreadPool.globalInstance().start(Job(work, self.drawn))

    def _drawn(self, result: object) -> None:
        project = self.controller.project
        if project is None or isinstance(result, Exception):
            self.message.emit(f"No facts were drawn: {result}")
            return
        drawn = cast(dict[str, list[TextFact]], result)
        added = 0
        try:
            kb = open_story_kb(project.root, project.manifest.title)
            try:
                for name, facts in drawn.items():
                    added += add_text_facts(kb, name, facts)
                if added:
                    kb.save()
            finally:
                kb.close()
        except WordloomError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(f"{added} fact(s) from the text added to the story bible" if added
                          else "The text gives no plain facts about them (\"lives at …\", "
                          "\"of …\", \"married …\")")
        if added:
            self.accepted.emit()

    def rename(self, entity: Entity) -> None:
        name, ok = QInputDialog.getText(self.dialog, "Rename and Accept",
                                        "Name in the story bible:", text=entity.name)
        if ok and name.strip():
            self.accept([entity], name.strip())

    def dismiss(self, chosen: list[Entity]) -> None:
        project = self.controller.project
        if project is None:
            return
        try:
            dismiss(project, [e.name for e in chosen])
        except WordloomError as exc:
            self.message.emit(str(exc))
            return
        self.refresh()

    def show_place(self, mention: Mention) -> None:
        self.controller.open_document(mention.path, Hit(mention.path, mention.line,
                                                        mention.column, len(mention.text), ""))

    def review_findings(self, rel: str) -> None:
        """Open a document and put its suspected misspellings in the Review dock."""
        if self.found is None:
            return
        self.controller.open_document(rel)
        text = self.controller.host.editor.toPlainText()
        changes = as_pending(text, rel, self.found[1])
        self.review.offer(changes, "name(s) that look misspelled")
