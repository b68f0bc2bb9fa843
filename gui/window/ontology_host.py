"""What the ontology lane owns: the open ontology (and, while a project's story bible is
open, the writer's own beside it) for facts, names, the knowledge base and HermiT checks;
and the name index as the model's scorer reaches it from its own thread."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from engine.errors import OntologyError
from engine.writing.assistant import AssistRequest, fact_subject
from engine.writing.sources import Mentioned
from gui.window.lane import Lane
from gui.window.loads import one_load_at_a_time

if TYPE_CHECKING:
    from ontology.kb import KnowledgeBase
    from ontology.knowledge import Knowledge, Lookup
    from ontology.reasoner import ConsistencyReport, HermitResult, HermitRun


class OntologyHost:
    """The open ontology, if any: facts for requests, names for scoring, HermiT checks."""

    def __init__(self) -> None:
        self.knowledge: Knowledge | None = None
        self.also: Knowledge | None = None  # the global ontology, while a project's is open

    def open(self, path: str, language: str, also: str = "") -> dict[str, object]:
        """Open ``path`` (shown, edited, its facts first) and, with ``also``, a second
        ontology whose facts follow (a project's story bible, then the writer's own)."""
        from ontology.knowledge import Knowledge

        with one_load_at_a_time():
            knowledge = Knowledge.open(path, language)
            knowledge.matcher.warm()
            second = Knowledge.open(also, language) if also else None
        self.close()
        self.knowledge, self.also = knowledge, second
        words = knowledge.name_words() + (second.name_words() if second else [])
        return {"path": path, "entities": len(knowledge.entities),
                "warnings": list(knowledge.warnings), "words": words, "also": also}

    def lookup(self, text: str, budget: int, around: str = "") -> Lookup | None:
        """The facts for ``text``; while a project's story bible is open, then those of
        the people and places in the paragraphs ``around`` it, then the writer's own
        ontology's for ``text``."""
        from ontology.knowledge import Lookup, together

        if self.knowledge is None:
            return None
        found = self.knowledge.lookup(text, budget)
        if self.also is not None:
            if around.strip():
                near = self.knowledge.lookup(around, budget)  # facts only: its mentions'
                found = together(found, Lookup([], near.facts, near.labels, near.sources),
                                 budget)  # places are in another text
            found = together(found, self.also.lookup(text, budget), budget)
        return found

    def summary(self) -> tuple[str, int]:
        """The open ontology's file and how many entities it names now."""
        if self.knowledge is None:
            raise OntologyError("no ontology is open")
        kb = self.knowledge.kb
        return str(kb.path if kb is not None else self.knowledge.store.path), len(
            self.knowledge.entities)

    def browse(self) -> KnowledgeBase:
        """The open ontology, to read."""
        if self.knowledge is None:
            raise OntologyError("no ontology is open")
        return self.knowledge.browse()

    def kb(self) -> KnowledgeBase:
        """The open ontology, to change (opened for editing on first use)."""
        if self.knowledge is None:
            raise OntologyError("no ontology is open")
        return self.knowledge.edit()

    def mentions_of(self, iri: str, text: str) -> list[tuple[int, int, str]]:
        """Where ``text`` (the whole document) names ``iri``: exact mentions only."""
        if self.knowledge is None:
            return []
        return [(m.start, m.end, text[m.start:m.end])
                for m in self.knowledge.matcher.find_exact(text) if m.iri == iri]

    def attach_facts(self, request: AssistRequest) -> tuple[AssistRequest, Lookup | None, str]:
        """The request with the facts for its exact text, less the ones the writer
        unticked, with their IRIs; and the lookup behind them, for the Facts tab."""
        subject = fact_subject(request)
        around = "\n".join([request.before.rsplit("\n\n", 1)[-1],
                            request.after.split("\n\n", 1)[0]])
        lookup = self.lookup(subject, request.fact_budget, around)
        facts = lookup.kept(request.excluded_facts) if lookup is not None else []
        return (replace(request, facts=[f.text for f in facts], fact_items=facts),
                lookup, subject)

    def find(self, text: str, exact: bool) -> list[Mentioned]:
        if self.knowledge is None:
            return []
        matcher = self.knowledge.matcher
        return list(matcher.find_exact(text) if exact else matcher.find(text))

    def start_check(self) -> HermitRun:
        from ontology.reasoner import HermitRun

        if self.knowledge is None:
            raise LookupError("no ontology is open")
        return HermitRun(self.knowledge.store)

    def finish_check(self, run: HermitRun, result: HermitResult) -> ConsistencyReport:
        from ontology.reasoner import read_report

        if self.knowledge is None or self.knowledge.store is not run.store:
            raise LookupError("another ontology was opened during the check")
        return read_report(run.store, result, self.knowledge.language)

    def close(self) -> None:
        for knowledge in (self.knowledge, self.also):
            self.knowledge = self.also = None  # gone before they are closed
            if knowledge is not None:
                knowledge.close()


@dataclass(frozen=True)
class EntitiesOnLane:
    """The ontology lane's name index, for a scorer on another thread."""

    lane: Lane[OntologyHost]

    def find(self, text: str) -> list[Mentioned]:
        return self.lane.query(lambda host, _ctx: host.find(text, exact=False))

    def find_exact(self, text: str) -> list[Mentioned]:
        return self.lane.query(lambda host, _ctx: host.find(text, exact=True))
