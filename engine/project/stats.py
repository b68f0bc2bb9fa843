"""A project's counts and goal, composed from each document's own history.

Words per document are counted as the writer counts them; words written today (and on
each of the last 30 days) are each document's words now less its words when the day
began, from its version history (``engine.history.daily``), added up. A document with no
history yet counts nothing written: its words were there before Wordloom saw them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from engine.history.daily import written_per_day
from engine.history.library import HistoryLibrary
from engine.project.model import Project
from engine.text.words import writers_word_count


@dataclass
class DocumentCount:
    path: str
    words: int
    status: str
    target: int
    placed: bool
    problem: str = ""


@dataclass
class ProjectStats:
    documents: list[DocumentCount]
    words: int
    words_today: int
    days: list[tuple[dt.date, int]] = field(default_factory=list)
    goal_words: int = 0
    goal_by: dt.date | None = None
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def per_day_needed(self) -> int:
        """Words a day from today to reach the goal by its date (0: none, or reached)."""
        left = self.goal_words - self.words
        if not self.goal_words or left <= 0 or self.goal_by is None:
            return 0
        days = max(1, (self.goal_by - self.today).days + 1)
        return -(-left // days)

    def goal_json(self) -> dict[str, object] | None:
        if not self.goal_words:
            return None
        return {"words": self.goal_words, "by": self.goal_by.isoformat() if self.goal_by
                else None, "left": max(0, self.goal_words - self.words),
                "per_day": self.per_day_needed}


def project_stats(project: Project, *, history: HistoryLibrary | None = None,
                  today: dt.date | None = None, days: int = 30) -> ProjectStats:
    today = today or dt.date.today()
    library = history or HistoryLibrary()
    counts: list[DocumentCount] = []
    per_day: dict[dt.date, int] = {}
    placed = set(project.documents())
    for rel, text, problem in project.texts():
        item = project.manifest.item(rel)
        words = writers_word_count(text) if text is not None else 0
        counts.append(DocumentCount(rel, words, item.status if item else "",
                                    item.target if item else 0, rel in placed, problem))
        if text is None:
            continue
        opened = library.open(project.path(rel), create=False)
        if opened is None:
            continue
        try:
            versions = opened.store.versions()
        finally:
            opened.store.close()
        for day, written in written_per_day(versions, today, words, days):
            per_day[day] = per_day.get(day, 0) + written
    series = sorted(per_day.items()) or [(today - dt.timedelta(days=back), 0)
                                         for back in range(days - 1, -1, -1)]
    in_book = sum(c.words for c in counts if c.placed)
    return ProjectStats(counts, in_book, per_day.get(today, 0), series,
                        project.manifest.goal_words, project.manifest.goal_by, today)
