"""Starting the app: settings, logging, theme, the window, crash safety, recovery."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from engine.paths import app_paths
from engine.startup import start_up
from engine.version import __version__

if TYPE_CHECKING:
    from gui.window.main_window import MainWindow

log = logging.getLogger("wordloom")


def setup_logging() -> Path:
    """Log to the logs folder. Logs hold messages and tracebacks, never document text.
    Where that folder cannot be written, the log goes to standard error."""
    paths = app_paths().ensure([])
    logfile = paths.logs / "wordloom.log"
    handler: logging.Handler
    try:
        handler = logging.handlers.RotatingFileHandler(logfile, maxBytes=1_000_000,
                                                       backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return logfile


def install_crash_handler(window: MainWindow, logfile: Path) -> None:
    """Unexpected errors: journal first, then the log, then plain words for the writer."""
    from PySide6.QtWidgets import QMessageBox

    def on_error(kind: type[BaseException], value: BaseException, tb: object) -> None:
        try:
            window.documents.write_journal()
        finally:
            log.error("unexpected error", exc_info=value)
        if getattr(window, "property", None) and window.property("quiet"):
            return
        QMessageBox.critical(
            window, "Something went wrong",
            f"Wordloom ran into an unexpected problem ({kind.__name__}). Your text is safe: "
            f"it is in the recovery journal. Details are in {logfile}.")

    def on_thread_error(args: threading.ExceptHookArgs) -> None:
        log.error("unexpected error in thread %s", args.thread.name if args.thread else "?",
                  exc_info=args.exc_value)

    sys.excepthook = on_error
    threading.excepthook = on_thread_error


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wordloom", description="Wordloom writing editor")
    parser.add_argument("files", nargs="*", help="a document to open")
    parser.add_argument("--smoke", action="store_true",
                        help="scripted offscreen run: open, generate, accept, check, save")
    parser.add_argument("--screenshot", metavar="FILE", help="with --smoke: save a screenshot")
    parser.add_argument("--version", action="version", version=f"wordloom {__version__}")
    return parser.parse_args(list(argv))


def run_gui(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    if args.smoke:
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.window.main_window import MainWindow
    from gui.window.theme import apply_theme

    settings, problems, orphans = start_up()  # makes the folders the log goes into
    logfile = setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Wordloom")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("wordloom")
    from PySide6.QtGui import QIcon

    from engine.paths import resource_dir

    app.setWindowIcon(QIcon(str(resource_dir() / "icons" / "wordloom-256.png")))
    app.setDesktopFileName("wordloom")
    apply_theme(app, settings.theme)
    window = MainWindow(settings)
    install_crash_handler(window, logfile)
    if args.smoke:
        from gui.smoke import run_smoke

        return run_smoke(app, window, args.screenshot, problems)
    from gui.window import session

    session.layout(window, window)  # the docks and the size as they were
    window.show()
    if problems:
        window.status.showMessage(problems[0], 15000)
        QMessageBox.warning(window, "Wordloom started with problems", "\n".join(problems))
    window.offer_recovery(orphans)
    for name in args.files[:1]:
        window.files.open_path(Path(name))
    if not args.files and not orphans:
        if settings.reopen_last and settings.project_open and settings.recent_projects:
            window.projects.open_folder(Path(settings.recent_projects[0]), show_first=False)
        session.reopen(window)
    return app.exec()
