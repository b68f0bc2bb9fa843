"""How likely a text is under a GGUF model: llama.cpp log-probabilities, in batches.

The scorer owns its own llama.cpp model handle and context, so scoring never disturbs a
generation's KV cache. Its weights are the model's own file, memory-mapped, so the pages
are shared with the generating model; for a small Q4_1 model on the CPU they are a Q8_0
copy instead, which llama.cpp evaluates faster (engine/model/judge.py).

Variants of one base text are scored together: the base is evaluated once on sequence
0; each variant's KV cache starts as a copy of the base's cells up to the first token
where they differ (llama.cpp's unified cache shares those cells, nothing is recomputed),
and every variant's own tokens go into the same ``llama_decode`` call, one sequence each.

A variant is compared with the base on a window: its changed tokens plus the next few
tokens they condition (the base's matching tokens the same way), so one edit's effect is
measured where it is and not diluted over the sentence. A caller that knows how much a
variant must gain can give it a floor: its changed tokens and the first token after them
are evaluated first, and only a variant still within reach of its floor is evaluated to
the window's end (on the same cells). The cells and logits of the variants that got
through are kept until the next base: when it is one of them (the edit the search made),
those tokens are not evaluated again. Text is shown to the model the way it would appear
in print (``do n't`` → ``don't``, ``society .`` → ``society.``): a model never saw
tokenised text, and scores of such text mean little.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.config import Settings
from engine.errors import ModelError
from engine.text.words import word_count

log = logging.getLogger("wordloom.scorer")

WINDOW_AFTER = 4  # tokens after a change that still show its effect
MAX_TOKENS = 256  # a longer text is not scored (the caller keeps the checkers' fixes)

Prune = float | Sequence[float | None] | None  # see LogProbScorer.compare
Floor = Sequence[float | None] | None
Window = int | Sequence[int]

_SPACE_BEFORE = re.compile(r" +([.,;:!?%)\]}]|n't\b|'(?:s|re|ve|ll|d|m)\b)", re.I)
_SPACE_AFTER = re.compile(r"([(\[{$]) +")


def print_view(text: str) -> str:
    """The text as it would be printed: no space before closing punctuation and clitics."""
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


class LogProbScorer:
    """Log-probabilities of texts under a GGUF model, on a llama.cpp context of its own.

    Not thread-safe: one owner thread (the model worker), like ``LlamaRunner``."""

    def __init__(self, model_path: str, *, threads: int = 0, gpu_layers: int = 0,
                 n_ctx: int = 1024, n_seq: int = 64, quantization: str | None = None) -> None:
        self.model_path = model_path
        self.quantization = quantization  # the file's type, when the caller has read it
        self.threads = threads
        self.gpu_layers = gpu_layers
        self.n_ctx = n_ctx
        self.n_seq = n_seq
        self._model: Any = None
        self._ctx: Any = None
        self._batch: Any = None
        self._lock = threading.Lock()
        self._base_tokens: list[int] = []  # what sequence 0 of the cache holds
        self._kept: list[tuple[int, _Job]] = []  # variants whose cells the cache still holds
        self._base_rows = np.zeros((0, 0), np.float32)
        self._base_text: list[int] = []  # the last base's tokens, all of them
        self._base_lp = np.zeros(0, np.float32)  # their log-probabilities (some may be
        # an earlier base's, see _decode_base)
        self._most_rows = 0  # the most logits rows one decode returned (their buffer)
        self.weights_path = model_path  # the file loaded (a judging copy, see judge.py)
        self.evaluated_tokens = 0  # tokens decoded since loading (a cost figure)

    @classmethod
    def from_settings(cls, settings: Settings, model: str | None = None) -> LogProbScorer:
        """A scorer on the model the settings name (or ``model``), placed like the runner."""
        from engine.model.gguf import resolve_model
        from engine.model.llm import resolve_gpu_layers

        info = resolve_model(settings, model)
        return cls(info.path, threads=settings.threads,
                   gpu_layers=resolve_gpu_layers(settings.gpu_layers),
                   quantization=info.quantization)

    @classmethod
    def beside(cls, backend: object, settings: Settings) -> LogProbScorer | None:
        """The judge for a loaded backend: the same GGUF, placed the same way, when it runs
        in this process; for a server, the settings' local model; None when there is none."""
        from engine.model.llm import LlamaRunner, resolve_gpu_layers

        if isinstance(backend, LlamaRunner):
            return cls(backend.info.path, threads=backend.threads,
                       gpu_layers=resolve_gpu_layers(backend.requested_gpu_layers),
                       quantization=backend.info.quantization)
        try:
            return cls.from_settings(settings)
        except ModelError:
            return None

    # -- loading -------------------------------------------------------------------------

    def load(self) -> None:
        if self._ctx is not None:
            return
        import llama_cpp
        from llama_cpp import _internals

        from engine.model.llm import default_threads, quiet_llama_logs

        quiet_llama_logs()
        self.weights_path = self._weights()
        mparams = llama_cpp.llama_model_default_params()
        mparams.n_gpu_layers = self.gpu_layers
        try:
            model: Any = _internals.LlamaModel(path_model=self.weights_path, params=mparams,
                                               verbose=False)
        except (ValueError, OSError) as exc:
            raise ModelError(f"{self.model_path}: llama.cpp could not load the model for "
                             f"scoring ({exc})") from exc
        threads = self.threads or default_threads()
        cparams = llama_cpp.llama_context_default_params()
        cparams.n_ctx = self.n_ctx
        cparams.n_batch = self.n_ctx
        cparams.n_ubatch = 512
        cparams.n_seq_max = self.n_seq
        cparams.kv_unified = True
        cparams.n_threads = threads
        cparams.n_threads_batch = threads
        try:
            ctx = _internals.LlamaContext(model=model, params=cparams, verbose=False)
        except ValueError as exc:
            model.close()
            raise ModelError(f"{self.model_path}: no llama.cpp context for scoring "
                             f"({exc})") from exc
        self._batch = llama_cpp.llama_batch_init(self.n_ctx, 0, 1)
        self._model, self._ctx = model, ctx
        self._vocab = model.n_vocab()
        bos = model.token_bos()
        self._start = bos if bos >= 0 else model.token_eos()

    def _weights(self) -> str:
        """The file to load: the model itself, or its faster judging copy (judge.py)."""
        from engine.model.gguf import read_metadata
        from engine.model.judge import judge_weights

        quantization = self.quantization
        if quantization is None:  # a scorer built on a bare path
            try:
                quantization = read_metadata(self.model_path).quantization
            except ModelError:
                return self.model_path  # loading it says what is wrong
        return judge_weights(self.model_path, quantization, self.gpu_layers)

    def close(self) -> None:
        import llama_cpp

        with self._lock:
            self._base_tokens, self._base_text, self._kept = [], [], []
            if self._batch is not None:
                llama_cpp.llama_batch_free(self._batch)
                self._batch = None
            if self._ctx is not None:
                self._ctx.close()
                self._ctx = None
            if self._model is not None:
                self._model.close()
                self._model = None

    @property
    def loaded(self) -> bool:
        return self._ctx is not None

    def memory_bytes(self) -> int:
        """The context's own memory, weights excluded: its KV cache (F16 keys and values
        for every cell) and the logits buffer at the most rows a decode has asked for."""
        import llama_cpp

        self.load()
        model = self._model.model
        head_dim = llama_cpp.llama_model_n_embd(model) // max(1, llama_cpp.llama_model_n_head(
            model))
        kv = (self.n_ctx * llama_cpp.llama_model_n_layer(model) * 2 * 2 * head_dim
              * llama_cpp.llama_model_n_head_kv(model))
        return int(kv + self._most_rows * self._vocab * 4)

    # -- tokens --------------------------------------------------------------------------

    def tokens(self, text: str) -> list[int]:
        """The model's tokens for ``text`` as printed, between the start-of-text token and
        a line break: the break is scored too, so a text that stops short (a dropped full
        stop, a cut-off clause) pays for it."""
        self.load()
        body = self._model.tokenize((print_view(text).strip() + "\n").encode("utf-8"),
                                    add_bos=False, special=False)
        return [self._start, *body]

    # -- scoring -------------------------------------------------------------------------

    def logprob(self, text: str) -> float:
        """log P(text) in nats (the start-of-text token given)."""
        with self._lock:
            tokens = self.tokens(text)
            return float(self._decode_base(tokens)[1].sum())

    def compare(self, base: str, variants: Sequence[str], window: Window = WINDOW_AFTER,
                prune: Prune = None, floor: Floor = None) -> list[Comparison | None]:
        """Each variant against ``base``; None for one that is too long to score. With
        ``prune``, a variant whose first changed token is already ``prune`` nats less likely
        than the base's token there (read from the base's own pass, free) is not evaluated
        either (None): the few tokens after it rarely make up for that much. ``prune`` is
        one figure for every variant, or one per variant (None: always evaluated).

        With ``floor`` (one per variant, None for none), a variant is evaluated in two
        steps: its changed tokens and the first token after them, then the rest of its
        window. One whose gain after the first step is below its floor is not taken
        further (None): the rest of the window is only evaluated for variants that can
        still win. ``window`` is one figure for every variant, or one per variant."""
        with self._lock:
            return self._compare(base, variants, window, prune, floor)

    def _compare(self, base: str, variants: Sequence[str], window: Window,
                 prune: Prune, floor: Floor = None) -> list[Comparison | None]:
        out: list[Comparison | None] = [None] * len(variants)
        base_tokens = self.tokens(base)
        if len(base_tokens) > MAX_TOKENS or not variants:
            return out
        base_words = max(1, word_count(base))
        windows = [window] * len(variants) if isinstance(window, int) else list(window)
        made: list[tuple[int, _Job | None]] = []
        for index, text in enumerate(variants):
            tokens = self.tokens(text)
            if len(tokens) <= MAX_TOKENS:
                made.append((index, _Job.make(index, tokens, base_tokens, windows[index])))
        needed = max((job.base_end for _index, job in made if job is not None), default=1)
        rows, base_lp = self._decode_base(base_tokens, needed)
        per_word = float(base_lp.sum()) / base_words
        limits = [prune] * len(variants) if prune is None or isinstance(prune, (int, float)) \
            else list(prune)
        floors = list(floor) if floor is not None else [None] * len(variants)
        jobs: list[_Job] = []
        for index, job in made:
            added = word_count(variants[index]) - base_words
            if job is None:  # the same tokens as the base
                out[index] = Comparison(0.0, added, per_word)
                continue
            limit = limits[index]
            if limit is not None and job.new and job.prefix < len(base_tokens) and \
                    rows[job.prefix - 1, job.new[0]] - base_lp[job.prefix - 1] < -limit:
                continue
            job.base_lp = float(base_lp[job.prefix - 1:job.base_end - 1].sum())
            job.added, job.charge = added, per_word * added
            if floors[index] is not None and 1 < job.split < len(job.new):
                job.floor = floors[index]
                changed = job.base_end - job.prefix - (len(job.new) - job.split)
                job.base_split_lp = float(base_lp[job.prefix - 1:job.prefix - 1 + changed].sum())
            jobs.append(job)
        pending = [job for job in jobs if job.new]  # an empty one: log P of nothing is 0
        while pending:
            group: list[_Job] = []
            used = 0
            while pending and len(group) < self.n_seq - 1 and \
                    used + len(pending[0].new) + len(base_tokens) <= self.n_ctx:
                group.append(pending.pop(0))
                used += len(group[-1].new)
            if not group:
                raise ModelError("the text is too long for the scoring context")
            self._decode_variants(group, rows)
        for job in jobs:
            if not job.dropped:
                out[job.index] = Comparison(job.logprob - job.base_lp, job.added, per_word)
        return out

    def _decode_base(self, tokens: list[int], needed: int | None = None
                     ) -> tuple[np.ndarray, np.ndarray]:
        """Evaluate ``tokens`` on sequence 0: the log-softmax of every position's logits
        (row i predicts token i + 1), and each token's log-probability (entry i is token
        i + 1's). Sequence 0 keeps the last base, so a base that shares a prefix with it
        (the same sentence after an edit, in the search's next round) only evaluates its
        tokens from the first difference on.

        With ``needed``, only the tokens before it are evaluated when the rest are the
        last base's own last tokens (the search's next round looks near what changed, and
        no variant's window reaches past ``needed``): their log-probabilities, which only
        count towards the text's cost per word, are the last base's."""
        import llama_cpp

        keep = 0
        if self._base_tokens:
            limit = min(len(tokens), len(self._base_tokens)) - 1  # the last is evaluated again
            while keep < limit and tokens[keep] == self._base_tokens[keep]:
                keep += 1
        tail = len(tokens) - (needed or len(tokens))
        if not 0 < tail <= len(self._base_lp) or tokens[-tail:] != self._base_text[-tail:]:
            tail = 0
        upto = len(tokens) - tail
        keep = min(keep, upto - 1)
        memory = self._ctx.memory
        kept, self._kept = self._kept, []
        reused = [(seq, job) for seq, job in kept if keep and job.prefix == keep]
        start, rows = keep, self._base_rows[:keep]
        if reused:  # the new base is a variant whose window was just evaluated
            count, seq, job = max(((_shared(job.fed, tokens[keep:upto]), seq, job)
                                   for seq, job in reused), key=lambda item: item[0])
            if count:
                llama_cpp.llama_memory_seq_rm(memory, 0, keep, -1)
                llama_cpp.llama_memory_seq_cp(memory, seq, 0, keep, keep + count)
                start = keep + count
                rows = np.concatenate((rows, job.rows[:count]))
        for seq, _job in kept:
            llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
        self._base_tokens = []
        if start == keep:
            if keep:
                llama_cpp.llama_memory_seq_rm(memory, -1, keep, -1)
            else:
                llama_cpp.llama_memory_clear(memory, True)
        if start < upto:
            batch = self._batch
            batch.n_tokens = upto - start
            for i, token in enumerate(tokens[start:upto]):
                batch.token[i] = token
                batch.pos[i] = start + i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = True
            self._decode(upto - start)
            fresh = _log_softmax(self._logits(upto - start))
            rows = np.concatenate((rows, fresh)) if start else fresh
        picked = _pick(rows, tokens, 1, upto)
        lp = np.concatenate((picked, self._base_lp[len(self._base_lp) - tail:])) if tail \
            else picked
        self._base_tokens, self._base_rows = tokens[:upto], rows
        self._base_text, self._base_lp = list(tokens), lp
        return rows, lp

    def _decode_variants(self, group: list[_Job], base_rows: np.ndarray) -> None:
        """Each job's tokens on a sequence of its own, after a copy of the base's cells up to
        its first difference. A job's last token is never fed in: nothing is read after it
        (its own log-probability comes from the token before), so a one-token job costs
        nothing beyond the base's pass. A job with a floor goes in two steps (its cells
        stay between them); one that falls below its floor after the first is dropped."""
        import llama_cpp

        memory = self._ctx.memory
        for seq, _job in self._kept:
            llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
        self._kept = []
        for seq, job in enumerate(group, start=1):
            job.logprob = float(base_rows[job.prefix - 1, job.new[0]])  # predicted by the base
            llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
            llama_cpp.llama_memory_seq_cp(memory, 0, seq, 0, job.prefix)
        first = [(seq, job, 0, (job.split if job.floor is not None else len(job.new)) - 1)
                 for seq, job in enumerate(group, start=1)]
        logits, spans = self._feed(first)
        rest = []
        for (seq, job, start, stop), span in zip(first, spans, strict=True):
            if job.floor is not None:
                gain = job.logprob - job.base_split_lp - job.charge
                if gain < job.floor:  # its cells stay until the end: other sequences' next
                    job.dropped = True  # tokens put in cells freed here were seen to
                    continue  # change their scores (tested)
                rest.append((seq, job, job.split - 1, len(job.new) - 1))
            if stop > start:  # the rows of a variant that may become the next base
                job.saved.append(logits[span].copy())
        logits, spans = self._feed(rest)
        for (_seq, job, start, stop), span in zip(rest, spans, strict=True):
            if stop > start:
                job.saved.append(logits[span].copy())
        for seq, job in enumerate(group, start=1):
            if job.dropped or not job.saved:
                llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)
            else:  # its cells stay until the next base, which may be this variant
                self._kept.append((seq, job))

    def _feed(self, parts: list[tuple[int, _Job, int, int]]
              ) -> tuple[np.ndarray, list[slice]]:
        """For each (sequence, job, start, stop): feed ``job.new[start:stop]`` on that
        sequence and add the log-probabilities of ``job.new[start + 1:stop + 1]``. The
        logits (valid until the next decode) and each part's rows in them."""
        batch = self._batch
        n = 0
        spans = []
        for seq, job, start, stop in parts:
            spans.append(slice(n, n + max(0, stop - start)))
            for offset in range(start, stop):
                batch.token[n] = job.new[offset]
                batch.pos[n] = job.prefix + offset
                batch.n_seq_id[n] = 1
                batch.seq_id[n][0] = seq
                batch.logits[n] = True
                n += 1
        if not n:
            return np.zeros((0, 0), np.float32), spans
        batch.n_tokens = n
        self._decode(n)
        logits = self._logits(n)
        norms = _log_sum_exp(logits)  # only the picked tokens' log-probabilities are needed
        for (_seq, job, start, stop), span in zip(parts, spans, strict=True):
            if stop > start:
                index = np.arange(span.start, span.stop)
                picked = logits[index, job.new[start + 1:stop + 1]] - norms[index]
                job.logprob += float(picked.sum())
        return logits, spans

    def _decode(self, n_tokens: int) -> None:
        import llama_cpp

        code = llama_cpp.llama_decode(self._ctx.ctx, self._batch)
        if code != 0:
            raise ModelError(f"llama.cpp could not evaluate {n_tokens} tokens for scoring "
                             f"(code {code})")
        self.evaluated_tokens += n_tokens

    def _logits(self, rows: int) -> np.ndarray:
        import llama_cpp

        self._most_rows = max(self._most_rows, rows)
        pointer = llama_cpp.llama_get_logits(self._ctx.ctx)
        return np.ctypeslib.as_array(pointer, shape=(rows, self._vocab))


@dataclass
class _Job:
    index: int
    prefix: int  # tokens shared with the base
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
    saved: list[np.ndarray] = field(default_factory=list)  # logits of the tokens fed in

    @property
    def fed(self) -> list[int]:
        """The tokens fed in on its sequence (all but the last; see _decode_variants)."""
        return self.new[:-1]

    @property
    def rows(self) -> np.ndarray:
        """The log-softmax of the fed tokens' logits (a base's rows, see _decode_base)."""
        return _log_softmax(np.concatenate(self.saved))

    @classmethod
    def make(cls, index: int, tokens: list[int], base: list[int], window: int) -> _Job | None:
        if tokens == base:
            return None
        prefix = 0
        limit = min(len(tokens), len(base))
        while prefix < limit and tokens[prefix] == base[prefix]:
            prefix += 1
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
        return cls(index, max(1, prefix), new, base_end, split=max(2, len(new) - shared + 1))


def _shared(a: list[int], b: list[int]) -> int:
    """How many tokens ``a`` and ``b`` share at the start."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _pick(rows: np.ndarray, tokens: list[int], start: int, end: int) -> np.ndarray:
    """log P(tokens[i] | tokens[:i]) for i in [start, end)."""
    index = np.arange(start, end)
    return rows[index - 1, np.asarray(tokens[start:end])]


def _log_sum_exp(logits: np.ndarray) -> np.ndarray:
    """Each row's log of the sum of its exponentials (the log-softmax's normaliser)."""
    top = logits.max(axis=1)
    out: np.ndarray = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    return out


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    out: np.ndarray = logits - _log_sum_exp(logits)[:, None]
    return out
