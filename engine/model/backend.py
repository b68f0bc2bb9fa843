"""The one interface the assistant, the optimizer and the command line use for a model.

Two backends fit it: ``LlamaRunner`` (llama.cpp in this process, the default) and
``ServerRunner`` (an OpenAI-compatible server: llama-server, Ollama, vLLM, LM Studio,
llama-cpp-python's own). Nothing above this module knows which one runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from engine.config import Settings
from engine.model.llm import GenerationParams, GenerationStats, LlamaRunner, Message


class ModelBackend(Protocol):
    n_ctx: int  # the context the prompt and answer must fit in

    @property
    def display_name(self) -> str: ...  # the model, as the writer knows it
    @property
    def device_label(self) -> str: ...  # "CPU", "GPU (30 layers)", "server 10.0.0.5:8080"
    @property
    def backend_label(self) -> str: ...  # "in-process", or "server: URL model"
    @property
    def tokens_estimated(self) -> bool: ...  # True when counts are estimates, not a tokenizer

    def load(self) -> None: ...
    def close(self) -> None: ...
    def count_tokens(self, text: str) -> int: ...
    def count_chat_tokens(self, messages: Sequence[Message]) -> int: ...
    def generate(self, messages: Sequence[Message], params: GenerationParams | None = None,
                 cancel: threading.Event | None = None,
                 on_text: Callable[[str], None] | None = None,
                 ) -> tuple[str, GenerationStats]: ...


def open_backend(settings: Settings, model: str | None = None) -> ModelBackend:
    """The backend the settings name (not loaded yet). ``model``: a GGUF file or name for
    the in-process backend, a model name on the server for the server backend."""
    if settings.backend == "server":
        from engine.model.server import ServerRunner

        return ServerRunner.from_settings(settings, model)
    return LlamaRunner.from_settings(settings, model)
