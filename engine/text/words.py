"""Words as the evaluation and the model's scorer count them: letters and digits, with
inner apostrophes kept ("don't" is one word)."""

from __future__ import annotations

import re

_WORDS = re.compile(r"\w+(?:['’]\w+)*")


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))
