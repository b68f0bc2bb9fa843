"""How a version is written down: its record, the hashes of its text and lines, and its
list of line ids packed small."""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Version:
    id: int
    time: float
    reason: str
    name: str
    words: int
    added: int
    removed: int

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.time).astimezone()

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "time": self.when.isoformat(timespec="seconds"),
                "words": self.words, "added": self.added, "removed": self.removed,
                "reason": self.reason, "name": self.name}


def text_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def line_hash(line: str) -> bytes:
    return hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def pack_ids(ids: Sequence[int]) -> bytes:
    """Ids as differences from the one before (mostly 1 in a text written in order), so
    zlib makes a 4,000-paragraph list a few hundred bytes."""
    deltas = np.diff(np.asarray(ids, dtype=np.int64), prepend=0)
    return zlib.compress(deltas.astype("<i8").tobytes(), 1)


def unpack_ids(blob: bytes) -> list[int]:
    raw = zlib.decompress(blob)
    if len(raw) % 8:
        raise ValueError("a list of ids is cut short")
    return np.cumsum(np.frombuffer(raw, dtype="<i8")).tolist()  # type: ignore[no-any-return]


def common_ends(a: Sequence[int], b: Sequence[int]) -> tuple[int, int]:
    """How many items ``a`` and ``b`` share at their start, and then at their end."""
    most = min(len(a), len(b))
    head = 0
    while head < most and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < most - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail
