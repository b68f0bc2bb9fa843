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
    rng = random.Random(seed)
    per_sentence = [[_stats(h, s, refs[i]) for refs in references]
                    for i, (h, s) in enumerate(zip(hypotheses, sources, strict=True))]
    scores = []
    for _ in range(iterations if len(references) > 1 else 1):
        total = [0] * (2 + 2 * ORDER)
        for options in per_sentence:
            chosen = options[rng.randrange(len(options))]
            total = [a + b for a, b in zip(total, chosen, strict=True)]
        scores.append(_score(total))
    return sum(scores) / len(scores)
