"""Moving the bytes: the hub client's ``http_get`` (Range resume, retries on a dropped
connection) writes into the partial file, hashed as it arrives, and reports progress
through a meter that also stops it when the writer pauses or cancels."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from engine.model.download_types import HASH_CHUNK, DownloadCancelled, Progress, ProgressFn, Source

_TIMEOUT_LOCK = threading.Lock()


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


@contextmanager
def _read_timeout(seconds: float) -> Iterator[None]:
    """``http_get`` takes its read timeout from the hub's settings module on each request
    and has no argument for it: set it for this transfer only, one transfer at a time, and
    put the writer's own (``HF_HUB_DOWNLOAD_TIMEOUT``) back after."""
    from huggingface_hub import constants

    with _TIMEOUT_LOCK:
        before = constants.HF_HUB_DOWNLOAD_TIMEOUT
        constants.HF_HUB_DOWNLOAD_TIMEOUT = int(max(1, seconds))
        try:
            yield
        finally:
            constants.HF_HUB_DOWNLOAD_TIMEOUT = before


def transfer(source: Source, meta: dict[str, Any], part: Path, resumed: int,
              timeout: float, report: ProgressFn, cancel: threading.Event) -> str:
    """Fetch the rest of the file into ``part``; its SHA-256 ("" when it must be read
    again)."""
    from huggingface_hub.file_download import http_get
    from huggingface_hub.utils import build_hf_headers  # type: ignore[attr-defined]

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
            with _read_timeout(timeout):
                http_get(meta["location"], cast(Any, hashing), resume_size=resumed,
                         headers=headers, expected_size=meta["size"],
                         displayed_filename=part.stem, tqdm_class=cast(Any, meter))
        finally:
            digest_hex = hashing.hexdigest()
            out.flush()
            os.fsync(out.fileno())
    return digest_hex
