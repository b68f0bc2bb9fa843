"""Which versions to keep as they age: every one from today, the last of each day for a
month, the last of each week after that; named versions and the newest always."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

MONTH_DAYS = 30


@dataclass(frozen=True)
class Aged:
    id: int
    time: float  # seconds since the epoch
    named: bool


def to_drop(versions: Sequence[Aged], now: float) -> list[int]:
    """The ids the rule lets go (oldest first). Days and weeks are local time."""
    if not versions:
        return []
    today = dt.datetime.fromtimestamp(now).date()
    newest = max(versions, key=lambda v: (v.time, v.id)).id
    last_in: dict[tuple[str, object], int] = {}  # bucket -> id of its newest version
    bucket_of: dict[int, tuple[str, object]] = {}
    for version in sorted(versions, key=lambda v: (v.time, v.id)):
        day = dt.datetime.fromtimestamp(version.time).date()
        age = (today - day).days
        if age <= 0:
            continue  # today (or a clock set back): all kept
        bucket: tuple[str, object] = ("day", day) if age <= MONTH_DAYS else \
            ("week", tuple(day.isocalendar())[:2])
        last_in[bucket] = version.id
        bucket_of[version.id] = bucket
    keep = set(last_in.values()) | {newest} | {v.id for v in versions if v.named}
    return [v.id for v in sorted(versions, key=lambda v: (v.time, v.id))
            if v.id in bucket_of and v.id not in keep]
