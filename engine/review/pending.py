"""Changes proposed to a whole document and not made yet: the review's model.

The document's text stays as the writer wrote it; each pending change names a stretch of
it (code points), the words it would put there, and where it came from (harper,
languagetool, confusion, inflection, article, punctuation, or the author of a Word file's
tracked change). Accepting one makes it and moves the stretches after it; rejecting one
drops it; an edit the writer makes elsewhere moves the changes after it, and a change
whose own words were edited is dropped with a note. Accepting every change gives exactly
the text ``proofread`` prints; rejecting every change leaves the original, byte for byte.
The command line and the window share this model; the window only draws it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from engine.writing.proofread import Edit
from engine.writing.slots import WORD as _WORD  # what apply_edits counts as a word


@dataclass(frozen=True)
class Pending:
    id: int
    start: int  # in the document's text as it is now (code points)
    end: int
    old: str
    new: str
    source: str
    gain: float = 0.0  # how much likelier the model found the text with it (nats)
    author: str = "Wordloom"
    date: str = ""  # ISO 8601, for a change read from a Word file
    pair: str = ""  # a Word move's name: its two halves are accepted or rejected together

    @property
    def kind(self) -> str:
        """What it does: "insertion", "deletion" or "replacement"."""
        return "insertion" if not self.old else "deletion" if not self.new else "replacement"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> Pending:
        return Pending(**{k: data[k] for k in Pending.__dataclass_fields__ if k in data})


def from_edits(text: str, edits: Sequence[Edit]) -> list[Pending]:
    """Proofreading's edits as pending changes. A deleted word takes one space with it, as
    ``engine.writing.proofread.apply_edits`` does, so accepting them all gives the same
    text."""
    out: list[Pending] = []
    pos = 0  # what earlier changes cover
    for index, edit in enumerate(sorted(edits, key=lambda e: e.start)):
        start, end = edit.start, edit.end
        if not edit.new and _WORD.search(edit.old):
            if start > pos and text[start - 1:start] == " ":
                start -= 1
            elif text[end:end + 1] == " ":
                end += 1
        out.append(Pending(index, start, end, text[start:end], edit.new, edit.source,
                           edit.gain))
        pos = end
    return out


@dataclass
class Review:
    """A text and the changes pending on it, in reading order, none overlapping."""

    text: str
    changes: list[Pending] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # changes dropped, one line each

    def __post_init__(self) -> None:
        self.changes.sort(key=lambda c: (c.start, c.end))
        last = 0
        for change in self.changes:
            if change.start < last or self.text[change.start:change.end] != change.old:
                raise ValueError(f"change {change.id} does not fit the text")
            last = change.end

    # -- reading -------------------------------------------------------------------------

    def get(self, change_id: int) -> Pending:
        for change in self.changes:
            if change.id == change_id:
                return change
        raise KeyError(change_id)

    def paired(self, ids: Iterable[int]) -> set[int]:
        """``ids`` and the other half of each move among them."""
        chosen = set(ids)
        pairs = {c.pair for c in self.changes if c.id in chosen and c.pair}
        return chosen | {c.id for c in self.changes if c.pair and c.pair in pairs}

    def sources(self) -> list[str]:
        return sorted({c.source for c in self.changes})

    def accepted_text(self, ids: Iterable[int] | None = None) -> str:
        """The text with the changes ``ids`` made (all of them when None), the review
        itself unchanged."""
        chosen = None if ids is None else set(ids)
        parts, pos = [], 0
        for change in self.changes:
            if chosen is not None and change.id not in chosen:
                continue
            parts.append(self.text[pos:change.start])
            parts.append(change.new)
            pos = change.end
        parts.append(self.text[pos:])
        return "".join(parts)

    def add(self, found: Iterable[Pending]) -> list[Pending]:
        """Put new changes in (fresh ids); one that overlaps a change already pending, or
        does not fit the text, is left out. Returns those added."""
        added = []
        next_id = max((c.id for c in self.changes), default=-1) + 1
        for change in sorted(found, key=lambda c: (c.start, c.end)):
            if self.text[change.start:change.end] != change.old or any(
                    (c.start < change.end and change.start < c.end) or
                    (c.start == change.start and (c.start == c.end or
                                                  change.start == change.end))
                    for c in self.changes):
                continue
            change = replace(change, id=next_id)
            next_id += 1
            self.changes.append(change)
            added.append(change)
        self.changes.sort(key=lambda c: (c.start, c.end))
        return added

    # -- deciding ------------------------------------------------------------------------

    def accept(self, change_id: int) -> tuple[int, int, str]:
        """Make a change: returns (start, end, new) as it was made in the text."""
        change = self.get(change_id)
        self.accept_many([change_id])
        return change.start, change.end, change.new

    def reject(self, change_id: int) -> Pending:
        change = self.get(change_id)
        self.changes.remove(change)
        return change

    def accept_all(self, source: str | None = None) -> int:
        """Make every change (of ``source`` only, when given); returns how many."""
        return self.accept_many(c.id for c in self.changes
                                if source is None or c.source == source)

    def accept_many(self, ids: Iterable[int]) -> int:
        """Make the changes ``ids`` in one pass over the text (the others move with it);
        returns how many were made."""
        chosen = set(ids)
        parts, kept, pos, shift, made = [], [], 0, 0, 0
        for change in self.changes:
            if change.id in chosen:
                parts += [self.text[pos:change.start], change.new]
                pos = change.end
                shift += len(change.new) - (change.end - change.start)
                made += 1
            else:
                kept.append(replace(change, start=change.start + shift,
                                    end=change.end + shift) if shift else change)
        parts.append(self.text[pos:])
        self.text, self.changes = "".join(parts), kept
        return made

    def reject_all(self, source: str | None = None) -> int:
        chosen = [c for c in self.changes if source is None or c.source == source]
        self.changes = [c for c in self.changes if c not in chosen]
        return len(chosen)

    # -- taking a decision back (undo) ---------------------------------------------------

    def ahead(self, ids: Iterable[int]) -> dict[int, int]:
        """The insertions pending at the very start of one of the changes ``ids`` (id:
        the id of that change). Once such a change is made, and leaves no words, an
        insertion there could have stood before it or after it; ``unaccept`` is told
        (call this before ``accept_many``)."""
        chosen = set(ids)
        starts = {c.start: c.id for c in self.changes if c.id in chosen and c.start != c.end}
        return {c.id: starts[c.start] for c in self.changes
                if c.start == c.end and c.start in starts and c.id not in chosen}

    def unaccept(self, made: Sequence[Pending], ahead: dict[int, int] | None = None) -> None:
        """Take back ``accept_many``: ``made`` are the changes it made, as they were
        before (their places in the text before), ``ahead`` what ``ahead`` said then.
        Their old words go back, the changes still pending move back with them, and
        ``made`` are pending again."""
        order = sorted(made, key=lambda c: (c.start, c.end))
        ahead = ahead or {}
        parts, pos, shift = [], 0, 0
        ends: list[tuple[int, int, int]] = []  # (end in the text now, shift so far, id)
        for change in order:
            start = change.start + shift  # where its new words are in the text now
            end = start + len(change.new)
            if self.text[start:end] != change.new:
                raise ValueError(f"change {change.id} is not in the text as it was made")
            parts += [self.text[pos:start], change.old]
            pos = end
            shift += len(change.new) - (change.end - change.start)
            ends.append((end, shift, change.id))
        parts.append(self.text[pos:])
        moved, index, back = [], 0, 0
        for change in self.changes:  # in order: the shift back grows as made ones pass
            while index < len(ends) and (ends[index][0] < change.start or (
                    ends[index][0] == change.start and ahead.get(change.id) != ends[index][2])):
                back = ends[index][1]
                index += 1
            moved.append(replace(change, start=change.start - back, end=change.end - back)
                         if back else change)
        restored = Review("".join(parts), moved + list(order), self.notes)
        self.text, self.changes = restored.text, restored.changes

    def reinstate(self, rejected: Sequence[Pending]) -> None:
        """Take back a rejection: the changes are pending again, with their ids (the text
        has not changed since)."""
        restored = Review(self.text, self.changes + list(rejected), self.notes)
        self.changes = restored.changes

    # -- the writer edits ----------------------------------------------------------------

    def edited(self, start: int, end: int, new: str) -> list[Pending]:
        """The writer replaced ``text[start:end]`` with ``new``: later changes move, and a
        change whose words were touched is dropped (returned, and noted)."""
        dropped = [c for c in self.changes
                   if (c.start < end and start < c.end) or  # overlaps what was edited
                   (start == end and c.start < start < c.end) or
                   (c.start == c.end and start < c.start < end)]
        for change in dropped:
            self.notes.append(f"“{change.old.strip() or change.new.strip()}” → "
                              f"“{change.new.strip()}” was dropped: its words were edited")
        self.changes = [c for c in self.changes if c not in dropped]
        self._replace(start, end, new)
        return dropped

    def _replace(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]
        shift = len(new) - (end - start)
        if shift:
            self.changes = [replace(c, start=c.start + shift, end=c.end + shift)
                            if c.start >= end else c for c in self.changes]

    # -- keeping -------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {"changes": [c.to_json() for c in self.changes], "notes": self.notes}

    @staticmethod
    def from_json(text: str, data: dict[str, Any]) -> Review:
        return Review(text, [Pending.from_json(c) for c in data.get("changes", [])],
                      list(data.get("notes", [])))
