"""Decode speed and time to first token: engine.model.llm against a bare llama_cpp.Llama.

Both load the same model with the same context, threads, prompt, seed and sampling, and
run alternately in one process, so the machine's mood affects both alike.

    .venv/bin/python bench/llm.py [--rounds 6] [--max-tokens 128] [--model PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.config import load_settings
from engine.model.gguf import resolve_model
from engine.model.llm import GenerationParams, GenerationStats, LlamaRunner

MESSAGES = [
    {"role": "system", "content": "You are a helpful writing assistant."},
    {"role": "user", "content": "Write a long paragraph about the history of Hangzhou, "
                                "West Lake and its tea gardens."},
]
SAMPLING = {"temperature": 0.8, "top_p": 0.95, "top_k": 40, "repeat_penalty": 1.1}


def timed(texts: Iterator[str]) -> tuple[float, float, int]:
    """Time to the first text chunk, decode rate after it, and the number of chunks.

    ``texts`` is lazy, so the request starts inside the timing."""
    start = time.perf_counter()
    first = None
    chunks = 0
    for _ in texts:
        chunks += 1
        if first is None:
            first = time.perf_counter()
    end = time.perf_counter()
    assert first is not None
    return first - start, (chunks - 1) / (end - first), chunks


def run_engine(runner: LlamaRunner, max_tokens: int, seed: int) -> tuple[float, float, int]:
    params = GenerationParams(max_tokens=max_tokens, seed=seed, **SAMPLING)
    return timed(item for item in runner.stream(MESSAGES, params)
                 if not isinstance(item, GenerationStats))


def run_bare(llm, max_tokens: int, seed: int) -> tuple[float, float, int]:
    stream = llm.create_chat_completion(MESSAGES, max_tokens=max_tokens, seed=seed,
                                        stream=True, **SAMPLING)
    return timed(c["choices"][0]["delta"]["content"] for c in stream
                 if c["choices"][0]["delta"].get("content"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()

    import llama_cpp

    settings, _ = load_settings()
    info = resolve_model(settings, args.model)
    runner = LlamaRunner(info, context_size=4096, gpu_layers=settings.gpu_layers)
    runner.load()
    bare = llama_cpp.Llama(info.path, n_ctx=runner.n_ctx, n_threads=runner.threads,
                           n_threads_batch=runner.threads, n_gpu_layers=runner.gpu_layers,
                           verbose=False)
    print(f"model {Path(info.path).name}, threads {runner.threads}, "
          f"device {runner.device_label}, max_tokens {args.max_tokens}")
    results: dict[str, list[tuple[float, float, int]]] = {"engine": [], "bare": []}
    run_engine(runner, 16, 0)  # warm both up
    run_bare(bare, 16, 0)
    for rnd in range(args.rounds):
        order = ("engine", "bare") if rnd % 2 == 0 else ("bare", "engine")
        for name in order:
            fn = run_engine if name == "engine" else run_bare
            target = runner if name == "engine" else bare
            results[name].append(fn(target, args.max_tokens, 1000 + rnd))
    for name, rows in results.items():
        ttft = statistics.median(r[0] for r in rows)
        rate = statistics.median(r[1] for r in rows)
        print(f"{name:>6}: decode {rate:7.1f} tok/s   ttft {ttft * 1000:7.1f} ms   "
              f"chunks/run {statistics.mean(r[2] for r in rows):.0f}")
    ratio = statistics.median(r[1] for r in results["engine"]) / statistics.median(
        r[1] for r in results["bare"])
    ttft_ratio = statistics.median(r[0] for r in results["engine"]) / statistics.median(
        r[0] for r in results["bare"])
    print(f"decode ratio engine/bare: {ratio:.3f}x (target >= 0.97)")
    print(f"ttft ratio engine/bare: {ttft_ratio:.3f}x (lower is better)")
    runner.close()
    bare.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
