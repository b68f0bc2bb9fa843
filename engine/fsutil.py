"""Atomic file writes: a temp file in the same folder, fsync, then ``os.replace``."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
import time
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, keep_mode: bool = True) -> None:
    """Replace ``path`` with ``data`` so that readers see the old file or the new, never half.

    The original's permission bits are kept. On any failure the temporary file is removed,
    the original is untouched, and the OSError propagates.
    """
    path = Path(path)
    folder = path.parent
    mode: int | None = None
    if keep_mode:
        with contextlib.suppress(FileNotFoundError):
            mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(folder)
    if path not in _SWEPT:  # once per file: the journal is rewritten at every pause
        _SWEPT.add(path)
        remove_stale_temporaries(path)


STALE_SECONDS = 60.0
_SWEPT: set[Path] = set()


def remove_stale_temporaries(path: Path) -> int:
    """Delete ``.NAME.*.tmp`` files a killed save left beside ``path`` (older than a
    minute, so a save still running elsewhere keeps its own); returns how many."""
    removed = 0
    now = time.time()
    for leftover in Path(path).parent.glob(f".{glob.escape(Path(path).name)}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
                removed += 1
    return removed


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
