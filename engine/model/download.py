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

import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from engine.errors import ModelError
from engine.model.catalog import SHA256
from engine.model.download_errors import explain
from engine.model.download_types import (
    DownloadCancelled,
    DownloadError,
    DownloadResult,
    Progress,
    ProgressFn,
    Source,
)
from engine.model.gguf import read_metadata
from engine.model.staging import (
    check_space,
    check_writable,
    discard_partial,
    partial_bytes,
    partial_path,
    place,
    prepare_staging,
    resume_point,
    sha256_file,
    staging_dir,
)
from engine.model.transfer import transfer
from engine.paths import app_paths

__all__ = ["DownloadCancelled", "DownloadError", "DownloadResult", "Progress", "Source",
           "discard_partial", "download", "partial_bytes", "partial_path", "sha256_file",
           "staging_dir"]


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
    check_writable(models)
    if target.exists():
        return _already_there(target, expected)
    part = partial_path(name)
    prepare_staging(part.parent)

    report(Progress("connecting"))
    try:
        meta = _resolve(source, timeout)
        hub_sha = meta["etag"] if SHA256.fullmatch(meta["etag"] or "") else ""
        resumed = resume_point(part, source, meta)
        check_space(part.parent, models, meta["size"], resumed, name)
        digest = transfer(source, meta, part, resumed, timeout, report, cancel)
        if not digest:  # the running hash was lost (the server restarted the file)
            report(Progress("verifying", 0, meta["size"]))
            digest = sha256_file(part, cancel, lambda n: report(Progress("verifying", n,
                                                                         meta["size"])))
        checked = _verify(name, digest, expected, hub_sha)
        _check_gguf(part, name)
        place(part, target)
    except DownloadCancelled:
        if not keep_partial:
            discard_partial(name)
        raise
    except DownloadError:
        raise
    except Exception as exc:  # KeyboardInterrupt goes on up; the partial stays to resume
        raise explain(exc, source, name, timeout) from exc
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
