"""A scripted writer for the kill tests: opens the real window offscreen and types.

    python tests/typist.py PROGRESS TEXT_FILE [--no-workers]

Each keystroke appends "<characters typed> <wall-clock time>" to PROGRESS, so the test
knows what had been typed at the moment it killed this process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from engine.config import load_settings
    from gui.window.main_window import MainWindow

    progress, text = sys.argv[1], Path(sys.argv[2]).read_text(encoding="utf-8")
    app = QApplication(sys.argv[:1])
    settings, _ = load_settings()
    window = MainWindow(settings, start_workers="--no-workers" not in sys.argv)
    window.setProperty("quiet", True)
    window.show()
    out = os.open(progress, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    typed = 0

    def key() -> None:
        nonlocal typed
        if typed >= len(text):
            return
        window.editor.insertPlainText(text[typed])
        typed += 1
        os.write(out, f"{typed} {time.time():.4f}\n".encode())

    timer = QTimer()
    timer.timeout.connect(key)
    timer.start(4)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
