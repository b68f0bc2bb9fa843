"""How likely a text is under a GGUF model: llama.cpp log-probabilities, in batches.

The scorer has a llama.cpp context of its own, so scoring never disturbs a generation's
KV cache. Beside a runner that loaded the same file it makes that context on the runner's
weights (one copy in memory); else it loads them itself. For a small Q4_1 model on the CPU
the file is a Q8_0 copy, which llama.cpp evaluates faster (engine/model/judge.py).

Variants of one base text are scored together: the base is evaluated on sequence 0; each
variant's KV cache starts as a copy of the base's cells up to the first token where they
differ (llama.cpp's unified cache shares those cells, nothing is recomputed), and every
variant's own tokens go into the same ``llama_decode`` call, one sequence each. Which
tokens each variant is judged on is planned in engine/model/scoring_plan.py.

An answer is a function of the texts asked about, never of what was scored before:
llama.cpp's CPU kernels round differently when the same tokens sit in other cells or are
evaluated in another batch (0.1-0.6 nats over a window, depending on the CPU), which is
as large as the margins the proofreading search decides by. So a base is evaluated in
chunks at fixed positions on a cache that holds nothing else, and the chunks the last
base shared are kept only because they were the same computation (``_decode_base``); the
variants' cells go after the base's in an order fixed by the call, and are removed when
it is done.

A caller that knows how much a variant must gain can give it a floor: its changed tokens
and the first token after them are evaluated first, and only a variant still within
reach of its floor is evaluated to the window's end (on the same cells). Text is shown to
the model as printed (``print_view``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.config import Settings
from engine.errors import ModelError
from engine.model.logits import log_softmax, log_sum_exp, pick
from engine.model.scoring_plan import (
    MAX_TOKENS,
    WINDOW_AFTER,
    Comparison,
    Floor,
    Job,
    Prune,
    Window,
    groups,
    per_variant,
    print_view,
    shared_prefix,
)
from engine.text.words import word_count

if TYPE_CHECKING:
    from engine.model.llm import LlamaRunner

CHUNK = 32  # tokens a base is evaluated in at a time, at fixed positions (_decode_base)

__all__ = ["MAX_TOKENS", "WINDOW_AFTER", "Comparison", "Floor", "LogProbScorer", "Prune",
           "Window", "print_view"]  # the planning's names, for the scorer's callers


class LogProbScorer:
    """Log-probabilities of texts under a GGUF model, on a llama.cpp context of its own.

    Not thread-safe: one owner thread (the model worker), like ``LlamaRunner``."""

    def __init__(self, model_path: str, *, threads: int = 0, gpu_layers: int = 0,
                 n_ctx: int = 1024, n_seq: int = 64, quantization: str | None = None,
                 beside: LlamaRunner | None = None) -> None:
        self.model_path = model_path
        self._beside = beside  # a runner whose loaded weights this context may share
        self._own_model = True
        self.quantization = quantization  # the file's type, when the caller has read it
        self.threads = threads
        self.gpu_layers = gpu_layers
        self.n_ctx = n_ctx
        self.n_seq = n_seq
        self._model: Any = None
        self._ctx: Any = None
        self._batch: Any = None
        self._lock = threading.Lock()
        self._held: list[int] = []  # the tokens sequence 0 holds, in chunks (_decode_base)
        self._held_rows = np.zeros((0, 0), np.float32)  # their log-softmax rows
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
                       quantization=backend.info.quantization, beside=backend)
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

        from engine.model.native import default_threads, quiet_llama_logs

        quiet_llama_logs()
        self.weights_path = self._weights()
        model: Any = None
        if self._beside is not None:  # the runner's weights, when it loaded this file
            model = self._beside.shared_weights(self.weights_path, self.close)
        self._own_model = model is None
        if model is None:
            mparams = llama_cpp.llama_model_default_params()
            mparams.n_gpu_layers = self.gpu_layers
            try:
                model = _internals.LlamaModel(path_model=self.weights_path, params=mparams,
                                              verbose=False)
            except (ValueError, OSError) as exc:
                raise ModelError(f"{self.model_path}: llama.cpp could not load the model "
                                 f"for scoring ({exc})") from exc
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
            if self._own_model:
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
            self._held = []
            if self._batch is not None:
                llama_cpp.llama_batch_free(self._batch)
                self._batch = None
            if self._ctx is not None:
                self._ctx.close()
                self._ctx = None
            if self._model is not None:
                if self._own_model:  # shared weights are the runner's to free
                    self._model.close()
                self._model = None

    @property
    def loaded(self) -> bool:
        return self._ctx is not None

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
            return float(pick(self._decode_base(tokens, len(tokens)), tokens).sum())

    def compare(self, base: str, variants: Sequence[str], window: Window = WINDOW_AFTER,
                prune: Prune = None, floor: Floor = None, per_word: float | None = None
                ) -> list[Comparison | None]:
        """Each variant against ``base``; None for one that is too long to score. With
        ``prune``, a variant whose first changed token is already ``prune`` nats less likely
        than the base's token there (read from the base's own pass, free) is not evaluated
        either (None): the few tokens after it rarely make up for that much. ``prune`` is
        one figure for every variant, or one per variant (None: always evaluated).

        With ``floor`` (one per variant, None for none), a variant is evaluated in two
        steps: its changed tokens and the first token after them, then the rest of its
        window. One whose gain after the first step is below its floor is not taken
        further (None): the rest of the window is only evaluated for variants that can
        still win. ``window`` is one figure for every variant, or one per variant.

        ``per_word`` is the cost per word that added or removed words are charged (see
        ``Comparison.gain``); by default the base's own, which needs the whole base
        evaluated. Given (the search's later rounds pass the sentence's first figure),
        the base is only evaluated as far as the variants' windows reach."""
        with self._lock:
            return self._compare(base, variants, window, prune, floor, per_word)

    def _compare(self, base: str, variants: Sequence[str], window: Window,
                 prune: Prune, floor: Floor = None, per_word: float | None = None
                 ) -> list[Comparison | None]:
        out: list[Comparison | None] = [None] * len(variants)
        windows = per_variant(window, len(variants))
        limits: list[float | None] = per_variant(prune, len(variants))
        floors: list[float | None] = per_variant(floor, len(variants)) if floor is not None \
            else [None] * len(variants)
        base_tokens = self.tokens(base)
        if len(base_tokens) > MAX_TOKENS or not variants:
            return out
        base_words = max(1, word_count(base))
        made: list[tuple[int, Job | None]] = []
        for index, text in enumerate(variants):
            tokens = self.tokens(text)
            if len(tokens) <= MAX_TOKENS:
                made.append((index, Job.make(index, tokens, base_tokens, windows[index])))
        end = len(base_tokens) if per_word is None else min(len(base_tokens), max(
            (max(job.base_end, job.prefix) for _index, job in made if job is not None),
            default=1))
        rows = self._decode_base(base_tokens, max(1, end))
        base_lp = pick(rows, base_tokens[:max(1, end)])
        if per_word is None:
            per_word = float(base_lp.sum()) / base_words
        jobs: list[Job] = []
        for index, job in made:
            added = word_count(variants[index]) - base_words
            if job is None:  # the same tokens as the base
                out[index] = Comparison(0.0, added, per_word)
                continue
            limit = limits[index]
            if isinstance(limit, (int, float)) and job.new and \
                    job.prefix < len(base_tokens) and \
                    rows[job.prefix - 1, job.new[0]] - base_lp[job.prefix - 1] < -limit:
                continue
            job.base_lp = float(base_lp[job.prefix - 1:job.base_end - 1].sum())
            job.added, job.charge = added, per_word * added
            least = floors[index]
            if isinstance(least, (int, float)) and 1 < job.split < len(job.new):
                job.floor = float(least)
                job.base_split_lp = float(
                    base_lp[job.prefix - 1:job.prefix - 1 + job.changed].sum())
            jobs.append(job)
        try:
            planned = groups([job for job in jobs if job.new], len(base_tokens), self.n_seq,
                             self.n_ctx)  # an empty job: log P of nothing is 0
        except ValueError as exc:
            raise ModelError(str(exc)) from exc
        for group in planned:
            self._decode_variants(group, rows)
        for job in jobs:
            if not job.dropped:
                out[job.index] = Comparison(job.logprob - job.base_lp, job.added, per_word)
        return out

    def _decode_base(self, tokens: list[int], end: int) -> np.ndarray:
        """Evaluate ``tokens[:end]`` on sequence 0 and return the log-softmax of every
        position's logits (row i predicts token i + 1).

        The tokens are evaluated in chunks at fixed positions (``CHUNK``), each chunk one
        ``llama_decode`` call over a cache that holds exactly the chunks before it, in the
        same cells. A whole chunk the last base shared with this one was the very same
        computation, so it is kept (cells and rows) and only the chunks from the first one
        that differs are evaluated: the answer is what an empty cache gives, to the bit,
        whatever was scored before."""
        import llama_cpp

        tokens = tokens[:end]
        memory = self._ctx.memory
        if tokens == self._held:
            return self._held_rows
        reuse = shared_prefix(tokens, self._held) // CHUNK * CHUNK
        held_rows, self._held = self._held_rows[:reuse], []  # until the chunks are in
        if reuse:
            llama_cpp.llama_memory_seq_rm(memory, 0, reuse, -1)
        else:
            llama_cpp.llama_memory_clear(memory, True)
        parts = [held_rows] if reuse else []
        batch = self._batch
        for start in range(reuse, len(tokens), CHUNK):
            chunk = tokens[start:start + CHUNK]
            batch.n_tokens = len(chunk)
            for i, token in enumerate(chunk):
                batch.token[i] = token
                batch.pos[i] = start + i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = True
            self._decode(len(chunk))
            parts.append(log_softmax(self._logits(len(chunk))))
        self._held, self._held_rows = list(tokens), np.concatenate(parts)
        return self._held_rows

    def _decode_variants(self, group: list[Job], base_rows: np.ndarray) -> None:
        """Each job's tokens on a sequence of its own, after a copy of the base's cells up to
        its first difference. A job's last token is never fed in: nothing is read after it
        (its own log-probability comes from the token before), so a one-token job costs
        nothing beyond the base's pass. A job with a floor goes in two steps (its cells
        stay between them); one that falls below its floor after the first is dropped.
        Every sequence's cells stay until the group is done (freed cells reused in the
        middle of a group were seen to change other sequences' scores), then go."""
        import llama_cpp

        memory = self._ctx.memory
        for seq, job in enumerate(group, start=1):
            job.logprob = float(base_rows[job.prefix - 1, job.new[0]])  # predicted by the base
            llama_cpp.llama_memory_seq_cp(memory, 0, seq, 0, job.prefix)
        first = [(seq, job, 0, job.first_step) for seq, job in enumerate(group, start=1)]
        self._feed(first)
        rest = []
        for seq, job, _start, _stop in first:
            if job.floor is not None:
                if job.logprob - job.base_split_lp - job.charge < job.floor:
                    job.dropped = True
                    continue
                rest.append((seq, job, job.split - 1, len(job.new) - 1))
        self._feed(rest)
        for seq in range(1, len(group) + 1):
            llama_cpp.llama_memory_seq_rm(memory, seq, -1, -1)

    def _feed(self, parts: list[tuple[int, Job, int, int]]) -> None:
        """For each (sequence, job, start, stop): feed ``job.new[start:stop]`` on that
        sequence and add the log-probabilities of ``job.new[start + 1:stop + 1]``."""
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
            return
        batch.n_tokens = n
        self._decode(n)
        logits = self._logits(n)
        norms = log_sum_exp(logits)  # only the picked tokens' log-probabilities are needed
        for (_seq, job, start, stop), span in zip(parts, spans, strict=True):
            if stop > start:
                index = np.arange(span.start, span.stop)
                picked = logits[index, job.new[start + 1:stop + 1]] - norms[index]
                job.logprob += float(picked.sum())

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
