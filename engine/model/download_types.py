"""What a model download is about: where the file comes from, how far it has got, what
came of it, and the one kind of error it raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from engine.errors import WordloomError
from engine.model.catalog import CatalogEntry

HASH_CHUNK = 4 << 20


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
