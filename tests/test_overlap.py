"""ROUGE-L through rapidfuzz gives rouge-score's own figures (rouge-score is a test
dependency only)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rouge_score import rouge_scorer

from engine.writing.overlap import rouge_l, rouge_tokens

REFERENCE = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=False)
PAIRS = [
    ("The willows along the Su Causeway was just turning green.",
     "The willows along the Su Causeway were just turning green."),
    ("She go to school every day.", "Every day, she goes to school!"),
    ("a b c d e", "e d c b a"),
    ("Hello, WORLD 42 times", "hello world - 42 TIMES"),
    ("東京 is far", "東京 is near"),
    ("", "anything"),
    ("...", "!!!"),
    ("same words here", "same words here"),
]


@pytest.mark.parametrize(("target", "prediction"), PAIRS)
def test_rouge_l_is_rouge_scores(target: str, prediction: str) -> None:
    want = REFERENCE.score(target, prediction)["rougeL"].fmeasure
    assert rouge_l(target, prediction) == pytest.approx(want, abs=1e-12)


WORDS = ["the", "a", "cat", "Cat", "sat", "on", "mat", "42", "naïve", "東京", "don't", "go",
         "goes", "é"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30), st.lists(st.sampled_from(WORDS), max_size=30),
       st.sampled_from([" ", ", ", ". ", "-", "  "]))
def test_any_two_texts_score_as_rouge_score_scores_them(a: list[str], b: list[str],
                                                         sep: str) -> None:
    target, prediction = sep.join(a), sep.join(b)
    want = REFERENCE.score(target, prediction)["rougeL"].fmeasure
    assert rouge_l(target, prediction) == pytest.approx(want, abs=1e-12)


def test_tokens_are_lower_case_runs_of_letters_and_digits() -> None:
    assert rouge_tokens("Don't STOP-me now, 2day!") == ["don", "t", "stop", "me", "now", "2day"]
