"""ROUGE-L F1 between a source and a candidate, as rouge-score computes it.

rouge-score imports nltk (550 modules, 36 MB resident) for a stemmer Wordloom does not
use, and finds the longest common subsequence with a Python table. ROUGE-L is that
subsequence's length over each text's tokens: the tokens here are rouge-score's (lower
case, runs of ``a-z0-9``), and the subsequence is rapidfuzz's (``LCSseq``, in C).
``tests/test_overlap.py`` checks the figures against rouge-score itself.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import LCSseq

_NON_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def rouge_tokens(text: str) -> list[str]:
    return _NON_ALPHANUMERIC.sub(" ", text.lower()).split()


def rouge_l(target: str, prediction: str) -> float:
    """ROUGE-L F1 of ``prediction`` against ``target`` (0 when either has no tokens)."""
    reference, candidate = rouge_tokens(target), rouge_tokens(prediction)
    if not reference or not candidate:
        return 0.0
    common = LCSseq.similarity(reference, candidate)
    precision, recall = common / len(candidate), common / len(reference)
    if precision + recall <= 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)
