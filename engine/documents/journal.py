"""Autosave journal and document locks, in the data folder.

Every few seconds and on a pause in typing, the unsaved text of an open document is
written atomically to ``journal/<id>.json`` with the process id. A clean close removes
it. On start, entries whose process is gone are offered for recovery. A lock file per
open document path warns when a second Wordloom opens the same file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.fsutil import atomic_write_text
from engine.paths import app_paths


@dataclass
class JournalEntry:
    doc_id: str
    path: str  # "" for an untitled document
    text: str
    saved_at: float
    pid: int
    title: str = ""
    review: dict[str, Any] | None = None  # changes still to review (engine.review.pending)

    @property
    def name(self) -> str:
        return Path(self.path).name if self.path else (self.title or "Untitled")


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        import psutil

        return bool(psutil.pid_exists(pid)
                    and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except Exception:
        return True


class Journal:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or app_paths().journal
        with contextlib.suppress(OSError):  # unusable: writes fail (and are logged) later
            self.folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def new_id(path: Path | None = None) -> str:
        seed = str(path.resolve()) if path else uuid.uuid4().hex
        return hashlib.sha1(f"{seed}|{os.getpid()}|{time.time()}".encode()).hexdigest()[:16]

    def _file(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.json"

    def write(self, doc_id: str, path: Path | None, text: str, title: str = "",
              review: dict[str, Any] | None = None) -> None:
        entry: dict[str, Any] = {"doc_id": doc_id, "path": str(path) if path else "",
                                 "text": text, "saved_at": time.time(), "pid": os.getpid(),
                                 "title": title}
        if review:
            entry["review"] = review
        atomic_write_text(self._file(doc_id), json.dumps(entry, ensure_ascii=False))

    def discard(self, doc_id: str) -> None:
        with contextlib.suppress(OSError):
            self._file(doc_id).unlink()

    def read(self, doc_id: str) -> JournalEntry | None:
        try:
            data = json.loads(self._file(doc_id).read_text(encoding="utf-8"))
            entry = JournalEntry(**data)
        except (OSError, ValueError, TypeError):
            return None
        fields_ok = all(isinstance(getattr(entry, k), str)
                        for k in ("doc_id", "path", "text", "title"))
        numbers_ok = isinstance(entry.saved_at, int | float) and not isinstance(
            entry.saved_at, bool) and isinstance(entry.pid, int) and not isinstance(
            entry.pid, bool) and 0 < entry.pid < 1 << 31
        review_ok = entry.review is None or isinstance(entry.review, dict)
        return entry if fields_ok and numbers_ok and review_ok and "\0" not in entry.path \
            else None

    def orphans(self, problems: list[str] | None = None) -> list[JournalEntry]:
        """Entries left by processes that are no longer running (after a crash). A damaged
        entry is skipped, and named in ``problems`` when given."""
        out = []
        try:
            files = sorted(self.folder.glob("*.json"))
        except OSError as exc:
            if problems is not None:
                problems.append(f"{self.folder}: cannot read the recovery journal ({exc})")
            return []
        for file in files:
            entry = self.read(file.stem)
            if entry is None:
                if problems is not None and file.exists():
                    problems.append(f"{file}: a damaged recovery file, skipped (left in "
                                    "place)")
                continue
            if not _pid_alive(entry.pid):
                out.append(entry)
        return sorted(out, key=lambda e: -e.saved_at)


class DocumentLock:
    """A lock file per open document; tells who else has it open."""

    def __init__(self, path: Path, folder: Path | None = None) -> None:
        self.folder = folder or app_paths().data / "locks"
        self.folder.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:16]
        self.file = self.folder / f"{key}.lock"
        self.path = Path(path)
        self.held = False

    def other_holder(self) -> str | None:
        """A description of another live process holding the lock, or None."""
        try:
            data = json.loads(self.file.read_text())
        except (OSError, ValueError):
            return None
        pid = int(data.get("pid", 0))
        if pid == os.getpid() or not _pid_alive(pid) or data.get("host") != socket.gethostname():
            return None
        return f"process {pid} since {time.strftime('%H:%M', time.localtime(data['since']))}"

    def acquire(self) -> str | None:
        """Take the lock; returns a warning when another Wordloom already has the file."""
        other = self.other_holder()
        atomic_write_text(self.file, json.dumps({"pid": os.getpid(), "since": time.time(),
                                                 "host": socket.gethostname(),
                                                 "path": str(self.path)}))
        self.held = True
        if other:
            return f"{self.path.name} is already open in another Wordloom window ({other})"
        return None

    def release(self) -> None:
        if self.held:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(self.file.read_text())
                if int(data.get("pid", 0)) == os.getpid():
                    self.file.unlink()
            self.held = False
