"""Changes made to a project's folder by other programs, noticed while Wordloom runs.

watchdog watches the folder (inotify, FSEvents, ReadDirectoryChangesW; polling where
none works). Events are gathered until the folder has been quiet for ``settle`` seconds
(a ``git checkout`` is hundreds of events: one report), then ``report`` is called on the
watcher's own thread with the paths, relative to the project, that changed. Hidden
names (``.git``, the lock, a save's temporary file) are not reported.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


class ProjectWatcher(FileSystemEventHandler):
    def __init__(self, root: Path, report: Callable[[set[str]], None],
                 settle: float = 0.3) -> None:
        super().__init__()
        self.root = Path(root).resolve()
        self.report = report
        self.settle = settle
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._observer: Observer | None = None  # type: ignore[valid-type]

    def start(self) -> None:
        observer = Observer()
        observer.schedule(self, str(self.root), recursive=True)
        observer.daemon = True
        observer.start()
        self._observer = observer

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        rels = {rel for rel in (self._relative(p) for p in paths if p) if rel}
        if not rels:
            return
        with self._lock:
            self._pending |= rels
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.settle, self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _relative(self, path: str | bytes) -> str:
        text = path.decode() if isinstance(path, bytes) else path
        try:
            rel = Path(text).resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return ""
        if rel == "." or any(part.startswith(".") for part in rel.split("/")):
            return ""
        return rel

    def _fire(self) -> None:
        with self._lock:
            changed, self._pending = self._pending, set()
            self._timer = None
        if changed:
            self.report(changed)
