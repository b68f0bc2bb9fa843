"""Where a download waits until it is checked: ``downloads/NAME.part`` beside the models
folder with a note of what it is (so a pause, a lost connection or a restart resumes
from there), the space and permission checks before a transfer, and the one rename that
puts a checked file into the models folder."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.fsutil import current_umask
from engine.model.download_types import HASH_CHUNK, DownloadCancelled, DownloadError, Source
from engine.paths import app_paths

SPACE_MARGIN = 64 << 20  # keep this much free after the download


def staging_dir() -> Path:
    return app_paths().data / "downloads"


def partial_path(name: str) -> Path:
    return staging_dir() / f"{name}.part"


def partial_bytes(name: str) -> int:
    """Bytes already downloaded of ``name`` (0 when nothing is kept)."""
    try:
        return partial_path(name).stat().st_size
    except OSError:
        return 0


def discard_partial(name: str) -> None:
    for path in (partial_path(name), note_path(partial_path(name))):
        path.unlink(missing_ok=True)


def note_path(part: Path) -> Path:
    return part.with_name(part.name + ".json")


def sha256_file(path: Path, cancel: threading.Event | None = None,
                on_bytes: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    done = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled("cancelled while checking the file")
            digest.update(chunk)
            done += len(chunk)
            if on_bytes is not None:
                on_bytes(done)
    return digest.hexdigest()


def check_writable(models: Path) -> None:
    try:
        models.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=models)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = "a file is in its place" if models.is_file() else exc.strerror or str(exc)
        raise DownloadError(f"cannot write to the models folder {models} ({reason}); "
                            "nothing was downloaded") from exc


def prepare_staging(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot write to {folder} ({exc.strerror or exc}); nothing was "
                            "downloaded") from exc


def resume_point(part: Path, source: Source, meta: dict[str, Any]) -> int:
    """Bytes kept from an earlier try of the same file, or 0 (anything else is dropped)."""
    note = note_path(part)
    mine = {"source": source.key(), "etag": meta["etag"], "size": meta["size"]}
    try:
        kept = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = None
    size = part.stat().st_size if part.exists() else 0
    if kept != mine or (meta["size"] is not None and size > meta["size"]):
        part.unlink(missing_ok=True)
        size = 0
    note.write_text(json.dumps(mine), encoding="utf-8")
    return size


def check_space(staging: Path, models: Path, size: int | None, resumed: int,
                 name: str) -> None:
    if size is None:
        return
    free = shutil.disk_usage(staging).free
    needed = size - resumed + SPACE_MARGIN
    if free < needed:
        raise DownloadError(f"{name}: not enough disk space: it needs {gb(needed)} more and "
                            f"{staging} has {gb(free)} free")
    if os.stat(staging).st_dev != os.stat(models).st_dev:
        free_models = shutil.disk_usage(models).free
        if free_models < size + SPACE_MARGIN:
            raise DownloadError(f"{name}: not enough disk space in {models}: it needs "
                                f"{gb(size + SPACE_MARGIN)} and has {gb(free_models)} free")


def gb(n: int) -> str:
    if n >= 1e8:
        return f"{n / 1e9:.2f} GB"
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


def place(part: Path, target: Path) -> None:
    """Into the models folder in one step; the note of the partial goes too."""
    try:
        os.replace(part, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out, open(part, "rb") as src:
                shutil.copyfileobj(src, out, HASH_CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o666 & ~current_umask())  # not mkstemp's private 0600
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        part.unlink(missing_ok=True)
    note_path(part).unlink(missing_ok=True)
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
