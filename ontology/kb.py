"""The writer's knowledge base: browse, add, edit and delete entries, undo, and save.

Edits are triples added to and removed from the ontology's quadstore (owlready2's rdflib
view of its World), so every change has an exact inverse: undo and redo are the same
operation. Reading is ``kb_reading``'s, the name index ``name_index``'s, and the checked
save, which never re-serialises what the writer did not touch, ``kb_save``'s.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.errors import OntologyError
from engine.fsutil import atomic_write_bytes
from ontology.kb_reading import KnowledgeReader
from ontology.kb_save import CheckedSave, check_in_place, check_writable, save_format
from ontology.kb_types import COMMENT, LABEL, OWL_NS, SUBCLASS, TYPE, Change, NameTakenError, Triple
from ontology.names import camel, iri_name, readable
from ontology.rdf_graph import owners_of, triples_of
from ontology.store import OntologyStore, detect_format

LANG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


class KnowledgeBase(KnowledgeReader):
    """One ontology file opened for editing (its own in-memory World, one thread)."""

    def __init__(self, store: OntologyStore, data: bytes, language: str = "en") -> None:
        super().__init__(store, language)
        self.format = detect_format(self.path, data[:4096])
        self.loaded_digest = hashlib.sha256(data).hexdigest()
        self.loaded = data
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self.touched: set[str] = set()
        self.saved_top: Change | None = None  # the last change the file has
        self.on_change: Callable[[set[str]], None] | None = None  # told each change's IRIs

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

    @property
    def dirty(self) -> bool:
        return (self.undo_stack[-1] if self.undo_stack else None) is not self.saved_top

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
            if self._index is not None:
                self._index.put(iri, self.entity(iri))
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
            prop = self.base + camel(prop_ref)
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
        owners = owners_of(self.graph, self._uri(iri))
        if owners:
            names = ", ".join(sorted(self.label(o) for o in owners)[:4])
            raise OntologyError(f"{self.label(iri)} is part of the definition of {names}; "
                                "change those first (Wordloom does not rewrite definitions)")
        change = Change(f"Delete {self.label(iri)}", iri, iris={iri})
        change.removed = triples_of(self.graph, self._uri(iri), incoming=True)
        change.iris |= {str(t[0]) for t in change.removed
                        if isinstance(t[0], self.rdflib.URIRef)}
        return self._do(change)

    # --- saving ---------------------------------------------------------------------------

    def save(self, path: str | Path | None = None, force: bool = False) -> Path:
        """Write the changes to the file (or, Save As, to ``path``); see ``kb_save``."""
        target = Path(path).expanduser() if path else self.path
        if target == self.path and not self.dirty:
            return target  # nothing to write
        fmt = save_format(self.path, self.format, target)
        if target == self.path:
            check_in_place(target, self.loaded_digest, force)
        check_writable(target)
        save = CheckedSave(self.store, self.path, self.loaded, self.format, self.touched)
        data = save.data(self.graph, fmt)
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


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
