"""A project's own knowledge base (``story-bible.owl`` in its folder): the story bible's
entries, kept in the same OWL format and by the same code (``ontology.kb``) as the
writer's global ontology, so their names feed prompts and are never flagged.

An accepted proposal becomes an individual of Person, Place, Organisation or Thing, its
aliases further English labels, and its comment says where it is first named.
"""

from __future__ import annotations

from pathlib import Path

from engine.story.bible import Entity
from engine.story.facts import TextFact
from ontology.kb import KnowledgeBase
from ontology.kb_types import COMMENT, LABEL

FILE_NAME = "story-bible.owl"
CLASSES = {"person": "Person", "place": "Place", "organisation": "Organisation",
           "thing": "Thing in the story"}


def kb_path(root: Path) -> Path:
    return Path(root) / FILE_NAME


def open_story_kb(root: Path, title: str) -> KnowledgeBase:
    """The project's knowledge base, made (empty, with its four classes) when missing."""
    path = kb_path(root)
    if not path.exists():
        KnowledgeBase.create(path, f"{title}: the story bible")
    kb = KnowledgeBase.open(path)
    for name in CLASSES.values():
        if kb.resolve(name, ("class",)) is None:
            kb.add("class", name)
    return kb


def accept(kb: KnowledgeBase, entity: Entity, name: str = "") -> str:
    """The entry for ``entity`` (under ``name`` when the writer renamed it); its IRI."""
    shown = name.strip() or entity.name
    labels = [("en", shown)] + [("en", a) for a in entity.aliases if a != shown]
    if shown != entity.name:
        labels.append(("en", entity.name))
    first = entity.first
    comment = (f"First named in {first.path}, line {first.line}; named "
               f"{len(entity.mentions)} times.")
    change = kb.add("individual", shown, CLASSES.get(entity.kind, CLASSES["thing"]),
                    labels=labels, comment=comment)
    return change.subject


def entry_names(kb: KnowledgeBase) -> set[str]:
    """Every name and alias of the entries in the knowledge base."""
    names: set[str] = set()
    for iri in kb.all_of("individual"):
        names |= {str(value) for value in kb._objects(iri, LABEL)}
    return names


def add_text_facts(kb: KnowledgeBase, name: str, facts: list[TextFact]) -> int:
    """Facts drawn from the text, each with its source, added to an entry's description
    (those it has already are not added again); how many were added."""
    iri = kb.resolve(name, ("individual",))
    if iri is None or not facts:
        return 0
    old = " ".join(str(v) for v in kb._objects(iri, COMMENT))
    new = [f.described() for f in facts if f.text not in old]
    if new:
        kb.update(iri, comment="\n".join([old, *new]).strip())
    return len(new)
