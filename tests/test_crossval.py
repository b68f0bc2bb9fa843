"""GLEU on resampled corpora, and bench/crossval.py's cross-validated figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.writing.gleu import corpus_gleu, draws, resampled_gleu, sentence_stats

ROOT = Path(__file__).resolve().parent.parent
GEC = ROOT / "tests" / "data" / "gec"


def _corpus() -> tuple[list[list[str]], list[list[list[str]]]]:
    src = [line.split() for line in (GEC / "gec.src").read_text().splitlines()]
    refs = [[line.split() for line in (GEC / f"gec.ref{k}").read_text().splitlines()]
            for k in (0, 1)]
    return src, refs


def test_a_resampled_corpus_scores_as_that_corpus_would():
    src, refs = _corpus()
    hyp = [r if n % 2 else s for n, (s, r) in enumerate(zip(src, refs[0], strict=True))]
    stats = sentence_stats(src, hyp, refs)
    chosen = draws(len(src), len(refs), iterations=50, seed=4)
    whole = float(resampled_gleu(stats, chosen)[0])
    assert whole == pytest.approx(corpus_gleu(src, hyp, refs, iterations=50, seed=4))
    doubled = np.full((1, len(src)), 2.0)  # every sentence twice: the same ratios
    assert float(resampled_gleu(stats, chosen, doubled)[0]) == pytest.approx(whole)
    odd = np.array([[n % 2 for n in range(len(src))]], dtype=float)
    only_fixed = float(resampled_gleu(stats, chosen, odd)[0])
    assert only_fixed > whole  # the half that took the reference scores higher


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_cross_validation_picks_on_one_half_and_measures_on_the_other(tmp_path):
    src = (GEC / "gec.src").read_text().splitlines()
    ref = (GEC / "gec.ref0").read_text().splitlines()
    mixed = [r if n % 3 else s for n, (s, r) in enumerate(zip(src, ref, strict=True))]
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "crossval.py"), "--data", str(GEC),
         "--samples", "200", "--json", f"source={_write(tmp_path / 'a.txt', src)}",
         f"mixed={_write(tmp_path / 'b.txt', mixed)}",
         f"fixed={_write(tmp_path / 'c.txt', ref)}"],
        capture_output=True, text=True, check=True, cwd=ROOT)
    report = json.loads(run.stdout)
    rows = report["systems"]
    assert rows["source"]["minus_baseline"] == 0.0
    assert rows["source"]["minus_baseline_interval"] == [0.0, 0.0]  # paired: no spread
    assert rows["source"]["GLEU"] < rows["mixed"]["GLEU"] < rows["fixed"]["GLEU"]
    low, high = rows["fixed"]["interval"]
    assert low <= rows["fixed"]["GLEU"] <= high and low < high
    assert rows["fixed"]["minus_baseline_interval"][0] > 0  # clearly better than none
    cv = report["cross_validated"]
    assert cv["tuned_on_first_half"] == cv["tuned_on_second_half"] == "fixed"
    assert cv["GLEU"] == rows["fixed"]["GLEU"]


def test_a_system_of_the_wrong_length_is_a_one_line_error(tmp_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "crossval.py"), "--data", str(GEC),
         f"short={_write(tmp_path / 'a.txt', ['one line'])}"],
        capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert run.stderr.strip().startswith("error: ") and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
