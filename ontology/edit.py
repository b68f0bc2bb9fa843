"""Small edits to an ontology, saved back to its file atomically.

Open the store with ``OntologyStore.open(path, editable=True)`` so edits stay out of the
parse cache. Saving writes every triple of the ontology (everything else in the file is
kept) in the file's own format, through a temporary file and ``os.replace``.
"""

from __future__ import annotations

import re
import tempfile
import types
from pathlib import Path
from typing import Any

from engine.errors import OntologyError
from engine.fsutil import atomic_write_bytes
from ontology.store import OntologyStore, detect_format

_NOT_NAME = re.compile(r"[^0-9A-Za-z_]+")


def iri_name(label: str) -> str:
    """``West Lake`` -> ``WestLake``; non-Latin labels fall back to an escaped form."""
    parts = [p for p in _NOT_NAME.split(label) if p]
    if parts:
        return "".join(p[:1].upper() + p[1:] for p in parts)
    return "".join(f"u{ord(c):04X}" for c in label.strip()) or "Unnamed"


class OntologyEditor:
    def __init__(self, store: OntologyStore) -> None:
        self.store = store
        self.onto = store.onto

    def _resolve(self, iri: str) -> Any:
        thing = self.store.entity(iri)
        if thing is None:
            raise OntologyError(f"{iri}: no such entity in {self.store.path.name}")
        return thing

    def _new_iri(self, label: str) -> str:
        base = self.onto.base_iri
        name = iri_name(label)
        candidate, n = name, 2
        while self.store.entity(base + candidate) is not None:
            candidate, n = f"{name}{n}", n + 1
        return str(base) + candidate

    def add_class(self, label: str, parent: str | None = None, lang: str = "en") -> str:
        import owlready2

        iri = self._new_iri(label)
        bases = (self._resolve(parent),) if parent else (owlready2.Thing,)
        with self.onto:
            new: Any = types.new_class(iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1], bases)
        new.label.append(owlready2.locstr(label, lang))
        return str(new.iri)

    def add_individual(self, label: str, cls: str, lang: str = "en") -> str:
        import owlready2

        klass = self._resolve(cls)
        iri = self._new_iri(label)
        with self.onto:
            new = klass(iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        new.label.append(owlready2.locstr(label, lang))
        return str(new.iri)

    def set_relation(self, subject: str, prop: str, target: str) -> None:
        thing, relation, value = self._resolve(subject), self._resolve(prop), \
            self._resolve(target)
        with self.onto:
            getattr(thing, relation.python_name).append(value)

    def set_value(self, subject: str, prop: str, value: object) -> None:
        thing, relation = self._resolve(subject), self._resolve(prop)
        with self.onto:
            getattr(thing, relation.python_name).append(value)

    def save(self, path: Path | None = None) -> Path:
        target = Path(path) if path else self.store.path
        fmt = detect_format(target, target.read_bytes()[:4096] if target.exists() else b"<")
        if fmt == "owlxml":
            raise OntologyError(f"{target}: OWL/XML cannot be written; save as .owl instead")
        with tempfile.TemporaryFile() as buffer:
            self.onto.save(file=buffer, format="ntriples" if fmt in ("ntriples", "turtle")
                           else "rdfxml")
            buffer.seek(0)
            data = buffer.read()
        if fmt == "turtle":
            import rdflib

            graph = rdflib.Graph()
            graph.parse(data=data, format="nt")
            data = graph.serialize(format="turtle", encoding="utf-8")
        try:
            atomic_write_bytes(target, data)
        except OSError as exc:
            raise OntologyError(f"{target}: cannot save ({exc.strerror or exc}); "
                                "the file is unchanged") from exc
        return target
