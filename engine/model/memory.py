"""How much memory a model needs: the one formula, used by the models found and the catalogue.

A planning figure, not a measurement: the weights (mapped from the file), an f16 KV cache
for the context the app asks for, and llama.cpp's compute buffers and the app's share.
"""

from __future__ import annotations

GIB = 1 << 30
MIB = 1 << 20
RUNTIME_BYTES = 256 * MIB  # compute buffers, tokenizer, the Python objects around them
COMPUTE_SHARE = 0.10  # compute buffers grow with the model: a tenth of the weights
RESERVED_BYTES = 2 * GIB  # what the system, the editor and LanguageTool keep for themselves


def kv_bytes_per_token(n_layers: int, kv_heads: int, head_dim: int) -> int:
    """K and V, f16 (2 bytes), for every layer."""
    return 2 * n_layers * kv_heads * head_dim * 2


def estimate_ram_bytes(weights_bytes: int, n_ctx: int, kv_per_token: int) -> int:
    """Memory to run a model of ``weights_bytes`` with ``n_ctx`` tokens of context."""
    return int(weights_bytes * (1 + COMPUTE_SHARE)) + n_ctx * kv_per_token + RUNTIME_BYTES


def fit(needed: int, ram: int, vram: int = 0) -> str:
    """``gpu`` (fits in the graphics memory), ``fits`` (in RAM with room to spare),
    ``tight`` (only with little else running) or ``too big``."""
    if vram and needed <= vram:
        return "gpu"
    if needed <= ram - RESERVED_BYTES:
        return "fits"
    if needed <= ram:
        return "tight"
    return "too big"
