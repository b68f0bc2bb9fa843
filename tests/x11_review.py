"""The window tests/test_x11.py drives with real X key events: a text with changes to
review (as the recovery journal gives them back), the Review dock shown. It prints
``ready X Y MX MY`` (the editor's centre on the screen, and the margin's line of the
last change), waits for the file named by its second
argument, then writes what the review holds to its first argument and quits."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import base_settings
from engine.review.pending import Pending, Review
from gui.window.main_window import MainWindow

TEXT = "She go home.\n\nThe cat sat on the the mat.\n\nIt rain today."


def main() -> int:
    out, trigger = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    window.setProperty("quiet", True)
    window.resize(1200, 800)
    window.show()
    window.editor.setPlainText(TEXT)
    the = TEXT.index(" the the") + 4
    rain = TEXT.index("rain")
    window.documents.review_restored.emit(Review(TEXT, [
        Pending(0, 4, 6, "go", "went", "harper"),
        Pending(1, the, the + 4, " the", "", "repetition"),
        Pending(2, rain, rain + 4, "rain", "rains", "inflection")]).to_json())
    window.docks["review"].show()
    window.docks["review"].raise_()

    def announce() -> None:
        centre = window.editor.mapToGlobal(window.editor.rect().center())
        margin = window.review_margin  # the line of "rain → rains", beside the text
        line = margin.mapToGlobal(next(r for r, c in margin.lines() if c.id == 2).center())
        print(f"ready {centre.x()} {centre.y()} {line.x()} {line.y()}", flush=True)

    def poll() -> None:
        if not trigger.exists():
            return
        review = window.review.review
        out.write_text(json.dumps({
            "text": window.editor.toPlainText(),
            "pending": [[c.old, c.new] for c in review.changes],
            "rows": window.review_panel.list.count(),
            "chosen": window.review_panel.current_id(),
            "selected": window.editor.textCursor().selectedText(),
            "platform": app.platformName()}))
        window.closing = True
        window.close()
        app.quit()

    QTimer.singleShot(1500, announce)
    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(100)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
