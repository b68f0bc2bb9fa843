"""Where an edit can go in a sentence, and what it can put there: a slot is a span with
its options (the text's own words first, then the checkers' replacements, the word's
other forms and confusions, a comma put in or taken out); a choice of one option per
slot renders a variant of the sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.grammar.autofix import FIXABLE, choose_fixes, looks_like_a_name
from engine.grammar.issues import Issue
from engine.writing.confusions import (
    alternatives,
    an_or_a,
    parts_of_speech,
    plural_noun,
    superlative,
)

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
MAX_OPTIONS = 6  # replacements kept per checker issue


@dataclass
class Option:
    text: str
    source: str  # original, harper, languagetool (or both), confusion, inflection, article,
    # punctuation
    kind: str  # checker, alternative, name, proper, confusion, inflection, comma, comma_removed,
    # insertion; "" for the original


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
            name = ("proper" if _in_a_name(text, span) else "name") \
                if looks_like_a_name(issue) else ""
            for replacement in issue.replacements[:MAX_OPTIONS]:
                if replacement == original or any(o.text == replacement for o in options) \
                        or _drops_sentence_end(original, replacement):
                    continue
                kind = "alternative" if fixed else name or "checker"
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
        spans = [(i.start, i.end) for i in issues]
        slots += _comma_slots(text, spans)
        slots += _article_slots(text, spans)
    return sorted(slots, key=lambda s: (s.start, s.end))  # an insertion before its word


def _in_a_name(text: str, span: tuple[int, int]) -> bool:
    """A capitalised word beside another one that does not start the text: part of a
    name of several words ("Leifeng Pagoda", "the Su Causeway"), which no dictionary
    word should replace."""
    words = [(m.start(), m.group(0)) for m in WORD.finditer(text)]
    place = next((n for n, (at, _w) in enumerate(words) if at >= span[0]), None)
    if place is None:
        return False
    after = words[place + 1][1] if place + 1 < len(words) else ""
    before = words[place - 1][1] if place >= 2 else ""  # the first word is capitalised anyway
    return after[:1].isupper() or before[:1].isupper()


def _word_slots(text: str, taken: list[tuple[int, int]]) -> list[Slot]:
    words = list(WORD.finditer(text))
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


# words next to which no article is put in: determiners, possessives, numbers, and the
# adverbs an article would go before ("a very good", "so good a")
_DETERMINERS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its",
    "our", "their", "some", "any", "no", "every", "each", "many", "much", "several", "few",
    "all", "both", "either", "neither", "whose", "which", "what", "another", "other",
    "such", "one", "two", "three", "more", "most", "less", "least", "own", "very", "too",
    "quite", "rather", "so", "how", "s"})
# adjectives that take "the", never "a" ("the first", "the same", "the best")
_ONLY_THE = frozenset({"first", "last", "next", "same", "only", "whole", "best", "worst",
                       "most", "least", "following", "latter", "former", "rest", "entire",
                       "previous"})
_BE = frozenset({"am", "is", "are", "was", "were", "be", "been"})
_BEFORE_A_VERB = frozenset({"to", "will", "would", "can", "could", "shall", "should", "may",
                            "might", "must", "do", "does", "did", "not", "never", "n't"})
# words never put after "a": pronouns, and words that stand alone or modify
_NEVER_AN_ARTICLE = frozenset({
    "i", "me", "you", "he", "him", "she", "it", "we", "us", "they", "them", "there", "here",
    "who", "whom", "something", "anything", "nothing", "everything", "someone", "anyone",
    "everyone", "nobody", "people", "today", "tomorrow", "yesterday", "myself", "yourself",
    "himself", "herself", "itself", "ourselves", "themselves", "home", "mine", "yours",
    "hers", "ours", "theirs", "not", "just", "only", "also"})


def _article_slots(text: str, spans: list[tuple[int, int]]) -> list[Slot]:
    """"a" or "an" (as the word's sound asks) put in before a noun or an adjective that has
    no determiner ("at ^ red light", "does not have ^ job"). None before the first word
    (the model has no context there), a plural noun, a word that follows an adjective or
    a noun (inside a noun phrase), a word that takes "the" ("first", "best") or follows
    one, a name's later word, or a word a checker's issue touches (the checker's to fix).
    "the" is not offered: a small model puts it before almost any noun (JFLEG dev: three
    in four it put in were in no correction)."""
    words = list(WORD.finditer(text))
    out: list[Slot] = []
    for n in range(1, len(words)):
        word, before = words[n].group(0), words[n - 1].group(0)
        start = words[n].start()
        if not _wants_an_article(word, before, text[words[n - 1].end():start]) or \
                any(lo <= start <= hi for lo, hi in spans):
            continue
        out.append(Slot(start, start, "", [Option("", "original", ""), Option(
            an_or_a(word) + " ", "article", "insertion")]))
    return out


def _wants_an_article(word: str, before: str, between: str) -> bool:
    """Whether "a"/"an" may go before ``word``, which follows ``before`` (``between``
    them: a space, or a comma)."""
    low, prior = word.lower(), before.lower()
    if between.strip() not in ("", ",") or not word.isalpha() or \
            (word[:1].isupper() and before[:1].isupper()):
        return False
    if {low, prior} & (_DETERMINERS | _ONLY_THE) or low in _NEVER_AN_ARTICLE or \
            superlative(low) or superlative(prior):
        return False
    kinds = parts_of_speech(low)
    if (prior in _BE and low.endswith("ing")) or (prior in _BEFORE_A_VERB and "VERB" in kinds):
        return False  # "is ^ raining", "to ^ win"
    if not kinds & {"NOUN", "ADJ"} or plural_noun(low):
        return False
    around = parts_of_speech(prior)
    # inside a noun phrase ("red ^ light"): after an adjective or a noun that is no verb
    return not (between.strip() == "" and around & {"NOUN", "ADJ"} and
                not around & {"VERB", "ADP"})


DOUBLED = re.compile(r"[,;:] ?[,;:.]")  # a comma beside another mark: never an edit's aim
_COMMA = re.compile(r"(?<=[A-Za-z0-9']) ?,(?= [A-Za-z])")  # a comma between two words
_GAP = re.compile(r"[A-Za-z0-9']+(?= [A-Za-z])")
_TOKENIZED = re.compile(r"\w [.,;:!?](?: |$)")


def _comma_slots(text: str, spans: list[tuple[int, int]]) -> list[Slot]:
    """A possible comma after each word that is followed by another (none where a checker's
    issue starts or ends, which is the checker's to fix); spaced like the text's own
    punctuation (`` ,`` in tokenised text). And each comma between two words that no
    checker's issue touches may be taken out."""
    space = " " if _TOKENIZED.search(text) else ""
    marks = [(match.end(), ",") for match in _GAP.finditer(text)
             if not _splits_subject(match.group(0), text, match.end())]
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


_AUXILIARIES = frozenset({"am", "is", "are", "was", "were", "has", "have", "had", "do",
                          "does", "did", "can", "could", "will", "would", "shall", "should",
                          "may", "might", "must"})
_NEXT_WORD = re.compile(r" ([A-Za-z]+)\b(?!')")


def _splits_subject(word: str, text: str, at: int) -> bool:
    """A comma here would stand between a noun and the auxiliary after it ("My older
    brother, have visited"): the subject and its verb are never parted by one comma. A
    question tag ("it is nice, isn't it") follows an adjective or a verb, not a noun, and
    "n't" keeps it out here anyway."""
    following = _NEXT_WORD.match(text, at)
    return following is not None and following.group(1).lower() in _AUXILIARIES and \
        parts_of_speech(word) == {"NOUN"}


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
    return not option and WORD.search(slot.original) is not None


def edit_kind(slot: Slot, option: int) -> str:
    """Which margin an option of a slot must beat (a field of ``Margins``)."""
    target = slot.options[option]
    if slot.options[-1].kind == "comma":  # put in or taken out again, the same margin
        return "comma"
    if slot.options[-1].kind == "insertion":  # likewise
        return "insertion"
    if "comma_removed" in (target.kind, slot.options[slot.current].kind):
        return "comma_removed"  # taken out or put back, the same margin
    if slot.fixed_by:
        return "revert" if option == 0 else "alternative"
    if target.kind in ("checker", "name", "proper"):
        return target.kind
    if slot.start == 0:  # the model has no context there (and a word removed would leave
        return "start"  # the next one in lower case)
    if not target.text:
        return "deletion"
    return "inflection" if target.source == "inflection" else "confusion"
