"""Reading an rdflib graph the way OWL files use it: an entity's statements with the
blank-node trees (restrictions, lists) that hang on them, the entities whose trees mention
a node, and a graph's signature for comparing two graphs up to blank node names."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ontology.kb_types import Triple


def triples_of(graph: Any, node: Any, incoming: bool = False) -> set[Triple]:
    """Statements about ``node``, with the blank nodes they hang on (and, with
    ``incoming``, the named entities' statements pointing to it)."""
    from rdflib import BNode, URIRef

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
            if isinstance(o, BNode):
                todo.append(o)
    if incoming:
        for s, p in graph.subject_predicates(node):
            if isinstance(s, URIRef):
                found.add((s, p, node))
    return found


def owners_of(graph: Any, node: Any) -> set[str]:
    """Named entities whose blank-node structures (restrictions, lists) mention ``node``,
    other than its own."""
    from rdflib import BNode

    owners: set[str] = set()
    todo = [s for s, _p in graph.subject_predicates(node) if isinstance(s, BNode)]
    seen: set[Any] = set()
    while todo:
        blank = todo.pop()
        if blank in seen or len(seen) > 1000:
            continue
        seen.add(blank)
        for s, _p in graph.subject_predicates(blank):
            if isinstance(s, BNode):
                todo.append(s)
            elif s != node:
                owners.add(str(s))
    return owners


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
