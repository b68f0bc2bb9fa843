"""The one place where text positions change units.

Python ``str`` indices and Harper spans count code points; Qt's QTextDocument and
LanguageTool (Java strings) count UTF-16 code units. They differ after every character
outside the Basic Multilingual Plane (most emoji, rare CJK).
"""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class OffsetMap:
    """Converts positions in one string between code points and UTF-16 units."""

    __slots__ = ("_astral", "_astral16", "length", "length16")

    def __init__(self, text: str) -> None:
        self._astral = [] if text.isascii() else [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 position of each astral character's first unit
        self._astral16 = [cp + n for n, cp in enumerate(self._astral)]
        self.length = len(text)
        self.length16 = self.length + len(self._astral)

    def to_utf16(self, cp: int) -> int:
        if not self._astral:
            return cp
        return cp + bisect_left(self._astral, cp)

    def to_cp(self, unit: int) -> int:
        """A UTF-16 position as a code point index (inside a surrogate pair: rounds down)."""
        if not self._astral:
            return unit
        # astral characters that start before ``unit``; a low-surrogate position lands on
        # its own character, so it rounds down
        return unit - bisect_left(self._astral16, unit)

    def span_from_utf16(self, start16: int, length16: int) -> tuple[int, int]:
        return self.to_cp(start16), self.to_cp(start16 + length16)


def utf16_len(text: str) -> int:
    return len(text) if text.isascii() else len(text) + len(_ASTRAL.findall(text))
