"""The text a generation works on: where it was in the document and what it said."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.text.offsets import utf16_len


@dataclass
class Target:
    """One generation's target: UTF-16 positions (Qt's) and its text.

    The cards of one generation and its history entry share one Target. ``original`` is
    what the suggestions were made from (the diffs compare against it); ``text`` is what
    stands at ``start``–``end`` now: after Accept the target moves onto the accepted
    text, so accepting another card of the same generation replaces the first choice."""

    start: int
    end: int
    original: str
    text: str = field(default="")

    def __post_init__(self) -> None:
        if not self.text:
            self.text = self.original

    def moved_to(self, text: str) -> None:
        self.end = self.start + utf16_len(text)
        self.text = text
