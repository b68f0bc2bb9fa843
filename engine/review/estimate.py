"""How long the rest of Proofread Document will take, from how long the pieces done so far
took.

A piece costs a fixed part (the checkers' calls, the judge's setup, the lane's hand-over)
and a part that grows with its length. Dividing the time so far by the characters so far
charges the first piece's one-off costs (LanguageTool's first answer, the model's first
context) to every character still to come: on a 707-word document it said 420 s for a
run of 190 s. Here the first piece is left out once there are others, and the rest are
fitted as ``seconds = fixed + per_char × chars`` by least squares."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Estimate:
    samples: list[tuple[int, float]] = field(default_factory=list)  # (chars, seconds) a piece

    def add(self, chars: int, seconds: float) -> None:
        self.samples.append((chars, max(0.0, seconds)))

    def seconds_left(self, chars_left: int, pieces_left: float) -> float:
        """-1 when nothing is known yet."""
        if not self.samples:
            return -1.0
        used = self.samples[1:] if len(self.samples) > 1 else self.samples
        fixed, per_char = _fit(used)
        return max(0.0, fixed * pieces_left + per_char * chars_left)


def _fit(samples: list[tuple[int, float]]) -> tuple[float, float]:
    """(fixed, per_char) with both at least 0: least squares, or the mean rate when the
    pieces are too alike in length to tell the two apart."""
    n = len(samples)
    mean_x = sum(x for x, _ in samples) / n
    mean_y = sum(y for _, y in samples) / n
    spread = sum((x - mean_x) ** 2 for x, _ in samples)
    if n >= 3 and spread > 0:
        slope = sum((x - mean_x) * (y - mean_y) for x, y in samples) / spread
        fixed = mean_y - slope * mean_x
        if slope < 0:  # longer pieces no slower: all of it is the fixed part
            return mean_y, 0.0
        if fixed >= 0:
            return fixed, slope
    return 0.0, mean_y / mean_x if mean_x else 0.0
