"""Word-level differences between an original and a suggestion."""

from __future__ import annotations

import html
import re
from collections.abc import Hashable, Iterator, Sequence

_TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def regions(a: Sequence[Hashable], b: Sequence[Hashable]) -> Iterator[tuple[bool, int, int,
                                                                      int, int]]:
    """(same, i1, i2, j1, j2): the stretches of ``a`` and ``b`` that a longest common
    subsequence keeps (same) and those between them, which differ. rapidfuzz computes it
    in C++ (bit-parallel): two 100,000-word versions compare line by line in a millisecond
    where difflib takes a tenth of a second."""
    from rapidfuzz.distance import Indel

    pending: tuple[int, int, int, int] | None = None
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            if pending is not None:
                yield False, pending[0], pending[1], pending[2], pending[3]
                pending = None
            yield True, op.src_start, op.src_end, op.dest_start, op.dest_end
        elif pending is None:
            pending = (op.src_start, op.src_end, op.dest_start, op.dest_end)
        else:
            pending = (pending[0], op.src_end, pending[2], op.dest_end)
    if pending is not None:
        yield False, pending[0], pending[1], pending[2], pending[3]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces: op is "=", "-" (only in old) or "+" (only in new)."""
    a, b = tokens(old), tokens(new)
    out: list[tuple[str, str]] = []
    for same, i1, i2, j1, j2 in regions(a, b):
        if same:
            out.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


def diff_html(old: str, new: str, removed: str = "#c0392b", added: str = "#1e8449") -> str:
    """The suggestion as HTML: removed words struck through, added words underlined."""
    parts = []
    for op, text in word_diff(old, new):
        safe = html.escape(text).replace("\n", "<br>")
        if op == "=":
            parts.append(safe)
        elif op == "-":
            if text.strip():
                parts.append(f'<s style="color:{removed}">{safe}</s>')
        else:
            parts.append(f'<u style="color:{added}">{safe}</u>')
    return "".join(parts)
