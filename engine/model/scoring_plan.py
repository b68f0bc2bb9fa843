"""The judge's planning, with no model: which tokens a variant is judged on, and how
variants are grouped into llama.cpp calls.

A variant is compared with its base on a window: its changed tokens plus the next few
tokens they condition (the base's matching tokens the same way), so one edit's effect is
measured where it is and not diluted over the sentence. Everything here is a function of
token lists and numbers, so it is tested and fuzzed without loading a model
(bench/fuzz_targets.py, target ``scoring_plan``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

WINDOW_AFTER = 4  # tokens after a change that still show its effect
MAX_TOKENS = 256  # a longer text is not scored (the caller keeps the checkers' fixes)

Prune = float | Sequence[float | None] | None  # see LogProbScorer.compare
Floor = Sequence[float | None] | None
Window = int | Sequence[int]

_SPACE_BEFORE = re.compile(r" +([.,;:!?%)\]}]|n't\b|'(?:s|re|ve|ll|d|m)\b)", re.I)
_SPACE_AFTER = re.compile(r"([(\[{$]) +")


def print_view(text: str) -> str:
    """The text as it would be printed: no space before closing punctuation and clitics
    (``do n't`` → ``don't``, ``society .`` → ``society.``). A model never saw tokenised
    text, and scores of such text mean little."""
    return _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text))


@dataclass(frozen=True)
class Comparison:
    """A variant against its base, in nats (log-probability, natural log)."""

    delta: float  # log P(variant window) - log P(base window)
    words_added: int  # words in the variant minus words in the base
    per_word: float  # the base's mean log-probability per word (negative)

    @property
    def gain(self) -> float:
        """The change in log-probability with each added (or removed) word charged at the
        base's average cost per word: a deletion wins only when the removed word was less
        likely than an average word there, not merely because the text got shorter."""
        return self.delta - self.per_word * self.words_added


@dataclass
class Job:
    """One variant's work: the tokens it feeds after the base's shared prefix, and what
    it has gathered so far."""

    index: int
    prefix: int  # tokens shared with the base (at least 1: the start-of-text token)
    new: list[int]  # the variant's tokens from the first difference to the window's end
    base_end: int  # the base's tokens up to the matching window end
    split: int = 0  # new[:split]: the changed tokens and the first one after them
    logprob: float = 0.0  # log P(new), so far
    base_lp: float = 0.0  # log P of the base's window
    added: int = 0  # words in the variant minus words in the base
    charge: float = 0.0  # the added words' charge (see Comparison.gain)
    floor: float | None = None  # the least gain after new[:split] to go on
    base_split_lp: float = 0.0  # log P of the base's tokens matching new[:split]
    dropped: bool = False
    feeds: list[tuple[int, int]] = field(default_factory=list)  # (start, stop) of new fed

    @classmethod
    def make(cls, index: int, tokens: Sequence[int], base: Sequence[int], window: int
             ) -> Job | None:
        """The job for ``tokens`` against ``base`` (both start with the start-of-text
        token), or None when they are the same."""
        tokens, base = list(tokens), list(base)
        if tokens == base:
            return None
        window = max(0, window)
        prefix = shared_prefix(tokens, base)
        limit = min(len(tokens), len(base))
        suffix = 0
        while suffix < limit - prefix and tokens[-1 - suffix] == base[-1 - suffix]:
            suffix += 1
        keep = max(0, suffix - window)  # shared tail tokens beyond the window
        end, base_end = len(tokens) - keep, len(base) - keep
        if end <= prefix:  # a pure deletion at the very end: score the next token anyway
            end, base_end = min(len(tokens), prefix + 1), min(len(base), base_end + 1)
        if prefix == len(tokens):  # the variant is a prefix of the base: nothing to add
            return cls(index, prefix, [], base_end)
        new = tokens[max(1, prefix):end]
        shared = min(len(new), max(0, end - (len(tokens) - suffix)))  # the tail it shares
        return cls(index, max(1, prefix), new, base_end,
                   split=max(2, len(new) - shared + 1))

    @property
    def first_step(self) -> int:
        """How many of ``new`` are fed in the first step (all but the last token: nothing
        reads after it, its own log-probability comes from the token before)."""
        return (self.split if self.floor is not None else len(self.new)) - 1

    @property
    def changed(self) -> int:
        """The base's tokens that match ``new[:split]``."""
        return self.base_end - self.prefix - (len(self.new) - self.split)


def shared_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many tokens ``a`` and ``b`` share at the start."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def per_variant(value: T | Sequence[T], count: int) -> list[T]:
    """One figure for every variant, or the given sequence (checked for length)."""
    if not isinstance(value, Sequence):
        return [value] * count
    values = list(value)
    if len(values) != count:
        raise ValueError(f"{len(values)} figures for {count} variants")
    return values


def groups(jobs: Sequence[Job], base_tokens: int, n_seq: int, n_ctx: int) -> list[list[Job]]:
    """The jobs in order, cut into llama.cpp calls: at most ``n_seq - 1`` variants a call
    (sequence 0 is the base's), and their fed tokens beside the base's within the
    context. ValueError for a job that fits in no call."""
    out: list[list[Job]] = []
    group: list[Job] = []
    used = 0
    for job in jobs:
        size = len(job.new)
        if base_tokens + size > n_ctx or n_seq < 2:
            raise ValueError("the text is too long for the scoring context")
        if group and (len(group) >= n_seq - 1 or base_tokens + used + size > n_ctx):
            out.append(group)
            group, used = [], 0
        group.append(job)
        used += size
    if group:
        out.append(group)
    return out
