"""A document's counts, as a writer reads them in the status bar and ``stats``.

Words are counted like a writer's word processor counts them: each Chinese or Japanese
character is one word (WPS, Word's East Asian count), other words are runs of letters
and digits with inner apostrophes kept. Reading time takes 238 words a minute for
English prose and 300 characters a minute for CJK text (Brysbaert 2019; Trauzettel-Klosinski
et al. 2012).
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass

from engine.text.split import PARAGRAPH_BREAK, sentences
from engine.text.words import _CJK, word_count

WORDS_PER_MINUTE = 238
CJK_PER_MINUTE = 300
# a CJK sentence ends at its own full stop, question or exclamation mark
_CJK_SENTENCE_END = re.compile(r"[。！？]+[”」』）]*")


@dataclass(frozen=True)
class Counts:
    words: int
    characters: int
    cjk_characters: int
    sentences: int
    paragraphs: int
    reading_minutes: float

    def as_dict(self) -> dict[str, int | float]:
        return asdict(self)


def count(text: str) -> Counts:
    """The counts of ``text`` (characters are code points, newlines not counted)."""
    cjk = len(_CJK.findall(text))
    other = word_count(_CJK.sub(" ", text)) if cjk else word_count(text)
    words = cjk + other
    paragraphs = sum(1 for part in PARAGRAPH_BREAK.split(text) if part.strip())
    found = 0
    for start, end in sentences(text):  # a CJK full stop inside a span ends a sentence too
        span = text[start:end]
        found += sum(1 for piece in _CJK_SENTENCE_END.split(span) if piece.strip()) \
            if _CJK_SENTENCE_END.search(span) else 1
    minutes = other / WORDS_PER_MINUTE + cjk / CJK_PER_MINUTE
    return Counts(words, len(text) - text.count("\n"), cjk, found, paragraphs,
                  round(minutes, 1))


def reading_time(minutes: float) -> str:
    """"under a minute", "4 min", "1 h 12 min"."""
    if minutes < 1:
        return "under a minute"
    whole = round(minutes)
    return f"{whole} min" if whole < 60 else f"{whole // 60} h {whole % 60} min"


class CountCache:
    """Counts of a text that is edited a little at a time: each paragraph is counted once
    and remembered by its text, so a 100,000-word document is recounted in milliseconds
    after an edit (words, sentences and syllables never cross a paragraph break)."""

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._parts: dict[str, tuple[int, int, int]] = {}  # words, CJK, sentences
        self._syllables: dict[str, int] = {}

    def learn(self, text: str, until: float, syllables: bool = False) -> bool:
        """Count the paragraphs of ``text`` not yet known (and their syllables too with
        ``syllables``) until ``time.monotonic()`` passes ``until``; True once all are
        known, so that ``count`` and ``reading_ease`` then take milliseconds. A window
        calls it in slices, so a new 100,000-word text never blocks it in one piece."""
        parts = [part for part in PARAGRAPH_BREAK.split(text) if part.strip()]
        if len(parts) > self.limit:
            return True  # more than it remembers: counted in one piece, as before
        for part in parts:
            worked = False
            if part not in self._parts:
                one = count(part)
                self._remember(self._parts, part, (one.words, one.cjk_characters,
                                                   one.sentences))
                worked = True
            if syllables and part not in self._syllables:
                self._part_syllables(part)
                worked = True
            if worked and time.monotonic() > until:
                return False
        return True

    def count(self, text: str) -> Counts:
        words = cjk = found = paragraphs = 0
        for part in PARAGRAPH_BREAK.split(text):
            if not part.strip():
                continue
            known = self._parts.get(part)
            if known is None:
                one = count(part)
                known = (one.words, one.cjk_characters, one.sentences)
                self._remember(self._parts, part, known)
            words += known[0]
            cjk += known[1]
            found += known[2]
            paragraphs += 1
        minutes = (words - cjk) / WORDS_PER_MINUTE + cjk / CJK_PER_MINUTE
        return Counts(words, len(text) - text.count("\n"), cjk, found, paragraphs,
                      round(minutes, 1))

    def reading_ease(self, text: str, counts: Counts | None = None) -> float | None:
        """Flesch reading ease of the text's non-CJK prose (None when there is too little:
        under 30 words), from syllables counted per paragraph; ``counts``: the text's
        counts when the caller has them already."""
        counts = counts or self.count(text)
        words = counts.words - counts.cjk_characters
        if words < 30 or not counts.sentences:
            return None
        syllables = sum(self._part_syllables(part)
                        for part in PARAGRAPH_BREAK.split(text) if part.strip())
        return round(206.835 - 1.015 * words / counts.sentences - 84.6 * syllables / words, 1)

    def _part_syllables(self, part: str) -> int:
        """One paragraph's syllables, counted once and remembered."""
        from engine.text.readability import syllable_count

        known = self._syllables.get(part)
        if known is None:
            known = syllable_count(part)
            self._remember(self._syllables, part, known)
        return known

    def _remember(self, table: dict, key: str, value: object) -> None:  # type: ignore[type-arg]
        if len(table) >= self.limit:
            table.clear()  # a new document or a long session: start again
        table[key] = value


def ease_label(score: float) -> str:
    """Flesch's own bands."""
    for floor, label in ((90, "very easy"), (80, "easy"), (70, "fairly easy"),
                         (60, "plain English"), (50, "fairly difficult"), (30, "difficult")):
        if score >= floor:
            return label
    return "very difficult"
