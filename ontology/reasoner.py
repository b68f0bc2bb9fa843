"""Consistency check with the HermiT reasoner (Java), under a timeout.

Runs the HermiT jar that ships with owlready2 on a temporary copy of the ontology. An
inconsistency, and each class that can have no members, is explained in plain words
where a simple cause (two disjoint classes, a property used outside its domain) exists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from engine.errors import CancelledError, OntologyError
from ontology.facts import with_article
from ontology.store import OntologyStore

_NOTHING = "http://www.w3.org/2002/07/owl#Nothing"
_EQUIV = re.compile(r"^EquivalentClasses\((.*)\)$")
_IRI = re.compile(r"<([^>]+)>")


HermitResult = tuple[int, str, str, float]  # exit code, stdout, stderr, seconds


@dataclass
class ConsistencyReport:
    consistent: bool
    seconds: float
    unsatisfiable: list[str] = field(default_factory=list)
    explanations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.consistent:
            return "The ontology is inconsistent. " + " ".join(self.explanations)
        if self.unsatisfiable:
            return (f"The ontology is consistent, but {len(self.unsatisfiable)} class(es) can "
                    "have no members. " + " ".join(self.explanations))
        return "The ontology is consistent."


class HermitRun:
    """HermiT running on a copy of an ontology. ``wait`` needs no owlready2 access, so it
    can run on any thread while the store's own thread stays free."""

    def __init__(self, store: OntologyStore) -> None:
        java = shutil.which("java")
        if java is None:
            raise OntologyError("the consistency check needs Java, which is not installed")
        from owlready2.reasoning import _HERMIT_CLASSPATH

        self.store = store
        self._folder = tempfile.TemporaryDirectory(prefix="wordloom-hermit-")
        copy = Path(self._folder.name) / "onto.owl"
        store.onto.save(file=str(copy), format="rdfxml")
        cmd = [java, "-Xmx1000M", "-cp", _HERMIT_CLASSPATH,
               "org.semanticweb.HermiT.cli.CommandLine", "-c", "-O", "-D", "-I", copy.as_uri()]
        self.started = time.monotonic()
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)

    def wait(self, timeout: float = 60.0,
             cancel: threading.Event | None = None) -> HermitResult:
        """(exit code, stdout, stderr, seconds); a cancel or the timeout ends HermiT."""
        deadline = self.started + timeout
        try:
            while True:
                try:
                    out, err = self.process.communicate(timeout=0.1)
                    return (self.process.returncode, out, err,
                            time.monotonic() - self.started)
                except subprocess.TimeoutExpired:
                    if cancel is not None and cancel.is_set():
                        raise CancelledError("the consistency check was cancelled") from None
                    if time.monotonic() > deadline:
                        raise OntologyError(
                            f"the reasoner did not finish within {timeout:.0f} s") from None
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.communicate()
            self._folder.cleanup()


def read_report(store: OntologyStore, result: HermitResult,
                language: str = "en") -> ConsistencyReport:
    """HermiT's answer in plain words (on the store's own thread: it reads the world)."""
    code, stdout, stderr, seconds = result
    labels = store.by_iri()

    def name(iri: str) -> str:
        entity = labels.get(iri)
        return entity.label(language) if entity else iri.rsplit("#", 1)[-1]

    output = stdout + stderr
    if code != 0:
        if "Inconsistent ontology" in output or "InconsistentOntology" in output:
            why = _explain_individuals(store, name) or [
                "HermiT found facts that contradict each other; no simple cause was found."]
            return ConsistencyReport(False, seconds, explanations=why)
        last = (output.strip().splitlines() or ["no output"])[-1]
        raise OntologyError(f"the reasoner failed: {last[:200]}")
    unsatisfiable: list[str] = []
    for line in stdout.splitlines():
        found = _EQUIV.match(line.strip())
        if found and _NOTHING in found.group(1):
            unsatisfiable += [i for i in _IRI.findall(found.group(1)) if i != _NOTHING]
    explanations = [_explain_class(store, iri, name) for iri in unsatisfiable]
    return ConsistencyReport(True, seconds, unsatisfiable, explanations)


def check_consistency(store: OntologyStore, timeout: float = 60.0, language: str = "en",
                      cancel: threading.Event | None = None) -> ConsistencyReport:
    """HermiT's verdict on ``store``, waiting for it on this thread."""
    return read_report(store, HermitRun(store).wait(timeout, cancel), language)


def _disjoint_pairs(store: OntologyStore) -> set[frozenset[Any]]:
    pairs: set[frozenset[Any]] = set()
    for group in store.world.disjoint_classes():
        members = [e for e in group.entities if getattr(e, "iri", None)]
        pairs.update(frozenset(p) for p in combinations(members, 2))
    return pairs


def _clash(classes: set[Any], pairs: set[frozenset[Any]]) -> tuple[Any, Any] | None:
    for pair in pairs:
        if pair <= classes:
            a, b = sorted(pair, key=lambda c: c.iri)
            return a, b
    return None


def _ancestors(cls: Any) -> set[Any]:
    return {a for a in cls.ancestors() if getattr(a, "iri", None)}


def _explain_individuals(store: OntologyStore, name: Any) -> list[str]:
    pairs = _disjoint_pairs(store)
    out = []
    for individual in store.onto.individuals():
        classes: set[Any] = set()
        for cls in individual.is_a:
            if getattr(cls, "iri", None):
                classes |= _ancestors(cls)
        clash = _clash(classes, pairs)
        if clash:
            first, second = (with_article(name(c.iri)) for c in clash)
            out.append(f"{name(individual.iri)} is both {first} and {second}, but those are "
                       "declared disjoint.")
    return out


def _explain_class(store: OntologyStore, iri: str, name: Any) -> str:
    cls = store.entity(iri)
    if cls is None:
        return f"{name(iri)} can have no members."
    pairs = _disjoint_pairs(store)
    ancestors = _ancestors(cls)
    clash = _clash(ancestors, pairs)
    if clash:
        first, second = (with_article(name(c.iri)) for c in clash)
        return (f"{name(iri)} can have no members: it is both {first} and {second}, which are "
                "declared disjoint.")
    for restriction in cls.is_a:
        prop = getattr(restriction, "property", None)
        for domain in getattr(prop, "domain", []) or []:
            other = _clash(ancestors | {domain}, pairs) if getattr(domain, "iri", None) \
                else None
            if prop is not None and other is not None:
                return (f"{name(iri)} can have no members: it uses "
                        f"'{name(prop.iri)}', which only applies to {name(domain.iri)}, "
                        f"but {name(other[0].iri)} and {name(other[1].iri)} are disjoint.")
    return f"{name(iri)} can have no members (its definition contradicts the ontology)."

