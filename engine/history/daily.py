"""Words written per day and a document's goal, from its versions.

A day's words are the words at its last version; the words written on a day are that
minus the words at the end of the day before (so deleting counts against the day, as in
novelWriter's and Scrivener's session targets). Days are local time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from engine.errors import HistoryError
from engine.history.codec import Version


def words_at_day_end(versions: Sequence[Version]) -> dict[dt.date, int]:
    out: dict[dt.date, int] = {}
    for version in sorted(versions, key=lambda v: (v.time, v.id)):
        out[version.when.date()] = version.words
    return out


def baseline(versions: Sequence[Version], day: dt.date) -> int:
    """The words the document had when ``day`` began: its last version before that day;
    else, when its first version is the file as it was found (opened, or recorded by
    ``history --snapshot``: not written in Wordloom), that version's."""
    ordered = sorted(versions, key=lambda v: (v.time, v.id))
    before = [v for v in ordered if v.when.date() < day]
    if before:
        return before[-1].words
    if ordered and ordered[0].reason in ("import", "snapshot"):
        return ordered[0].words
    return 0


def written_per_day(versions: Sequence[Version], today: dt.date, now_words: int,
                    days: int = 30) -> list[tuple[dt.date, int]]:
    """(day, words written) for the last ``days`` days up to ``today``, whose end is the
    text as it is now."""
    ends = words_at_day_end(versions)
    ends[today] = now_words
    out = []
    for back in range(days - 1, -1, -1):
        day = today - dt.timedelta(days=back)
        if day in ends:
            out.append((day, ends[day] - baseline(versions, day)))
        else:
            out.append((day, 0))
    return out


@dataclass(frozen=True)
class Goal:
    """Words in all (``words``) or words a day (``per_day``), with an optional deadline."""

    words: int = 0
    per_day: int = 0
    deadline: dt.date | None = None

    def to_json(self) -> str:
        return json.dumps({"words": self.words, "per_day": self.per_day,
                           "deadline": self.deadline.isoformat() if self.deadline else ""})

    @staticmethod
    def from_json(data: str) -> Goal | None:
        if not data:
            return None
        try:
            raw = json.loads(data)
            deadline = dt.date.fromisoformat(raw["deadline"]) if raw.get("deadline") else None
            goal = Goal(int(raw.get("words", 0)), int(raw.get("per_day", 0)), deadline)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise HistoryError(f"the document's goal cannot be read ({exc})") from exc
        return goal if goal.words > 0 or goal.per_day > 0 else None

    def progress(self, words_now: int, written_today: int, today: dt.date) -> tuple[int, int, str]:
        """(done, target, a line for the writer)."""
        if self.per_day:
            return (max(0, written_today), self.per_day,
                    f"{written_today:,} of {self.per_day:,} words today")
        left = self.words - words_now
        line = f"{words_now:,} of {self.words:,} words"
        if self.deadline is not None and left > 0:
            days = (self.deadline - today).days + 1
            line += (f"; {days} day(s) left, {-(-left // days):,} words a day" if days > 0
                     else "; the deadline has passed")
        elif left <= 0:
            line += "; reached"
        return words_now, self.words, line
