"""The project's search index: SQLite FTS5 with the trigram tokenizer, in the cache folder.

One row a line of each document (so a hit has its line and column), and one row a
document with its content hash: :meth:`SearchIndex.sync` reads only the documents whose
hash changed, so an index kept from the last session is brought up to date in a moment,
and one that is damaged or missing is rebuilt. Trigrams find substrings and Chinese; a
query under three characters, a whole-word or case-sensitive one and a regular expression
are checked line by line in Python over the candidate rows (or every row), so each option
means exactly what it says. Each thread opens its own connection.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from engine.documents.files import decode_bytes
from engine.errors import DocumentError
from engine.paths import app_paths
from engine.project.manifest import ProjectError
from engine.text.words import writers_word_count

_T = TypeVar("_T")
# The lines in a plain table (a scan for a short query or a regular expression reads it
# fast), and the trigram index over it as an FTS5 external-content table.
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs(path TEXT PRIMARY KEY, hash TEXT NOT NULL,
                                words INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS body(id INTEGER PRIMARY KEY, path TEXT NOT NULL,
                                line INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS body_path ON body(path);
CREATE VIRTUAL TABLE IF NOT EXISTS lines USING fts5(text, content='body', content_rowid='id',
                                                    tokenize='trigram');
"""
VERSION = 2  # PRAGMA user_version: an index of another version is rebuilt
CONTEXT = 40


@dataclass(frozen=True)
class Hit:
    path: str
    line: int  # 1-based
    column: int  # 1-based, in code points
    length: int
    context: str
    at: int = 0  # where the hit starts in ``context``

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column,
                "context": self.context}


def index_path(root: Path) -> Path:
    key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
    return app_paths().cache / "projects" / key / "index.sqlite3"


def search_pattern(query: str, *, whole_word: bool = False, case: bool = False,
                   regex: bool = False) -> re.Pattern[str]:
    """The pattern a search or replace looks for; a bad regular expression is one line."""
    body = query if regex else re.escape(query)
    if whole_word and (regex or (query[:1].isalnum() and query[-1:].isalnum())):
        body = rf"\b(?:{body})\b"  # (\b is quicker than the lookarounds below)
    elif whole_word:
        body = rf"(?<!\w){body}(?!\w)"
    try:
        return re.compile(body, 0 if case else re.IGNORECASE)
    except re.error as exc:
        raise ProjectError(f"{query!r} is not a regular expression Wordloom can read "
                           f"({exc})") from exc


class SearchIndex:
    def __init__(self, root: Path, db_file: Path | None = None) -> None:
        self.root = Path(root)
        self.db_file = Path(db_file) if db_file else index_path(root)
        self._local = threading.local()
        self.rebuilt = False  # set when a damaged index was thrown away

    # -- the connection --------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            self._local.db = db
        return db

    def _connect(self) -> sqlite3.Connection:
        self.db_file.parent.mkdir(parents=True, exist_ok=True)
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.db_file, timeout=10)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                found = db.execute("PRAGMA user_version").fetchone()[0]
                if found not in (0, VERSION):
                    raise sqlite3.DatabaseError(f"index version {found}")
                db.executescript(SCHEMA)
                db.execute(f"PRAGMA user_version={VERSION}")
                db.execute("SELECT count(*) FROM docs").fetchone()
                return db
            except sqlite3.DatabaseError:
                if attempt:
                    raise
                self._throw_away()
        raise AssertionError("unreachable")

    def _throw_away(self) -> None:
        self.rebuilt = True
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(self.db_file) + suffix).unlink()

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def _guarded(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work``; a damaged index is thrown away and rebuilt empty, once."""
        try:
            return work(self._db())
        except sqlite3.DatabaseError:
            self.close()
            self._throw_away()
            return work(self._db())

    # -- keeping it up to date ---------------------------------------------------------------

    def known(self) -> dict[str, str]:
        rows = self._guarded(lambda db: db.execute("SELECT path, hash FROM docs").fetchall())
        return {str(path): str(digest) for path, digest in rows}

    def sync(self, paths: Iterable[str], *, cancel: threading.Event | None = None,
             pause: Callable[[], None] | None = None) -> int:
        """Bring the index to the files ``paths`` (relative to the root); returns how many
        documents were read again. ``pause`` is called between documents (a lane yields
        there); ``cancel`` stops between documents."""
        wanted = list(paths)
        known = self.known()
        for gone in set(known) - set(wanted):
            self.remove(gone)
        changed = 0
        for rel in wanted:
            if cancel is not None and cancel.is_set():
                break
            try:
                data = (self.root / rel).read_bytes()
            except OSError:
                self.remove(rel)
                continue
            digest = hashlib.sha256(data).hexdigest()
            if known.get(rel) == digest:
                continue
            try:
                text = decode_bytes(data).text
            except DocumentError:
                text = ""
            self._put(rel, text, digest)
            changed += 1
            if pause is not None:
                pause()
        return changed

    def update(self, rel: str, text: str) -> bool:
        """One document after a save: re-indexed when its text changed."""
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if self.known_hash(rel) == digest:
            return False
        self._put(rel, text, digest)
        return True

    def known_hash(self, rel: str) -> str:
        row = self._guarded(lambda db: db.execute("SELECT hash FROM docs WHERE path=?",
                                                  (rel,)).fetchone())
        return str(row[0]) if row else ""

    def _put(self, rel: str, text: str, digest: str) -> None:
        def work(db: sqlite3.Connection) -> None:
            with db:
                _drop_lines(db, rel)
                for n, line in enumerate(text.split("\n"), 1):
                    if line.strip():
                        row = db.execute("INSERT INTO body(path, line, text) VALUES(?, ?, ?)",
                                         (rel, n, line)).lastrowid
                        db.execute("INSERT INTO lines(rowid, text) VALUES(?, ?)", (row, line))
                db.execute("INSERT OR REPLACE INTO docs(path, hash, words) VALUES(?, ?, ?)",
                           (rel, digest, writers_word_count(text)))
        self._guarded(work)

    def remove(self, rel: str) -> None:
        def work(db: sqlite3.Connection) -> None:
            with db:
                _drop_lines(db, rel)
                db.execute("DELETE FROM docs WHERE path=?", (rel,))
        self._guarded(work)

    def rename(self, old: str, new: str) -> None:
        def work(db: sqlite3.Connection) -> None:
            with db:
                for table in ("body", "docs"):
                    db.execute(f"UPDATE {table} SET path=? WHERE path=?", (new, old))
                    if old.endswith("/"):
                        db.execute(f"UPDATE {table} SET path=? || substr(path, ?) WHERE "
                                   "substr(path, 1, ?) = ?", (new, len(old) + 1, len(old), old))
        self._guarded(work)

    def texts(self, paths: list[str]) -> dict[str, str]:
        """The documents' texts as indexed, lines in place (blank lines are not kept, so
        a text is only good for reading names and places, not for writing back)."""
        wanted = set(paths)
        lines: dict[str, list[str]] = {}
        rows = self._guarded(lambda db: db.execute(
            "SELECT path, line, text FROM body ORDER BY path, line").fetchall())
        for path, number, text in rows:
            if path in wanted:
                doc = lines.setdefault(path, [])
                doc.extend([""] * (int(number) - 1 - len(doc)))
                doc.append(text)
        return {path: "\n".join(doc) for path, doc in lines.items()}

    def words(self) -> dict[str, int]:
        rows = self._guarded(lambda db: db.execute("SELECT path, words FROM docs").fetchall())
        return {str(path): int(words) for path, words in rows}

    # -- searching -------------------------------------------------------------------------

    def search(self, query: str, *, whole_word: bool = False, case: bool = False,
               regex: bool = False, order: list[str] | None = None,
               limit: int = 1_000) -> tuple[list[Hit], float]:
        """The hits of ``query`` (the first ``limit``, in the book's order): grouped by
        document, the documents with the most hits first (then the book's order), in
        reading order within one; and the milliseconds it took."""
        started = time.perf_counter()
        if not query:
            return [], 0.0
        pattern = search_pattern(query, whole_word=whole_word, case=case, regex=regex)
        rows = self._guarded(lambda db: self._candidates(db, query, regex))
        place = {p: n for n, p in enumerate(order or [])}
        by_doc: dict[str, list[Hit]] = {}
        count = 0
        for text, path, line in rows:
            for match in pattern.finditer(text):
                if match.end() == match.start():
                    continue
                by_doc.setdefault(path, []).append(_hit(path, int(line), text, match))
                count += 1
            if count >= limit:
                break
        docs = sorted(by_doc, key=lambda p: (-len(by_doc[p]), place.get(p, 1 << 30), p))
        hits = [h for p in docs for h in sorted(by_doc[p], key=lambda h: (h.line, h.column))]
        return hits, (time.perf_counter() - started) * 1000

    @staticmethod
    def _candidates(db: sqlite3.Connection, query: str, regex: bool) -> sqlite3.Cursor:
        """The lines that may hold a hit, read lazily (a common word stops at the limit)."""
        if regex:  # no literal part is certain to be there ("cat|dog", "colou?r")
            return db.execute("SELECT text, path, line FROM body")
        if len(query) >= 3:
            phrase = '"' + query.replace('"', '""') + '"'
            return db.execute("SELECT b.text, b.path, b.line FROM lines JOIN body b ON "
                              "b.id = lines.rowid WHERE lines MATCH ?", (phrase,))
        return db.execute("SELECT text, path, line FROM body WHERE text LIKE ? "
                          "ESCAPE '\\'", (_like(query),))


def _drop_lines(db: sqlite3.Connection, rel: str) -> None:
    """A document's lines out of the table and out of the trigram index (an external-
    content index is told what each deleted row held)."""
    rows = db.execute("SELECT id, text FROM body WHERE path=?", (rel,)).fetchall()
    db.executemany("INSERT INTO lines(lines, rowid, text) VALUES('delete', ?, ?)", rows)
    db.execute("DELETE FROM body WHERE path=?", (rel,))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _hit(path: str, line: int, text: str, match: re.Match[str]) -> Hit:
    """A hit with up to CONTEXT characters either side, cut at a space."""
    start, end = match.span()
    lo, hi = max(0, start - CONTEXT), end + CONTEXT
    if lo:
        space = text.find(" ", lo, start)
        lo = space + 1 if space >= 0 else lo
    if hi < len(text):
        space = text.rfind(" ", end, hi)
        hi = space if space >= 0 else hi
    context = ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")
    return Hit(path, line, start + 1, end - start, context, start - lo + (1 if lo else 0))
