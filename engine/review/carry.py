"""The changes still to review, carried over to another text of the same document (a
version put back): each change whose words, and the words around them, are still there
moves with them; the others cannot be placed and are left out (the caller keeps them, so
that taking the new text back gives them back).

The texts are matched line by line first (a restore leaves most paragraphs as they were),
then a change in a line that differs is looked for by its words with some of the text
around them, which must occur exactly once in the new text."""

from __future__ import annotations

import difflib
from dataclasses import replace

from engine.review.pending import Pending

CONTEXT = 24  # characters each side that must match for a change outside an equal line


def carry(text: str, changes: list[Pending], new_text: str) -> list[Pending]:
    """``changes`` (pending on ``text``) that fit ``new_text``, moved to their places in it,
    in order and none overlapping; the rest are not returned."""
    if text == new_text:
        return list(changes)
    old_lines = text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    old_starts = _starts(old_lines)
    new_starts = _starts(new_lines)
    same: list[tuple[int, int, int]] = []  # (old start, old end, shift) of equal stretches
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            same.append((old_starts[i1], old_starts[i2], new_starts[j1] - old_starts[i1]))
    carried: list[Pending] = []
    last = 0
    for change in changes:
        moved = _in_same(change, same) or _by_context(change, text, new_text)
        if moved is None or moved.start < last or \
                new_text[moved.start:moved.end] != change.old:
            continue
        carried.append(moved)
        last = moved.end
    return carried


def _starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _in_same(change: Pending, same: list[tuple[int, int, int]]) -> Pending | None:
    for start, end, shift in same:
        if start <= change.start and change.end <= end and \
                (change.end < end or change.start < change.end):
            return replace(change, start=change.start + shift, end=change.end + shift)
    return None


def _by_context(change: Pending, text: str, new_text: str) -> Pending | None:
    before = text[max(0, change.start - CONTEXT):change.start]
    after = text[change.end:change.end + CONTEXT]
    needle = before + change.old + after
    found = new_text.find(needle)
    if found < 0 or new_text.find(needle, found + 1) >= 0:
        return None
    start = found + len(before)
    return replace(change, start=start, end=start + len(change.old))
