"""Log-probabilities from llama.cpp's logits rows (numpy; no model)."""

from __future__ import annotations

import numpy as np


def pick(rows: np.ndarray, tokens: list[int]) -> np.ndarray:
    """log P(tokens[i] | tokens[:i]) for each token after the first, from the
    log-softmax rows of a text's evaluation (row i predicts token i + 1). An empty slice
    is an empty array: ``np.asarray([])`` is float and cannot index ("It 's expensive .")."""
    index = np.arange(1, len(tokens), dtype=np.intp)
    return rows[index - 1, np.asarray(tokens[1:], dtype=np.intp)]


def log_sum_exp(logits: np.ndarray) -> np.ndarray:
    """Each row's log of the sum of its exponentials (the log-softmax's normaliser)."""
    top = logits.max(axis=1)
    out: np.ndarray = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    return out


def log_softmax(logits: np.ndarray) -> np.ndarray:
    out: np.ndarray = logits - log_sum_exp(logits)[:, None]
    return out
