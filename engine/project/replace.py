"""Replace across a project, seeing each hit first.

:func:`preview` turns every hit into a pending change (``engine.review.pending``) on its
document, one :class:`~engine.review.pending.Review` a document, in the book's order.
The writer accepts or rejects them; :func:`apply` then writes each changed document
atomically, after keeping its text as a version in its history, and returns what
:func:`undo` needs to put every file back as one step. A file changed by another program
since the preview is left alone, with a note.

With whole words, a name is replaced with its possessive and plural forms ("Darcy's",
"Darcys"), never inside another word ("Darcyville"); without match case, a hit in
capitals gets the new words in capitals, and a capitalised hit a capitalised start.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from engine.documents.files import Document, open_document, save_document
from engine.errors import DocumentError, HistoryError
from engine.history.library import HistoryLibrary
from engine.project.index import search_pattern
from engine.project.manifest import ProjectError
from engine.project.model import Project
from engine.review.pending import Pending, Review

SOURCE = "replace"


@dataclass
class FileReplace:
    path: str
    document: Document
    review: Review


@dataclass
class Applied:
    """What one apply wrote: per file, its text before and the hash it has now."""

    files: list[tuple[str, str, str]] = field(default_factory=list)  # (path, before, hash)
    notes: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.files)


def replace_pattern(old: str, *, whole_word: bool, case: bool, regex: bool) -> re.Pattern[str]:
    if whole_word and not regex:
        flags = 0 if case else re.IGNORECASE
        return re.compile(rf"(?<!\w){re.escape(old)}(?=(?:['’]s|s|es)?(?!\w))", flags)
    return search_pattern(old, whole_word=whole_word, case=case, regex=regex)


def _fitted(match: re.Match[str], new: str, case: bool, regex: bool) -> str:
    words = match.expand(new) if regex else new
    if case:
        return words
    found = match.group(0)
    if len(found) > 1 and found.isupper() and any(c.isalpha() for c in found):
        return words.upper()
    if found[:1].isupper() and words[:1].islower():
        return words[:1].upper() + words[1:]
    return words


def preview(project: Project, old: str, new: str, *, whole_word: bool = False,
            case: bool = False, regex: bool = False,
            only: list[str] | None = None) -> tuple[list[FileReplace], list[str]]:
    """The pending changes, a review a document (the book's order, then those outside
    it), and a line for each document that could not be read."""
    pattern = replace_pattern(old, whole_word=whole_word, case=case, regex=regex)
    out, notes = [], []
    for rel in only if only is not None else project.documents() + project.unplaced:
        try:
            document = open_document(project.path(rel))
        except DocumentError as exc:
            notes.append(f"{exc}; not searched")
            continue
        text = document.text
        changes = []
        for n, match in enumerate(pattern.finditer(text)):
            if match.end() == match.start():
                continue
            words = _fitted(match, new, case, regex)
            if words != match.group(0):
                changes.append(Pending(n, match.start(), match.end(), match.group(0), words,
                                       SOURCE))
        if changes:
            out.append(FileReplace(rel, document, Review(text, changes)))
    return out, notes


def apply(project: Project, files: list[FileReplace], *,
          history: HistoryLibrary | None = None) -> Applied:
    """Write each file's accepted changes (the changes still in its review: those
    rejected are gone from it), keeping a version of each file first."""
    if project.read_only:
        raise ProjectError(f"{project.root.name} is open read-only; nothing was replaced")
    library = history or HistoryLibrary()
    done = Applied()
    for item in files:
        if not item.review.changes:
            continue
        before = item.review.text
        after = item.review.accepted_text()
        _keep_version(library, project, item.path, before, "before-replace", done)
        try:
            save_document(item.document, after)
        except DocumentError as exc:
            done.notes.append(f"{exc}; left as it was")
            continue
        _keep_version(library, project, item.path, after, "replace", done)
        done.files.append((item.path, before, item.document.disk_hash or ""))
    project.refresh()
    return done


def undo(project: Project, applied: Applied) -> list[str]:
    """Put back each file the apply wrote, unless it was changed since (then a note)."""
    notes = []
    for rel, before, digest in applied.files:
        path = project.path(rel)
        try:
            document = open_document(path)
        except DocumentError as exc:
            notes.append(f"{exc}; not put back")
            continue
        if document.disk_hash != digest:
            notes.append(f"{rel}: was changed after the replace; not put back")
            continue
        try:
            save_document(document, before)
        except DocumentError as exc:
            notes.append(f"{exc}; not put back")
    project.refresh()
    return notes


def _keep_version(library: HistoryLibrary, project: Project, rel: str, text: str,
                  reason: str, done: Applied) -> None:
    try:
        opened = library.open(project.path(rel), text)
        if opened is not None:
            opened.store.record(text, reason)
            opened.store.close()
    except (HistoryError, OSError, sqlite3.Error) as exc:  # a version not kept: a note
        done.notes.append(f"{rel}: no version was kept ({exc})")


def count_hits(files: list[FileReplace]) -> int:
    return sum(len(f.review.changes) for f in files)


__all__ = ["Applied", "FileReplace", "apply", "count_hits", "preview", "undo"]
