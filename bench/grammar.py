"""Grammar checking speed on a 20,000-word document.

1. Re-check after a one-character edit: Harper and LanguageTool each, p50/p95.
2. First full check: Wordloom's incremental path against one whole-text ``check()`` of
   language-tool-python, as a ratio measured in the same run (fresh text for each, so the
   server's own cache helps neither).
3. The LanguageTool server's start time and memory.

    .venv/bin/python bench/grammar.py [--edits 40] [--words 20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psutil

from engine.config import load_settings
from engine.grammar.checker import GrammarChecker
from engine.grammar.engines import LanguageToolEngine

SUBJECTS = ["The old city", "My sister", "A tired traveller", "The ferry captain",
            "Our guide", "The baker", "Every visitor", "The museum", "A street musician",
            "The tea farmer", "Their neighbour", "The night market"]
VERBS = ["wakes early near", "walks slowly along", "recieved a letter about",
         "dont know much about", "often talks about", "paints a picture of",
         "goes to the the edge of", "sells fresh bread beside", "remembers the songs of",
         "has never seen", "writes a long story about", "waits patiently by"]
PLACES = ["the lake", "the harbour", "the stone bridge", "the hills", "the tea garden",
          "the river", "the station", "the old wall", "the temple", "the quiet square"]
TAILS = ["at sunset.", "in the morning.", "when it rains.", "after the festival.",
         "before the tourists arrive.", "on a cold winter day.", "with a smile.",
         "every single weekend.", ", which is its favourite place.", "for hours."]


def make_document(words: int, seed: int) -> list[str]:
    """Paragraphs of varied sentences (a few with errors), unique to ``seed``."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(PLACES)} "
                     f"{rng.choice(TAILS)}".replace(" ,", ",")
                     for _ in range(rng.randint(5, 9))]
        para = f"Part {len(paragraphs)} of story {seed}. " + " ".join(sentences)
        paragraphs.append(para)
        count += len(para.split())
    return paragraphs


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def edit_latencies(checker: GrammarChecker, paragraphs: list[str], edits: int) -> list[float]:
    text = "\n\n".join(paragraphs)
    checker.check(text)
    rng = random.Random(7)
    times = []
    for n in range(edits):
        index = rng.randrange(len(paragraphs))
        paragraphs[index] = paragraphs[index] + ("x" if n % 2 == 0 else "")
        text = "\n\n".join(paragraphs)
        start = time.perf_counter()
        result = checker.check(text, revision=n)
        times.append(time.perf_counter() - start)
        assert sum(result.sent.values()) <= 1, result.sent  # one paragraph, never the document
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--words", type=int, default=20000)
    args = parser.parse_args()
    settings, _ = load_settings()

    engine = LanguageToolEngine(settings)
    started = time.perf_counter()
    engine.start(wait=True)
    start_s = time.perf_counter() - started
    if not engine.ready:
        print(f"LanguageTool: {engine.state}")
        return 1
    engine.check(["Warm up the server with a first sentence."], settings.language, False)
    rss = psutil.Process(engine.server.pid).memory_info().rss / 1e6

    doc = make_document(args.words, 1)
    print(f"document: {sum(len(p.split()) for p in doc)} words in {len(doc)} paragraphs")
    harper = GrammarChecker(settings, engines=("harper",))
    h = edit_latencies(harper, list(doc), args.edits)
    print(f"harper re-check after a 1-char edit: p50 {pct(h, .5) * 1000:.1f} ms, "
          f"p95 {pct(h, .95) * 1000:.1f} ms (target p95 <= 20 ms)")
    lt_checker = GrammarChecker(settings, engines=("languagetool",), lt=engine)
    lt = edit_latencies(lt_checker, list(doc), args.edits)
    print(f"languagetool re-check after a 1-char edit: p50 {pct(lt, .5) * 1000:.1f} ms, "
          f"p95 {pct(lt, .95) * 1000:.1f} ms (target p95 <= 500 ms)")

    tool = engine._client()
    incremental, whole = [], []
    for seed in (11, 12, 13, 14):
        text = "\n\n".join(make_document(args.words, seed))
        if seed % 2:
            checker = GrammarChecker(settings, engines=("languagetool",), lt=engine)
            t = time.perf_counter()
            checker.check(text)
            incremental.append(time.perf_counter() - t)
        else:
            t = time.perf_counter()
            tool.check(text)
            whole.append(time.perf_counter() - t)
    inc, who = statistics.mean(incremental), statistics.mean(whole)
    print(f"first full check: incremental {inc:.2f} s, whole-text check() {who:.2f} s, "
          f"ratio whole/incremental {who / inc:.2f}x")
    print(f"languagetool server: ready in {start_s:.2f} s, memory {rss:.0f} MB after warm-up")
    engine.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
