"""How much of a tuned figure is tuning: two-fold cross-validation and bootstrap intervals.

    .venv/bin/python bench/crossval.py --data ../shared/data/jfleg-dev \\
        NAME=FILE [NAME=FILE ...] [--samples 1000] [--seed 0] [--json]

Each FILE holds one system's output on the corpus (one sentence a line, as
``bench/quality.py --out`` writes it), for instance the checked fixes under different
margins (``bench/quality.py --margin insertion=4 ...``). The first is the baseline.

Prints, for each system, its GLEU on the whole corpus with a 95 % sentence-bootstrap
interval, its difference from the baseline with a paired interval (the same resampled
sentences for both), and its GLEU on each half of a random split. Then the two-fold
cross-validated figure: the system that scores best on one half is measured on the
other, and the other way round; the figure is the GLEU of the corpus made of those two
measured halves, so no sentence is scored by a choice tuned on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality import read_corpus
from engine.writing.gleu import draws, resampled_gleu, sentence_stats


def tokenized(lines: list[str]) -> list[list[str]]:
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    tokenize = Tokenizer13a()
    return [tokenize(line).split() for line in lines]


def read_systems(pairs: list[str], lines: int) -> dict[str, list[str]]:
    systems: dict[str, list[str]] = {}
    for pair in pairs:
        name, _, file = pair.partition("=")
        if not name or not file:
            raise SystemExit(f"error: give each system as NAME=FILE; got {pair!r}")
        try:
            text = Path(file).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise SystemExit(f"error: cannot read {file}: {exc.strerror}") from None
        if len(text) != lines:
            raise SystemExit(f"error: {file} has {len(text)} lines, the corpus {lines}")
        systems[name] = text
    return systems


def interval(values: np.ndarray) -> list[float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(low) * 100, 2), round(float(high) * 100, 2)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("systems", nargs="+", metavar="NAME=FILE")
    parser.add_argument("--samples", type=int, default=1000, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0, help="the split's and resampling's")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    sources, refs = read_corpus(args.data)
    systems = read_systems(args.systems, len(sources))
    src = tokenized(sources)
    ref_sets = [tokenized(ref) for ref in refs]
    stats = {name: sentence_stats(src, tokenized(lines), ref_sets)
             for name, lines in systems.items()}
    count = len(sources)
    chosen = draws(count, len(refs))
    rng = np.random.default_rng(args.seed)
    resamples = np.stack([np.bincount(rng.integers(0, count, count), minlength=count)
                          for _ in range(args.samples)])
    order = rng.permutation(count)
    halves = [np.isin(np.arange(count), order[:count // 2]),
              np.isin(np.arange(count), order[count // 2:])]
    masks = np.stack(halves).astype(np.float64)
    baseline = next(iter(systems))
    boot = {name: resampled_gleu(s, chosen, resamples) for name, s in stats.items()}
    report: dict[str, object] = {"sentences": count, "samples": args.samples,
                                 "seed": args.seed, "baseline": baseline, "systems": {}}
    on_half: dict[str, np.ndarray] = {}
    base_whole = float(resampled_gleu(stats[baseline], chosen)[0])
    for name, s in stats.items():
        whole = float(resampled_gleu(s, chosen)[0])
        on_half[name] = resampled_gleu(s, chosen, masks)
        report["systems"][name] = {  # type: ignore[index]
            "GLEU": round(whole * 100, 2), "interval": interval(boot[name]),
            "minus_baseline": round((whole - base_whole) * 100, 2),
            "minus_baseline_interval": interval(boot[name] - boot[baseline]),
            "halves": [round(float(v) * 100, 2) for v in on_half[name]]}
    picks = [max(on_half, key=lambda n, h=h: on_half[n][h]) for h in (0, 1)]
    merged = np.where(halves[1][:, None, None], stats[picks[0]], stats[picks[1]])
    report["cross_validated"] = {
        "GLEU": round(float(resampled_gleu(merged, chosen)[0]) * 100, 2),
        "tuned_on_first_half": picks[0], "tuned_on_second_half": picks[1],
        "interval": interval(resampled_gleu(merged, chosen, resamples))}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'system':<24}{'GLEU':>7}  {'95 % interval':<16}{'minus base':>11}  "
          f"{'95 % interval':<16}{'halves':<14}")
    for name, row in report["systems"].items():  # type: ignore[attr-defined]
        low, high = row["interval"]
        d_low, d_high = row["minus_baseline_interval"]
        print(f"{name:<24}{row['GLEU']:>7.2f}  {low:6.2f}..{high:<6.2f}  "
              f"{row['minus_baseline']:>+10.2f}  {d_low:+6.2f}..{d_high:<+6.2f}  "
              f"{row['halves'][0]:.2f} / {row['halves'][1]:.2f}")
    cv = report["cross_validated"]
    print(f"two-fold cross-validated: {cv['GLEU']:.2f} GLEU "  # type: ignore[index]
          f"(tuned on the first half: {picks[0]}; on the second: {picks[1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
