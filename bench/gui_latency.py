"""The longest stall of the window's event loop while the app works.

A 5 ms timer records the gaps between its ticks; a stall is the gap beyond its interval.
Scenarios, each in the real app (offscreen): loading the model and the ontology,
generating with the model, and checking a 20,000-word document (Harper and LanguageTool)
with its underlines. Target: no stall over 50 ms.

    .venv/bin/python bench/gui_latency.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from engine.config import load_settings
from gui.smoke import wait_for as spin

TICK_MS = 5


class StallMeter:
    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.clock = QElapsedTimer()
        self.worst = 0.0
        self.gaps: list[float] = []

    def start(self) -> None:
        self.worst, self.gaps = 0.0, []
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        gap = self.clock.restart()
        self.gaps.append(gap)
        self.worst = max(self.worst, gap - TICK_MS)

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


def document(words: int) -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from grammar import make_document  # bench/grammar.py

    return "\n\n".join(make_document(words, 5))


def main() -> int:
    app = QApplication(sys.argv[:1])
    from gui.main_window import MainWindow

    settings, _ = load_settings()
    meter = StallMeter()
    results: dict[str, float] = {}

    window = MainWindow(settings)  # workers start loading the model and the ontology
    window.setProperty("quiet", True)
    window.show()
    meter.start()
    loaded = spin(app, lambda: window.assist.model_ready and window.ontology.entities.count()
                  >= 0 and "entities" in window.ontology.info.text(), 120)
    results["loading the model and the ontology"] = meter.stop()

    meter.start()
    spin(app, lambda: False, 1.0)
    results["idle"] = meter.stop()

    window.editor.setPlainText("We arrived in Hangzhou on a grey morning and walked to West "
                               "Lake, where the willows were turning green.")
    window.panel.select_template("expand")
    window.panel.count.setValue(2)
    done: list[object] = []
    window.assist.generation_done.connect(done.append)
    meter.start()
    window.assist.generate(seed=1)
    spin(app, lambda: bool(done), 300)
    results["generating (2 candidates, streaming)"] = meter.stop()

    text = document(20000)
    grammar = window.grammar
    spin(app, lambda: (grammar.last is not None and
         grammar.last.engines.get("languagetool") in ("ready",)) or
         "unavailable" in str(grammar.last.engines if grammar.last else ""), 120)
    meter.start()
    window.editor.setPlainText(text)
    target = grammar.revision
    spin(app, lambda: grammar.last is not None and grammar.last.revision >= target and
         not grammar.in_flight and not window.editor.highlighter._queue, 600)
    results["checking a 20,000-word document + underlines"] = meter.stop()

    meter.start()
    cursor = window.editor.textCursor()
    for _ in range(20):
        cursor.insertText("x")
        spin(app, lambda: False, 0.05)
    spin(app, lambda: not grammar.in_flight and not grammar.timer.isActive(), 60)
    results["typing in that document (20 keystrokes, re-checks)"] = meter.stop()

    print(f"model loaded: {loaded}; engines: {grammar.last.engines if grammar.last else {}}")
    for name, worst in results.items():
        print(f"{name:<55} longest stall {worst:6.1f} ms")
    window.closing = True
    started = time.monotonic()
    window.close()
    print(f"closing the window: {time.monotonic() - started:.2f} s")
    print(f"worst: {max(results.values()):.1f} ms (target <= 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
