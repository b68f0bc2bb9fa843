"""``python main.py --smoke [--screenshot FILE]``: a scripted run of the real app.

Opens the sample document, selects a paragraph, runs a template with the real model,
accepts the best suggestion, waits for grammar underlines, saves to a temporary file,
writes the screenshot and prints a one-line JSON summary. Exit 0 when every step worked.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QPixmap, QTextCursor
from PySide6.QtWidgets import QApplication

from engine.heap import resident_mb
from engine.paths import resource_dir

if TYPE_CHECKING:
    from engine.writing.optimize import Outcome
    from gui.window.main_window import MainWindow

SAMPLE = resource_dir() / "samples" / "sample.md"


def wait_for(app: QApplication, condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    loop = QEventLoop()
    while time.monotonic() < deadline:
        if condition():
            return True
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return condition()


def select_paragraph_with(window: MainWindow, needle: str) -> bool:
    editor = window.editor
    found = editor.document().find(needle)
    if found.isNull():
        return False
    cursor = editor.textCursor()
    cursor.setPosition(found.position())
    editor.setTextCursor(cursor)
    editor.select_paragraph()
    return editor.textCursor().hasSelection()


def take_screenshot(app: QApplication, window: MainWindow) -> QPixmap:
    """On a real display, what the X server shows of the window; offscreen, Qt's own
    rendering of it."""
    if app.platformName() == "xcb":
        frame = window.frameGeometry()
        return app.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(),
                                              frame.height())
    return window.grab()


def run_smoke(app: QApplication, window: MainWindow, screenshot: str | None,
              problems: list[str] | None = None) -> int:
    started = time.monotonic()
    window.setProperty("quiet", True)
    window.resize(1440, 900)
    window.show()
    assist, grammar, docs = window.assist, window.grammar, window.documents
    summary: dict[str, object] = {"ok": False, "problems": problems or []}
    steps: list[str] = []
    outcomes: list[Outcome] = []
    errors: list[str] = []
    try:
        if assist is None or grammar is None:
            raise RuntimeError("the window was made without its workers")
        assist.generation_done.connect(outcomes.append)
        assist.generation_failed.connect(errors.append)
        failed_load: list[str] = []
        assist.message.connect(lambda text: failed_load.append(text)
                               if text.startswith("The model could not be loaded") else None)
        if not wait_for(app, lambda: assist.model_ready or bool(failed_load), 120):
            raise RuntimeError("the model did not load")
        if failed_load:
            raise RuntimeError(failed_load[0])
        steps.append("model loaded")
        docs.open_now(SAMPLE)
        steps.append("sample opened")
        if wait_for(app, lambda: grammar.last is not None and
                    grammar.last.engines.get("languagetool") == "ready", 90):
            steps.append("LanguageTool ready")
        if not select_paragraph_with(window, "willows"):
            raise RuntimeError("the paragraph to rewrite was not found")
        original = window.editor.textCursor().selectedText().replace("\u2029", "\n")
        window.panel.select_template("proofread")
        window.panel.count.setValue(2)
        assist.generate(seed=7)
        if not wait_for(app, lambda: bool(outcomes or errors), 300):
            raise RuntimeError("generation did not finish")
        if errors:
            raise RuntimeError(f"generation failed: {errors[0]}")
        outcome = outcomes[0]
        steps.append(f"{len(outcome.candidates)} candidates")
        cards = window.panel.cards
        usable = [c for c in cards if c.candidate is not None and c.candidate.text]
        if not usable or not assist.cards.accept(usable[0]):
            raise RuntimeError("no suggestion could be accepted")
        accepted = usable[0].candidate
        assert accepted is not None
        steps.append("best suggestion accepted")
        text_now = window.editor.toPlainText()
        window.editor.moveCursor(QTextCursor.MoveOperation.Start)
        if not wait_for(app, lambda: grammar.last is not None and grammar.revision ==
                        grammar.last.revision and bool(window.editor.issues), 120):
            raise RuntimeError("no grammar underlines appeared")
        wait_for(app, lambda: grammar.last is not None and
                 grammar.last.engines.get("languagetool") == "ready", 60)
        grammar.check_now()
        wait_for(app, lambda: not grammar.in_flight, 60)
        steps.append(f"{len(window.editor.issues)} issues underlined")
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "smoke.md"
            if not docs.save(target):
                raise RuntimeError("saving failed")
            saved_ok = target.read_text(encoding="utf-8") == text_now
        steps.append("saved")
        if not wait_for(app, lambda: window.history.pending == 0 and
                        bool(window.history.snapshot.versions), 30):
            raise RuntimeError("no version was kept in the history")
        window.docks["stats"].show()  # the counts and the words-per-day chart (pyqtgraph)
        if not wait_for(app, lambda: window.stats_panel.chart is not None, 30):
            raise RuntimeError("the statistics chart was not drawn")
        steps.append(f"{len(window.history.snapshot.versions)} version(s) kept, chart drawn")
        window.docks["issues"].raise_()
        if screenshot:
            window.panel.show_ranked(outcome.candidates)
            wait_for(app, lambda: False, 0.5)
            shot = take_screenshot(app, window)
            Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
            if not shot.save(screenshot):
                raise RuntimeError(f"the screenshot could not be written to {screenshot}")
            steps.append("screenshot written")
        summary.update(
            ok=saved_ok, template="proofread", original=original, accepted=accepted.text,
            best_score=accepted.score, candidates=len(outcome.candidates),
            rounds=len(outcome.rounds), issues=len(window.editor.issues),
            engines=grammar.last.engines if grammar.last else {}, model=window.status.model.text(),
            saved=saved_ok, screenshot=screenshot or "", steps=steps,
            platform=app.platformName())
    except Exception as exc:
        summary.update(ok=False, error=str(exc), steps=steps)
    summary["seconds"] = round(time.monotonic() - started, 1)
    peak = resident_mb("VmHWM")
    summary["peak_mb"] = round(peak, 1) if peak is not None else None
    window.closing = True
    window.close()
    print(json.dumps(summary, ensure_ascii=False))
    return 0 if summary["ok"] else 1
