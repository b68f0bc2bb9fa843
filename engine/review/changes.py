"""A suggestion as separate changes to the original, and the text with some of them made.

A change is a stretch of the original (code points) and what the suggestion puts there;
changes come from the longest common subsequence of the two texts' words
(``engine.text.diff.regions``), so each one is a word or a run of words the suggestion
replaced, removed or added. Taking every change gives the suggestion back exactly; taking
none gives the original; any other choice gives the original with just those changes made.
"""

from __future__ import annotations

import html
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate

from engine.text.diff import regions, tokens


@dataclass(frozen=True)
class Change:
    start: int  # in the original (code points)
    end: int
    old: str
    new: str

    @property
    def label(self) -> str:
        """"cat → dog", "+ down", "− very" (what a writer reads in a tooltip or a list)."""
        old, new = self.old.strip(), self.new.strip()
        if not old:
            return f"+ {new or '(space)'}"
        if not new:
            return f"− {old}"
        return f"{old} → {new}"


def changes_between(original: str, suggestion: str) -> list[Change]:
    """The changes that turn ``original`` into ``suggestion``, in reading order."""
    a, b = tokens(original), tokens(suggestion)
    if "".join(a) != original or "".join(b) != suggestion:  # not cut whole: one change
        return [Change(0, len(original), original, suggestion)] if original != suggestion \
            else []
    at = [0, *accumulate(len(t) for t in a)]
    return [Change(at[i1], at[i2], "".join(a[i1:i2]), "".join(b[j1:j2]))
            for same, i1, i2, j1, j2 in regions(a, b) if not same]


def apply_changes(original: str, changes: Sequence[Change], taken: Collection[int]) -> str:
    """``original`` with the changes whose index is in ``taken`` made."""
    out, pos = [], 0
    for index, change in enumerate(changes):
        if index not in taken:
            continue
        if change.start < pos or original[change.start:change.end] != change.old:
            raise ValueError(f"change {index} does not fit the original text")
        out.append(original[pos:change.start])
        out.append(change.new)
        pos = change.end
    out.append(original[pos:])
    return "".join(out)


def review_html(original: str, changes: Sequence[Change], taken: Collection[int],
                removed: str = "#c0392b", added: str = "#1e8449",
                left: str = "#8a8a8a") -> str:
    """The original with each change as a link ``change:N`` (click to take or leave it):
    a taken change strikes the old words and underlines the new; a change left out shows
    the original words, and the suggestion's faint and struck."""
    parts, pos = [], 0
    for index, change in enumerate(changes):
        parts.append(_text(original[pos:change.start]))
        tip = html.escape(f"{change.label} — click to " +
                          ("leave it out" if index in taken else "take it"))
        old, new = _text(change.old), _text(change.new)
        if index in taken:
            inner = (f'<s style="color:{removed}">{old}</s>' if change.old.strip() else "") + \
                (f'<u style="color:{added}">{new}</u>' if change.new else "")
        else:
            inner = (old if change.old else "") + \
                (f'<s style="color:{left}">{new}</s>' if change.new.strip() else "")
        parts.append(f'<a href="change:{index}" title="{tip}" '
                     f'style="text-decoration:none; color:inherit">{inner or "␣"}</a>')
        pos = change.end
    parts.append(_text(original[pos:]))
    return "".join(parts)


def _text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
