"""A project's story bible: its documents read by ``engine.story`` (from the search index
when one is up to date, else from the files), the names the writer dismissed left out,
and continuity findings as pending changes for review."""

from __future__ import annotations

from collections.abc import Callable

from engine.documents.files import open_document
from engine.errors import DocumentError
from engine.project.index import SearchIndex
from engine.project.model import Project
from engine.review.pending import Pending
from engine.story.bible import Entity, StoryBible
from engine.story.continuity import Merge, Suspect, merges, suspects

SOURCE = "continuity"


def read_bible(project: Project, bible: StoryBible | None = None,
               index: SearchIndex | None = None) -> tuple[StoryBible, list[str]]:
    """Every document of the project in ``bible`` (made when None; a document whose text
    is unchanged is not read again); a line for each that cannot be read."""
    bible = bible or StoryBible()
    notes = []
    paths = project.documents() + project.unplaced
    texts = index.texts(paths) if index is not None else {}
    for rel in paths:
        text = texts.get(rel)
        if text is None:
            try:
                text = open_document(project.path(rel)).text
            except DocumentError as exc:
                notes.append(str(exc))
                continue
        bible.update(rel, text)
    for gone in [p for p in bible.order if p not in paths]:
        bible.remove(gone)
    bible.order = [p for p in paths if p in bible.docs]
    return bible, notes


def proposals(project: Project, bible: StoryBible) -> list[Entity]:
    return bible.proposals(dismissed=set(project.manifest.dismissed))


def dismiss(project: Project, names: list[str]) -> None:
    """Names not to propose again (kept in the project file)."""
    manifest = project.manifest.copy()
    manifest.dismissed = sorted({*manifest.dismissed, *(n.strip() for n in names if n.strip())})
    project.commit(manifest)


def continuity(project: Project, bible: StoryBible, known: Callable[[str], bool]
               ) -> tuple[list[Suspect], list[Merge]]:
    found = proposals(project, bible)
    return suspects(bible, found, known), merges(found)


def as_pending(text: str, rel: str, found: list[Suspect]) -> list[Pending]:
    """The suspected misspellings in one document as changes to review: each replaced by
    its likeliest name (positions are the document's lines and columns)."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    out: list[Pending] = []
    for suspect in found:
        for place in suspect.places:
            if place.path != rel:
                continue
            at = starts[place.line - 1] + place.column - 1
            if text[at:at + len(place.text)] == place.text:
                out.append(Pending(len(out), at, at + len(place.text), place.text,
                                   suspect.suggestions[0], SOURCE))
    return out
