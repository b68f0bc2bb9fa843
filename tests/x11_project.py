"""The window tests/test_x11.py drives with real X events: a project open, its Project
Search dock shown. It prints ``ready`` and the screen positions of the query field, the
replacement field, Replace… and Replace Ticked, and ``previewed`` once the hits are
listed; once the file named by its second argument
exists it builds the book through File → Build's own dialog, writes what happened to its
first argument and quits."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import base_settings
from gui.project.build_dialog import BuildDialog
from gui.window.main_window import MainWindow


def main() -> int:
    out, trigger, book, epub = (Path(a) for a in sys.argv[1:5])
    app = QApplication(sys.argv[:1])
    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    window.setProperty("quiet", True)
    window.resize(1400, 900)
    window.show()
    window.projects.open_folder(book)
    window.projects.show_search()
    panel = window.search_panel

    def centre(widget: object) -> str:
        point = widget.mapToGlobal(widget.rect().center())  # type: ignore[attr-defined]
        return f"{point.x()} {point.y()}"

    def announce() -> None:
        print("ready", centre(panel.query), centre(panel.replacement),
              centre(panel.preview_button), centre(panel.apply_button), flush=True)

    def fill_build() -> None:
        dialog = window.findChild(BuildDialog)
        if dialog is None:
            QTimer.singleShot(100, fill_build)
            return
        dialog.format.setCurrentText(".epub")
        dialog.output.setText(str(epub))
        dialog.findChild(QDialogButtonBox).button(
            QDialogButtonBox.StandardButton.Ok).click()

    def poll() -> None:
        if not trigger.exists():
            return
        timer.stop()
        QTimer.singleShot(100, fill_build)
        window.projects.build()
        state = {"platform": QApplication.platformName(), "summary": panel.summary.text(),
                 "query": panel.query.text(), "replacement": panel.replacement.text(),
                 "status": window.status.currentMessage()}
        out.write_text(json.dumps(state))
        window.closing = True
        window.close()
        app.quit()

    window.projects.searching.previewed.connect(  # after the panel's own slot has run
        lambda _r: QTimer.singleShot(0, lambda: print("previewed", flush=True)))
    QTimer.singleShot(800, announce)
    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(100)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
