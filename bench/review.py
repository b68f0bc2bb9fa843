"""Proofread Document through the real window (offscreen): a document of N words with
planted errors, the model judging and the checkers of the settings (LanguageTool when it is
on), while a writer types in it.

Prints ``{words, paragraphs, sentences, changes, first_change_s, sentences_per_s,
stall_ms_p95, stall_ms_max, keystroke_ms_p95, keystroke_ms_p95_before, accept_ms_p95}``:
- first_change_s: from Proofread Document to the first pending change on screen;
- sentences_per_s: the document's sentences over the time to check them all;
- stall_ms_*: the event loop's gaps beyond a 5 ms timer while it runs and the writer types
  a character every 150 ms (bench/gui_latency.py's meter);
- keystroke_ms_p95: the time the window takes to handle one typed character then
  (keystroke_ms_p95_before: the same before Proofread Document, the baseline);
- accept_ms_p95: accepting one change (Review → Accept Change), 30 of them.

Targets (issue "Review a whole text, change by change"): first change ≤ 2 s on 5,000
words; ≥ 2 sentences/s; keystroke stall p95 ≤ 16.7 ms; accepting one change ≤ 16 ms p95.

    .venv/bin/python bench/review.py [--words 5000] [--busy N] [--json]

``time_left_*``: what the time left said once a tenth of the paragraphs were done, the
time the rest really took, and the error (issue "A writer's second afternoon": within
30 %). ``--busy N`` proofreads again beside N processes that each spin a core
(``bench/busy.py``) and adds the same figures as ``busy_*``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent))  # after the packages (bench/ontology.py)

from busy import busy

PLANTED = [("goes", "go"), ("was", "were"), ("the", "teh"), ("their", "there"),
           ("an", "a"), ("because", "becuase")]


def document(words: int) -> str:
    from grammar import make_document  # bench/grammar.py: varied sentences, a few errors

    rng = random.Random(11)
    paragraphs = []
    for paragraph in make_document(words, 5):
        for right, wrong in PLANTED:  # an error planted in about half the paragraphs
            if rng.random() < 0.08 and f" {right} " in paragraph:
                paragraph = paragraph.replace(f" {right} ", f" {wrong} ", 1)
        paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else -1.0


def run_pass(app: object, window: object) -> dict[str, float | None]:
    """Proofread Document while the writer types a character every 150 ms: when the first
    change showed, how long it took, the stalls and keystrokes, and how honest the time
    left was once a tenth of the paragraphs were done."""
    from gui_latency import StallMeter
    from PySide6.QtCore import QElapsedTimer, Qt
    from PySide6.QtTest import QTest

    from gui.smoke import wait_for

    first: list[float] = []
    clock = QElapsedTimer()
    review = window.review  # type: ignore[attr-defined]
    editor = window.editor  # type: ignore[attr-defined]
    review.changed.connect(lambda: first.append(clock.elapsed() / 1000)
                           if not first and review.review.changes else None)
    tenth: list[tuple[float, float]] = []  # (seconds left said, when) at a tenth done

    def progress(done: int, total: int, left: float) -> None:
        if not tenth and left >= 0 and done >= max(1, total // 10) and done < total:
            tenth.append((left, time.monotonic()))

    review.progress.connect(progress)
    meter = StallMeter()
    keystrokes: list[float] = []
    meter.start()
    clock.start()
    started = time.monotonic()
    window.proofread_document()  # type: ignore[attr-defined]
    end = editor.document().characterCount() - 1
    while review.running:
        cursor = editor.textCursor()
        cursor.setPosition(end)  # the writer types at the end, in the last paragraph
        editor.setTextCursor(cursor)
        t0 = time.perf_counter()
        QTest.keyClick(editor, Qt.Key.Key_Period if len(keystrokes) % 2 else
                       Qt.Key.Key_Backspace)
        keystrokes.append((time.perf_counter() - t0) * 1000)
        end = editor.document().characterCount() - 1
        wait_for(app, lambda: False, 0.15)
    finished = time.monotonic()
    meter.stop()
    review.progress.disconnect(progress)
    gaps = [max(0.0, g - 5) for g in meter.gaps]
    said = tenth[0][0] if tenth else None
    real = finished - tenth[0][1] if tenth else None
    return {"first_change_s": round(first[0], 2) if first else None,
            "seconds": round(finished - started, 1),
            "stall_ms_p95": round(pct(gaps, 0.95), 1), "stall_ms_max": round(max(gaps), 1),
            "keystroke_ms_p95": round(pct(keystrokes, 0.95), 2),
            "time_left_said_s": round(said, 1) if said is not None else None,
            "time_left_real_s": round(real, 1) if real is not None else None,
            "time_left_error": round(abs(said - real) / real, 2) if said is not None and
            real else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--busy", type=int, default=0, metavar="N",
                        help="proofread again beside N processes that each spin a core")
    args = parser.parse_args()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from engine.config import load_settings
    from engine.text.split import sentences
    from gui.smoke import wait_for
    from gui.window.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    settings, _ = load_settings()
    window = MainWindow(settings)
    window.setProperty("quiet", True)
    window.resize(1280, 800)
    window.show()
    if not wait_for(app, lambda: window.assist.model_ready, 180):
        print("error: the model did not load", file=sys.stderr)
        return 1
    if window.grammar is not None and settings.languagetool_mode != "off":
        wait_for(app, lambda: window.grammar.last is not None and
                 window.grammar.last.engines.get("languagetool") == "ready", 120)
    text = document(args.words)
    window.editor.setPlainText(text)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.Start)
    grammar = window.grammar
    if grammar is not None:  # the document's own check is done, as when a writer has read it
        wait_for(app, lambda: False, 1.0)
        wait_for(app, lambda: not grammar.in_flight and grammar.last is not None and
                 grammar.last.revision == grammar.revision, 120)
    baseline: list[float] = []  # the same keystrokes before Proofread Document
    for n in range(40):
        cursor = window.editor.textCursor()
        cursor.setPosition(window.editor.document().characterCount() - 1)
        window.editor.setTextCursor(cursor)
        t0 = time.perf_counter()
        QTest.keyClick(window.editor, Qt.Key.Key_Period if n % 2 == 0 else
                       Qt.Key.Key_Backspace)
        baseline.append((time.perf_counter() - t0) * 1000)
        wait_for(app, lambda: False, 0.15)
    quiet = run_pass(app, window)
    loaded: dict[str, float | None] = {}
    if args.busy:
        window.review_action("reject_all")
        with busy(args.busy):
            loaded = run_pass(app, window)
    changes = len(window.review.review.changes)
    accepts = []
    window.docks["review"].show()
    for _ in range(min(30, changes)):
        window.review_panel.list.setCurrentRow(0)
        t0 = time.perf_counter()
        window.review_action("accept")
        accepts.append((time.perf_counter() - t0) * 1000)
    count = len(sentences(text))
    result: dict[str, object] = {
        "words": args.words, "paragraphs": text.count("\n\n") + 1, "sentences": count,
        "changes": changes, **quiet,
        "sentences_per_s": round(count / quiet["seconds"], 2) if quiet["seconds"] else None,
        "keystroke_ms_p95_before": round(pct(baseline, 0.95), 2),
        "accept_ms_p95": round(pct(accepts, 0.95), 2)}
    if loaded:
        result.update({f"busy_{k}": v for k, v in loaded.items()})
        result["busy"] = args.busy
        result["busy_sentences_per_s"] = round(count / loaded["seconds"], 2) \
            if loaded["seconds"] else None
    window.closing = True
    window.close()
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
