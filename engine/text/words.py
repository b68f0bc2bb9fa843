"""Words as the evaluation and the model's scorer count them: letters and digits, with
inner apostrophes kept ("don't" is one word)."""

from __future__ import annotations

import re

_WORDS = re.compile(r"\w+(?:['’]\w+)*")


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))


# Chinese and Japanese characters: a writer's word count counts each one as a word, as
# Chinese word processors do (WPS, Word's East Asian count)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                  r"\U00020000-\U0003134f]")


def writers_word_count(text: str) -> int:
    """Words as a writer counts them: each CJK character is one, other words as above
    ("我今天去了商店 and milk" is 7 + 2)."""
    cjk = len(_CJK.findall(text))
    return cjk + word_count(_CJK.sub(" ", text)) if cjk else word_count(text)
