"""Continuity across a project: names spelled two ways.

A capitalised word that the project uses once or twice, that no dictionary knows, and
that is one or two letters from a name the project uses far more often ("Bingly",
"Elizabth") is a suspected misspelling: its first replacement is the name. Two proposed
entries whose names are that close and both used often ("Mrs. Philips", "Mrs. Phillips")
are offered for merging. Each finding keeps its places, for the Review dock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from engine.story.bible import Entity, Mention, StoryBible
from engine.story.names import HONORIFICS, NOT_NAMES

RARE = 2  # uses of a word at most, to be taken for a slip
OFTEN = 5  # uses of a name at least, to be what a slip meant


@dataclass
class Suspect:
    word: str
    suggestions: list[str]  # the likeliest name first
    places: list[Mention] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"word": self.word, "suggestions": self.suggestions,
                "places": [p.to_json() for p in self.places]}


@dataclass
class Merge:
    names: tuple[str, str]
    mentions: tuple[int, int]

    def to_json(self) -> dict[str, object]:
        return {"names": list(self.names), "mentions": list(self.mentions)}


def _allowed(length: int) -> int:
    return 1 if length <= 6 else 2


def suspects(bible: StoryBible, entities: list[Entity],
             known: Callable[[str], bool]) -> list[Suspect]:
    """Rare capitalised words one slip from a name used often."""
    used, lower = bible.mid + bible.first, bible.lower
    vocabulary: dict[str, str] = {}  # lower case → as written, for every word of a name
    for entity in entities:
        for name in entity.names:
            for word in name.split():
                if word.lower() not in HONORIFICS:
                    vocabulary.setdefault(word.lower(), word)
    names = [(w, n) for w, n in ((w, used[w]) for w in vocabulary) if n >= OFTEN]
    found: dict[str, Suspect] = {}
    for word, count in used.items():
        if count > RARE or len(word) < 3 or word in vocabulary or word in NOT_NAMES or \
                lower[word] or "\u3400" <= word[:1] <= "\u9fff" or known(word):
            continue
        close = sorted(((OSA.distance(word, name), -n, name) for name, n in names
                        if abs(len(name) - len(word)) <= 2 and n >= OFTEN * count),
                       key=lambda t: (t[0], t[1]))
        close = [c for c in close if c[0] <= _allowed(max(len(word), len(c[2])))]
        if close:
            found[word] = Suspect(word, [vocabulary[c[2]] for c in close])
    if found:
        for path in bible.order:
            for run in bible.docs[path].runs:
                offset = 0
                for part in run.words:
                    key = part.lower()
                    if key in found:
                        found[key].places.append(Mention(path, run.line, run.column + offset,
                                                         part))
                    offset += len(part) + 1
        for suspect in found.values():
            if suspect.places:
                suspect.word = suspect.places[0].text
    return sorted((s for s in found.values() if s.places),
                  key=lambda s: (bible.order.index(s.places[0].path), s.places[0].line))


def merges(entities: list[Entity]) -> list[Merge]:
    """Two entries of a kind whose names are one or two letters apart (full names only
    with the same given name): one person spelled two ways, perhaps."""
    out = []
    for n, a in enumerate(entities):
        for b in entities[n + 1:]:
            if a.kind == b.kind and any(_one_slip(x, y) for x in a.names for y in b.names):
                out.append(Merge((a.name, b.name), (len(a.mentions), len(b.mentions))))
    return out


def _one_slip(x: str, y: str) -> bool:
    if x == y or len(x) < 5 or (" " in x) != (" " in y):
        return False
    if " " in x and x.split()[0] != y.split()[0]:
        return False
    return OSA.distance(x.lower(), y.lower()) <= _allowed(max(len(x), len(y)))
