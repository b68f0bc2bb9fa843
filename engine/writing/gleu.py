"""GLEU for grammatical error correction (Napoles et al., 2015; the revised formula of
their 2016 note, as in the JFLEG evaluation script).

For each n-gram order, hypothesis n-grams that match the reference count, minus those
that match source n-grams the reference does not contain; a brevity penalty as in BLEU.
With several references, a reference is drawn at random per sentence and the corpus
score is averaged over many draws.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import numpy as np

ORDER = 4


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _stats(hyp: list[str], src: list[str], ref: list[str]) -> list[int]:
    stats = [len(hyp), len(ref)]
    for n in range(1, ORDER + 1):
        h, s, r = _ngrams(hyp, n), _ngrams(src, n), _ngrams(ref, n)
        s_not_r = Counter({k: v for k, v in s.items() if k not in r})
        matched = sum((h & r).values()) - sum((h & s_not_r).values())
        stats += [max(matched, 0), max(len(hyp) + 1 - n, 0)]
    return stats


def _score(stats: Sequence[int]) -> float:
    if any(x == 0 for x in stats):
        return 0.0
    hyp_len, ref_len = stats[0], stats[1]
    log_prec = sum(math.log(m / d) for m, d in zip(stats[2::2], stats[3::2], strict=True))
    return math.exp(min(0.0, 1 - ref_len / hyp_len) + log_prec / ORDER)


def corpus_gleu(sources: Sequence[list[str]], hypotheses: Sequence[list[str]],
                references: Sequence[Sequence[list[str]]], iterations: int = 200,
                seed: int = 0) -> float:
    """GLEU in 0..1 over tokenized sentences; ``references[k]`` is the k-th reference set."""
    per_sentence = sentence_stats(sources, hypotheses, references)
    return float(resampled_gleu(per_sentence, draws(len(per_sentence), len(references),
                                                    iterations, seed))[0])


def sentence_stats(sources: Sequence[list[str]], hypotheses: Sequence[list[str]],
                   references: Sequence[Sequence[list[str]]]) -> np.ndarray:
    """Each sentence's GLEU counts against each reference: shape (sentences, references,
    2 + 2 * ORDER); corpus counts are their sums."""
    return np.array([[_stats(h, s, refs[i]) for refs in references]
                     for i, (h, s) in enumerate(zip(hypotheses, sources, strict=True))],
                    dtype=np.int64).reshape(len(hypotheses), len(references), 2 + 2 * ORDER)


def draws(sentences: int, references: int, iterations: int = 200, seed: int = 0
          ) -> np.ndarray:
    """Which reference each sentence is scored against in each of the averaged draws:
    shape (iterations, sentences), the same draws for the same arguments."""
    rng = random.Random(seed)
    count = iterations if references > 1 else 1
    return np.array([[rng.randrange(references) for _ in range(sentences)]
                     for _ in range(count)], dtype=np.int64).reshape(count, sentences)


def resampled_gleu(per_sentence: np.ndarray, chosen: np.ndarray,
                   weights: np.ndarray | None = None) -> np.ndarray:
    """GLEU in 0..1 of the corpus in which sentence i counts ``weights[b, i]`` times, for
    each row b of ``weights`` (one row of ones by default: the corpus itself), averaged
    over the reference draws ``chosen`` (see ``draws``)."""
    sentences = per_sentence.shape[0]
    if weights is None:
        weights = np.ones((1, sentences))
    picked = per_sentence[np.arange(sentences)[None, :], chosen]  # (draws, sentences, stats)
    totals = np.einsum("bs,dsk->bdk", weights.astype(np.float64), picked.astype(np.float64))
    return _scores(totals).mean(axis=1)


def _scores(totals: np.ndarray) -> np.ndarray:
    """``_score`` of each row of counts (the last axis), at once."""
    hyp_len, ref_len = totals[..., 0], totals[..., 1]
    matched, possible = totals[..., 2::2], totals[..., 3::2]
    empty = (totals == 0).any(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_prec = np.log(matched / possible).sum(axis=-1)
        brevity = np.minimum(0.0, 1 - ref_len / hyp_len)
        out = np.exp(brevity + log_prec / ORDER)
    return np.where(empty, 0.0, out)
