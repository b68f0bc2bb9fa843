"""Writing projects at a book's size: a generated project (default 500,000 words in 300
documents), each figure through the real code, the window offscreen for the GUI ones.

    open_s             File → Open Project until the tree is drawn (worst of index
                       absent and index present)
    index_s            the full search index, built from nothing on its worker thread
    search_p95_ms      100 queries (words, names, two-character and whole-word ones)
    reindex_ms         one document re-indexed after a save
    replace_preview_s  a name with 1,000 hits, each made a pending change
    build_epub_s       the whole book as EPUB 3 (with --epubcheck, its errors too)
    stall_ms_p95       the window's stalls while indexing and searching: the 95th
                       percentile of its event loop's late ticks (and the worst)

Targets (issue "Writing projects"): open ≤ 0.5 s; index ≤ 10 s; search p95 ≤ 30 ms;
reindex ≤ 50 ms; replace preview ≤ 1 s; EPUB ≤ 10 s with 0 EPUBCheck errors; stalls
p95 ≤ 50 ms.

    .venv/bin/python bench/project.py [--words N] [--documents M] [--epubcheck] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from history import WORDS  # bench/history.py's vocabulary

from engine.paths import app_paths

EPUBCHECK = app_paths().cache / "epubcheck" / "lib"  # make epubcheck; before WORDLOOM_HOME moves
NAME = "Fitzwilliam"
NAME_HITS = 1000


def generate(root: Path, words: int, documents: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    per_doc = max(1, words // documents)
    planted = sorted(rng.sample(range(words), NAME_HITS))
    at = 0
    for n in range(documents):
        part = root / f"Part {n // 30 + 1}"
        part.mkdir(parents=True, exist_ok=True)
        paragraphs, line = [f"# Chapter {n + 1}"], []
        for _ in range(per_doc):
            word = NAME if planted and planted[0] == at else rng.choice(WORDS)
            if planted and planted[0] == at:
                planted.pop(0)
            line.append(word)
            at += 1
            if len(line) >= 90:
                paragraphs.append(" ".join(line).capitalize() + ".")
                line = []
        if line:
            paragraphs.append(" ".join(line).capitalize() + ".")
        (part / f"Chapter {n + 1}.md").write_text("\n\n".join(paragraphs) + "\n")


def pct(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def window_figures(root: Path) -> dict[str, float]:
    """Open the project in the real window (offscreen): the tree's time with no index and
    with one, and the stalls while the index is built and 100 searches run."""
    from gui_latency import StallMeter  # bench/gui_latency.py
    from PySide6.QtWidgets import QApplication

    from engine.config import Settings
    from engine.project.index import index_path
    from gui.smoke import wait_for
    from gui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(Settings(languagetool_mode="off"), start_workers=False)
    window.setProperty("quiet", True)
    window.show()
    app.processEvents()
    opens = []
    meter = StallMeter()
    gaps: list[float] = []
    index_s = 0.0
    for present in (False, True):
        if not present:
            for suffix in ("", "-wal", "-shm"):
                Path(str(index_path(root)) + suffix).unlink(missing_ok=True)
        started = time.perf_counter()
        window.projects.open_folder(root)
        app.processEvents()
        assert window.project_dock.tree.topLevelItemCount() > 0
        opens.append(time.perf_counter() - started)
        meter.start()
        indexing_from = time.perf_counter()
        wait_for(app, lambda: not window.projects.controller.indexing, 120)
        if not present:
            index_s = time.perf_counter() - indexing_from
        meter.stop()
        gaps += [g - 5 for g in meter.gaps]
    rng = random.Random(3)
    meter.start()
    controller = window.projects.controller
    results: list[object] = []
    controller.searched.connect(results.append)
    for n in range(100):
        query = rng.choice([NAME, *WORDS[:40], "th", "ing"])
        controller.search(query, whole_word=n % 3 == 0, case=False, regex=False)
        wait_for(app, lambda n=n: len(results) > n, 30)
    meter.stop()
    gaps += [g - 5 for g in meter.gaps]
    window.closing = True
    window.close()
    return {"open_s": max(opens), "open_no_index_s": opens[0], "open_with_index_s": opens[1],
            "index_s": index_s, "stall_ms_p95": pct(gaps, 95), "stall_ms_max": max(gaps)}


def engine_figures(root: Path, epubcheck: bool, out: Path) -> dict[str, float | int | None]:
    from engine.project.build import build
    from engine.project.index import SearchIndex
    from engine.project.model import Project
    from engine.project.replace import count_hits, preview

    project = Project.open(root, lock=False)
    index = SearchIndex(project.root)
    index.sync(project.documents())
    rng = random.Random(5)
    times = []
    for n in range(100):
        query = rng.choice([NAME, *WORDS, "th", "ing", "river mor"])
        _hits, took = index.search(query, whole_word=n % 3 == 0, order=project.documents())
        times.append(took)
    rel = project.documents()[len(project.documents()) // 2]
    text = (root / rel).read_text()
    reindex = []
    for n in range(10):
        started = time.perf_counter()
        index.update(rel, text + f"\nA new line {n}.\n")
        reindex.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    files, _notes = preview(project, NAME, "Darcy", whole_word=True)
    replace_s = time.perf_counter() - started
    hits = count_hits(files)
    book = out / "book.epub"
    started = time.perf_counter()
    build(project, book)
    build_s = time.perf_counter() - started
    errors = None
    if epubcheck:
        lib = EPUBCHECK
        checked = subprocess.run(["java", "-cp", f"{lib}/*",
                                  "com.adobe.epubcheck.tool.Checker", str(book)],
                                 capture_output=True, text=True)
        report = checked.stdout + checked.stderr
        line = next((x for x in report.splitlines() if x.startswith("Messages:")), "")
        errors = int(line.split("/")[1].split()[0]) if line else -1
    index.close()
    return {"search_p95_ms": pct(times, 95), "search_p50_ms": statistics.median(times),
            "reindex_ms": statistics.median(reindex), "replace_preview_s": replace_s,
            "replace_hits": hits, "build_epub_s": build_s, "epubcheck_errors": errors,
            "epub_mb": book.stat().st_size / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=500_000)
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--epubcheck", action="store_true", help="check the EPUB (Java)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        os.environ["WORDLOOM_HOME"] = str(Path(work) / "home")
        root = Path(work) / "book"
        generate(root, args.words, args.documents)
        from engine.project.model import Project

        Project.init(root, "Benchmark", lock=False)
        figures: dict[str, object] = {"words": args.words, "documents": args.documents}
        figures.update(window_figures(root))
        figures.update(engine_figures(root, args.epubcheck, Path(work)))
    if args.json:
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v
                          for k, v in figures.items()}, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:22} {value:.4g}" if isinstance(value, float) else f"{key:22} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
