"""Fetch a model file the writer asked for, and only then: from the model hub (or a mirror
of it) through ``huggingface_hub``, or from a URL they paste.

The hub's own client resolves the file (redirects, the mirror endpoint, the LFS hash and
size from its headers, the writer's hub token for gated models) and moves the bytes
(``http_get``: Range requests, retries on a dropped connection). What Wordloom adds:

- the bytes go to ``downloads/NAME.part`` beside the models folder, with a note of what
  they are; a cancel, a lost connection or an app restart resumes from there (HTTP Range);
- free disk space is checked before starting, and the models folder is checked writable;
- the SHA-256 is checked (the catalogue's, else the one given, else the hub's), then the
  GGUF header is parsed, and only then is the file moved into the models folder in one
  rename. A file that fails a check is deleted: nothing half-made reaches the models folder.

Every failure is one ``DownloadError`` sentence.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, cast
from urllib.parse import unquote, urlparse

from engine.errors import ModelError, WordloomError
from engine.fsutil import current_umask
from engine.model.catalog import SHA256, CatalogEntry
from engine.model.gguf import read_metadata
from engine.paths import app_paths

HASH_CHUNK = 4 << 20
SPACE_MARGIN = 64 << 20  # keep this much free after the download


class DownloadError(WordloomError):
    """A download failed; the sentence says why and what is kept."""


class DownloadCancelled(DownloadError):
    """The writer paused or cancelled."""


@dataclass(frozen=True)
class Source:
    """Where a model file comes from: a hub repository's file, or a plain URL."""

    repo: str = ""
    file: str = ""
    revision: str = "main"
    url: str = ""
    endpoint: str = ""  # a hub mirror; empty: the public hub

    @classmethod
    def from_entry(cls, entry: CatalogEntry, endpoint: str = "") -> Source:
        return cls(repo=entry.repo, file=entry.file, revision=entry.revision, endpoint=endpoint)

    @property
    def file_name(self) -> str:
        if self.repo:
            return self.file
        return Path(unquote(urlparse(self.url).path)).name

    def key(self) -> str:
        """What the partial file belongs to (a resume must be of the same thing)."""
        if self.repo:
            return f"hub:{self.endpoint or '-'}:{self.repo}@{self.revision}/{self.file}"
        return f"url:{self.url}"

    def describe(self) -> str:
        return f"{self.repo}/{self.file}" if self.repo else self.url


@dataclass(frozen=True)
class Progress:
    phase: str  # "connecting", "downloading", "verifying"
    done: int = 0
    total: int | None = None
    rate: float = 0.0  # bytes per second, over the last few seconds
    resumed_from: int = 0


@dataclass(frozen=True)
class DownloadResult:
    path: Path
    sha256: str
    size_bytes: int
    checked_against: str  # "catalogue", "given", "hub" or "none"
    resumed_from: int = 0
    already_there: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "size_bytes": self.size_bytes,
                "checked_against": self.checked_against, "resumed_from": self.resumed_from,
                "already_there": self.already_there}


ProgressFn = Callable[[Progress], None]


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
    for path in (partial_path(name), _note_path(partial_path(name))):
        path.unlink(missing_ok=True)


def _note_path(part: Path) -> Path:
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


class _Meter:
    """The progress bar ``http_get`` drives (it is handed the class): reports to the
    caller, and stops the transfer when the writer pauses or cancels."""

    def __init__(self, report: ProgressFn, cancel: threading.Event, resumed_from: int,
                 **kwargs: Any) -> None:
        self.report = report
        self.cancel = cancel
        self.total: int | None = kwargs.get("total")
        self.done: int = kwargs.get("initial") or 0
        self.resumed_from = resumed_from
        self.samples: list[tuple[float, int]] = [(time.monotonic(), self.done)]
        self.last_report = 0.0

    def __enter__(self) -> _Meter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        return None

    def close(self) -> None:
        return None

    def update(self, n: int | float | None = 1) -> None:
        if self.cancel.is_set():
            raise DownloadCancelled("stopped by the writer")
        self.done += int(n or 0)
        now = time.monotonic()
        if now - self.last_report < 0.1 and (self.total is None or self.done < self.total):
            return
        self.last_report = now
        self.samples.append((now, self.done))
        while len(self.samples) > 2 and now - self.samples[0][0] > 5.0:
            self.samples.pop(0)
        (t0, b0) = self.samples[0]
        rate = (self.done - b0) / (now - t0) if now > t0 else 0.0
        self.report(Progress("downloading", self.done, self.total, rate, self.resumed_from))


def download(source: Source, *, sha256: str = "", catalogue_sha256: str = "",
             timeout: float = 30.0, progress: ProgressFn | None = None,
             cancel: threading.Event | None = None,
             keep_partial: bool = True) -> DownloadResult:
    """Download ``source`` into the models folder, checked; see the module's text.

    ``keep_partial=False`` deletes what was downloaded when the writer cancels (Cancel);
    with True it is kept to resume (Pause)."""
    report = progress or (lambda _p: None)
    cancel = cancel or threading.Event()
    name = source.file_name
    _check_name(name, source)
    expected = _expected_hashes(sha256, catalogue_sha256)
    models = app_paths().models
    target = models / name
    _check_writable(models)
    if target.exists():
        return _already_there(target, expected)
    part = partial_path(name)
    _prepare_staging(part.parent)

    report(Progress("connecting"))
    try:
        meta = _resolve(source, timeout)
        hub_sha = meta["etag"] if SHA256.fullmatch(meta["etag"] or "") else ""
        resumed = _resume_point(part, source, meta)
        _check_space(part.parent, models, meta["size"], resumed, name)
        digest = _transfer(source, meta, part, resumed, timeout, report, cancel)
        if not digest:  # the running hash was lost (the server restarted the file)
            report(Progress("verifying", 0, meta["size"]))
            digest = sha256_file(part, cancel, lambda n: report(Progress("verifying", n,
                                                                         meta["size"])))
        checked = _verify(name, digest, expected, hub_sha)
        _check_gguf(part, name)
        _place(part, target)
    except DownloadCancelled:
        if not keep_partial:
            discard_partial(name)
        raise
    except DownloadError:
        raise
    except Exception as exc:  # KeyboardInterrupt goes on up; the partial stays to resume
        raise _explain(exc, source, name, timeout) from exc
    return DownloadResult(target, digest, target.stat().st_size, checked, resumed)


def _check_name(name: str, source: Source) -> None:
    if not name or not name.lower().endswith(".gguf") or name.startswith("."):
        raise DownloadError(f"{source.describe()}: not a .gguf file name; paste the link "
                            "of the .gguf file itself")
    if source.url:
        scheme = urlparse(source.url).scheme
        if scheme not in ("http", "https"):
            raise DownloadError(f"{source.url}: only http:// and https:// links can be "
                                "downloaded")


def _expected_hashes(given: str, catalogue: str) -> dict[str, str]:
    expected = {}
    for label, value in (("catalogue", catalogue), ("given", given)):
        value = value.strip().lower()
        if value:
            if not SHA256.fullmatch(value):
                raise DownloadError(f"SHA-256 {value!r}: expected 64 hexadecimal digits")
            expected[label] = value
    return expected


def _check_writable(models: Path) -> None:
    try:
        models.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=models)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        reason = "a file is in its place" if models.is_file() else exc.strerror or str(exc)
        raise DownloadError(f"cannot write to the models folder {models} ({reason}); "
                            "nothing was downloaded") from exc


def _prepare_staging(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot write to {folder} ({exc.strerror or exc}); nothing was "
                            "downloaded") from exc


def _already_there(target: Path, expected: dict[str, str]) -> DownloadResult:
    if expected:
        digest = sha256_file(target)
        if digest not in expected.values():
            raise DownloadError(f"{target.name} is already in the models folder but is a "
                                "different file (its SHA-256 differs); move it away first")
        return DownloadResult(target, digest, target.stat().st_size, next(iter(expected)),
                              already_there=True)
    return DownloadResult(target, sha256_file(target), target.stat().st_size, "none",
                          already_there=True)


def _resolve(source: Source, timeout: float) -> dict[str, Any]:
    """The file's final address, size and ETag (for a hub file: its SHA-256)."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    if source.repo:
        url = hf_hub_url(source.repo, source.file, revision=source.revision,
                         endpoint=source.endpoint or None)
        meta = get_hf_file_metadata(url, timeout=timeout, endpoint=source.endpoint or None)
    else:
        # token=False: the writer's hub token is never sent to a server they pasted
        meta = get_hf_file_metadata(source.url, token=False, timeout=timeout)
    return {"location": meta.location, "size": meta.size, "etag": meta.etag or "",
            "commit": meta.commit_hash or ""}


def _resume_point(part: Path, source: Source, meta: dict[str, Any]) -> int:
    """Bytes kept from an earlier try of the same file, or 0 (anything else is dropped)."""
    note = _note_path(part)
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


def _check_space(staging: Path, models: Path, size: int | None, resumed: int,
                 name: str) -> None:
    if size is None:
        return
    free = shutil.disk_usage(staging).free
    needed = size - resumed + SPACE_MARGIN
    if free < needed:
        raise DownloadError(f"{name}: not enough disk space: it needs {_gb(needed)} more and "
                            f"{staging} has {_gb(free)} free")
    if os.stat(staging).st_dev != os.stat(models).st_dev:
        free_models = shutil.disk_usage(models).free
        if free_models < size + SPACE_MARGIN:
            raise DownloadError(f"{name}: not enough disk space in {models}: it needs "
                                f"{_gb(size + SPACE_MARGIN)} and has {_gb(free_models)} free")


def _gb(n: int) -> str:
    if n >= 1e8:
        return f"{n / 1e9:.2f} GB"
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


class _HashingFile:
    """The partial file, hashed as it is written (no second pass over gigabytes) on a
    thread of its own (hashlib lets go of the GIL), so hashing overlaps the transfer. Any
    seek or truncate (a server that ignored the Range request) drops the running hash."""

    def __init__(self, handle: Any, digest: Any) -> None:
        self.handle = handle
        self.digest: Any = digest
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="download-hash")
        self.pending: deque[Future[None]] = deque()

    def write(self, data: bytes) -> int:
        if self.digest is not None:
            self.pending.append(self.pool.submit(self.digest.update, data))
            while len(self.pending) > 4:  # at most a few chunks held in memory
                self.pending.popleft().result()
        return int(self.handle.write(data))

    def hexdigest(self) -> str:
        """The SHA-256 of all that was written ("" if the running hash was dropped)."""
        while self.pending:
            self.pending.popleft().result()
        self.pool.shutdown()
        return self.digest.hexdigest() if self.digest is not None else ""

    def tell(self) -> int:
        return int(self.handle.tell())

    def seek(self, offset: int, whence: int = 0) -> int:
        self.digest = None
        return int(self.handle.seek(offset, whence))

    def truncate(self, size: int | None = None) -> int:
        self.digest = None
        return int(self.handle.truncate(size))

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return int(self.handle.fileno())


def _transfer(source: Source, meta: dict[str, Any], part: Path, resumed: int,
              timeout: float, report: ProgressFn, cancel: threading.Event) -> str:
    """Fetch the rest of the file into ``part``; its SHA-256 ("" when it must be read
    again)."""
    from huggingface_hub import constants
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils._headers import build_hf_headers

    digest = hashlib.sha256()
    if resumed:
        report(Progress("verifying", 0, resumed))
        with open(part, "rb") as kept:
            remaining = resumed
            while remaining and (chunk := kept.read(min(HASH_CHUNK, remaining))):
                if cancel.is_set():
                    raise DownloadCancelled("stopped by the writer")
                digest.update(chunk)
                remaining -= len(chunk)
                report(Progress("verifying", resumed - remaining, resumed))
    if meta["size"] is not None and resumed == meta["size"]:
        return digest.hexdigest()
    constants.HF_HUB_DOWNLOAD_TIMEOUT = int(max(1, timeout))  # read by http_get per request
    headers = build_hf_headers(token=None if source.repo else False)
    headers["Accept-Encoding"] = "identity"

    def meter(**kwargs: Any) -> _Meter:
        return _Meter(report, cancel, resumed, **kwargs)

    report(Progress("downloading", resumed, meta["size"], 0.0, resumed))
    with open(part, "r+b" if part.exists() else "wb") as out:
        out.seek(resumed)
        out.truncate()
        hashing = _HashingFile(out, digest)
        try:
            http_get(meta["location"], cast(Any, hashing), resume_size=resumed,
                     headers=headers, expected_size=meta["size"],
                     displayed_filename=part.stem, tqdm_class=cast(Any, meter))
        finally:
            digest_hex = hashing.hexdigest()
            out.flush()
            os.fsync(out.fileno())
    return digest_hex


def _verify(name: str, digest: str, expected: dict[str, str], hub_sha: str) -> str:
    checks = dict(expected)
    if hub_sha:
        checks.setdefault("hub", hub_sha)
    for label, value in checks.items():
        if digest != value:
            discard_partial(name)
            where = {"catalogue": "the catalogue", "given": "the one given",
                     "hub": "the hub's"}[label]
            raise DownloadError(f"{name}: the SHA-256 does not match {where} (got "
                                f"{digest[:12]}…, expected {value[:12]}…); the download was "
                                "discarded")
    return next(iter(checks), "none")


def _check_gguf(part: Path, name: str) -> None:
    with open(part, "rb") as handle:
        head = handle.read(512)
    if head.lstrip()[:1] == b"<" or head.lstrip()[:15].lower().startswith(b"<!doctype"):
        discard_partial(name)
        raise DownloadError(f"{name}: the server sent a web page, not a GGUF model; use the "
                            "file's download link; the download was discarded")
    try:
        read_metadata(part)
    except ModelError as exc:
        discard_partial(name)
        reason = str(exc).split(": ", 1)[-1]
        raise DownloadError(f"{name}: the download is not a usable GGUF model ({reason}); "
                            "it was discarded") from exc


def _place(part: Path, target: Path) -> None:
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
    _note_path(part).unlink(missing_ok=True)
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _explain(exc: Exception, source: Source, name: str, timeout: float) -> DownloadError:
    """One sentence for what went wrong; what was downloaded is kept to resume."""
    import httpx2
    from huggingface_hub import errors as hf

    kept = partial_bytes(name)
    resume = (f"; the {_gb(kept)} downloaded so far are kept and the next try resumes"
              if kept else "")
    where = source.describe()
    if not source.repo:
        pass
    elif isinstance(exc, hf.GatedRepoError):
        return DownloadError(f"{source.repo} is gated: accept its licence on the hub and set "
                             "HF_TOKEN (or log in with the hub's tool), then try again")
    elif isinstance(exc, hf.RepositoryNotFoundError):
        return DownloadError(f"the hub has no repository {source.repo!r} (or it is private)")
    elif isinstance(exc, hf.RevisionNotFoundError):
        return DownloadError(f"{source.repo} has no revision {source.revision!r}")
    elif isinstance(exc, hf.RemoteEntryNotFoundError):
        return DownloadError(f"{source.repo} has no file {source.file!r}")
    if isinstance(exc, hf.OfflineModeIsEnabled):
        return DownloadError("downloads are off: HF_HUB_OFFLINE is set in the environment")
    if isinstance(exc, hf.HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else "?"
        if status == 404:
            return DownloadError(f"{where}: not found (404)")
        if status in (401, 403):
            return DownloadError(f"{where}: access refused ({status}); a token may be needed")
        return DownloadError(f"{where}: the server answered {status}{resume}")
    if isinstance(exc, httpx2.TooManyRedirects):
        return DownloadError(f"{where}: too many redirects (the server sends the request "
                             "round in a loop)")
    if isinstance(exc, httpx2.TimeoutException):
        return DownloadError(f"{where}: the server stopped answering (nothing for "
                             f"{timeout:g} s){resume}")
    if isinstance(exc, httpx2.ConnectError):
        host = urlparse(source.url or source.endpoint or "https://huggingface.co").netloc
        return DownloadError(f"cannot reach {host} ({_short(exc)}){resume}")
    if isinstance(exc, httpx2.RemoteProtocolError):
        return DownloadError(f"{where}: the server closed the connection before the end"
                             f"{resume}")
    if isinstance(exc, httpx2.TransportError):
        return DownloadError(f"{where}: the connection failed ({_short(exc)}){resume}")
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return DownloadError(f"{name}: the disk filled up while downloading{resume}; free "
                             "some space and try again")
    if isinstance(exc, OSError) and "Consistency check failed" in str(exc):
        return DownloadError(f"{name}: the transfer ended early{resume}")
    if isinstance(exc, OSError):
        return DownloadError(f"{name}: cannot write the download ({exc.strerror or exc})"
                             f"{resume}")
    return DownloadError(f"{where}: download failed ({type(exc).__name__}: {_short(exc)})"
                         f"{resume}")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__
