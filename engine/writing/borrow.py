"""Edits the model's own rewrites make that the checked fixes do not: the clear ones taken
into the checked fixes, the others offered on their card.

The model's free rewrite sometimes fixes what neither checker flagged ("My brother have
visited" → "has"), inside a rewrite that changes too much to come first. Each word-level
change a rewrite makes to the checked text (a run of changed words between unchanged
ones, at most a few words long) is tried there, and the judge scores it like any other
edit; one next to or over a checked edit is merged with it and takes its place ("have
gone" → "went" where the original had "have went"). One that gains more than
``Margins.rewrite`` is made (``adopt``: the best first, none touching another); one that
gains more than MARGIN and touches no edit is offered, to be taken with one click. A
change that brings markup or a new line, alters a name or a number, or drops the words a
sentence opens with is never tried.
"""

from __future__ import annotations

import difflib
import re
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
                   scorer: JudgesText, margin: float = MARGIN,
                   limit: int | None = MAX_OFFERS) -> list[Offer]:
    """The other texts' word changes of the checked text that the judge vouches for there
    (each alone), best first, as edits of the original; ``limit`` of them (None: all). A
    change next to or over a checked edit takes that edit's place: its span covers it."""
    sorted_edits = sorted(checked, key=lambda e: e.start)
    base = apply_edits(original, sorted_edits)
    spans = _base_spans(original, sorted_edits)
    found: dict[tuple[int, int, str], str] = {}  # the change as an edit -> the variant
    for other in others:
        for a, b, new in word_changes(base, other):
            if not _worth_trying(base, a, b, new):
                continue
            touched = [(e, lo, hi) for e, lo, hi in spans if a <= hi and lo <= b]
            low = min([a] + [lo for _e, lo, _hi in touched])
            high = max([b] + [hi for _e, _lo, hi in touched])
            start = min([_to_original(low, spans)] + [e.start for e, _lo, _hi in touched])
            end = max([_to_original(high, spans)] + [e.end for e, _lo, _hi in touched])
            text = base[low:a] + new + base[b:high]
            variant = base[:a] + new + base[b:]
            kept = [e for e in sorted_edits if not start <= e.start <= e.end <= end]
            if apply_edits(original, [*kept, Edit(start, end, original[start:end], text,
                                                  "rewrite", 0)]) != variant:
                continue  # the spans did not map back (a word deleted beside it)
            found.setdefault((start, end, text), variant)
    if not found:
        return []
    changes = list(found)
    offers = []
    for (start, end, new), compared in zip(changes, scorer.compare(base, list(found.values())),
                                           strict=True):
        if compared is not None and compared.gain > margin:
            offers.append(Offer(start, end, original[start:end], new, compared.gain))
    return sorted(offers, key=lambda o: -o.gain)[:limit]


def _worth_trying(text: str, start: int, end: int, new: str) -> bool:
    """Whether a change of ``text[start:end]`` to ``new`` may be an edit at all."""
    old = text[start:end]
    return old != new and _plain(old, new) and _keeps_names(text, start, end, new) and \
        _keeps_numbers(old, new) and _keeps_opening(text, start, end, new)


def _plain(old: str, new: str) -> bool:
    """Whether a change is words and ordinary punctuation on one line: a rewrite that
    runs into markup or chatter ("<script …>", a second paragraph) gives no edit."""
    return "\n" not in new and all(c in _ORDINARY or c.isalnum() or c in old for c in new)


def _keeps_names(text: str, start: int, end: int, new: str) -> bool:
    """Whether a change of ``text[start:end]`` keeps every name in it: a capitalized word
    that does not begin a sentence ("Leifeng Pagoda" must not become "Leilao Pagoda")."""
    kept = set(_WORD.findall(new))
    return not any(match.group()[0].isupper() and match.group() not in kept and
                   not _opens_sentence(text, match.start())
                   for match in _WORD.finditer(text, start, end))


def _opens_sentence(text: str, at: int) -> bool:
    """Whether ``at`` is where a sentence of ``text`` begins (after its end marks)."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:\"“”"


def _keeps_numbers(old: str, new: str) -> bool:
    """Whether a change keeps the digits it touches, in their order: "5 0 years" may become
    "50 years", never "5 years", nor "10th" "1st"."""
    return _NOT_DIGIT.sub("", old) == _NOT_DIGIT.sub("", new)


def _keeps_opening(text: str, start: int, end: int, new: str) -> bool:
    """Whether a change at a sentence's opening keeps as many words as it replaces: a
    rewrite drops a connective there ("Therefore, we have" -> "We have"), and the judge,
    which has no context for a sentence's first words, finds every word taken away there
    a gain (the search never changes a first word either: ``Margins.start``)."""
    return not _opens_sentence(text, start) or \
        len(_WORD.findall(new)) >= len(_WORD.findall(text, start, end))


_NOT_DIGIT = re.compile(r"\D")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_ORDINARY = frozenset(" .,;:!?'’\"“”-–()")


def _base_spans(original: str, edits: Sequence[Edit]) -> list[tuple[Edit, int, int]]:
    """Each edit (sorted by start) with its span in the checked text."""
    out = []
    for n, edit in enumerate(edits):
        low = len(apply_edits(original[:edit.start], edits[:n]))
        out.append((edit, low, low + len(edit.new)))
    return out


def _to_original(at: int, spans: Sequence[tuple[Edit, int, int]]) -> int:
    """A position of the checked text outside its edits, in the original."""
    before = [(e, hi) for e, _lo, hi in spans if hi <= at]
    if not before:
        return at
    edit, high = before[-1]
    return edit.end + at - high


def touches(a: Edit | Offer, b: Edit | Offer) -> bool:
    """Whether two edits overlap or meet (no word between them)."""
    return a.start <= b.end and b.start <= a.end


def adopt(checked: Sequence[Edit], offers: Sequence[Offer], margin: float
          ) -> tuple[list[Edit], list[Offer]]:
    """The checked edits with the offers that gain more than ``margin`` made, best first,
    none touching another (source "rewrite"; one that covers checked edits takes their
    place); and the offers left (best first, up to MAX_OFFERS) that touch nothing made
    and no checked edit."""
    made: list[Edit] = []
    left: list[Offer] = []
    for offer in sorted(offers, key=lambda o: -o.gain):
        if any(touches(offer, e) for e in made):
            continue  # its neighbour was made: judged with other words beside it
        if offer.gain > margin:
            made.append(Edit(offer.start, offer.end, offer.old, offer.new, "rewrite",
                             offer.gain))
        elif not any(touches(offer, e) for e in checked):
            left.append(offer)
    kept = [e for e in checked
            if not any(m.start <= e.start and e.end <= m.end for m in made)]
    edits = sorted([*kept, *made], key=lambda e: e.start)
    return edits, left[:MAX_OFFERS]
