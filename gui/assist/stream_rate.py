"""How fast a suggestion streams in, for the status bar."""

from __future__ import annotations


class StreamRate:
    """Chunks a second of the card being written, told at most twice a second."""

    def __init__(self) -> None:
        self.job = self.index = -1
        self.start = self.shown = 0.0
        self.chunks = 0

    def chunk(self, job: int, index: int, now: float) -> float | None:
        if (self.job, self.index) != (job, index):
            self.job, self.index, self.start, self.chunks = job, index, now, 0
            return None
        self.chunks += 1
        if now - self.shown > 0.5 and now > self.start:
            self.shown = now
            return self.chunks / (now - self.start)
        return None
