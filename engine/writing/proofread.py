"""Proofreading the model can vouch for: candidate edits, judged by the model's scorer.

The grammar checkers' first fixes are the starting point. Every place where an edit is
possible is a *slot*: a checker's issue (its replacements and the original words), or a
word from a confusion set or another inflection of it (engine/writing/confusions.py). Each
round, every alternative of every slot is scored against the current text in one batch
(``LogProbScorer.compare``: the change and the tokens after it). An edit is applied when
its gain beats the margin for its kind; the best go first, and edits in the same round
stay apart so one does not depend on another's context. Rounds repeat near what changed
until nothing beats its margin. A checker's fix stands unless the model clearly prefers
another replacement or the original.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.grammar.autofix import choose_fixes
from engine.grammar.issues import Issue
from engine.model.scoring_plan import MAX_TOKENS, WINDOW_AFTER
from engine.text.split import sentences
from engine.text.words import word_count
from engine.writing.confusions import aspect, tense
from engine.writing.slots import (
    DOUBLED,
    WORD,
    Option,
    Slot,
    build_slots,
    edit_kind,
    render,
    variants_of,
)
from engine.writing.sources import JudgesText

MAX_ROUNDS = 4
NEAR = 3  # slots within this many words of an applied edit are looked at again
APART = 3  # edits this many words apart or closer are not made in the same round: each
# was judged with the other's old words in its window (WINDOW_AFTER tokens)
AGREEMENT = frozenset(frozenset(pair) for pair in (
    ("is", "are"), ("am", "are"), ("am", "is"), ("was", "were"), ("has", "have"),
    ("does", "do")))  # the same auxiliary in the singular and the plural
NEVER = 99.0  # a margin no edit beats: such options are not even scored
PRUNE = 0.5  # nats: a variant whose first changed token is this much less likely than the
# current one is not evaluated (see LogProbScorer.compare); one that removes a word always
# is: its first changed token is the word after the removed one, which the text's own
# context never predicted (JFLEG dev, first 250 sentences: +0.6 GLEU, 15 % more tokens);
# so is a checker's replacement (whole set: +0.12 GLEU, 7 % more tokens). With SLACK, 0.5
# here and 0 for commas judge as 2 and 1 did (JFLEG dev, whole set: 50.96 GLEU either
# way) on 11 % fewer tokens
COMMA_PRUNE = 0.0  # a comma's own: one the model finds less likely at that point than the
# word there is not worth its window
COMMA_WINDOW = 5  # tokens after a comma put in that show its effect (the scorer's window,
# WINDOW_AFTER for every other edit); JFLEG dev, whole set: 3, 4, 5, 6 give 51.06, 51.05,
# 51.14, 51.10 GLEU in the tuning simulation
SLACK: float | None = 3.0  # nats: a variant whose gain over its changed tokens and the first
# token after them is this far below its margin is not evaluated further (see
# LogProbScorer.compare's floor); JFLEG dev, whole set: slack 1, 2, 3, 4, 5 and none
# give 50.88, 50.89, 50.94, 50.96, 50.97 and 50.96 GLEU on 61, 64, 68, 73, 78 and 100 %
# of the tokens (an earlier tuning); with today's margins 2, 3 and 4 give 51.06, 51.14
# and 51.13 GLEU (bench/quality.py) on 82, 90 and 94 tokens a sentence
# (bench/proofread.py)


@dataclass(frozen=True)
class Margins:
    """How much likelier (nats, added words charged) an edit must make the text, by kind.

    Tuned on the JFLEG development set (see bench/quality.py and the closing note of the
    proofreading issue); the defaults are that tuning's choice."""

    confusion: float = 3.5  # another word of the word's confusion set
    inflection: float = 2.0  # another form of the same noun or verb
    # an article or preposition removed: below zero, because the per-word charge is an
    # average word's cost and these short words cost less than that (JFLEG dev, whole set:
    # -1.5, -2, -2.5, -3, -3.5 give 50.88, 50.96, 51.02, 50.98, 50.96 GLEU). Charging a
    # removed or added word its own cost instead (its unigram log-frequency, wordfreq) is
    # flat, and so is the same charge on a confusion's or an inflection's two words: 51.30
    # to 51.49 against 51.45 (starter model judging, tuning simulation). Only 10 of 35
    # prepositions other than "to" that this drops are dropped by a reference too, yet a
    # higher margin for them loses: +2, +4, never give 51.41, 51.36, 51.29
    deletion: float = -2.5
    # "a" or "an" put in before a noun or an adjective ("at ^ red light"), or taken out
    # again: well above zero, because the added word is credited an average word's cost and
    # an article costs far less (JFLEG dev, whole set, simulated on the edits made at 2:
    # 4, 5, 6, 7, 8 and never give 50.63, 50.76, 50.86, 50.84, 50.81 and 50.60 GLEU)
    insertion: float = 6.0
    start: float = NEVER  # a change to a sentence's first word (the model has no context)
    checker: float = 0.0  # a checker's replacement where the checkers made no fix
    alternative: float = 1.0  # another replacement of a fixed issue
    revert: float = 4.0  # undoing a checker's fix (the original words back)
    name: float = 0.0  # a checker's fix for a "misspelling" that looks like a name
    proper: float = NEVER  # the same, for a word of a name of several ("Leifeng Pagoda")
    # a comma put between two words, or a full stop where none ends it (JFLEG dev, first
    # 300 sentences: 0 gains 0.6 GLEU over no commas; 0.5 and 1.0 gain less)
    comma: float = 0.0
    # a comma the writer put between two words taken out (or put back): the writer meant
    # it, so the model must clearly prefer the text without it (JFLEG dev, whole set, with
    # deletion -2: 2, 2.5, 3, 4, 5 and never give 50.92, 50.96, 50.93, 50.97, 50.94 and
    # 50.82 GLEU; with -2.5: 3 gives 50.99, 4 51.05)
    comma_removed: float = 4.0
    # added to a confusion's or an inflection's margin when it moves a verb between past
    # and present ("rained" -> "rains"): the writer chose the tense, and a small model
    # likes the present. It costs nothing measurable (JFLEG dev, whole set, tuning
    # simulation: +0, +3, +4 give 51.14, 51.13, 51.13 GLEU) and keeps correct sentences
    # in the past
    tense_change: float = 3.0
    # added likewise when it moves a verb between ongoing and done ("was turning green" ->
    # "was turned green"): a small model prefers the passive after a "was" that should
    # have been "were"
    aspect_change: float = 3.0
    # an auxiliary's number changed ("have" -> "has", "were" -> "was"): the agreement the
    # small model knows best, though the two words share a confusion set
    agreement: float = 2.0
    # a word change of the model's own rewrite that the checked fixes lack, judged alone on
    # the checked text (engine/writing/borrow.py): the rewrite changes many words for no
    # reason, so only clear gains are made (JFLEG dev, whole set, two rewrites a sentence,
    # simulated with the Gemma judge: 2, 3, 3.5, 4, 5 give +0.55, +0.65, +0.62, +0.65,
    # +0.61 GLEU; the starter model judging: +0.02, +0.11, +0.27, +0.23, +0.24; measured
    # at 3.5, bench/quality.py --systems checked,rewrite: Gemma 51.97 -> 52.50, the starter
    # model 51.39 -> 51.53)
    rewrite: float = 3.5


@dataclass
class Edit:
    start: int  # in the original text (code points)
    end: int
    old: str
    new: str
    source: str
    gain: float  # nats the model gained by it (0 for a checker fix it did not question)

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "old": self.old, "new": self.new,
                "source": self.source, "gain": round(self.gain, 3)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Edit:
        return cls(data["start"], data["end"], data["old"], data["new"], data["source"],
                   data["gain"])


@dataclass
class Proofread:
    source: str
    text: str
    edits: list[Edit]
    rounds: int = 0
    variants: int = 0  # texts scored
    per_word: float | None = None  # the sentence's cost per word, from the first round:
    # later rounds charge added and removed words at it (and evaluate less of the text)


# -- search --------------------------------------------------------------------------------

def proofread(text: str, issues: Iterable[Issue], scorer: JudgesText | None,
              margins: Margins | None = None, *, max_rounds: int = MAX_ROUNDS,
              prune: float | None = PRUNE) -> Proofread:
    """The checked fixes for one sentence or short paragraph (one too long for the judge
    gets the checkers' fixes unjudged)."""
    margins = margins or Margins()
    if word_count(text) >= MAX_TOKENS:  # each word is a token at least: never scored
        scorer = None
    slots = build_slots(text, issues, confusions=scorer is not None)
    gains = [0.0] * len(slots)
    starts = [m.start() for m in WORD.finditer(text)]
    place = [bisect.bisect_left(starts, s.start) for s in slots]  # words before each slot
    result = Proofread(text, text, [])
    if scorer is not None:
        look = set(range(len(slots)))
        for _round in range(max_rounds):
            if not look:
                break
            changed = _round_of(text, slots, place, gains, scorer, margins, look, result,
                                prune)
            result.rounds += 1
            look = {i for i in range(len(slots)) for c in changed
                    if abs(place[i] - place[c]) <= NEAR}
    result.text = render(text, slots)
    result.edits = [Edit(s.start, s.end, s.original, s.text, s.options[s.current].source,
                         gains[i]) for i, s in enumerate(slots) if s.current != 0]
    return result


def _round_of(text: str, slots: list[Slot], place: list[int], gains: list[float],
              scorer: JudgesText, margins: Margins, look: set[int], result: Proofread,
              prune: float | None) -> list[int]:
    base = render(text, slots)
    tried: list[tuple[int, int]] = [(i, k) for i in sorted(look)
                                    for k in range(len(slots[i].options))
                                    if k != slots[i].current
                                    and _margin(slots[i], k, margins) < NEVER]
    if not tried:
        return []
    variants = variants_of(text, slots, tried)
    doubled = DOUBLED.search(base) is not None
    seen: set[str] = set()  # two slots can make the same text (commas either side of a
    keep = []  # deleted word): only one of them is tried
    for n, variant in enumerate(variants):
        if variant not in seen and (doubled or not DOUBLED.search(variant)):
            keep.append(n)
            seen.add(variant)
    tried, variants = [tried[n] for n in keep], [variants[n] for n in keep]
    limits = [_prune_for(slots[i], k, prune) for i, k in tried]
    needs = [_margin(slots[i], k, margins) for i, k in tried]
    floors = None if SLACK is None else [need - SLACK for need in needs]
    windows = [COMMA_WINDOW if slots[i].options[k].kind == "comma" else WINDOW_AFTER
               for i, k in tried]
    compared = scorer.compare(base, variants, windows, prune=limits, floor=floors,
                              per_word=result.per_word)
    result.variants += len(variants)
    if result.per_word is None:
        result.per_word = next((c.per_word for c in compared if c is not None), None)
    best: dict[int, tuple[float, int, float]] = {}
    for (i, k), need, comparison in zip(tried, needs, compared, strict=True):
        if comparison is None:
            continue
        over = comparison.gain - need
        if over > 0 and over > best.get(i, (0.0, -1, 0.0))[0]:
            best[i] = (over, k, comparison.gain)
    changed: list[int] = []
    for i, (_over, k, gain) in sorted(best.items(), key=lambda item: -item[1][0]):
        if any(abs(place[i] - place[c]) <= APART for c in changed):
            continue  # its neighbour changed: judged again next round
        slots[i].current = k
        gains[i] = gain
        changed.append(i)
    return changed


def _prune_for(slot: Slot, option: int, prune: float | None) -> float | None:
    """How far a variant's first changed token may fall behind before it is not scored."""
    if prune is None:
        return None
    if word_count(slot.options[option].text) < word_count(slot.text) or \
            slot.options[option].kind == "comma_removed":
        return None  # a word or a comma removed: see PRUNE
    if slot.options[-1].kind == "comma":
        return min(prune, COMMA_PRUNE)
    if slot.options[option].kind in ("checker", "alternative", "name", "proper"):
        return None  # a checker's replacement: few, and each flagged for a reason
    return prune


def _margin(slot: Slot, option: int, margins: Margins) -> float:
    kind = edit_kind(slot, option)
    if kind == "confusion" and \
            frozenset((slot.text.lower(), slot.options[option].text.lower())) in AGREEMENT:
        kind = "agreement"
    margin = float(getattr(margins, kind))
    if kind in ("confusion", "inflection", "agreement"):
        before, after = tense(slot.text), tense(slot.options[option].text)
        if before and after and before != after:
            margin += margins.tense_change
        before, after = aspect(slot.text), aspect(slot.options[option].text)
        if before and after and before != after:
            margin += margins.aspect_change
    return margin


# -- whole texts ---------------------------------------------------------------------------

def proofread_text(text: str, issues: Sequence[Issue], scorer: JudgesText | None,
                   margins: Margins | None = None,
                   cancel: threading.Event | None = None,
                   skip: Sequence[tuple[int, int]] = ()) -> Proofread:
    """The checked fixes for a whole text, sentence by sentence (each is scored alone);
    issues that cross a sentence boundary get the checkers' plain fix. Once ``cancel`` is
    set, the sentences left get the checkers' fixes unjudged (no more scoring). Nothing
    is changed inside the ``skip`` spans (a Markdown text's code)."""
    if skip:
        result = proofread_text(text, [i for i in issues if not _within(i, skip)], scorer,
                                margins, cancel)
        result.edits = [e for e in result.edits if not _within(e, skip)]
        result.text = apply_edits(text, result.edits)
        return result
    result = Proofread(text, text, [])
    placed: set[int] = set()
    for start, end in sentences(text):
        inside = [i for i in issues if start <= i.start and i.end <= end]
        placed.update(id(i) for i in inside)
        moved = [i._replace(start=i.start - start, end=i.end - start) for i in inside]
        judge = None if cancel is not None and cancel.is_set() else scorer
        part = proofread(text[start:end], moved, judge, margins)
        result.rounds = max(result.rounds, part.rounds)
        result.variants += part.variants
        result.edits += [Edit(e.start + start, e.end + start, e.old, e.new, e.source, e.gain)
                         for e in part.edits]
    across = [i for i in choose_fixes(i for i in issues if id(i) not in placed)
              if not any(e.start < i.end and i.start < e.end for e in result.edits)]
    result.edits += [Edit(i.start, i.end, text[i.start:i.end], i.replacements[0], i.engine,
                          0.0) for i in across]  # the text's own words (a checker's may differ)
    result.edits.sort(key=lambda e: e.start)
    result.text = apply_edits(text, result.edits)
    return result


def _within(span: Issue | Edit, skip: Sequence[tuple[int, int]]) -> bool:
    return any((lo < span.end and span.start < hi) or lo <= span.start < hi
               for lo, hi in skip)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` made (a deletion takes one space with it)."""
    slots = [Slot(e.start, e.end, e.old, [Option(e.old, "original", ""),
                                          Option(e.new, e.source, "")], 1)
             for e in sorted(edits, key=lambda e: e.start)]
    return render(text, slots)


def order_replacements(text: str, issues: Sequence[Issue], scorer: JudgesText,
                       cancel: threading.Event | None = None,
                       limit: int = 8) -> dict[int, tuple[str, ...]]:
    """Each issue's replacements (up to ``limit`` of them) in the order the model prefers
    them in their sentence, by index into ``issues``; issues with one replacement, or none
    the model could score, are left out, and so are those after ``cancel`` is set."""
    out: dict[int, tuple[str, ...]] = {}
    spans = sentences(text)
    for index, issue in enumerate(issues):
        if cancel is not None and cancel.is_set():
            break
        options = issue.replacements[:limit]
        if len(options) < 2:
            continue
        start, end = next(((s, e) for s, e in spans if s <= issue.start and issue.end <= e),
                          (0, len(text)))
        sentence = text[start:end]
        a, b = issue.start - start, issue.end - start
        compared = scorer.compare(sentence, [sentence[:a] + r + sentence[b:] for r in options])
        gains = [c.gain if c is not None else None for c in compared]
        if any(g is None for g in gains):
            continue
        order = sorted(range(len(options)), key=lambda k: (-(gains[k] or 0.0), k))
        out[index] = tuple(options[k] for k in order) + issue.replacements[limit:]
    return out
