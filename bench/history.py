"""Local history's cost: saving with it against saving without, the store's size after
1,000 versions, listing and comparing versions, and the window's longest stall while
versions are written.

A 100,000-word document (1,000 paragraphs); each save changes one paragraph, as a writer's
saves do. ``save_ratio`` is the whole cost in one thread (the document's save, then the
version written right after it); ``window_save_ratio`` is what the writer waits for in the
app, where the version is written on the history's own thread.

Targets (issue "Every earlier version one click away"): saving ≤ 1.2× the time without
history; 1,000 versions ≤ 25 MB; listing them ≤ 100 ms; a diff ≤ 200 ms; no window stall
over 50 ms while history is written.

    .venv/bin/python bench/history.py [--words N] [--versions N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("the of and to in a is that was he for it with as his on be at by had not are but "
         "from or have an they which one you were all her she there would their we him "
         "been has when who will more no if out so said what up its about into than them "
         "can only other new some could time these two may then do first any my now such "
         "like our over man me even most made after also did many before must through "
         "river morning letter window garden silence station evening promise").split()


def paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(100)).capitalize() + "."
            for _ in range(count)]


def edit(rng: random.Random, paras: list[str]) -> str:
    index = rng.randrange(len(paras))
    words = paras[index].split()
    words.insert(rng.randrange(len(words)), rng.choice(WORDS))  # always a change
    paras[index] = " ".join(words)
    return "\n\n".join(paras) + "\n"


def saves(folder: Path, words: int, rounds: int, history: bool) -> list[float]:
    """Seconds per save of the document (each after a one-word edit), the history's
    version written in the same thread (``history``): its whole cost, not hidden on a
    worker as the app does."""
    from engine.documents.files import Document, save_document
    from engine.history.store import HistoryStore

    rng = random.Random(1)
    paras = paragraphs(rng, words // 100)
    path = folder / f"novel-{history}.md"
    doc = Document(path=path)
    store = HistoryStore(folder / f"h-{history}.sqlite3") if history else None
    text = "\n\n".join(paras) + "\n"
    save_document(doc, text)
    if store is not None:
        store.record(text, "save")
    out = []
    for _ in range(rounds):
        text = edit(rng, paras)
        start = time.perf_counter()
        save_document(doc, text)
        if store is not None:
            store.record(text, "save")
        out.append(time.perf_counter() - start)
    return out


def many_versions(folder: Path, words: int, versions: int) -> dict[str, float]:
    from engine.history.compare import changes_html
    from engine.history.store import HistoryStore

    rng = random.Random(2)
    paras = paragraphs(rng, words // 100)
    store = HistoryStore(folder / "many.sqlite3")
    start = time.perf_counter()
    for _ in range(versions):
        store.record(edit(rng, paras), "save")
    writing = time.perf_counter() - start
    store.close()
    path = folder / "many.sqlite3"
    size = path.stat().st_size + sum(p.stat().st_size for p in folder.glob("many.sqlite3-*"))
    store = HistoryStore(path)
    lists = []
    for _ in range(5):
        start = time.perf_counter()
        listed = store.versions()
        lists.append(time.perf_counter() - start)
    assert len(listed) == versions
    newest, oldest = listed[0].id, listed[-1].id
    diffs = {}
    for label, pair in (("neighbours", (listed[1].id, newest)), ("first_last", (oldest, newest))):
        start = time.perf_counter()
        old, new = store.lines(pair[0]), store.lines(pair[1])
        changes_html(old, new)
        diffs[label] = time.perf_counter() - start
    start = time.perf_counter()
    store.text(oldest)
    read = time.perf_counter() - start
    store.close()
    from PySide6.QtWidgets import QApplication

    from gui.history.panel import HistoryPanel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    panel = HistoryPanel()
    panel.show()
    shown = []
    for _ in range(3):
        start = time.perf_counter()
        panel.show_versions(listed)
        app.processEvents()
        shown.append(time.perf_counter() - start)
    panel.close()
    return {"versions": versions, "store_mb": size / 1e6, "write_ms_per_version":
            1000 * writing / versions, "list_ms": 1000 * min(lists),
            "diff_ms_neighbours": 1000 * diffs["neighbours"],
            "diff_ms_first_last": 1000 * diffs["first_last"], "read_version_ms": 1000 * read,
            "panel_list_ms": 1000 * min(shown)}


def window_saves(words: int, rounds: int, keep: bool) -> dict[str, float]:
    """The real window (history on or off): open the document, then save it ``rounds``
    times, each after an edit, while a 5 ms timer measures the event loop's longest gap."""
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    sys.path.append(str(Path(__file__).resolve().parent))  # after the project's packages
    from gui_latency import StallMeter  # bench/gui_latency.py

    from engine.config import load_settings
    from gui.smoke import wait_for
    from gui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(3)
    paras = paragraphs(rng, words // 100)
    folder = Path(tempfile.mkdtemp(prefix="wordloom-history-gui-"))
    path = folder / "novel.md"
    path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    settings, _ = load_settings()
    window = MainWindow(replace(settings, keep_history=keep), start_workers=False)
    window.setProperty("quiet", True)
    window.show()
    window.documents.open(path)
    wait_for(app, lambda: window.editor.toPlainText() != "" and window.history.pending == 0
             and len(window.history.snapshot.versions) == int(keep), 60)
    meter = StallMeter()
    save_calls = []
    meter.start()
    for _ in range(rounds):
        cursor = window.editor.textCursor()
        cursor.setPosition(rng.randrange(window.editor.document().characterCount() - 1))
        cursor.insertText("x")
        wait_for(app, lambda: False, 0.1)
        start = time.perf_counter()
        window.files.save()
        save_calls.append(time.perf_counter() - start)
        wait_for(app, lambda: window.history.pending == 0, 30)
    wait_for(app, lambda: False, 0.3)
    stall = meter.stop()
    kept = len(window.history.snapshot.versions)
    window.closing = True
    window.close()
    return {"versions": kept, "stall_ms": stall,
            "save_ms": 1000 * statistics.median(save_calls)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="wordloom-bench-history-"))
    os.environ["WORDLOOM_HOME"] = str(home / "home")
    folder = home / "files"
    folder.mkdir()
    plain: list[float] = []
    kept: list[float] = []
    for _ in range(3):  # alternate, so a slower minute falls on both
        plain += saves(folder, args.words, args.saves // 3, history=False)
        kept += saves(folder, args.words, args.saves // 3, history=True)
    result: dict[str, object] = {
        "words": args.words,
        "save_ms_without": 1000 * statistics.median(plain),
        "save_ms_with": 1000 * statistics.median(kept),
    }
    result["save_ratio"] = result["save_ms_with"] / result["save_ms_without"]  # type: ignore[operator]
    result.update(many_versions(folder, args.words, args.versions))
    off: list[float] = []
    on: list[float] = []
    for _ in range(2):  # alternate, as above
        off_run = window_saves(args.words, 15, keep=False)
        on_run = window_saves(args.words, 15, keep=True)
        off.append(off_run["save_ms"])
        on.append(on_run["save_ms"])
        result["window_stall_ms_history_on"] = max(
            on_run["stall_ms"], float(result.get("window_stall_ms_history_on", 0.0)))  # type: ignore[arg-type]
        result["window_stall_ms_history_off"] = max(
            off_run["stall_ms"], float(result.get("window_stall_ms_history_off", 0.0)))  # type: ignore[arg-type]
        result["window_versions_kept"] = on_run["versions"]
    result["window_save_ms_without"] = statistics.median(off)
    result["window_save_ms_with"] = statistics.median(on)
    result["window_save_ratio"] = result["window_save_ms_with"] / result["window_save_ms_without"]
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:26} {value:.2f}" if isinstance(value, float) else f"{key:26} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
