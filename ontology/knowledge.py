"""An ontology ready for prompts: the store, its name index and its fact lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engine.config import Settings
from engine.paths import resource_dir
from ontology.facts import Fact, FactBuilder, TokenCounter, rough_tokens
from ontology.kb import KnowledgeBase
from ontology.matcher import EntityMatcher, Mention
from ontology.store import OntologyStore

SAMPLE_ONTOLOGY = "travel.owl"


def default_ontology_path(settings: Settings) -> Path:
    if settings.ontology:
        return Path(settings.ontology).expanduser()
    return resource_dir() / "ontology" / SAMPLE_ONTOLOGY


@dataclass
class Lookup:
    mentions: list[Mention]
    facts: list[Fact]
    labels: dict[str, str] = field(default_factory=dict)  # iri -> display name
    sources: dict[str, str] = field(default_factory=dict)  # iri -> the file it is from

    def kept(self, excluded: Iterable[str]) -> list[Fact]:
        """The facts less the ones the writer unticked."""
        dropped = set(excluded)
        return [f for f in self.facts if f.text not in dropped]


class Knowledge:
    """Find what a text mentions and the facts worth telling the model about it."""

    def __init__(self, store: OntologyStore, language: str = "en") -> None:
        self.store = store
        self.language = language
        self.entities = store.by_iri()
        self.matcher = EntityMatcher(self.entities.values())
        self.builder = FactBuilder(store, language, self.entities)
        self.kb: KnowledgeBase | None = None
        self._view: KnowledgeBase | None = None

    def browse(self) -> KnowledgeBase:
        """The ontology to read (the tree, search, an entry): the one being edited, else a
        view of the open store; nothing is parsed again until the writer changes something."""
        if self.kb is not None:
            return self.kb
        if self._view is None:
            self._view = KnowledgeBase(self.store, self.store.path.read_bytes(), self.language)
        return self._view

    def edit(self) -> KnowledgeBase:
        """The same file opened for editing; facts and mentions follow its changes from
        now on (the name index is kept and updated entry by entry, not rebuilt)."""
        if self.kb is None:
            kb = KnowledgeBase.open(self.store.path, self.language)
            old, self.store, self.kb, self._view = self.store, kb.store, kb, None
            self.builder = FactBuilder(kb.store, self.language, self.entities)
            kb.on_change = self.changed
            old.close()
        return self.kb

    def changed(self, iris: Iterable[str]) -> None:
        """Index the current names of entities an edit touched (None: deleted)."""
        if self.kb is None:
            return
        for iri in iris:
            entity = self.kb.entity(iri)
            self.matcher.update_entity(iri, entity)
            if entity is None:  # the fact builder shares this dictionary
                self.entities.pop(iri, None)
            else:
                self.entities[iri] = entity

    @classmethod
    def open(cls, path: str | Path, language: str = "en") -> Knowledge:
        return cls(OntologyStore.open(path), language)

    @property
    def warnings(self) -> list[str]:
        return self.store.warnings

    def name_words(self) -> list[str]:
        """Every word of every written name (not CJK, not ids): right for spell checking."""
        import re

        from ontology.names import is_cjk
        from ontology.store import opaque

        words: set[str] = set()
        for entity in self.entities.values():
            for name in entity.names:
                if name.source == "iri" and opaque(name.text):
                    continue
                for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", name.text):
                    if len(word) > 1 and not any(is_cjk(c) for c in word):
                        words.add(word)
        return sorted(words)

    def label(self, iri: str) -> str:
        entity = self.entities.get(iri)
        return entity.label(self.language) if entity else iri

    def lookup(self, text: str, budget: int = 200,
               count_tokens: TokenCounter = rough_tokens) -> Lookup:
        mentions = self.matcher.find(text)
        facts = self.builder.facts(mentions, budget, count_tokens) if budget > 0 else []
        labels = {m.iri: self.label(m.iri) for m in mentions}
        return Lookup(mentions, facts, labels, {m.iri: self.store.path.name for m in mentions})

    def close(self) -> None:
        self.store.close()


def together(first: Lookup, second: Lookup, budget: int,
             count_tokens: TokenCounter = rough_tokens) -> Lookup:
    """Two ontologies' lookups as one: ``first``'s facts first (a project's knowledge base
    before the writer's global ontology), then ``second``'s while the budget lasts."""
    facts, used, seen = [], 0, set()
    for fact in [*first.facts, *second.facts]:
        cost = count_tokens(fact.text)
        if fact.text in seen or used + cost > budget:
            continue
        facts.append(fact)
        seen.add(fact.text)
        used += cost
    return Lookup([*first.mentions, *second.mentions], facts,
                  {**second.labels, **first.labels}, {**second.sources, **first.sources})
