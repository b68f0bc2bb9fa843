"""Every name of the knowledge base's entries, folded the matcher's way, to the entries
that carry it: built on the first look-up, then kept current entry by entry."""

from __future__ import annotations

from collections.abc import Iterator

from ontology.names import fold, local_name
from ontology.store import Entity


class NameIndex:
    def __init__(self, entities: list[Entity]) -> None:
        self._iris: dict[str, set[str]] = {}  # folded name -> the IRIs that carry it
        self._entries: dict[str, tuple[str, set[str]]] = {}  # IRI -> (kind, folded names)
        for entity in entities:
            self.put(entity.iri, entity)

    def put(self, iri: str, entity: Entity | None) -> None:
        """``iri``'s names as ``entity`` has them now (None: it is gone)."""
        _kind, keys = self._entries.pop(iri, ("", set()))
        for key in keys:
            self._iris.get(key, set()).discard(iri)
        if entity is None:
            return
        keys = {fold(n.text) for n in entity.names} | {fold(local_name(iri))}
        self._entries[iri] = (entity.kind, keys)
        for key in keys:
            self._iris.setdefault(key, set()).add(iri)

    def iris(self, key: str) -> set[str]:
        """The entries that carry the folded name ``key``."""
        return self._iris.get(key, set())

    def kind(self, iri: str) -> str | None:
        entry = self._entries.get(iri)
        return entry[0] if entry else None

    def names(self) -> Iterator[tuple[str, set[str]]]:
        """(folded name, IRIs) for every name some entry still carries."""
        return ((key, iris) for key, iris in self._iris.items() if iris)
