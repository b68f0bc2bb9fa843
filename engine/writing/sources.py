"""What the writing pipeline needs from outside it, as protocols.

``engine/`` may not import ``ontology/``, yet the assistant and the evaluator use the
ontology's facts and name index, and a grammar checker. These protocols say exactly what
they use; ``ontology.knowledge.Knowledge``, ``ontology.matcher.EntityMatcher`` and
``engine.grammar.checker.GrammarChecker`` (or a front end's proxy for them on another
thread) fit them without naming them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from engine.grammar.issues import CheckResult
from engine.model.scorer import Comparison, Floor, Prune, Window


class Checks(Protocol):
    """A grammar checker, for counting issues."""

    def check(self, text: str) -> CheckResult: ...


class JudgesText(Protocol):
    """A language model's scorer (engine.model.scorer.LogProbScorer)."""

    def logprob(self, text: str) -> float: ...
    def compare(self, base: str, variants: Sequence[str], window: Window = ...,
                prune: Prune = ..., floor: Floor = ..., per_word: float | None = ...
                ) -> Sequence[Comparison | None]: ...


class Mentioned(Protocol):
    """An entity named in a text (ontology.matcher.Mention)."""

    @property
    def iri(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class FindsEntities(Protocol):
    """An ontology's name index (ontology.matcher.EntityMatcher)."""

    def find(self, text: str) -> Sequence[Mentioned]: ...
    def find_exact(self, text: str) -> Sequence[Mentioned]: ...


class FactItem(Protocol):
    """One fact for the prompt, with the entity it is about (ontology.facts.Fact)."""

    @property
    def text(self) -> str: ...
    @property
    def iri(self) -> str: ...


class FoundFacts(Protocol):
    """What a lookup found (ontology.knowledge.Lookup)."""

    @property
    def mentions(self) -> Sequence[Mentioned]: ...
    def kept(self, excluded: Iterable[str]) -> Sequence[FactItem]: ...


class FactSource(Protocol):
    """An open ontology (ontology.knowledge.Knowledge)."""

    def lookup(self, text: str, budget: int, count_tokens: Callable[[str], int]) -> FoundFacts:
        ...
