"""Reading the knowledge base: an entry's kind, names and details, the class tree, and
finding entries by name (exact, near a typo, or containing what the writer types)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.errors import OntologyError
from ontology.kb_types import COMMENT, LABEL, OWL_NS, SUBCLASS, TYPE, ClassNode, Details, Related
from ontology.name_index import NameIndex
from ontology.names import fold, local_name, readable
from ontology.store import SKOS, Entity, Name, OntologyStore

MAX_MEMBERS = 2000  # a class's members in the tree (search finds the others)
SEARCHED = ("class", "individual", "object_property")


class KnowledgeReader:
    """Queries on one ontology's live graph (owlready2's rdflib view of its World)."""

    def __init__(self, store: OntologyStore, language: str = "en") -> None:
        import rdflib

        self.store = store
        self.path = store.path
        self.language = language
        self.graph = store.world.as_rdflib_graph()
        self.rdflib = rdflib
        self._index: NameIndex | None = None

    def names(self) -> NameIndex:
        """The name index: built on the first look-up, then kept current by each change."""
        if self._index is None:
            self._index = NameIndex(self.store.entities())
        return self._index


    @property
    def base(self) -> str:
        base = str(self.store.onto.base_iri)
        return base if base.endswith(("#", "/")) else base + "#"

    def _uri(self, iri: str) -> Any:
        return self.rdflib.URIRef(iri)

    def _objects(self, iri: str, prop: str) -> list[Any]:
        return list(self.graph.objects(self._uri(iri), self._uri(prop)))

    def kind(self, iri: str) -> str | None:
        types = {str(t) for t in self._objects(iri, TYPE)}
        for kind, owl in (("class", OWL_NS + "Class"),
                          ("object_property", OWL_NS + "ObjectProperty"),
                          ("data_property", OWL_NS + "DatatypeProperty"),
                          ("annotation_property", OWL_NS + "AnnotationProperty")):
            if owl in types:
                return kind
        if OWL_NS + "NamedIndividual" in types or any(
                OWL_NS + "Class" in {str(x) for x in self._objects(t, TYPE)} for t in types):
            return "individual"
        if types:
            return "individual"
        return None

    def entity(self, iri: str) -> Entity | None:
        """The names the matcher indexes, read from the quadstore as it is now."""
        kind = self.kind(iri)
        if kind is None:
            return None
        names = []
        for prop, source in ((LABEL, "label"), (SKOS + "prefLabel", "prefLabel"),
                             (SKOS + "altLabel", "altLabel")):
            for value in self._objects(iri, prop):
                names.append(Name(str(value), getattr(value, "language", None) or "", source))
        names.append(Name(readable(local_name(iri)), "", "iri"))
        return Entity(iri, kind, names)

    def label(self, iri: str) -> str:
        entity = self.entity(iri)
        return entity.label(self.language) if entity else readable(local_name(iri))

    def all_of(self, kind: str) -> list[str]:
        owl = {"class": OWL_NS + "Class", "object_property": OWL_NS + "ObjectProperty",
               "data_property": OWL_NS + "DatatypeProperty",
               "individual": OWL_NS + "NamedIndividual"}[kind]
        found = {str(s) for s in self.graph.subjects(self._uri(TYPE), self._uri(owl))
                 if isinstance(s, self.rdflib.URIRef)}
        if kind == "individual":
            for cls in self.all_of("class"):
                found |= {str(s) for s in self.graph.subjects(self._uri(TYPE), self._uri(cls))
                          if isinstance(s, self.rdflib.URIRef)}
        return sorted(i for i in found if not i.startswith(OWL_NS))

    def classes(self) -> list[ClassNode]:
        """Every named class with its named parents and its individuals: the dock's tree."""
        nodes = []
        for cls in self.all_of("class"):
            parents = [str(p) for p in self._objects(cls, SUBCLASS)
                       if isinstance(p, self.rdflib.URIRef) and str(p) != OWL_NS + "Thing"]
            iris = sorted(str(s) for s in self.graph.subjects(self._uri(TYPE), self._uri(cls))
                          if isinstance(s, self.rdflib.URIRef))[:MAX_MEMBERS]
            members = sorted(((iri, self.label(iri)) for iri in iris),
                             key=lambda m: m[1].lower())
            nodes.append(ClassNode(cls, self.label(cls), parents, members))
        return sorted(nodes, key=lambda n: n.label.lower())

    def resolve(self, ref: str, kinds: Iterable[str] = ("class", "individual",
                                                         "object_property",
                                                         "data_property")) -> str | None:
        """An IRI, a label (any language) or a local name, as the entity's IRI."""
        ref = ref.strip()
        wanted = set(kinds)
        if ":" in ref and self.kind(ref) in wanted:
            return ref
        key = fold(ref)
        if not key:
            return None
        for iri in sorted(self.names().iris(key)):
            if self.kind(iri) in wanted:
                return iri
        return None

    def near(self, query: str, limit: int = 3) -> list[str]:
        """Labels of the entries whose names are closest to ``query`` (a typo's hint)."""
        from rapidfuzz import fuzz, process

        index = dict(self.names().names())
        hits = process.extract(fold(query), list(index),
                               scorer=fuzz.ratio, score_cutoff=70, limit=limit)
        labels: list[str] = []
        for key, _score, _i in hits:
            for iri in sorted(index[key]):
                if self.label(iri) not in labels:
                    labels.append(self.label(iri))
        return labels[:limit]

    def search(self, query: str, limit: int = 50) -> list[tuple[str, str, str]]:
        """(iri, label, kind) of the entries a name of which contains ``query``, folded
        the matcher's way (accents, case, width), whole-name matches first. Reads the name
        index, not the store, so it keeps up with typing on a large ontology."""
        key = fold(query.strip())
        best: dict[str, tuple[int, str]] = {}
        index = self.names()
        for name, iris in index.names():
            if key not in name:
                continue
            rank = 0 if name == key else 1 if name.startswith(key) else 2
            for iri in iris:
                if index.kind(iri) in SEARCHED and (rank, name) < best.get(iri, (3, "")):
                    best[iri] = (rank, name)
        ranked = sorted(best, key=lambda iri: (best[iri][0], best[iri][1], iri))[:limit]
        return [(iri, self.label(iri), index.kind(iri) or "") for iri in ranked]

    def details(self, iri: str) -> Details:
        kind = self.kind(iri)
        if kind is None:
            raise OntologyError(f"{iri}: no such entity in {self.path.name}")
        labels: dict[str, list[str]] = {}
        for value in self._objects(iri, LABEL):
            labels.setdefault(getattr(value, "language", None) or "", []).append(str(value))
        alt = [(str(v), getattr(v, "language", None) or "")
               for prop in (SKOS + "altLabel", SKOS + "prefLabel")
               for v in self._objects(iri, prop)]
        comments = [str(v) for v in self._objects(iri, COMMENT)]
        rel = self.rdflib.URIRef
        types: list[Related] = []
        outgoing: list[Related] = []
        values: list[tuple[str, str]] = []
        skip = {TYPE, LABEL, COMMENT, SKOS + "altLabel", SKOS + "prefLabel"}
        for p, o in self.graph.predicate_objects(self._uri(iri)):
            prop = str(p)
            if prop == TYPE and isinstance(o, rel) and not str(o).startswith(OWL_NS):
                types.append(Related(prop, "type", str(o), self.label(str(o))))
            elif prop == SUBCLASS and isinstance(o, rel):
                types.append(Related(prop, "subclass of", str(o), self.label(str(o))))
            elif prop in skip or not isinstance(o, (rel, self.rdflib.Literal)):
                continue
            elif isinstance(o, rel):
                outgoing.append(Related(prop, self.label(prop), str(o), self.label(str(o))))
            else:
                values.append((self.label(prop), str(o)))
        incoming = []
        members = []
        for s, p in self.graph.subject_predicates(self._uri(iri)):
            if not isinstance(s, rel):
                continue
            if str(p) in (TYPE, SUBCLASS):
                members.append(Related(str(p), "member", str(s), self.label(str(s))))
            else:
                incoming.append(Related(str(p), self.label(str(p)), str(s),
                                        self.label(str(s))))
        order = lambda r: (r.prop_label.lower(), r.label.lower())  # noqa: E731
        return Details(iri, kind, self.label(iri), labels, alt, comments, types,
                       sorted(outgoing, key=order), sorted(incoming, key=order),
                       sorted(values), sorted(members, key=lambda m: m.label.lower()))
