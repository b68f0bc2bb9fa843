"""The story bible on a real novel: what it proposes against a reference list of the
book's people and places, and how many planted misspellings of their names it finds.

    recall                   the reference's people and places proposed (by name or alias)
    precision                proposals that are people or places of the reference
    alias_groups_right       reference groups ("Elizabeth Bennet", "Lizzy", "Eliza" …)
                             whose names all come out in one entry, with no other group's
    continuity_found         of 30 misspelled names planted at random places (seeded),
                             found with the right name first
    continuity_false_per_10k_words   other suspects, per 10,000 words
    full_s                   the full pass (read every chapter, propose, check)
    update_ms                after one chapter changes: read it again, propose, check
    stall_ms_max             the window's longest stall (offscreen) while Find People and
                             Places reads the novel as a project, and the p95

Targets (issue "A story bible that writes itself"): recall ≥ 0.9, precision ≥ 0.8,
aliases ≥ 0.7, 27 of 30 found, ≤ 1 false alarm per 10,000 words, full ≤ 20 s, update
≤ 200 ms.

    .venv/bin/python bench/story_bible.py --data ../shared/data/novel [--seed N] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.append(str(Path(__file__).resolve().parent))  # bench/gui_latency.py

from engine.story.bible import Entity, StoryBible
from engine.story.continuity import suspects
from engine.story.names import HONORIFICS
from engine.text.readability import syllable_table

PLANTED = 30


def known(word: str) -> bool:
    return bool(syllable_table().lines(word.lower()))


def norm(name: str) -> str:
    return name.lower().removeprefix("the ").strip()


def score(entities: list[Entity], groups: list[list[str]]) -> dict[str, float]:
    names = [{norm(n) for n in e.names} for e in entities]
    every = {norm(n) for group in groups for n in group}
    found = sum(1 for g in groups if any(norm(n) in pn for n in g for pn in names))
    good = sum(1 for pn in names if pn & every)
    right = 0
    for group in groups:
        holders = [pn for pn in names if any(norm(n) in pn for n in group)]
        right += len(holders) == 1 and all(norm(n) in holders[0] for n in group)
    return {"recall": found / len(groups), "precision": good / max(1, len(entities)),
            "alias_groups_right": right / len(groups)}


def misspell(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "swap", "change", "double"])
    if kind == "drop":
        return word[:at] + word[at + 1:]
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    letters = "aeiou" if word[at] in "aeiou" else "bcdfghklmnprstvwy"
    return word[:at] + rng.choice([c for c in letters if c != word[at]]) + word[at + 1:]


def plant(texts: dict[str, str], targets: list[str], rng: random.Random,
          book_words: set[str]) -> dict[str, tuple[str, str]]:
    """30 slips, each at a random use of a name word; returns {slip: (name, path)}."""
    planted: dict[str, tuple[str, str]] = {}
    paths = sorted(texts)
    while len(planted) < PLANTED:
        name = rng.choice(targets)
        path = rng.choice(paths)
        uses = [m.start() for m in re.finditer(rf"\b{re.escape(name)}\b", texts[path])]
        if not uses:
            continue
        slip = misspell(name, rng)
        if slip in planted or slip.lower() in book_words or known(slip) or slip == name:
            continue
        at = rng.choice(uses)
        texts[path] = texts[path][:at] + slip + texts[path][at + len(name):]
        planted[slip] = (name, path)
    return planted


def window_stalls(chapters: Path) -> dict[str, float]:
    """The novel opened as a project in the real window (offscreen), Find People and
    Places run on it, the event loop's late ticks measured meanwhile."""
    import os
    import shutil
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gui_latency import StallMeter  # bench/gui_latency.py
    from PySide6.QtWidgets import QApplication

    from engine.config import Settings
    from gui.smoke import wait_for
    from gui.window.main_window import MainWindow

    with tempfile.TemporaryDirectory() as work:
        os.environ["WORDLOOM_HOME"] = str(Path(work) / "home")
        book = Path(work) / "book"
        shutil.copytree(chapters, book)
        app = QApplication.instance() or QApplication(sys.argv[:1])
        window = MainWindow(Settings(languagetool_mode="off"), start_workers=False)
        window.setProperty("quiet", True)
        window.show()
        window.projects.create(book, "empty", "Novel")
        wait_for(app, lambda: not window.projects.controller.indexing, 120)
        meter = StallMeter()
        meter.start()
        done: list[object] = []
        window.projects.story.computed.connect(done.append)
        window.projects.story.open()
        wait_for(app, lambda: bool(done), 120)
        meter.stop()
        window.closing = True
        window.close()
    gaps = sorted(g - 5 for g in meter.gaps)
    return {"stall_ms_max": float(gaps[-1]),
            "stall_ms_p95": float(gaps[min(len(gaps) - 1, round(0.95 * (len(gaps) - 1)))])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the novel's folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-window", action="store_true", help="skip the window's stalls")
    args = parser.parse_args()
    reference = tomllib.loads((args.data / "entities.toml").read_text())
    groups = [[name, *aliases] for section in ("characters", "places")
              for name, aliases in reference[section].items()]
    texts = {p.name: p.read_text(encoding="utf-8")
             for p in sorted((args.data / "chapters").glob("*.md"))}
    syllable_table()  # the dictionary is loaded once, before the clock starts
    started = time.perf_counter()
    bible = StoryBible()
    for path, text in texts.items():
        bible.update(path, text)
    entities = bible.proposals()
    clean_suspects = suspects(bible, entities, known)
    full_s = time.perf_counter() - started
    figures: dict[str, float | int] = {"words": bible.words, "proposals": len(entities)}
    figures.update(score(entities, groups))
    targets = sorted({w for group in groups for name in group for w in name.split()
                      if len(w) >= 4 and w.lower() not in HONORIFICS and w[0].isupper()})
    book_words = {w.lower() for text in texts.values() for w in re.findall(r"\w+", text)}
    rng = random.Random(args.seed)
    slipped = dict(texts)
    planted = plant(slipped, targets, rng, book_words)
    planted_bible = StoryBible()
    for path, text in slipped.items():
        planted_bible.update(path, text)
    found = suspects(planted_bible, planted_bible.proposals(), known)
    right = sum(1 for s in found if s.word in planted and
                s.suggestions[0].lower() == planted[s.word][0].lower())
    false = [s.word for s in found if s.word not in planted]
    chapter = sorted(texts)[len(texts) // 2]
    started = time.perf_counter()
    bible.update(chapter, texts[chapter] + "\nMr. Darcy walked to Pemberley again.\n")
    suspects(bible, bible.proposals(), known)
    update_ms = (time.perf_counter() - started) * 1000
    figures.update({"continuity_found": right, "continuity_planted": PLANTED,
                    "continuity_false": len(false),
                    "continuity_false_per_10k_words": len(false) / bible.words * 10_000,
                    "clean_book_suspects": len(clean_suspects),
                    "full_s": full_s, "update_ms": update_ms})
    if not args.no_window:
        figures.update(window_stalls(args.data / "chapters"))
    missed = sorted(set(planted) - {s.word for s in found})
    if args.json:
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v
                          for k, v in figures.items()}, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:32} {value:.4g}" if isinstance(value, float) else
                  f"{key:32} {value}")
        print("missed:", ", ".join(f"{m} ({planted[m][0]})" for m in missed) or "none")
        print("false alarms:", ", ".join(false) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
