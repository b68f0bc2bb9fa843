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
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.grammar.autofix import FIXABLE, choose_fixes, looks_like_a_name
from engine.grammar.checker import Issue
from engine.model.scoring_plan import MAX_TOKENS, WINDOW_AFTER
from engine.text.words import word_count
from engine.writing.confusions import alternatives, tense
from engine.writing.sources import JudgesText

_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
MAX_ROUNDS = 4
NEAR = 3  # slots within this many words of an applied edit are looked at again
APART = 3  # edits this many words apart or closer are not made in the same round: each
# was judged with the other's old words in its window (WINDOW_AFTER tokens)
MAX_OPTIONS = 6  # replacements kept per checker issue
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
    # -1.5, -2, -2.5, -3, -3.5 give 50.88, 50.96, 51.02, 50.98, 50.96 GLEU)
    deletion: float = -2.5
    start: float = NEVER  # a change to a sentence's first word (the model has no context)
    checker: float = 0.0  # a checker's replacement where the checkers made no fix
    alternative: float = 1.0  # another replacement of a fixed issue
    revert: float = 4.0  # undoing a checker's fix (the original words back)
    name: float = 0.0  # a checker's fix for a "misspelling" that looks like a name
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


@dataclass
class Option:
    text: str
    source: str  # original, harper, languagetool (or both), confusion, inflection, punctuation
    kind: str  # checker, alternative, name, confusion, inflection, comma, comma_removed; ""
    # for the original


@dataclass
class Slot:
    start: int  # in the original text
    end: int
    original: str
    options: list[Option]
    current: int = 0  # index into options
    fixed_by: str = ""  # the checker whose fix is the starting choice

    @property
    def text(self) -> str:
        return self.options[self.current].text


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


# -- slots ---------------------------------------------------------------------------------

def build_slots(text: str, issues: Iterable[Issue], *, confusions: bool = True) -> list[Slot]:
    """Every place an edit may go, in text order, none overlapping."""
    issues = [i for i in issues if i.replacements and i.category in FIXABLE]
    chosen = {(i.start, i.end) for i in choose_fixes(issues)}
    by_span: dict[tuple[int, int], list[Issue]] = {}
    for issue in issues:
        by_span.setdefault((issue.start, issue.end), []).append(issue)
    slots: list[Slot] = []
    taken: list[tuple[int, int]] = []
    for span in sorted(by_span, key=lambda s: (s not in chosen, s)):
        if any(span[0] < end and start < span[1] for start, end in taken):
            continue
        group = by_span[span]
        original = text[span[0]:span[1]]
        options = [Option(original, "original", "")]
        fixed = span in chosen and group[0].replacements[0] != original
        for issue in group:
            name = looks_like_a_name(issue)
            for replacement in issue.replacements[:MAX_OPTIONS]:
                if replacement == original or any(o.text == replacement for o in options) \
                        or _drops_sentence_end(original, replacement):
                    continue
                kind = "alternative" if fixed else "name" if name else "checker"
                options.append(Option(replacement, issue.engine, kind))
        comma = _COMMA.match(text, span[0])
        if comma is not None and comma.end() == span[1]:
            # a comma between words the checkers only respace: taking it out is an option too
            options = [o for o in options if o.text] + [Option("", "punctuation",
                                                               "comma_removed")]
        if len(options) < 2:
            continue
        slot = Slot(span[0], span[1], original, options)
        if fixed:
            slot.current, slot.fixed_by = 1, options[1].source
        slots.append(slot)
        taken.append(span)
    if confusions:
        slots += _word_slots(text, taken)
        slots += _comma_slots(text, [(i.start, i.end) for i in issues])
    return sorted(slots, key=lambda s: s.start)


def _word_slots(text: str, taken: list[tuple[int, int]]) -> list[Slot]:
    words = list(_WORD.finditer(text))
    out: list[Slot] = []
    for n, match in enumerate(words):
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        word = match.group(0)
        following = words[n + 1].group(0) if n + 1 < len(words) else ""
        options = [Option(word, "original", "")]
        for alt, source in alternatives(word, following):
            options.append(Option(alt, source, source))
        if len(options) > 1:
            out.append(Slot(start, end, word, options))
    return out


_DOUBLED = re.compile(r"[,;:] ?[,;:.]")  # a comma beside another mark: never an edit's aim
_COMMA = re.compile(r"(?<=[A-Za-z0-9']) ?,(?= [A-Za-z])")  # a comma between two words
_GAP = re.compile(r"[A-Za-z0-9']+(?= [A-Za-z])")
_TOKENIZED = re.compile(r"\w [.,;:!?](?: |$)")


def _comma_slots(text: str, spans: list[tuple[int, int]]) -> list[Slot]:
    """A possible comma after each word that is followed by another (none where a checker's
    issue starts or ends, which is the checker's to fix); spaced like the text's own
    punctuation (`` ,`` in tokenised text). And each comma between two words that no
    checker's issue touches may be taken out."""
    space = " " if _TOKENIZED.search(text) else ""
    marks = [(match.end(), ",") for match in _GAP.finditer(text)]
    stripped = text.rstrip()
    if stripped and stripped[-1].isalnum():  # a sentence that stops without a full stop
        marks.append((len(stripped), "."))
    slots = [Slot(at, at, "", [Option("", "original", ""),
                               Option(space + mark, "punctuation", "comma")])
             for at, mark in marks if not any(start <= at <= stop for start, stop in spans)]
    for match in _COMMA.finditer(text):
        start, end = match.span()
        if not any(start < stop and begin < end for begin, stop in spans):
            slots.append(Slot(start, end, match.group(0), [
                Option(match.group(0), "original", ""),
                Option("", "punctuation", "comma_removed")]))
    return slots


def _drops_sentence_end(original: str, replacement: str) -> bool:
    """A "fix" that takes away a full stop, question or exclamation mark (LanguageTool's
    spacing rule offers an empty replacement for `` .``): never a proofreading edit."""
    return any(c in original for c in ".!?") and not any(c in replacement for c in ".!?…")


# -- rendering -----------------------------------------------------------------------------

def render(text: str, slots: Sequence[Slot], choice: dict[int, int] | None = None) -> str:
    """``text`` with each slot's current option (or the one ``choice`` names for it)."""
    return _render(text, slots, choice)[0]


def _render(text: str, slots: Sequence[Slot], choice: dict[int, int] | None = None
            ) -> tuple[str, list[tuple[int, int]]]:
    """The rendered text, and where each slot's option is in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    size = 0  # characters in parts
    pos = 0
    for index, slot in enumerate(slots):
        option = slot.options[(choice or {}).get(index, slot.current)].text
        gap = text[pos:slot.start]
        skip = 0  # the space after the slot, taken by a deleted word
        if _removes_a_word(slot, option):  # a deleted word takes a space with it
            if gap.endswith(" "):
                gap = gap[:-1]
            elif text[slot.end:slot.end + 1] == " ":
                skip = 1
        parts.append(gap)
        size += len(gap)
        spans.append((size, size + len(option)))
        parts.append(option)
        size += len(option)
        pos = slot.end + skip
    parts.append(text[pos:])
    return "".join(parts), spans


def variants_of(text: str, slots: Sequence[Slot], tried: Sequence[tuple[int, int]]
                ) -> list[str]:
    """``render(text, slots, {i: k})`` for each (i, k) of ``tried``: the current text with
    one slot's option swapped in place, unless a removed word is involved (its spaces
    change too: rendered in full)."""
    base, spans = _render(text, slots)
    out = []
    for i, k in tried:
        slot = slots[i]
        option = slot.options[k].text
        if _removes_a_word(slot, option) or _removes_a_word(slot, slot.text):
            out.append(render(text, slots, {i: k}))
        else:
            start, end = spans[i]
            out.append(base[:start] + option + base[end:])
    return out


def _removes_a_word(slot: Slot, option: str) -> bool:
    return not option and _WORD.search(slot.original) is not None


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
    starts = [m.start() for m in _WORD.finditer(text)]
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
    doubled = _DOUBLED.search(base) is not None
    seen: set[str] = set()  # two slots can make the same text (commas either side of a
    keep = []  # deleted word): only one of them is tried
    for n, variant in enumerate(variants):
        if variant not in seen and (doubled or not _DOUBLED.search(variant)):
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
    if slot.options[option].kind in ("checker", "alternative", "name"):
        return None  # a checker's replacement: few, and each flagged for a reason
    return prune


def _margin(slot: Slot, option: int, margins: Margins) -> float:
    kind = edit_kind(slot, option)
    margin = float(getattr(margins, kind))
    if kind in ("confusion", "inflection"):
        before, after = tense(slot.text), tense(slot.options[option].text)
        if before and after and before != after:
            margin += margins.tense_change
    return margin


def edit_kind(slot: Slot, option: int) -> str:
    """Which margin an option of a slot must beat (a field of ``Margins``)."""
    target = slot.options[option]
    if slot.options[-1].kind == "comma":  # put in or taken out again, the same margin
        return "comma"
    if "comma_removed" in (target.kind, slot.options[slot.current].kind):
        return "comma_removed"  # taken out or put back, the same margin
    if slot.fixed_by:
        return "revert" if option == 0 else "alternative"
    if target.kind in ("checker", "name"):
        return target.kind
    if slot.start == 0:  # the model has no context there (and a word removed would leave
        return "start"  # the next one in lower case)
    if not target.text:
        return "deletion"
    return "inflection" if target.source == "inflection" else "confusion"


# -- whole texts ---------------------------------------------------------------------------

_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’)\]]))(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)"
    r"(?<!\bSt\.)(?<!\bNo\.)(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)\s+(?=[\"“‘(\[]?[A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` (paragraph breaks end one too), spaces left out."""
    spans: list[tuple[int, int]] = []
    for block in _split(text, _PARAGRAPH_BREAK, (0, len(text))):
        spans += _split(text, _SENTENCE_END, block)
    out = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((start + lead, start + trail))
    return out


def _split(text: str, pattern: re.Pattern[str], span: tuple[int, int]) -> list[tuple[int, int]]:
    out, pos = [], span[0]
    for found in pattern.finditer(text, span[0], span[1]):
        out.append((pos, found.start()))
        pos = found.end()
    out.append((pos, span[1]))
    return out


def proofread_text(text: str, issues: Sequence[Issue], scorer: JudgesText | None,
                   margins: Margins | None = None,
                   cancel: threading.Event | None = None) -> Proofread:
    """The checked fixes for a whole text, sentence by sentence (each is scored alone);
    issues that cross a sentence boundary get the checkers' plain fix. Once ``cancel`` is
    set, the sentences left get the checkers' fixes unjudged (no more scoring)."""
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
