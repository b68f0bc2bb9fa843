"""What the knowledge base hands out: its errors, one change, an entry's details, the
class tree's nodes; and the RDF names it reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.errors import OntologyError

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
TYPE, LABEL, COMMENT = RDF_NS + "type", RDFS_NS + "label", RDFS_NS + "comment"
SUBCLASS = RDFS_NS + "subClassOf"
Triple = tuple[Any, Any, Any]


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
