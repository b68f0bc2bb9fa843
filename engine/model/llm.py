"""Run a GGUF model through llama-cpp-python: load, count tokens, stream, cancel.

One ``LlamaRunner`` owns one ``Llama`` object. It runs one request at a time (a second
concurrent request gets ``BusyError``) and is meant to live on one worker thread.
Cancel is a ``threading.Event``: checked after every sampled token during decoding,
and through llama.cpp's abort callback while the prompt is being processed.
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from engine.config import Settings
from engine.errors import BusyError, ContextOverflowError, ModelError
from engine.model.chat_template import ChatTemplate
from engine.model.generation import ChatPrompt, GenerationParams, GenerationStats, collect
from engine.model.gguf import ModelInfo, resolve_model
from engine.model.native import default_threads, gpu_offload_supported, quiet_llama_logs

Message = dict[str, str]
__all__ = ["ChatPrompt", "GenerationParams", "GenerationStats", "LlamaRunner", "Message",
           "collect", "default_threads", "gpu_offload_supported", "quiet_llama_logs",
           "resolve_gpu_layers"]
log = logging.getLogger("wordloom.llama")


def resolve_gpu_layers(requested: str | int, supported: bool | None = None) -> int:
    """``auto`` means every layer when this build can offload, else none."""
    if supported is None:
        supported = gpu_offload_supported()
    if requested == "auto":
        return -1 if supported else 0
    layers = int(requested)
    return layers if supported else 0


class LlamaRunner:
    def __init__(
        self,
        info: ModelInfo,
        *,
        context_size: int = 0,
        threads: int = 0,
        gpu_layers: str | int = "auto",
    ) -> None:
        self.info = info
        trained = info.context_length or 2048
        self.n_ctx = min(trained, context_size) if context_size > 0 else trained
        self.threads = threads if threads > 0 else default_threads()
        self.requested_gpu_layers = gpu_layers
        self.gpu_layers = 0
        self._llm: Any = None
        self._formatter: Any = None  # llama-cpp-python's ChatML, for files without a template
        self._template: ChatTemplate | None = None
        self._stop_ids: set[int] = set()
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._watch: threading.Event | None = None  # the running request's cancel
        self._abort_cb: Any = None
        self._abort_installed = False
        self._primed: list[int] | None = None  # the prompt head the KV cache was built from
        self.weights_path = info.path  # the file loaded: the model, or its judging copy
        self._sharers: list[Callable[[], None]] = []  # second contexts on these weights

    @classmethod
    def from_settings(cls, settings: Settings, model: str | None = None) -> LlamaRunner:
        info = resolve_model(settings, model)
        return cls(info, context_size=settings.context_size, threads=settings.threads,
                   gpu_layers=settings.gpu_layers)

    # -- loading -------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    @property
    def display_name(self) -> str:
        return self.info.name

    @property
    def backend_label(self) -> str:
        return "in-process"

    @property
    def tokens_estimated(self) -> bool:
        return False  # counted with the model's own tokenizer

    @property
    def device_label(self) -> str:
        if self.gpu_layers == 0:
            return "CPU"
        layers = self.info.n_layers if self.gpu_layers < 0 else self.gpu_layers
        return f"GPU ({layers} layers)"

    def load(self) -> None:
        if self._llm is not None:
            return
        import llama_cpp
        from llama_cpp import llama_chat_format

        from engine.model.judge import judge_weights

        self.gpu_layers = resolve_gpu_layers(self.requested_gpu_layers)
        quiet_llama_logs()
        # the judge's weights, so that one copy of them serves both contexts (judge.py)
        self.weights_path = judge_weights(self.info.path, self.info.quantization,
                                          self.gpu_layers)
        try:
            llm = llama_cpp.Llama(
                model_path=self.weights_path,
                n_ctx=self.n_ctx,
                n_batch=512,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                n_gpu_layers=self.gpu_layers,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"{self.info.path}: llama.cpp could not load the model "
                             f"({exc})") from exc
        template = llm.metadata.get("tokenizer.chat_template")
        if template:
            eos_id, bos_id = llm.token_eos(), llm.token_bos()
            eos = llm._model.token_get_text(eos_id) if eos_id != -1 else ""
            bos = llm._model.token_get_text(bos_id) if bos_id != -1 else ""
            try:
                self._template = ChatTemplate(template, eos, bos)  # rendered with limits
            except ModelError as exc:
                llm.close()
                raise ModelError(f"{self.info.path}: {exc}") from exc
            self._stop_ids = {eos_id} if eos_id != -1 else set()
        else:
            self._template = None
            self._formatter = llama_chat_format.format_chatml
        self._abort_cb = llama_cpp.ggml_abort_callback(self._should_abort)
        self._llm = llm

    def close(self) -> None:
        """Free the model. A running request is cancelled and waited for first."""
        self._cancel.set()
        if not self._lock.acquire(timeout=10):
            raise BusyError("the model is still in use and cannot be closed yet")
        try:
            sharers, self._sharers = self._sharers, []
            for release in sharers:  # contexts on these weights go before the weights
                release()
            if self._llm is not None:
                self._llm.close()
                self._llm = None
        finally:
            self._cancel.clear()
            self._lock.release()

    def shared_weights(self, path: str, on_close: Callable[[], None]) -> Any:
        """The loaded weights (llama-cpp-python's ``LlamaModel``) when they are the file
        at ``path``, for a second context on them (the judge); else None. ``on_close`` runs
        before they are freed."""
        if self._llm is None or os.path.realpath(path) != os.path.realpath(self.weights_path):
            return None
        if on_close not in self._sharers:  # a judge loaded again registers once
            self._sharers.append(on_close)
        return self._llm._model

    # -- tokens --------------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        self.load()
        if not text:
            return 0
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def format_chat(self, messages: Sequence[Message]) -> ChatPrompt:
        """The chat rendered with the model's own template, and its tokens."""
        self.load()
        if self._template is not None:
            text = self._template.render(messages)
            tokens = self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            stop = [self._template.eos_token] if self._template.eos_token else []
            return ChatPrompt(text, tokens, stop, set(self._stop_ids))
        result = self._formatter(messages=list(messages))
        stop = result.stop if isinstance(result.stop, list) else [result.stop]
        tokens = self._llm.tokenize(result.prompt.encode("utf-8"),
                                    add_bos=not result.added_special, special=True)
        return ChatPrompt(result.prompt, tokens, [s for s in stop if s], set())

    def count_chat_tokens(self, messages: Sequence[Message]) -> int:
        return len(self.format_chat(messages).tokens)

    def check_fit(self, prompt_tokens: int, max_tokens: int) -> None:
        needed = prompt_tokens + max_tokens
        if needed > self.n_ctx:
            raise ContextOverflowError(
                f"the prompt needs {prompt_tokens} tokens and the answer up to {max_tokens}, "
                f"{needed} in all, but the model's context holds {self.n_ctx}; "
                "select less text or lower the answer length",
                needed=needed, available=self.n_ctx)

    # -- generation ----------------------------------------------------------------------

    def stream(
        self,
        messages: Sequence[Message],
        params: GenerationParams | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[str | GenerationStats]:
        """Yield text chunks as they are decoded, then one ``GenerationStats``."""
        params = params or GenerationParams()
        if not self._lock.acquire(blocking=False):
            raise BusyError("the model is busy with another request; wait or cancel it")
        try:
            yield from self._stream_locked(messages, params, cancel or threading.Event())
        finally:
            self._uninstall_abort()
            self._cancel.clear()
            self._lock.release()

    def generate(
        self,
        messages: Sequence[Message],
        params: GenerationParams | None = None,
        cancel: threading.Event | None = None,
        on_text: Callable[[str], None] | None = None,
    ) -> tuple[str, GenerationStats]:
        """The whole answer and its stats; ``on_text`` sees each chunk as it comes."""
        return collect(self.stream(messages, params, cancel), on_text)

    def _stream_locked(
        self, messages: Sequence[Message], params: GenerationParams, cancel: threading.Event
    ) -> Iterator[str | GenerationStats]:
        import llama_cpp

        prompt = self.format_chat(messages)
        n_prompt = len(prompt.tokens)
        self.check_fit(n_prompt, params.max_tokens)
        self._watch = cancel
        counted, limit = [0], params.max_tokens

        def on_token(input_ids: Any, _logits: Any) -> bool:
            counted[0] = len(input_ids) - n_prompt + 1  # the token just sampled is not in it yet
            # the library checks max_tokens only after whole UTF-8 characters (Chinese ran
            # past it: max 4 gave 5 tokens); past it, stop: that token is never handed out
            return counted[0] > limit or cancel.is_set() or self._cancel.is_set()

        seed = params.seed if params.seed is not None else random.randrange(2**31)
        start = time.perf_counter()
        first: float | None = None
        finish = "length"
        try:
            self._prime(prompt.tokens)
            chunks = self._llm.create_completion(
                prompt=prompt.tokens,
                max_tokens=params.max_tokens,
                temperature=params.temperature,
                top_p=params.top_p,
                top_k=params.top_k,
                repeat_penalty=params.repeat_penalty,
                seed=seed,
                stop=[*prompt.stop, *params.stop] or None,
                stream=True,
                stopping_criteria=llama_cpp.StoppingCriteriaList([on_token]),
            )
            try:
                for chunk in chunks:
                    choice = chunk["choices"][0]
                    text = choice.get("text") or ""
                    if text:
                        if first is None:
                            first = time.perf_counter()
                        yield text
                    if choice.get("finish_reason"):
                        finish = choice["finish_reason"]
                    if cancel.is_set():
                        break
            finally:
                chunks.close()
        except RuntimeError as exc:
            self._primed = None  # an aborted evaluation leaves the cache half-built
            if not (cancel.is_set() or self._cancel.is_set()):
                raise ModelError(f"llama.cpp failed while generating ({exc})") from exc
        end = time.perf_counter()
        n_out = min(counted[0], limit)  # tokens handed out
        if counted[0] > limit:
            finish = "length"  # stopped at the limit by on_token, which the library calls "stop"
        if cancel.is_set() or self._cancel.is_set():
            finish = "cancelled"
        first = first if first is not None else end
        decode_time = end - first
        rate = (n_out - 1) / decode_time if n_out > 1 and decode_time > 0 else 0.0
        yield GenerationStats(
            prompt_tokens=n_prompt,
            completion_tokens=n_out,
            ttft_s=first - start,
            tokens_per_s=rate,
            total_s=end - start,
            finish_reason=finish,
            gpu_layers=self.gpu_layers,
        )

    def _prime(self, tokens: list[int]) -> None:
        """Make the KV cache hold exactly ``tokens[:-1]``, evaluated from scratch.

        Left to itself, llama-cpp-python evaluates a prompt's tail in batches whose split
        depends on the request before, and on some CPUs a different split gives other
        logits: the same request and seed gave other text after another request. So every
        prompt but its last token is evaluated from an empty cache, in the same batches
        each time (or kept, when the previous request had the same prompt); the library
        evaluates the last token alone, as always. Output depends on the request only."""
        head = tokens[:-1]
        if self._primed == head and self._llm.n_tokens >= len(head) and \
                self._llm.input_ids[:len(head)].tolist() == head:
            return
        self._primed = None
        self._llm.reset()
        if head:
            # Cancel reaches llama.cpp through its abort callback while a long prompt is
            # evaluated. llama.cpp calls it before every node of the graph (about 750 per
            # token here), a trip into Python each, so it is there only for the prompt:
            # on the last token and the answer it cost 2 ms of the first token (bench/llm.py
            # TTFT 1.12x bare); there the per-token stopping check watches cancel instead.
            self._install_abort()
            try:
                self._llm.eval(head)
            finally:
                self._uninstall_abort()
        self._primed = head

    # -- abort callback (prompt processing) ------------------------------------------------

    def _should_abort(self, _data: Any) -> bool:
        watch = self._watch
        return bool((watch is not None and watch.is_set()) or self._cancel.is_set())

    def _install_abort(self) -> None:
        import llama_cpp

        llama_cpp.llama_set_abort_callback(self._llm._ctx.ctx, self._abort_cb, None)
        self._abort_installed = True

    def _uninstall_abort(self) -> None:
        import llama_cpp

        if self._abort_installed and self._llm is not None:
            null = llama_cpp.ggml_abort_callback()  # a NULL function pointer
            llama_cpp.llama_set_abort_callback(self._llm._ctx.ctx, null, None)
        self._abort_installed = False
