"""What every model backend hands back: generation parameters, the final statistics, a
rendered chat prompt, and ``collect``, the one loop over a stream of text and stats."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from engine.errors import ModelError


@dataclass
class GenerationParams:
    max_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    repeat_penalty: float = 1.1
    seed: int | None = None
    stop: list[str] = field(default_factory=list)


@dataclass
class GenerationStats:
    prompt_tokens: int
    completion_tokens: int
    ttft_s: float
    tokens_per_s: float
    total_s: float
    finish_reason: str  # "stop", "length" or "cancelled"
    gpu_layers: int


@dataclass
class ChatPrompt:
    text: str
    tokens: list[int]
    stop: list[str]
    stop_token_ids: set[int]


def collect(stream: Iterator[str | GenerationStats],
            on_text: Callable[[str], None] | None = None) -> tuple[str, GenerationStats]:
    """A backend's stream of text chunks and final stats as the whole answer; ``on_text``
    sees each chunk as it comes (the one token-stream loop, for every backend)."""
    parts: list[str] = []
    stats: GenerationStats | None = None
    for item in stream:
        if isinstance(item, GenerationStats):
            stats = item
        else:
            parts.append(item)
            if on_text is not None:
                on_text(item)
    if stats is None:
        raise ModelError("the model's answer ended without its statistics")
    return "".join(parts), stats
