"""Fuzz every parser Wordloom feeds with files and answers from strangers.

Each target (bench/fuzz_targets.py) runs in a process of its own for its share of the
time: coverage-guided with atheris where it is installed (``make setup`` installs its
wheel where one exists), otherwise with a mutator that flips, inserts, deletes, splices
and plants boundary integers into real seed inputs. A failure is an exception other
than a one-line ``WordloomError``, a process that dies, or one that hangs.

    .venv/bin/python bench/fuzz.py [--seconds 60] [--targets gguf,document] [--json] [--seed N]
                                   [--engine auto|atheris|mutate]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.append(str(HERE))  # after the repository: bench/ontology.py is not the package

INTERESTING = [0, 1, 2, 7, 8, 9, 31, 32, 255, 256, 4096, 65535, 1 << 31, (1 << 32) - 1,
               1 << 32, 1 << 40, (1 << 63) - 1, 1 << 63, (1 << 64) - 1]
CORE_MODULES = ("engine.model.gguf", "engine.model.chat_template", "engine.text.sandbox",
                "engine.writing.templates", "engine.documents.files", "engine.config",
                "engine.documents.journal", "engine.grammar.engines", "engine.model.server",
                "ontology.store", "engine.documents.formats", "engine.documents.word",
                "engine.documents.opendocument", "engine.documents.blocks",
                "engine.model.scoring_plan", "engine.writing.proofread")


ODD_VALUES: list[object] = [None, True, -1, 0, 1 << 63, -(1 << 70), 1e308, float("nan"), "",
                            "x" * 300, "\n", [], {}, [[[]]], {"": None}, "\ud800"]


def mutate_json(value: object, rng: random.Random) -> object:
    """``value`` with one member or item swapped for a value of another kind."""
    if isinstance(value, dict) and value and rng.random() < 0.8:
        key = rng.choice(list(value))
        return {**value, key: mutate_json(value[key], rng)}
    if isinstance(value, list) and value and rng.random() < 0.8:
        i = rng.randrange(len(value))
        return [*value[:i], mutate_json(value[i], rng), *value[i + 1:]]
    return rng.choice(ODD_VALUES)


def mutate(data: bytes, seeds: list[bytes], rng: random.Random) -> bytes:
    """One to four random edits of ``data``; JSON is also edited as structure."""
    if data[:1] in (b"{", b"[") and rng.random() < 0.5:
        try:
            value = json.loads(data)
        except ValueError:
            pass
        else:
            return json.dumps(mutate_json(value, rng)).encode()
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        pos = rng.randrange(len(out) + 1)
        if choice == 0 and out:  # flip a bit
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        elif choice == 1:  # insert random bytes
            out[pos:pos] = rng.randbytes(rng.randint(1, 16))
        elif choice == 2 and out:  # delete a run
            del out[pos:pos + rng.randint(1, 64)]
        elif choice == 3:  # plant a boundary integer, 4 or 8 bytes wide
            value = rng.choice(INTERESTING)
            wide = rng.random() < 0.5 or value >= 1 << 32
            out[pos:pos + (8 if wide else 4)] = struct.pack(
                "<Q" if wide else "<I", value % (1 << (64 if wide else 32)))
        elif choice == 4 and seeds:  # splice another seed in
            other = rng.choice(seeds)
            start = rng.randrange(len(other) + 1)
            out[pos:pos] = other[start:start + rng.randint(1, 256)]
        elif choice == 5 and out:  # duplicate a chunk
            chunk = out[pos:pos + rng.randint(1, 128)]
            out[pos:pos] = chunk * rng.randint(1, 8)
        elif choice == 6:  # a byte that often matters: NUL, quote, brace, newline, 0xFF
            out[pos:pos] = bytes([rng.choice(b"\0\"'{}<>\n\r\\\xff%")])
    return bytes(out[:1 << 20])


def run_child(name: str, seconds: float, engine: str, stats_path: Path, seed: int = 0) -> int:
    """The fuzz loop for one target, in this process; stats go to ``stats_path``."""
    stats = {"inputs": 0, "failures": 0, "slowest_ms": 0.0, "max_rss_mb": 0.0,
             "engine": engine, "examples": []}

    def write() -> None:
        stats["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                    1)
        stats_path.write_text(json.dumps(stats))

    if engine == "atheris":
        import atheris

        with atheris.instrument_imports():
            import importlib

            for module in CORE_MODULES:
                importlib.import_module(module)
    from fuzz_targets import TARGETS, ContractBroken, check

    target = TARGETS[name]
    seeds = target.seeds()
    last_write = [time.monotonic()]

    def one(data: bytes) -> None:
        started = time.perf_counter()
        try:
            check(target, data)
        except ContractBroken as exc:
            stats["failures"] += 1
            if len(stats["examples"]) < 5:
                stats["examples"].append({"error": str(exc), "input": data[:2000].hex()})
            write()
            if engine == "atheris":
                raise
        stats["inputs"] += 1
        stats["slowest_ms"] = max(stats["slowest_ms"], (time.perf_counter() - started) * 1000)
        if time.monotonic() - last_write[0] > 1:
            last_write[0] = time.monotonic()
            write()

    if engine == "atheris":
        corpus = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
        for i, seed in enumerate(seeds):
            (corpus / f"seed{i}").write_bytes(seed)
        write()
        atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds)}", "-timeout=20",
                       "-rss_limit_mb=4096", f"-max_len={min(65536, target.max_len)}",
                       f"-artifact_prefix={corpus}/", str(corpus)], one)
        atheris.Fuzz()
        return 0
    rng = random.Random(f"{name}:{seed}" if seed else name)  # another seed, other inputs
    deadline = time.monotonic() + seconds
    for seed in seeds:
        one(seed)
    while time.monotonic() < deadline:
        one(mutate(rng.choice(seeds), seeds, rng)[:target.max_len])
    write()
    return 0


def run_target(name: str, seconds: float, engine: str, seed: int = 0) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        stats_path = Path(tmp) / "stats.json"
        command = [sys.executable, __file__, "--child", name, "--seconds", str(seconds),
                   "--seed", str(seed),
                   "--engine", engine, "--stats", str(stats_path)]
        env = {**os.environ, "WORDLOOM_HOME": str(Path(tmp) / "home")}
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env,
                                  timeout=seconds + 120)
            code, tail = done.returncode, done.stderr[-1500:]
        except subprocess.TimeoutExpired:
            code, tail = -1, "hung: the process did not finish in time"
        stats = json.loads(stats_path.read_text()) if stats_path.exists() else {
            "inputs": 0, "failures": 0, "slowest_ms": 0.0, "max_rss_mb": 0.0,
            "engine": engine, "examples": []}
    if code != 0 and not stats["failures"]:
        stats["failures"] = 1
        stats["examples"].append({"error": f"the process ended with {code}: {tail}"})
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="in all, split by target")
    parser.add_argument("--targets", default="", help="comma-separated (default: all)")
    parser.add_argument("--engine", choices=("auto", "atheris", "mutate"), default="auto")
    parser.add_argument("--seed", type=int, default=0, help="the mutator's (0: the target's)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--stats", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_child(args.child, args.seconds, args.engine, Path(args.stats), args.seed)
    from fuzz_targets import TARGETS

    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "mutate"
    names = [n for n in args.targets.split(",") if n] or list(TARGETS)
    share = max(2.0, args.seconds / len(names))
    results = {}
    for name in names:
        results[name] = run_target(name, share, engine, args.seed)
        if not args.json:
            r = results[name]
            print(f"{name:<16} {r['inputs']:>8} inputs  {r['failures']} failures  "
                  f"slowest {r['slowest_ms']:7.1f} ms  max RSS {r['max_rss_mb']:6.1f} MB",
                  flush=True)
            for example in r["examples"][:2]:
                print(f"    {example['error'][:300]}")
    total = sum(int(r["inputs"]) for r in results.values())
    failures = sum(int(r["failures"]) for r in results.values())
    if args.json:
        print(json.dumps({"engine": engine, "seconds": args.seconds, "targets": results,
                          "total_inputs": total, "total_failures": failures}, indent=2))
    else:
        print(f"{engine}: {total} inputs, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
