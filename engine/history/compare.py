"""What changed between two texts, paragraph by paragraph and then word by word.

Paragraphs are compared first (each one hashed, so two 100,000-word versions that differ
in a few places compare in milliseconds); only paragraphs that changed are compared word
by word.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from engine.text.diff import regions, word_diff
from engine.text.words import words


def lines(text: str) -> list[str]:
    """The text cut after each newline; joined again they give the text back exactly."""
    parts = text.split("\n")
    out = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def words_changed(old: Sequence[str], new: Sequence[str]) -> tuple[int, int]:
    """(added, removed): words in the new paragraphs that were not in the old, and the
    other way round (as multisets, so a moved paragraph counts as neither)."""
    gone = Counter(old)
    came = Counter(new)
    common = gone & came
    old_words = Counter(w for line in (gone - common).elements() for w in words(line))
    new_words = Counter(w for line in (came - common).elements() for w in words(line))
    return sum((new_words - old_words).values()), sum((old_words - new_words).values())


@dataclass(frozen=True)
class Hunk:
    """A stretch that changed: the old lines, the new ones, and where they start (line
    numbers from 0 in each text)."""

    old_start: int
    new_start: int
    old: tuple[str, ...]
    new: tuple[str, ...]

    def pieces(self) -> list[tuple[str, str]]:
        """(op, text) pieces word by word: "=", "-" or "+"."""
        return word_diff("".join(self.old), "".join(self.new))


def hunks(old: Sequence[str], new: Sequence[str]) -> Iterator[Hunk]:
    """The stretches that differ, line by line (see ``engine.text.diff.regions``)."""
    for same, i1, i2, j1, j2 in regions(old, new):
        if not same:
            yield Hunk(i1, j1, tuple(old[i1:i2]), tuple(new[j1:j2]))


def unified(old: Sequence[str], new: Sequence[str], old_name: str, new_name: str) -> str:
    """A unified diff (three lines of context), as ``diff -u`` prints it."""
    out = []
    for line in difflib.unified_diff(list(old), list(new), old_name, new_name):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def changes_html(old: Sequence[str], new: Sequence[str], removed: str = "#c0392b",
                 added: str = "#1e8449", limit: int = 200) -> str:
    """What changed from ``old`` to ``new`` as HTML for a text view: each changed stretch
    word by word (removed words struck through, added ones underlined), with the
    paragraph before and after it for context, at most ``limit`` stretches."""
    import html

    from engine.text.diff import diff_html

    found = list(hunks(old, new))
    if not found:
        return "<p><i>No differences: this version is the text as it is now.</i></p>"
    blocks = []
    for hunk in found[:limit]:
        before = _context(new, hunk.new_start - 1, -1)
        after = _context(new, hunk.new_start + len(hunk.new), 1)
        where = f"line {hunk.new_start + 1}" if hunk.new else \
            f"after line {hunk.new_start}"
        body = diff_html("".join(hunk.old), "".join(hunk.new), removed, added)
        quiet = 'style="color:gray"'
        blocks.append(f"<p {quiet}><small>{where}</small></p>"
                      + (f"<p {quiet}>{html.escape(before)}</p>" if before else "")
                      + f"<p>{body}</p>"
                      + (f"<p {quiet}>{html.escape(after)}</p>" if after else ""))
    more = len(found) - limit
    tail = f"<p><i>… and {more} more changed stretch(es)</i></p>" if more > 0 else ""
    return "<hr>".join(blocks) + tail


def _context(lines_: Sequence[str], start: int, step: int) -> str:
    """The first line from ``start`` (going ``step``) with words in it, shortened."""
    index = start
    while 0 <= index < len(lines_):
        text = lines_[index].strip()
        if text:
            return text if len(text) <= 240 else (text[:240] + "…" if step > 0
                                                  else "…" + text[-240:])
        index += step
    return ""
