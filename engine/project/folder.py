"""What is in a project's folder: its documents and sub-folders, found without following
links (a link that loops, or that leads out of the project, is never walked into).

Hidden names (``.git``, the lock) are skipped, and so are pictures and other files: a
project's documents are Markdown and text files. A folder too big to be a book is
refused in one line rather than walked for minutes.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from engine.project.manifest import FILE_NAME, ProjectError

DOCUMENT_SUFFIXES = (".md", ".markdown", ".txt")
MAX_DOCUMENTS = 5_000
MAX_ENTRIES = 50_000


@dataclass
class Scan:
    documents: dict[str, os.stat_result] = field(default_factory=dict)  # "Part/ch1.md"
    folders: list[str] = field(default_factory=list)  # "Part/"
    notes: list[str] = field(default_factory=list)


def is_document_name(name: str) -> bool:
    return name.lower().endswith(DOCUMENT_SUFFIXES) and not name.startswith(".")


def natural_key(path: str) -> list[object]:
    """"Chapter 2" before "Chapter 10"."""
    return [int(part) if part.isdigit() else part.casefold()
            for part in re.split(r"(\d+)", path)]


def scan(root: Path) -> Scan:
    root = Path(root)
    out = Scan()
    entries = 0
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            listing = list(os.scandir(root / rel_dir if rel_dir else root))
        except OSError as exc:
            out.notes.append(f"{rel_dir or root}: cannot read this folder ({exc.strerror})")
            continue
        entries += len(listing)
        if entries > MAX_ENTRIES or len(out.documents) > MAX_DOCUMENTS:
            raise ProjectError(f"{root}: holds over {MAX_DOCUMENTS:,} documents or "
                               f"{MAX_ENTRIES:,} files, too many for one book; open the "
                               "book's own folder")
        for entry in listing:
            name = entry.name
            if name.startswith(".") or (not rel_dir and name == FILE_NAME):
                continue
            rel = f"{rel_dir}{name}"
            try:
                if entry.is_symlink():
                    if entry.is_dir():
                        out.notes.append(f"{rel}: a link to a folder, not followed")
                        continue
                    entry.stat()  # a link that loops or leads nowhere raises here
                if entry.is_dir(follow_symlinks=False):
                    out.folders.append(rel + "/")
                    stack.append(rel + "/")
                elif is_document_name(name) and entry.is_file():
                    out.documents[rel] = entry.stat()
            except OSError as exc:
                out.notes.append(f"{rel}: skipped ({exc.strerror or 'unreadable'})")
    if len(out.documents) > MAX_DOCUMENTS:
        raise ProjectError(f"{root}: holds {len(out.documents):,} documents, over the "
                           f"{MAX_DOCUMENTS:,} a project can hold; open the book's own folder")
    out.folders.sort(key=natural_key)
    return out
