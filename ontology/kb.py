"""The writer's knowledge base: browse, add, edit and delete entries, undo, and save.

Edits are triples added to and removed from the ontology's quadstore (owlready2's rdflib
view of its World), so every change has an exact inverse: undo and redo are the same
operation. Saving never re-serialises what the writer did not touch: the file as it was
loaded is parsed with rdflib, the triples of the entities the writer changed are replaced
by their current ones, and the result is written in the file's own format through a
temporary file. Before the rename the new file is parsed back and compared with rdflib:
every triple of the untouched entities must be there, unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import OntologyError
from engine.fsutil import atomic_write_bytes
from engine.paths import resource_dir
from ontology.edit import iri_name
from ontology.names import fold, local_name, readable
from ontology.store import SKOS, Entity, Name, OntologyStore, detect_format

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
TYPE, LABEL, COMMENT = RDF_NS + "type", RDFS_NS + "label", RDFS_NS + "comment"
SUBCLASS = RDFS_NS + "subClassOf"
WRITABLE = {"rdfxml": "xml", "ntriples": "nt", "turtle": "turtle"}
MAX_MEMBERS = 2000  # a class's members in the tree (search finds the others)
SEARCHED = ("class", "individual", "object_property")
SUFFIXES = {".owl": "rdfxml", ".rdf": "rdfxml", ".xml": "rdfxml", ".nt": "ntriples",
            ".ttl": "turtle"}
Triple = tuple[Any, Any, Any]
LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


class ChangedOnDiskError(OntologyError):
    """The file was changed by someone else since it was loaded."""


class NameTakenError(OntologyError):
    """An entity with that name exists already; ``iri`` names it."""

    def __init__(self, message: str, iri: str) -> None:
        super().__init__(message)
        self.iri = iri


@dataclass
class Change:
    """One step of the writer's: what it added and removed, and the entities it touched."""

    description: str
    subject: str = ""  # the entity the change is about
    added: set[Triple] = field(default_factory=set)
    removed: set[Triple] = field(default_factory=set)
    iris: set[str] = field(default_factory=set)


@dataclass
class Related:
    prop: str
    prop_label: str
    iri: str
    label: str


@dataclass
class Details:
    iri: str
    kind: str
    label: str
    labels: dict[str, list[str]]  # language ("" for none) -> labels
    alt_names: list[tuple[str, str]]  # (text, language)
    comments: list[str]
    types: list[Related]  # classes of an individual, parents of a class
    outgoing: list[Related]
    incoming: list[Related]
    values: list[tuple[str, str]]  # (property label, value)
    members: list[Related]  # a class's individuals and subclasses

    def to_json(self) -> dict[str, Any]:
        def rel(items: list[Related]) -> list[dict[str, str]]:
            return [{"property": r.prop, "property_label": r.prop_label, "iri": r.iri,
                     "label": r.label} for r in items]

        return {"iri": self.iri, "kind": self.kind, "label": self.label,
                "labels": self.labels,
                "alt_names": [{"text": t, "lang": lang} for t, lang in self.alt_names],
                "comments": self.comments,
                "types": [{"iri": t.iri, "label": t.label} for t in self.types],
                "relations": rel(self.outgoing), "incoming": rel(self.incoming),
                "values": [{"property": p, "value": v} for p, v in self.values],
                "members": [{"iri": m.iri, "label": m.label} for m in self.members]}


@dataclass
class ClassNode:
    iri: str
    label: str
    parents: list[str]
    individuals: list[tuple[str, str]]  # (iri, label)


class KnowledgeBase:
    """One ontology file opened for editing (its own in-memory World, one thread)."""

    def __init__(self, store: OntologyStore, data: bytes, language: str = "en") -> None:
        import rdflib

        self.store = store
        self.path = store.path
        self.language = language
        self.format = detect_format(self.path, data[:4096])
        self.loaded_digest = hashlib.sha256(data).hexdigest()
        self.loaded = data
        self.graph = store.world.as_rdflib_graph()
        self.rdflib = rdflib
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self.touched: set[str] = set()
        self.saved_top: Change | None = None  # the last change the file has
        self.on_change: Callable[[set[str]], None] | None = None  # told each change's IRIs
        self._by_name: dict[str, set[str]] | None = None  # folded name -> IRIs
        self._names_of: dict[str, set[str]] = {}  # IRI -> its folded names
        self._kind_of: dict[str, str] = {}  # IRI -> class, individual, ...

    @classmethod
    def open(cls, path: str | Path, language: str = "en") -> KnowledgeBase:
        path = Path(path).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OntologyError(f"{path}: cannot read ({exc.strerror or exc})") from exc
        return cls(OntologyStore.open(path, editable=True), data, language)

    @staticmethod
    def create(path: str | Path, title: str = "") -> Path:
        """A new, empty ontology (RDF/XML) for a project; refuses to overwrite a file."""
        path = Path(path).expanduser()
        if path.exists():
            raise OntologyError(f"{path}: a file is already there; pick another name")
        if path.suffix.lower() not in (".owl", ".rdf"):
            raise OntologyError(f"{path}: a new knowledge base is RDF/XML: name it .owl")
        base = f"http://wordloom.app/kb/{iri_name(path.stem) or 'notes'}#"
        name = title or readable(path.stem)
        text = ('<?xml version="1.0" encoding="utf-8"?>\n'
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
                '         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"\n'
                '         xmlns:owl="http://www.w3.org/2002/07/owl#"\n'
                f'         xml:base="{base[:-1]}">\n'
                f'  <owl:Ontology rdf:about="{base[:-1]}">\n'
                f"    <rdfs:label>{_xml(name)}</rdfs:label>\n"
                "  </owl:Ontology>\n</rdf:RDF>\n")
        try:
            atomic_write_bytes(path, text.encode("utf-8"))
        except OSError as exc:
            raise OntologyError(f"{path}: cannot create ({exc.strerror or exc})") from exc
        return path

    def close(self) -> None:
        self.store.close()

    # --- reading ------------------------------------------------------------------------

    @property
    def base(self) -> str:
        base = str(self.store.onto.base_iri)
        return base if base.endswith(("#", "/")) else base + "#"

    @property
    def dirty(self) -> bool:
        return (self.undo_stack[-1] if self.undo_stack else None) is not self.saved_top

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

    def _names(self) -> dict[str, set[str]]:
        """Every name, folded the matcher's way, to the entities that carry it: built on
        the first look-up, then kept current by each change."""
        if self._by_name is None:
            self._by_name = {}
            for entity in self.store.entities():
                self._index_names(entity.iri, entity)
        return self._by_name

    def _index_names(self, iri: str, entity: Entity | None) -> None:
        assert self._by_name is not None
        for key in self._names_of.pop(iri, set()):
            self._by_name.get(key, set()).discard(iri)
        self._kind_of.pop(iri, None)
        if entity is None:
            return
        keys = {fold(n.text) for n in entity.names} | {fold(local_name(iri))}
        self._names_of[iri] = keys
        self._kind_of[iri] = entity.kind
        for key in keys:
            self._by_name.setdefault(key, set()).add(iri)

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
        for iri in sorted(self._names().get(key, ())):
            if self.kind(iri) in wanted:
                return iri
        return None

    def near(self, query: str, limit: int = 3) -> list[str]:
        """Labels of the entries whose names are closest to ``query`` (a typo's hint)."""
        from rapidfuzz import fuzz, process

        index = self._names()
        hits = process.extract(fold(query), [k for k, v in index.items() if v],
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
        for name, iris in self._names().items():
            if not iris or key not in name:
                continue
            rank = 0 if name == key else 1 if name.startswith(key) else 2
            for iri in iris:
                if self._kind_of.get(iri) in SEARCHED and (rank, name) < best.get(iri, (3, "")):
                    best[iri] = (rank, name)
        ranked = sorted(best, key=lambda iri: (best[iri][0], best[iri][1], iri))[:limit]
        return [(iri, self.label(iri), self._kind_of[iri]) for iri in ranked]

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

    # --- changing -----------------------------------------------------------------------

    def _apply(self, change: Change, undo: bool = False) -> None:
        add, remove = (change.removed, change.added) if undo else (change.added, change.removed)
        with self.store.onto:
            for triple in remove:
                self.graph.remove(triple)
            for triple in add:
                self.graph.add(triple)
        for iri in change.iris:  # owlready2's objects re-read the store next time
            storid = self.store.world._abbreviate(iri, False)
            if storid:
                self.store.world._entities.pop(storid, None)
            if self._by_name is not None:
                self._index_names(iri, self.entity(iri))
        self.store.forget_entities()
        self.touched |= {str(t[0]) for t in change.added | change.removed
                         if isinstance(t[0], self.rdflib.URIRef)}
        if self.on_change is not None:
            self.on_change(set(change.iris))

    def _do(self, change: Change) -> Change:
        self._apply(change)
        self.undo_stack.append(change)
        self.redo_stack.clear()
        return change

    def undo(self) -> Change | None:
        if not self.undo_stack:
            return None
        change = self.undo_stack.pop()
        self._apply(change, undo=True)
        self.redo_stack.append(change)
        return change

    def redo(self) -> Change | None:
        if not self.redo_stack:
            return None
        change = self.redo_stack.pop()
        self._apply(change)
        self.undo_stack.append(change)
        return change

    def _literal(self, text: str, lang: str) -> Any:
        return self.rdflib.Literal(text, lang=lang or None)

    def _check_labels(self, labels: list[tuple[str, str]]) -> None:
        for lang, text in labels:
            if lang and not LANG.fullmatch(lang):
                raise OntologyError(f"{lang!r} is not a language code (en, zh, pt-BR, …)")
            if not text.strip():
                raise OntologyError("a label cannot be empty")

    def add(self, kind: str, name: str, type_ref: str = "",
            labels: list[tuple[str, str]] | None = None, comment: str = "",
            relations: list[tuple[str, str]] | None = None) -> Change:
        """A new individual (of class ``type_ref``) or class (under ``type_ref``, or at
        the top); ``name`` becomes its English label unless ``labels`` give one."""
        if kind not in ("individual", "class"):
            raise OntologyError(f"{kind!r}: add an individual or a class")
        name = " ".join(name.split())
        if not name:
            raise OntologyError("the new entry needs a name")
        labels = [(lang.strip(), " ".join(text.split())) for lang, text in labels or []]
        self._check_labels(labels)
        existing = self.resolve(name, ("class", "individual"))
        if existing is not None:
            raise NameTakenError(f"{name!r} is already in the knowledge base as "
                                 f"{self.label(existing)} ({existing}); open that entry "
                                 "or pick another name", existing)
        parent = None
        if type_ref:
            parent = self.resolve(type_ref, ("class",))
            if parent is None:
                raise OntologyError(f"{type_ref!r}: no such class in {self.path.name}")
        elif kind == "individual":
            raise OntologyError("an individual needs a type: the class it belongs to")
        iri = self._new_iri(name)
        change = Change(f"Add {name}", iri, iris={iri})
        u = self._uri
        if kind == "individual":
            change.added |= {(u(iri), u(TYPE), u(OWL_NS + "NamedIndividual")),
                             (u(iri), u(TYPE), u(parent or OWL_NS + "Thing"))}
        else:
            change.added.add((u(iri), u(TYPE), u(OWL_NS + "Class")))
            if parent:
                change.added.add((u(iri), u(SUBCLASS), u(parent)))
        if not any(lang.split("-")[0] == "en" or not lang for lang, _t in labels):
            labels.insert(0, ("en", name))
        change.added |= {(u(iri), u(LABEL), self._literal(text, lang)) for lang, text in labels}
        if comment.strip():
            change.added.add((u(iri), u(COMMENT), self._literal(comment.strip(), "")))
        for prop_ref, target_ref in relations or []:
            change.added |= self._relation_triples(iri, prop_ref, target_ref, change)
        return self._do(change)

    def _relation_triples(self, iri: str, prop_ref: str, target_ref: str,
                          change: Change) -> set[Triple]:
        target = self.resolve(target_ref, ("individual", "class"))
        if target is None:
            raise OntologyError(f"{target_ref!r}: no such entry to relate to")
        prop = self.resolve(prop_ref, ("object_property",))
        u = self._uri
        added: set[Triple] = set()
        if prop is None:
            if self.resolve(prop_ref, ("data_property",)) is not None:
                raise OntologyError(f"{prop_ref!r} holds values, not links to entries")
            prop = self.base + _camel(prop_ref)
            added |= {(u(prop), u(TYPE), u(OWL_NS + "ObjectProperty")),
                      (u(prop), u(LABEL), self._literal(" ".join(prop_ref.split()), "en"))}
            change.iris.add(prop)
        change.iris.add(target)
        added.add((u(iri), u(prop), u(target)))
        return added

    def _new_iri(self, label: str) -> str:
        name = iri_name(label)
        candidate, n = name, 2
        while self.kind(self.base + candidate) is not None:
            candidate, n = f"{name}{n}", n + 1
        return self.base + candidate

    def update(self, iri: str, labels: list[tuple[str, str]] | None = None,
               comment: str | None = None, add_relations: list[tuple[str, str]] | None = None,
               remove_relations: list[tuple[str, str]] | None = None,
               add_types: list[str] | None = None) -> Change:
        """Replace the labels and the comment (when given); add or drop relations
        (property IRI, target IRI); add classes an individual belongs to."""
        if self.kind(iri) is None:
            raise OntologyError(f"{iri}: no such entity in {self.path.name}")
        change = Change(f"Edit {self.label(iri)}", iri, iris={iri})
        u = self._uri
        if labels is not None:
            labels = [(lang.strip(), " ".join(text.split())) for lang, text in labels]
            self._check_labels(labels)
            if not labels:
                raise OntologyError("keep at least one label")
            old = {(u(iri), u(LABEL), v) for v in self._objects(iri, LABEL)}
            new = {(u(iri), u(LABEL), self._literal(t, lang)) for lang, t in labels}
            change.removed |= old - new
            change.added |= new - old
        if comment is not None:
            old = {(u(iri), u(COMMENT), v) for v in self._objects(iri, COMMENT)}
            new = {(u(iri), u(COMMENT), self._literal(comment.strip(), ""))} \
                if comment.strip() else set()
            change.removed |= old - new
            change.added |= new - old
        for prop_ref, target_ref in add_relations or []:
            change.added |= self._relation_triples(iri, prop_ref, target_ref, change)
        for prop, target in remove_relations or []:
            change.removed.add((u(iri), u(prop), u(target)))
            change.iris.add(target)
        for type_ref in add_types or []:
            cls = self.resolve(type_ref, ("class",))
            if cls is None:
                raise OntologyError(f"{type_ref!r}: no such class in {self.path.name}")
            change.added.add((u(iri), u(TYPE if self.kind(iri) != "class" else SUBCLASS),
                              u(cls)))
        if not change.added and not change.removed:
            raise OntologyError("nothing to change")
        return self._do(change)

    def delete(self, iri: str) -> Change:
        """The entity and every statement about it or pointing to it."""
        if self.kind(iri) is None:
            raise OntologyError(f"{iri}: no such entity in {self.path.name}")
        owners = self._owners_of(self._uri(iri))
        if owners:
            names = ", ".join(sorted(self.label(o) for o in owners)[:4])
            raise OntologyError(f"{self.label(iri)} is part of the definition of {names}; "
                                "change those first (Wordloom does not rewrite definitions)")
        change = Change(f"Delete {self.label(iri)}", iri, iris={iri})
        change.removed = self._triples_of(self.graph, self._uri(iri), incoming=True)
        change.iris |= {str(t[0]) for t in change.removed
                        if isinstance(t[0], self.rdflib.URIRef)}
        return self._do(change)

    def _owners_of(self, node: Any) -> set[str]:
        """Named entities whose blank-node structures (restrictions, lists) mention
        ``node``, other than its own."""
        owners: set[str] = set()
        todo = [s for s, _p in self.graph.subject_predicates(node)
                if isinstance(s, self.rdflib.BNode)]
        seen: set[Any] = set()
        while todo:
            blank = todo.pop()
            if blank in seen or len(seen) > 1000:
                continue
            seen.add(blank)
            for s, _p in self.graph.subject_predicates(blank):
                if isinstance(s, self.rdflib.BNode):
                    todo.append(s)
                elif s != node:
                    owners.add(str(s))
        return owners

    def _triples_of(self, graph: Any, node: Any, incoming: bool = False) -> set[Triple]:
        """Statements about ``node``, with the blank nodes they hang on (and, with
        ``incoming``, the named entities' statements pointing to it)."""
        found: set[Triple] = set()
        todo = [node]
        seen = set()
        while todo:
            subject = todo.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for p, o in graph.predicate_objects(subject):
                found.add((subject, p, o))
                if isinstance(o, self.rdflib.BNode):
                    todo.append(o)
        if incoming:
            for s, p in graph.subject_predicates(node):
                if isinstance(s, self.rdflib.URIRef):
                    found.add((s, p, node))
        return found

    # --- saving ---------------------------------------------------------------------------

    def save(self, path: str | Path | None = None, force: bool = False) -> Path:
        """Write the changes to the file (or, Save As, to ``path``); see the module's text."""
        target = Path(path).expanduser() if path else self.path
        if target == self.path and not self.dirty:
            return target  # nothing to write
        if target == self.path:
            fmt = self.format
        else:
            fmt = SUFFIXES.get(target.suffix.lower(), "")
            if not fmt:
                raise OntologyError(f"{target.name}: save as .owl (RDF/XML), .nt or .ttl")
        if fmt not in WRITABLE:
            raise OntologyError(f"{target.name}: OWL/XML cannot be written back; use Save As "
                                "to keep your changes as RDF/XML (.owl)")
        if target == self.path:
            if target.resolve().is_relative_to(resource_dir().resolve()):
                raise OntologyError(f"{target.name} is the sample that comes with Wordloom; "
                                    "use Save As to keep your changes in a file of yours")
            self._check_unchanged(force)
        self._check_writable(target)
        data, expected, untouched = self._serialise(WRITABLE[fmt])
        self._round_trip(data, expected, untouched, WRITABLE[fmt])
        try:
            atomic_write_bytes(target, data)
        except OSError as exc:
            raise OntologyError(f"{target}: cannot save ({exc.strerror or exc}); the file "
                                "is unchanged") from exc
        self.path, self.format, self.loaded = target, fmt, data  # Save As goes on there
        self.loaded_digest = hashlib.sha256(data).hexdigest()
        self.touched.clear()
        self.saved_top = self.undo_stack[-1] if self.undo_stack else None
        return target

    def _check_unchanged(self, force: bool) -> None:
        try:
            now = hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return  # gone: saving puts it back
        if now != self.loaded_digest and not force:
            raise ChangedOnDiskError(f"{self.path.name} was changed on disk since it was "
                                     "loaded; overwrite it with your version, or reload")

    @staticmethod
    def _check_writable(target: Path) -> None:
        folder = target.parent
        if (target.exists() and not os.access(target, os.W_OK)) or \
                not os.access(folder, os.W_OK):
            raise OntologyError(f"{target}: the file is read-only; use Save As to keep your "
                                "changes elsewhere")

    def _serialise(self, rdf_format: str) -> tuple[bytes, Any, Counter[Any]]:
        """The file's own graph with the touched entities' statements made current: the
        bytes, the graph, and the signature of its untouched part (for the check)."""
        rdflib = self.rdflib
        graph = rdflib.Graph()
        self._parse_loaded(graph)  # once a save: the check below reuses what it gives
        self._drop_touched(graph)
        untouched = signature(graph)
        renamed: dict[Any, Any] = {}

        def term(t: Any) -> Any:
            if isinstance(t, rdflib.BNode):
                return renamed.setdefault(t, rdflib.BNode())
            return t

        for iri in self.touched:
            for s, p, o in self._triples_of(self.graph, rdflib.URIRef(iri)):
                graph.add((term(s), term(p), term(o)))
        data = graph.serialize(format=rdf_format, encoding="utf-8")
        return bytes(data), graph, untouched

    def _drop_touched(self, graph: Any) -> None:
        for iri in self.touched:
            for triple in self._triples_of(graph, self.rdflib.URIRef(iri)):
                graph.remove(triple)

    def _parse_loaded(self, graph: Any) -> None:
        """The file as it was loaded, as rdflib reads it. OWL/XML, which rdflib does not
        read, comes from owlready2's copy of everything instead (for Save As)."""
        fmt = {"rdfxml": "xml", "ntriples": "nt", "turtle": "turtle"}.get(self.format)
        if fmt is None:
            import io

            buffer = io.BytesIO()
            self.store.onto.save(file=buffer, format="ntriples")
            graph.parse(data=buffer.getvalue(), format="nt")
            return
        graph.parse(data=self.loaded, format=fmt, publicID=str(self.path.resolve()))

    def _round_trip(self, data: bytes, expected: Any, untouched: Counter[Any],
                    rdf_format: str) -> None:
        """Parse what is about to be written; compare it with what should be there, and its
        untouched part with the file as it was loaded."""
        written = self.rdflib.Graph()
        written.parse(data=data, format=rdf_format)
        if signature(written) != signature(expected):
            raise OntologyError(f"{self.path.name}: the saved file would not read back as "
                                "written; nothing was saved")
        self._drop_touched(written)
        if signature(written) != untouched:
            raise OntologyError(f"{self.path.name}: saving would change statements you did "
                                "not edit; nothing was saved")


def signature(graph: Any) -> Counter[Any]:
    """A graph's triples with each blank node replaced by a description of what hangs on
    it, as a multiset: equal for two graphs that differ only in blank node names. OWL
    uses blank nodes as trees (restrictions, lists), for which this is exact and fast,
    where a general isomorphism test takes minutes on a file like pizza.owl."""
    from rdflib import BNode

    memo: dict[Any, Any] = {}

    def sig(node: Any, depth: int = 0) -> Any:
        if not isinstance(node, BNode):
            return node
        if node in memo:
            return memo[node]
        if depth > 64:  # a cycle of blank nodes: fall back to its size
            return ("cycle",)
        memo[node] = ("…",)
        memo[node] = ("_", tuple(sorted((str(p), repr(sig(o, depth + 1)))
                                        for p, o in graph.predicate_objects(node))))
        return memo[node]

    out: Counter[Any] = Counter()
    for s, p, o in graph:
        if isinstance(s, BNode):
            if not any(True for _ in graph.subject_predicates(s)):
                out[("root", repr(sig(s)))] += 1  # a blank node nothing points to
            continue
        out[(s, p, repr(sig(o)))] += 1
    return out


def _camel(text: str) -> str:
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", text) if p]
    if not parts:
        return iri_name(text)
    return parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:]
                                                         for p in parts[1:])


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
