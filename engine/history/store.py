"""One document's versions in one SQLite file.

A version is a list of line ids; each distinct line (a paragraph, in prose) is stored once,
compressed, and shared by every version that holds it, so a version that changes one
paragraph of a 100,000-word novel costs that paragraph and a few bytes of ids. The file
is in WAL mode with ``synchronous=NORMAL``: a process killed at any moment (SIGKILL, a
crash) leaves every committed version whole, and a save does not wait for the disk twice.
Power loss can lose the last versions written, never the older ones.

A store is used by one thread at a time (a lock guards it); two processes may share the
file (SQLite's own locking; a busy timeout waits for the other).
"""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engine.errors import HistoryError
from engine.history.codec import (
    Version,
    common_ends,
    line_hash,
    pack_ids,
    text_hash,
    unpack_ids,
)
from engine.history.compare import lines as cut_lines
from engine.history.compare import words_changed
from engine.history.thinning import Aged, to_drop
from engine.text.words import writers_word_count

# up to this many characters of changed paragraphs, words added and removed are counted
# word by word; beyond it (a rewrite of half a novel) the net change is counted
EXACT_CHARS = 200_000
DEFAULT_CAP = 64 * 1024 * 1024  # bytes per document, after which the oldest unnamed go
TIDY_EVERY = 20  # versions between two checks of the cap within a day
REASONS = ("save", "suggestion", "review", "writing", "restore", "before-restore", "snapshot",
           "import", "before-replace", "replace")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS lines(id INTEGER PRIMARY KEY, hash BLOB UNIQUE NOT NULL,
    words INTEGER NOT NULL, packed INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS versions(id INTEGER PRIMARY KEY, time REAL NOT NULL,
    reason TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', words INTEGER NOT NULL,
    added INTEGER NOT NULL, removed INTEGER NOT NULL, text_hash BLOB NOT NULL,
    chars INTEGER NOT NULL, manifest BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS versions_by_text ON versions(text_hash);
"""


class HistoryStore:
    """The versions of one document (``path``: the store's own file)."""

    def __init__(self, path: Path, cap_bytes: int = DEFAULT_CAP, *,
                 read_only: bool = False) -> None:
        """``read_only``: look into a store (a damaged one, to save what can be read)
        without writing to it."""
        self.path = Path(path)
        self.cap_bytes = cap_bytes
        self._lock = threading.RLock()
        self._known: dict[bytes, tuple[int, int]] | None = None  # line hash -> (id, words)
        self._generation = ""
        self._tip: tuple[int, list[int]] | None = None  # newest version's id and line ids
        self._tip_lines: dict[str, tuple[int, int]] = {}  # its lines: text -> (id, words)
        self._tidied = ("", 0)  # the day of the last tidy, and records since
        try:
            if read_only:
                self.db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                          isolation_level=None, check_same_thread=False)
                return
            self.db = sqlite3.connect(self.path, timeout=10, isolation_level=None,
                                      check_same_thread=False)
            self.db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            self.db.execute("SELECT count(*) FROM versions").fetchone()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise HistoryError(f"{self.path}: the history store is damaged ({exc})") from exc

    # -- reading ---------------------------------------------------------------------------

    def versions(self) -> list[Version]:
        """Every version, newest first."""
        with self._reading():
            rows = self.db.execute("SELECT id, time, reason, name, words, added, removed "
                                   "FROM versions ORDER BY time DESC, id DESC").fetchall()
        return [Version(*row) for row in rows]

    def version(self, version_id: int) -> Version:
        with self._reading():
            row = self.db.execute("SELECT id, time, reason, name, words, added, removed "
                                  "FROM versions WHERE id=?", (version_id,)).fetchone()
        if row is None:
            raise HistoryError(f"there is no version {version_id} in this document's history")
        return Version(*row)

    def latest(self) -> Version | None:
        with self._reading():
            row = self.db.execute("SELECT id, time, reason, name, words, added, removed "
                                  "FROM versions ORDER BY time DESC, id DESC LIMIT 1").fetchone()
        return Version(*row) if row else None

    def lines(self, version_id: int) -> list[str]:
        """The version's text cut after each newline (``"".join`` gives it back)."""
        with self._reading():
            row = self.db.execute("SELECT manifest, text_hash FROM versions WHERE id=?",
                                  (version_id,)).fetchone()
            if row is None:
                raise HistoryError(f"there is no version {version_id} in this document's "
                                   "history")
            try:
                ids = unpack_ids(row[0])
            except (zlib.error, ValueError) as exc:
                raise HistoryError(f"version {version_id} is damaged: its list of "
                                   "paragraphs cannot be read") from exc
            texts = self._line_texts(set(ids))
        missing = [i for i in ids if i not in texts]
        if missing:
            raise HistoryError(f"version {version_id} is damaged: {len(missing)} of its "
                               "paragraphs are missing from the store")
        out = [texts[i] for i in ids]
        if text_hash("".join(out)) != row[1]:
            raise HistoryError(f"version {version_id} is damaged: its text does not match "
                               "its checksum")
        return out

    def text(self, version_id: int) -> str:
        return "".join(self.lines(version_id))

    def text_hash_of(self, version_id: int) -> bytes:
        with self._reading():
            row = self.db.execute("SELECT text_hash FROM versions WHERE id=?",
                                  (version_id,)).fetchone()
        return bytes(row[0]) if row else b""

    def get_meta(self, key: str, default: str = "") -> str:
        with self._reading():
            row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def size_bytes(self) -> int:
        """What the store holds, in bytes (pages in use; the WAL not counted)."""
        with self._reading():
            pages = self.db.execute("PRAGMA page_count").fetchone()[0]
            free = self.db.execute("PRAGMA freelist_count").fetchone()[0]
            size = self.db.execute("PRAGMA page_size").fetchone()[0]
        return int((pages - free) * size)

    # -- writing ---------------------------------------------------------------------------

    def set_meta(self, key: str, value: str) -> None:
        with self._writing():
            self.db.execute("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) "
                            "DO UPDATE SET value=excluded.value", (key, value))

    def record(self, text: str, reason: str, name: str = "",
               when: float | None = None) -> Version | None:
        """Keep ``text`` as a new version; None when it is the newest version already (a
        ``name`` then names that version, if it has none)."""
        if reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        when = time.time() if when is None else when
        digest = text_hash(text)
        with self._writing():
            tip = self._load_tip()
            if tip is not None:
                row = self.db.execute("SELECT text_hash, name FROM versions WHERE id=?",
                                      (tip[0],)).fetchone()
                if row is not None and row[0] == digest:
                    if name and not row[1]:
                        self.db.execute("UPDATE versions SET name=? WHERE id=?",
                                        (name, tip[0]))
                    return None
            parts = cut_lines(text)
            ids, words = self._store_lines(parts)
            added, removed = self._changed(tip[1] if tip else [], ids, parts)
            cursor = self.db.execute(
                "INSERT INTO versions(time, reason, name, words, added, removed, text_hash, "
                "chars, manifest) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (when, reason, name, words, added, removed, digest, len(text),
                 pack_ids(ids)))
            version_id = int(cursor.lastrowid or 0)
            self._tip = (version_id, ids)
        day = time.strftime("%Y-%m-%d", time.localtime(when))
        if self._tidied[0] != day or self._tidied[1] >= TIDY_EVERY:
            self.tidy(now=when)  # thinning changes with the day; the cap is checked now and then
            self._tidied = (day, 0)
        else:
            self._tidied = (day, self._tidied[1] + 1)
        return Version(version_id, when, reason, name, words, added, removed)

    def set_name(self, version_id: int, name: str) -> None:
        with self._writing():
            done = self.db.execute("UPDATE versions SET name=? WHERE id=?",
                                   (name.strip(), version_id)).rowcount
        if not done:
            raise HistoryError(f"there is no version {version_id} in this document's history")

    def tidy(self, now: float | None = None) -> int:
        """Let aged versions go by the thinning rule, then the oldest unnamed ones while the
        store is over its cap; returns how many went."""
        now = time.time() if now is None else now
        with self._writing():
            aged = [Aged(i, t, bool(n)) for i, t, n in
                    self.db.execute("SELECT id, time, name FROM versions")]
            drop = to_drop(aged, now)
            if drop:
                self._drop(drop)
        dropped = len(drop)
        while self.size_bytes() > self.cap_bytes:
            with self._writing():
                rows = self.db.execute(
                    "SELECT id FROM versions WHERE name='' ORDER BY time, id").fetchall()
                candidates = [r[0] for r in rows[:-1]]  # never the newest
                if not candidates:
                    break
                batch = candidates[:max(1, len(candidates) // 10)]
                self._drop(batch)
            dropped += len(batch)
        return dropped

    def close(self) -> None:
        with self._lock:
            self._close_quietly()

    # -- inside ----------------------------------------------------------------------------

    def _close_quietly(self) -> None:
        db = getattr(self, "db", None)
        if db is not None:
            try:
                db.close()
            except sqlite3.Error:
                pass
            self.db = None  # type: ignore[assignment]

    @contextmanager
    def _reading(self) -> Iterator[None]:
        with self._lock:
            if self.db is None:
                raise HistoryError(f"{self.path}: the history store is closed")
            try:
                yield
            except sqlite3.DatabaseError as exc:
                raise HistoryError(f"{self.path}: the history store is damaged ({exc})") \
                    from exc

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._reading():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self._check_generation()
                yield
            except BaseException:
                self._tip = None
                self._tip_lines = {}
                self._known = None  # lines inserted by the rolled back write are gone
                try:
                    self.db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise
            self.db.execute("COMMIT")

    def _check_generation(self) -> None:
        """Another process that let lines go makes this one's cache of lines stale."""
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        generation = row[0] if row else ""
        if generation != self._generation:
            self._known = None
            self._tip = None
            self._tip_lines = {}
            self._generation = generation

    def _load_tip(self) -> tuple[int, list[int]] | None:
        row = self.db.execute("SELECT id, manifest FROM versions ORDER BY time DESC, id DESC "
                              "LIMIT 1").fetchone()
        if row is None:
            self._tip = None
        elif self._tip is None or self._tip[0] != row[0]:
            self._tip = (row[0], unpack_ids(row[1]))
        return self._tip

    def _store_lines(self, parts: list[str]) -> tuple[list[int], int]:
        """Each line's id (stored when new) and the text's words. A line the newest version
        has is found by its text; only the others are hashed (a save after an edit hashes
        one paragraph, not the novel)."""
        tip_lines = self._tip_lines
        found = [tip_lines.get(part) or self._line_id(part) for part in parts]
        self._tip_lines = dict(zip(parts, found, strict=True))
        return [f[0] for f in found], sum(f[1] for f in found)

    def _line_id(self, part: str) -> tuple[int, int]:
        if self._known is None:
            self._known = {h: (i, w) for h, i, w in
                           self.db.execute("SELECT hash, id, words FROM lines")}
        digest = line_hash(part)
        found = self._known.get(digest)
        if found is None:
            found = self._insert_line(digest, part)
            self._known[digest] = found
        return found

    def _insert_line(self, digest: bytes, line: str) -> tuple[int, int]:
        raw = line.encode("utf-8", "surrogatepass")
        packed = zlib.compress(raw, 6) if len(raw) > 64 else raw
        flag = int(packed is not raw and len(packed) < len(raw))
        words = writers_word_count(line)
        self.db.execute("INSERT OR IGNORE INTO lines(hash, words, packed, data) "
                        "VALUES(?, ?, ?, ?)", (digest, words, flag, packed if flag else raw))
        row = self.db.execute("SELECT id, words FROM lines WHERE hash=?", (digest,)).fetchone()
        return int(row[0]), int(row[1])

    def _line_texts(self, ids: set[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        wanted = sorted(ids)
        for start in range(0, len(wanted), 900):
            chunk = wanted[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for line_id, packed, data in self.db.execute(
                    f"SELECT id, packed, data FROM lines WHERE id IN ({marks})", chunk):
                try:
                    raw = zlib.decompress(data) if packed else bytes(data)
                    out[line_id] = raw.decode("utf-8", "surrogatepass")
                except (zlib.error, UnicodeDecodeError):
                    continue  # counted as missing by the caller
        return out

    def _changed(self, old_ids: list[int], new_ids: list[int],
                 new_parts: list[str]) -> tuple[int, int]:
        if not old_ids:
            return sum(writers_word_count(p) for p in new_parts), 0
        head, tail = common_ends(old_ids, new_ids)  # what they share cancels out
        before_ids = Counter(old_ids[head:len(old_ids) - tail])
        after_ids = Counter(new_ids[head:len(new_ids) - tail])
        gone, came = before_ids - after_ids, after_ids - before_ids
        by_id = dict(zip(new_ids, new_parts, strict=True))
        new = [by_id[i] for i in came.elements()]
        if sum(map(len, new)) > EXACT_CHARS:  # a rewrite of half a novel: net counts
            changed = set(gone) | set(came)
            marks = ",".join("?" * len(changed))
            size = dict(self.db.execute(f"SELECT id, words FROM lines WHERE id IN ({marks})",
                                        list(changed)).fetchall())
            before = sum(size.get(i, 0) * n for i, n in gone.items())
            after = sum(size.get(i, 0) * n for i, n in came.items())
            return max(0, after - before), max(0, before - after)
        old_texts = self._line_texts(set(gone))
        old = [old_texts.get(i, "") for i in gone.elements()]
        return words_changed(old, new)

    def _drop(self, version_ids: list[int]) -> None:
        """Delete versions and the lines no version holds any more (inside a write)."""
        for start in range(0, len(version_ids), 900):
            chunk = version_ids[start:start + 900]
            self.db.execute(f"DELETE FROM versions WHERE id IN ({','.join('?' * len(chunk))})",
                            chunk)
        used: set[int] = set()
        for (blob,) in self.db.execute("SELECT manifest FROM versions"):
            used.update(unpack_ids(blob))
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used(id INTEGER PRIMARY KEY)")
        self.db.execute("DELETE FROM used")
        self.db.executemany("INSERT INTO used(id) VALUES(?)", ((i,) for i in used))
        self.db.execute("DELETE FROM lines WHERE id NOT IN (SELECT id FROM used)")
        self.db.execute("DELETE FROM used")
        self.db.execute("INSERT INTO meta(key, value) VALUES('generation', ?) ON CONFLICT(key) "
                        "DO UPDATE SET value=excluded.value", (f"{time.time_ns()}",))
        self._generation = self.db.execute(
            "SELECT value FROM meta WHERE key='generation'").fetchone()[0]
        self._known = None
        self._tip = None
        self._tip_lines = {}
        self.db.execute("PRAGMA incremental_vacuum")
