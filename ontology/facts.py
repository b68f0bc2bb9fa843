"""Turn the entities a paragraph mentions into short plain-English fact lines.

For each entity: what it is (types, superclasses), its comment, its property assertions
in both directions ("Hangzhou — famous for → West Lake"), data values, and readable class
restrictions ("a Margherita has some tomato topping"). Lines are deduplicated, ranked by
relevance to the paragraph and cut to a token budget; each keeps the IRI it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ontology.matcher import Mention
from ontology.names import readable
from ontology.store import Entity, OntologyStore

TokenCounter = Callable[[str], int]
WEIGHTS = {"type": 1.0, "comment": 0.9, "value": 0.85, "relation": 0.8, "restriction": 0.75,
           "inverse": 0.7}
MAX_PER_ENTITY = 12


@dataclass(frozen=True)
class Fact:
    text: str
    iri: str  # the entity the fact is about
    kind: str
    score: float
    related: tuple[str, ...] = ()  # other entities the fact names

    def to_json(self) -> dict[str, object]:
        return {"text": self.text, "iri": self.iri, "kind": self.kind,
                "score": round(self.score, 3)}


def rough_tokens(text: str) -> int:
    """A model-free estimate (about four characters a token), used without a model."""
    return max(1, (len(text) + 3) // 4)


class FactBuilder:
    def __init__(self, store: OntologyStore, language: str = "en",
                 entities: dict[str, Entity] | None = None) -> None:
        """``entities``: the names by IRI, when the caller already has them (and keeps
        them current through edits)."""
        self.store = store
        self.language = language
        self._entities = store.by_iri() if entities is None else entities

    def name(self, thing: Any) -> str:
        iri = getattr(thing, "iri", None)
        if iri is None:
            return self._construct(thing)
        entity = self._entities.get(iri)
        return entity.label(self.language) if entity else readable(iri)

    def _construct(self, thing: Any) -> str:
        """Class expressions (unions, intersections, negations) in words."""
        kind = type(thing).__name__
        if kind == "Or":
            return " or ".join(self.name(c) for c in thing.Classes)
        if kind == "And":
            return " and ".join(self.name(c) for c in thing.Classes)
        if kind == "Not":
            return f"not {self.name(thing.Class)}"
        if kind == "OneOf":
            return " or ".join(self.name(c) for c in thing.instances)
        if kind == "Restriction":
            return self._restriction_phrase(thing)
        return str(thing)

    def facts_for(self, iri: str, base_score: float = 1.0) -> list[Fact]:
        thing = self.store.entity(iri)
        entity = self._entities.get(iri)
        if thing is None or entity is None:
            return []
        subject = entity.label(self.language)
        out: list[Fact] = []

        def add(kind: str, text: str, related: Iterable[str] = ()) -> None:
            out.append(Fact(text, iri, kind, base_score * WEIGHTS[kind], tuple(related)))

        self._kinds(thing, entity, subject, add)
        for comment in _localized(getattr(thing, "comment", []), self.language)[:1]:
            add("comment", f"{subject}: {' '.join(str(comment).split())}")
        if entity.kind == "individual":
            self._assertions(thing, subject, add)
        if entity.kind == "class":
            for parent in list(thing.is_a) + list(thing.equivalent_to):
                if type(parent).__name__ == "Restriction":
                    text = f"{with_article(subject)} {self._restriction_phrase(parent)}"
                    add("restriction", text, _iris(parent))
        return out[:MAX_PER_ENTITY]

    def _kinds(self, thing: Any, entity: Entity, subject: str, add: Callable[..., None]) -> None:
        if entity.kind == "individual":
            types = [t for t in thing.is_a if getattr(t, "iri", None)]
            if types:
                names = ", ".join(with_article(self.name(t)) for t in types)
                add("type", f"{subject} is {names}", [t.iri for t in types])
        elif entity.kind == "class":
            parents = [p for p in thing.is_a if getattr(p, "iri", None)
                       and not p.iri.endswith("#Thing")]
            if parents:
                names = ", ".join(with_article(self.name(p)) for p in parents)
                add("type", f"{with_article(subject)} is a kind of {names.split(' ', 1)[1]}"
                    if len(parents) == 1 else f"{with_article(subject)} is {names}",
                    [p.iri for p in parents])
        elif entity.kind.endswith("property"):
            domain = [d for d in getattr(thing, "domain", []) if getattr(d, "iri", None)]
            rng = [r for r in getattr(thing, "range", []) if getattr(r, "iri", None)]
            if domain or rng:
                parts = [f"{subject} is a relation"]
                if domain:
                    parts.append(f"from {' or '.join(self.name(d) for d in domain)}")
                if rng:
                    parts.append(f"to {' or '.join(self.name(r) for r in rng)}")
                add("type", " ".join(parts), [x.iri for x in domain + rng])

    def _assertions(self, thing: Any, subject: str, add: Callable[..., None]) -> None:
        for prop in thing.get_properties():
            if type(prop).__name__ == "AnnotationPropertyClass":
                continue
            values = prop[thing]
            phrase = self.name(prop)
            for value in values:
                if getattr(value, "iri", None):
                    add("relation", f"{subject} — {phrase} → {self.name(value)}",
                        [value.iri])
                else:
                    add("value", f"{subject} — {phrase} → {value}")
        for other, prop in thing.get_inverse_properties():
            if getattr(other, "iri", None):
                add("inverse", f"{self.name(other)} — {self.name(prop)} → {subject}",
                    [other.iri])

    def _restriction_phrase(self, restriction: Any) -> str:
        import owlready2

        prop = self.name(restriction.property)
        value = restriction.value
        target = self.name(value) if value is not None else ""
        kind = restriction.type
        if kind == owlready2.SOME:
            return _has_phrase(prop, "some", target)
        if kind == owlready2.ONLY:
            return _has_phrase(prop, "only", target)
        if kind == owlready2.VALUE:
            return f"{prop.lower()} {target}"
        amount = {owlready2.MIN: "at least", owlready2.MAX: "at most",
                  owlready2.EXACTLY: "exactly"}.get(kind, "")
        return _has_phrase(prop, f"{amount} {restriction.cardinality}", target)

    def facts(self, mentions: Iterable[Mention], budget: int = 200,
              count_tokens: TokenCounter = rough_tokens) -> list[Fact]:
        """Facts for the mentioned entities, ranked, deduplicated, within ``budget`` tokens."""
        best: dict[str, float] = {}
        for mention in mentions:
            best[mention.iri] = max(best.get(mention.iri, 0.0), mention.score)
        mentioned = set(best)
        ranked: list[Fact] = []
        seen: set[str] = set()
        for iri, score in best.items():
            for fact in self.facts_for(iri, score):
                if fact.text in seen:
                    continue
                seen.add(fact.text)
                bonus = 0.5 if mentioned.intersection(fact.related) else 0.0
                ranked.append(Fact(fact.text, fact.iri, fact.kind, fact.score + bonus,
                                   fact.related))
        ranked.sort(key=lambda f: -f.score)
        chosen: list[Fact] = []
        used = 0
        for fact in ranked:
            cost = count_tokens(fact.text + "\n")
            if used + cost > budget:
                continue
            chosen.append(fact)
            used += cost
        return chosen


def _localized(values: Iterable[Any], language: str) -> list[Any]:
    lang = language.split("-")[0]
    values = list(values)
    return sorted(values, key=lambda v: getattr(v, "lang", "") != lang)


def _iris(thing: Any) -> list[str]:
    value = getattr(thing, "value", None)
    iri = getattr(value, "iri", None)
    return [iri] if iri else []


def _has_phrase(prop: str, quantity: str, target: str) -> str:
    """``has topping`` + some + ``Tomato Topping`` -> "has some tomato topping"."""
    words = prop.lower().split()
    lowered = target.lower() if target else ""
    if len(words) >= 2 and words[0] == "has" and lowered.endswith(words[-1]):
        return f"has {quantity} {lowered}".strip()
    return f"{prop.lower()} {quantity} {lowered}".strip()


def with_article(name: str) -> str:
    """"a pizza", "an apple"."""
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"
