"""Edits the other suggestions make that the checked fixes do not, offered on the checked
fixes' card when the judge finds the text better with them.

The model's free rewrite sometimes fixes what neither checker flagged ("My brother have
visited" → "has"), inside a rewrite that changes too much to come first. Each word-level
change a rewrite makes (a run of changed words between unchanged ones, at most a few
words long) that touches no checked edit is tried on the checked text, and the judge
scores it there like any other edit: those that gain are offered, best first, each to be
taken with one click.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from engine.text.diff import tokens
from engine.writing.proofread import Edit, apply_edits
from engine.writing.sources import JudgesText

MAX_WORDS = 3  # a longer change is a rewrite, not an edit
MARGIN = 1.0  # nats (added words charged) an offered edit must gain on the checked text
MAX_OFFERS = 5


@dataclass(frozen=True)
class Offer:
    """An edit of the original text, and what the judge found it gains."""

    start: int  # in the original text
    end: int
    old: str
    new: str
    gain: float

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "old": self.old, "new": self.new,
                "gain": round(self.gain, 3)}


def word_changes(original: str, other: str) -> list[tuple[int, int, str]]:
    """(start, end, new text) of each run of changed words that turns ``original`` into
    ``other``, in the original's code points; runs longer than MAX_WORDS are left out."""
    a, b = tokens(original), tokens(other)
    starts = [0]
    for token in a:
        starts.append(starts[-1] + len(token))
    out = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if max(len(old.split()), len(new.split())) > MAX_WORDS or not (old + new).strip():
            continue
        out.append((starts[i1], starts[i2], new))
    return out


def borrowed_edits(original: str, checked: Sequence[Edit], others: Sequence[str],
                   scorer: JudgesText, margin: float = MARGIN) -> list[Offer]:
    """The other texts' word changes that the checked fixes lack and the judge vouches
    for on the checked text, best first."""
    taken = [(e.start, e.end) for e in checked]
    found: dict[tuple[int, int, str], None] = {}
    for other in others:
        for start, end, new in word_changes(original, other):
            if original[start:end] == new or any(start <= b and a <= end for a, b in taken):
                continue
            found[(start, end, new)] = None
    if not found:
        return []
    base = apply_edits(original, checked)
    changes = list(found)
    variants = [apply_edits(original, [*checked, Edit(s, e, original[s:e], n, "rewrite", 0)])
                for s, e, n in changes]
    offers = []
    for (start, end, new), compared in zip(changes, scorer.compare(base, variants),
                                           strict=True):
        if compared is not None and compared.gain > margin:
            offers.append(Offer(start, end, original[start:end], new, compared.gain))
    return sorted(offers, key=lambda o: -o.gain)[:MAX_OFFERS]
