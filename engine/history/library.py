"""Where each document's history lives, and finding it again.

Stores are ``<data>/history/<id>.sqlite3``, never beside the document. Each store names
the file it belongs to; ``index.json`` maps paths to stores so that a lookup opens one file
(it is only a cache: lost or damaged, it is rebuilt from the stores). A file moved or
renamed outside Wordloom finds its history by its text: a store whose file is gone and
that holds a version with exactly this text is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import HistoryError
from engine.fsutil import atomic_write_text
from engine.history.codec import Version, text_hash
from engine.history.store import DEFAULT_CAP, HistoryStore
from engine.paths import app_paths

SUFFIX = ".sqlite3"


@dataclass
class Opened:
    store: HistoryStore
    notes: list[str] = field(default_factory=list)  # one line each, for the writer


def _key(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


class HistoryLibrary:
    def __init__(self, root: Path | None = None, cap_bytes: int = DEFAULT_CAP) -> None:
        self.root = Path(root) if root else app_paths().history
        self.cap_bytes = cap_bytes

    # -- finding ---------------------------------------------------------------------------

    def open(self, path: Path, text: str | None = None, create: bool = True) -> Opened | None:
        """The history of the document at ``path``: found by path, else (with ``text``) by
        content when its file moved, else a new one (or None without ``create``)."""
        key = _key(path)
        notes: list[str] = []
        store_file = self._by_path(key)
        if store_file is None and text is not None:
            store_file = self._by_content(text)
            if store_file is not None:
                old = self._meta_path(store_file)
                notes.append(f"{Path(key).name}: its history was found by its text (it was "
                             f"{old})")
        if store_file is None:
            if not create:
                return None
            try:
                self.root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(f"{self.root}: cannot keep history there "
                                   f"({exc.strerror})") from exc
            store_file = self.root / f"{uuid.uuid4().hex[:16]}{SUFFIX}"
        opened = self._open_store(store_file, key)
        opened.notes[:0] = notes
        if opened.store.get_meta("path") != key:
            opened.store.set_meta("path", key)
        self._remember(key, store_file)
        return opened

    def _by_path(self, key: str) -> Path | None:
        index = self._index()
        known = index.get(key)
        if known and (self.root / known).is_file():
            return self.root / known
        for store_file in self._stores():
            if self._meta_path(store_file) == key:
                return store_file
        return None

    def _by_content(self, text: str) -> Path | None:
        digest = text_hash(text)
        for store_file in self._stores():
            old = self._meta_path(store_file)
            if not old or Path(old).exists():
                continue  # its file is still there: a copy is a new document
            with contextlib.suppress(sqlite3.Error), \
                    contextlib.closing(sqlite3.connect(store_file, timeout=5)) as db:
                if db.execute("SELECT 1 FROM versions WHERE text_hash=? LIMIT 1",
                              (digest,)).fetchone():
                    return store_file
        return None

    def _stores(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob(f"*{SUFFIX}") if ".damaged-" not in p.name)

    @staticmethod
    def _meta_path(store_file: Path) -> str:
        try:
            with contextlib.closing(sqlite3.connect(store_file, timeout=5)) as db:
                row = db.execute("SELECT value FROM meta WHERE key='path'").fetchone()
                return row[0] if row else ""
        except sqlite3.Error:
            return ""

    def _index(self) -> dict[str, str]:
        try:
            data = json.loads((self.root / "index.json").read_text("utf-8"))
            return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        except (OSError, ValueError, AttributeError):
            return {}

    def _remember(self, key: str, store_file: Path) -> None:
        index = self._index()
        if index.get(key) == store_file.name:
            return
        index = {k: v for k, v in index.items() if v != store_file.name}
        index[key] = store_file.name
        with contextlib.suppress(OSError):  # only a cache
            atomic_write_text(self.root / "index.json", json.dumps(index, indent=1))

    # -- damage ----------------------------------------------------------------------------

    def _open_store(self, store_file: Path, key: str) -> Opened:
        try:
            return Opened(HistoryStore(store_file, self.cap_bytes))
        except HistoryError as exc:
            return self.salvage(store_file, key, str(exc))

    def salvage(self, store_file: Path, key: str, reason: str) -> Opened:
        """Set a damaged store aside, start a new one, and copy into it every version that
        can still be read whole."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = store_file.with_name(f"{store_file.stem}.damaged-{stamp}{SUFFIX}")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.replace(f"{store_file}{suffix}", f"{aside}{suffix}")
        readable, total = _readable(aside)
        store = HistoryStore(store_file, self.cap_bytes)
        store.set_meta("path", key)
        for version, text in readable:
            store.record(text, version.reason, version.name, when=version.time)
        detail = reason.rsplit("(", 1)[-1].rstrip(")") if reason.endswith(")") else reason
        note = (f"{Path(key).name}: its history was damaged ({detail}); {len(readable)} of "
                f"{total} version(s) could be read and were kept; the damaged file is "
                f"{aside}")
        return Opened(store, [note])


def _padded(store_file: Path) -> Path | None:
    """A copy of a cut-short SQLite file grown back to the size its header gives, with
    zeros: SQLite refuses a file shorter than its header says, but reads the pages that are
    still there once it is whole again (None when it is not SQLite or not short)."""
    import struct

    try:
        data = store_file.read_bytes()
    except OSError:
        return None
    if len(data) < 100 or not data.startswith(b"SQLite format 3\0"):
        return None
    page_size = struct.unpack(">H", data[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", data[28:32])[0]
    if not page_size or pages * page_size <= len(data) or pages * page_size > 1 << 32:
        return None
    copy = store_file.with_name(store_file.name + ".padded")
    try:
        copy.write_bytes(data + b"\0" * (pages * page_size - len(data)))
    except OSError:
        return None
    return copy


def _readable(store_file: Path) -> tuple[list[tuple[Version, str]], int]:
    """The versions of a damaged store that read back whole (oldest first), and how many
    it seemed to hold."""
    padded = _padded(store_file)
    try:
        return _read_all(padded or store_file)
    finally:
        if padded is not None:
            with contextlib.suppress(OSError):
                padded.unlink()


def _read_all(store_file: Path) -> tuple[list[tuple[Version, str]], int]:
    try:
        old = HistoryStore(store_file, read_only=True)
    except HistoryError:
        return [], 0
    try:
        try:
            ids = sorted(v.id for v in old.versions())
        except HistoryError:
            try:
                top = old.db.execute("SELECT max(id) FROM versions").fetchone()[0] or 0
            except sqlite3.Error:
                top = 10_000
            ids = list(range(1, int(top) + 1))
        found: list[tuple[Version, str]] = []
        seen = 0
        for version_id in ids:
            try:
                version = old.version(version_id)
            except HistoryError:
                continue
            seen += 1
            try:
                found.append((version, old.text(version_id)))
            except HistoryError:
                continue
        return sorted(found, key=lambda pair: (pair[0].time, pair[0].id)), seen
    finally:
        old.close()
