"""How fast the checked fixes are: a 25-word sentence, scoring included.

    .venv/bin/python bench/proofread.py [--repeat 20] [--model PATH] [--busy N] [--json]

Times ``proofread_text`` (both checkers, candidate edits, the model's scoring) on
25-word sentences of its own, each one fresh to the checkers' cache, against the
checkers' plain fixes on the same sentences in the same run (the baseline). Prints p50
and p90 per sentence, sentences per second, the scorer's variants and tokens per
sentence, its context's memory, and the ratio to the baseline. And the LanguageTool
server's CPU time in the 0.3 s after it has answered a check (p50): work that competes
with the model's threads for the machine's cores. ``--busy N`` times the same sentences
again beside N processes that each spin a core (``bench/busy.py``) and adds ``busy_*``
figures with their ratios to the quiet run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent))  # after the packages (bench/ontology.py)

from busy import busy, ratio

from engine.config import load_settings
from engine.grammar.autofix import apply_fixes
from engine.grammar.checker import GrammarChecker
from engine.model.judge_choice import judge_for
from engine.model.scorer import LogProbScorer
from engine.writing.proofread import proofread_text

# 25 words each, with a learner's mistakes; a number makes every repeat new to the cache
SENTENCES = [
    "My older brother have visited {n} countries in Europe last year and he say that the "
    "food in Italy was more better than anywhere else.",
    "When I was a young child I use to play football with my freinds every evening after "
    "school until the sun go down {n} times.",
    "The students which attended the lecture on climate change yesterday was surprised by "
    "how much new informations the professor gave them in only {n} minutes.",
    "Although the weather were terrible yesterday, we all decided to walk to the old museum "
    "because the buses was not running on {n} Sunday mornings.",
]


def checker_cpu_after(checker: GrammarChecker, texts: list[str]) -> float | None:
    """The p50 CPU milliseconds the LanguageTool server spends in the 0.3 s after each
    check of ``texts`` has been answered (None without a local server)."""
    server = checker.lt.server if checker.lt is not None else None
    if server is None or server.pid is None:
        return None
    process = psutil.Process(server.pid)
    spent = []
    for text in texts:
        checker.check(text)
        before = sum(process.cpu_times()[:2])
        time.sleep(0.3)
        spent.append(sum(process.cpu_times()[:2]) - before)
    return round(statistics.median(spent) * 1000)


def context_bytes(scorer: LogProbScorer) -> int:
    """The judge context's own memory, weights excluded: its KV cache (F16 keys and values
    for every cell) and the logits buffer at the most rows a decode has asked for."""
    import llama_cpp

    scorer.load()
    model = scorer._model.model
    head_dim = llama_cpp.llama_model_n_embd(model) // max(1, llama_cpp.llama_model_n_head(
        model))
    kv = (scorer.n_ctx * llama_cpp.llama_model_n_layer(model) * 2 * 2 * head_dim
          * llama_cpp.llama_model_n_head_kv(model))
    return int(kv + scorer._most_rows * scorer._vocab * 4)


def measure(texts: list[str], checker: GrammarChecker, scorer: LogProbScorer
            ) -> tuple[list[float], list[float], list[int], list[int]]:
    """Each sentence's checked fixes (timed), and the checkers' plain fixes (timed)."""
    timed, plain, variants, tokens = [], [], [], []
    for text in texts:
        before = scorer.evaluated_tokens
        began = time.perf_counter()
        result = proofread_text(text, checker.check(text).issues, scorer)
        timed.append(time.perf_counter() - began)
        variants.append(result.variants)
        tokens.append(scorer.evaluated_tokens - before)
        began = time.perf_counter()
        apply_fixes(text + " ", checker.check(text + " ").issues)  # new to the cache too
        plain.append(time.perf_counter() - began)
    return timed, plain, variants, tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--model", help="the judge (default: the settings' judge, else their "
                        "model)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="also time it beside N processes that each spin a core")
    args = parser.parse_args()
    settings, _ = load_settings()
    checker = GrammarChecker(settings)
    checker.start(wait=True)
    scorer = judge_for(settings, args.model)
    scorer.load()
    texts = [SENTENCES[i % len(SENTENCES)].format(n=i + 2) for i in range(args.repeat)]
    assert all(len(text.split()) == 25 for text in texts), "the sentences are 25 words"
    for text in texts[:2]:  # warm both: the first check and the first decode are slow
        proofread_text(text.replace(" ", "  ", 1), checker.check(text).issues, scorer)
    timed, plain, variants, tokens = measure(texts, checker, scorer)
    loaded: list[float] = []
    if args.busy:
        with busy(args.busy):  # the same sentences, each made new to the checkers' cache
            loaded = measure([t.replace(" ", "  ", 2) for t in texts], checker, scorer)[0]
    memory = context_bytes(scorer)
    after = checker_cpu_after(checker, [t.replace(" ", " \n", 1) for t in texts[:8]])
    checker.close()
    scorer.close()
    p50, base = statistics.median(timed), statistics.median(plain)
    figures = {
        "sentences": len(texts), "words": len(texts[0].split()),
        "p50_s": round(p50, 3), "p90_s": round(sorted(timed)[int(0.9 * len(timed))], 3),
        "sentences_per_s": round(len(timed) / sum(timed), 2),
        "checkers_alone_p50_s": round(base, 3), "ratio_to_checkers": round(p50 / base, 1),
        "variants_per_sentence": round(statistics.mean(variants), 1),
        "tokens_per_sentence": round(statistics.mean(tokens), 1),
        "scorer_context_mib": round(memory / 2**20, 1),
        "languagetool_cpu_after_check_ms": after,
    }
    if loaded:
        busy_p50 = statistics.median(loaded)
        figures.update({
            "busy": args.busy, "busy_p50_s": round(busy_p50, 3),
            "busy_p90_s": round(sorted(loaded)[int(0.9 * len(loaded))], 3),
            "busy_sentences_per_s": round(len(loaded) / sum(loaded), 2),
            "busy_vs_quiet_p50": ratio(busy_p50, p50),
            "busy_p90_vs_p50": ratio(sorted(loaded)[int(0.9 * len(loaded))], busy_p50)})
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    for key, value in figures.items():
        print(f"{key:<24}{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
