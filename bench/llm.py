"""Decode speed and time to first token: engine.model.llm against a bare llama_cpp.Llama,
or (``--server``) engine.model.server against a bare HTTP client on the same server.

Both load the same model with the same context, threads, prompt, seed and sampling, and
run alternately in one process, so the machine's mood affects both alike. With a server,
it also measures how fast the server stops after a cancel: the time to the first token of
the next request, against that time for a request to an idle server. ``--busy N`` runs the
same rounds again beside N processes that each spin a core (``bench/busy.py``): the
engine's decode rate against bare llama-cpp-python's under the same load, and each
against its quiet rate.

    .venv/bin/python bench/llm.py [--rounds 6] [--max-tokens 128] [--model PATH] [--busy N]
    .venv/bin/python bench/llm.py --server URL   # or --server auto: llama_cpp.server here
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent))  # after the packages (bench/ontology.py)

from busy import busy, ratio

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


def run_bare_http(client, url: str, body: dict) -> tuple[float, float, int]:
    from httpx_sse import connect_sse

    def texts() -> Iterator[str]:
        with connect_sse(client, "POST", url + "/chat/completions", json=body) as source:
            for event in source.iter_sse():
                if event.data.strip() == "[DONE]":
                    return
                for choice in json.loads(event.data).get("choices") or []:
                    if (choice.get("delta") or {}).get("content"):
                        yield choice["delta"]["content"]
    return timed(texts())


def server_bench(args: argparse.Namespace) -> int:
    import threading

    import httpx

    from engine.model.keys import load_key
    from engine.model.server import ServerRunner, api_base

    started = None
    url = args.server
    if url == "auto":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from servers import LlamaServer

        settings, _ = load_settings()
        started = LlamaServer(Path(resolve_model(settings, args.model).path)).wait_ready()
        url = started.url
    key = load_key(api_base(url))
    remote = ServerRunner(url, api_key=key)
    remote.load()
    client = httpx.Client(headers={"Authorization": f"Bearer {key}"} if key else {},
                          timeout=120, trust_env=False)
    print(f"server {remote.base}, model {remote.model}, max_tokens {args.max_tokens}")

    def body(seed: int, max_tokens: int) -> dict:
        return {"model": remote.model, "messages": MESSAGES, "stream": True, "seed": seed,
                "max_tokens": max_tokens, "temperature": SAMPLING["temperature"],
                "top_p": SAMPLING["top_p"], "repeat_penalty": SAMPLING["repeat_penalty"]}

    def engine(seed: int, max_tokens: int) -> tuple[float, float, int]:
        params = GenerationParams(max_tokens=max_tokens, seed=seed, **SAMPLING)
        return timed(item for item in remote.stream(MESSAGES, params)
                     if not isinstance(item, GenerationStats))

    engine(0, 16)
    run_bare_http(client, remote.base, body(0, 16))
    results: dict[str, list[tuple[float, float, int]]] = {"engine": [], "bare": []}
    for rnd in range(args.rounds):
        order = ("engine", "bare") if rnd % 2 == 0 else ("bare", "engine")
        for name in order:
            results[name].append(engine(1000 + rnd, args.max_tokens) if name == "engine"
                                 else run_bare_http(client, remote.base,
                                                    body(1000 + rnd, args.max_tokens)))
    report(results)
    # how fast the server stops after a cancel: the next request's first token
    idle, after = [], []
    for rnd in range(args.rounds):
        idle.append(engine(2000 + rnd, 4)[0])
        cancel = threading.Event()

        def stop_after_three(_text: str, cancel: threading.Event = cancel,
                             seen: list[int] = [0]) -> None:  # noqa: B006 (one per round)
            seen[0] += 1
            if seen[0] == 3:
                cancel.set()

        remote.generate(MESSAGES, GenerationParams(max_tokens=512, seed=rnd, **SAMPLING),
                        cancel, stop_after_three)
        after.append(engine(3000 + rnd, 4)[0])
    print(f"cancel: next request's first token after {statistics.median(after) * 1000:.1f} ms"
          f" vs {statistics.median(idle) * 1000:.1f} ms on an idle server "
          f"({statistics.median(after) / statistics.median(idle):.2f}x)")
    remote.close()
    client.close()
    if started is not None:
        started.stop()
    return 0


def report(results: dict[str, list[tuple[float, float, int]]]) -> None:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--model", default=None)
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="also run beside N processes that each spin a core")
    parser.add_argument("--server", metavar="URL", default=None,
                        help="measure the server backend on this server (auto: start one)")
    args = parser.parse_args()
    if args.server:
        return server_bench(args)

    import llama_cpp

    settings, _ = load_settings()
    info = resolve_model(settings, args.model)
    runner = LlamaRunner(info, context_size=4096, gpu_layers=settings.gpu_layers)
    runner.load()
    # the same file the runner loaded (for a small Q4_1 model on the CPU, its Q8_0 copy,
    # engine/model/judge.py), so the ratio is the engine's own cost
    bare = llama_cpp.Llama(runner.weights_path, n_ctx=runner.n_ctx, n_threads=runner.threads,
                           n_threads_batch=runner.threads, n_gpu_layers=runner.gpu_layers,
                           verbose=False)
    print(f"model {Path(runner.weights_path).name}, threads {runner.threads}, "
          f"device {runner.device_label}, max_tokens {args.max_tokens}")
    run_engine(runner, 16, 0)  # warm both up
    run_bare(bare, 16, 0)

    def rounds() -> dict[str, list[tuple[float, float, int]]]:
        results: dict[str, list[tuple[float, float, int]]] = {"engine": [], "bare": []}
        for rnd in range(args.rounds):
            order = ("engine", "bare") if rnd % 2 == 0 else ("bare", "engine")
            for name in order:
                fn = run_engine if name == "engine" else run_bare
                target = runner if name == "engine" else bare
                results[name].append(fn(target, args.max_tokens, 1000 + rnd))
        return results

    quiet = rounds()
    report(quiet)
    if args.busy:
        with busy(args.busy):
            loaded = rounds()
        print(f"beside {args.busy} busy core(s):")
        report(loaded)
        for name in ("engine", "bare"):
            rate = statistics.median(r[1] for r in loaded[name])
            alone = statistics.median(r[1] for r in quiet[name])
            print(f"{name:>6}: busy decode {ratio(rate, alone)}x its quiet rate")
    runner.close()
    bare.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
