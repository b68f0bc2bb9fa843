"""A large lookup table held as its text lines: one string, found by bisection.

A Python dict of 100,000 small entries costs 30–50 MB resident (every key, value and tuple
is an object); the same table as sorted text lines is its file size, about 1–2 MB, and a
lookup parses only the lines it finds. Used for the tables read a few hundred times per
proofreading: the pronouncing dictionary's syllable counts and lemminflect's lexicon.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator


class SortedLines:
    """Lines keyed by their text before the first ``sep``; lines with one key keep the
    order they were given in (a stable sort), so a later line can override an earlier."""

    def __init__(self, lines: Iterable[str], sep: str = ",") -> None:
        self.sep = sep
        ordered = sorted((line for line in lines if line), key=self._key_of)
        self._text = "\n".join(ordered) + "\n"
        starts = array("I", [0])
        starts.extend(found.end() for found in re.finditer("\n", self._text))
        starts.pop()  # the end of the text starts no line
        self._starts = starts

    def _key_of(self, line: str) -> str:
        return line.partition(self.sep)[0]

    def _key_at(self, index: int) -> str:
        start = self._starts[index]
        end = self._text.find(self.sep, start)
        line_end = self._text.find("\n", start)
        return self._text[start:line_end if end < 0 or end > line_end else end]

    def _line_at(self, index: int) -> str:
        start = self._starts[index]
        return self._text[start:self._text.find("\n", start)]

    def __len__(self) -> int:
        return len(self._starts)

    def lines(self, key: str) -> list[str]:
        """Every line whose key is ``key``, in the order given."""
        index = bisect_left(range(len(self._starts)), key, key=self._key_at)
        found: list[str] = []
        while index < len(self._starts) and self._key_at(index) == key:
            found.append(self._line_at(index))
            index += 1
        return found

    def ordered_keys(self) -> Iterator[str]:
        """The keys in order, each once."""
        last: str | None = None
        for index in range(len(self._starts)):
            key = self._key_at(index)
            if key != last:
                yield key
                last = key
