"""One sentence for each way a download fails: the hub client's errors, the HTTP
library's under it (``httpx2``, which the hub client speaks), and the disk's."""

from __future__ import annotations

import errno
from urllib.parse import urlparse

from engine.model.download_types import DownloadError, Source
from engine.model.staging import gb, partial_bytes


def explain(exc: Exception, source: Source, name: str, timeout: float) -> DownloadError:
    """One sentence for what went wrong; what was downloaded is kept to resume."""
    import httpx2
    from huggingface_hub import errors as hf

    kept = partial_bytes(name)
    resume = (f"; the {gb(kept)} downloaded so far are kept and the next try resumes"
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
