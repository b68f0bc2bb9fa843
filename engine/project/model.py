"""A project: its folder, its project file and its tree, kept in agreement.

The tree is the project file's order; documents on disk that it does not list are "not
in the book" until placed. Every operation (new document or folder, rename, move,
delete, place) changes the disk and the project file together, and can be undone.
Changes made by other programs (an edit, a new file, a rename, a ``git checkout``) are
taken in by :meth:`Project.refresh`: items whose files are gone are dropped, or follow
their file when it was renamed (found by its content), and the project file is reloaded
when it changed on disk.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from engine.documents.files import open_document
from engine.errors import DocumentError
from engine.fsutil import atomic_write_bytes
from engine.project import lock as project_lock
from engine.project.folder import natural_key, scan
from engine.project.manifest import (
    FILE_NAME,
    Item,
    Manifest,
    ProjectError,
    manifest_bytes,
    read_manifest,
    write_manifest,
)
from engine.project.operations import Step, TreeOperations, digest
from engine.project.tree import TEMPLATES, in_tree_order


@dataclass(frozen=True)
class Node:
    """One row of the tree: an item, how deep it is, and whether it is in the book."""

    item: Item
    depth: int
    placed: bool = True


class Project(TreeOperations):
    def __init__(self, root: Path, manifest: Manifest, read_only: bool = False) -> None:
        self.root = Path(root)
        self.manifest = manifest
        self.read_only = read_only
        self.notes: list[str] = []
        self.unplaced: list[str] = []
        self.on_disk: set[str] = set()  # documents and folders ("x/") found by the last scan
        self._hashes: dict[str, tuple[int, int, str]] = {}  # path: (size, mtime_ns, sha)
        self._manifest_bytes = b""
        self._undo: list[Step] = []
        self._locked = False

    # -- opening and closing -----------------------------------------------------------------

    @classmethod
    def open(cls, root: Path, *, lock: bool = True) -> Project:
        root = Path(root).expanduser()
        if not root.is_dir():
            raise ProjectError(f"{root}: no such folder")
        root = root.resolve()
        manifest = read_manifest(root)
        project = cls(root, manifest, read_only=not lock)  # unlocked: for reading only
        project._manifest_bytes = (root / FILE_NAME).read_bytes()
        if lock:
            taken = project_lock.acquire(root)
            project._locked = taken.held
            project.read_only = not taken.held
            if taken.note:
                project.notes.append(taken.note)
        project.refresh()
        return project

    @classmethod
    def init(cls, root: Path, title: str = "", template: str = "empty", *,
             lock: bool = True) -> Project:
        root = Path(root).expanduser()
        if template not in TEMPLATES:
            raise ProjectError(f"no project template {template!r} (there are "
                               f"{', '.join(TEMPLATES)})")
        if (root / FILE_NAME).exists():
            raise ProjectError(f"{root}: is a project already")
        if root.exists() and not root.is_dir():
            raise ProjectError(f"{root}: is a file, not a folder")
        found = scan(root) if root.is_dir() else None  # refuses a huge folder before writing
        try:
            root.mkdir(parents=True, exist_ok=True)
            for rel, text in TEMPLATES[template]:
                target = root / rel
                if rel.endswith("/"):
                    target.mkdir(parents=True, exist_ok=True)
                elif not target.exists():
                    atomic_write_bytes(target, text.encode("utf-8"))
        except OSError as exc:
            raise ProjectError(f"{root}: cannot create the project ({exc.strerror})") from exc
        manifest = Manifest(title=title or root.resolve().name)
        listed = [rel for rel, _ in TEMPLATES[template]]
        existing = sorted(found.folders + list(found.documents), key=natural_key) if found \
            else []
        manifest.items = [Item(p) for p in dict.fromkeys(listed + existing)]
        write_manifest(root, in_tree_order(manifest))
        return cls.open(root, lock=lock)

    def close(self) -> None:
        if self._locked:
            project_lock.release(self.root)
            self._locked = False

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------

    def path(self, rel: str) -> Path:
        return self.root / rel.rstrip("/")

    def documents(self) -> list[str]:
        """The book's documents in order (not those outside it)."""
        return [i.path for i in self.manifest.items if not i.is_folder]

    def tree(self) -> list[Node]:
        nodes = []
        for item in self.manifest.items:
            depth = item.path.rstrip("/").count("/")
            nodes.append(Node(item, depth))
        nodes.extend(Node(Item(rel), 0, placed=False) for rel in self.unplaced)
        return nodes

    def read(self, rel: str) -> str:
        return open_document(self.path(rel)).text

    def texts(self) -> Iterator[tuple[str, str | None, str]]:
        """(path, text or None, what went wrong) for each document, the book's first."""
        for rel in self.documents() + self.unplaced:
            try:
                yield rel, self.read(rel), ""
            except DocumentError as exc:
                yield rel, None, str(exc)

    # -- agreeing with the disk ------------------------------------------------------------

    def refresh(self) -> list[str]:
        """Take in what changed on disk; returns a line for each thing taken in."""
        said: list[str] = []
        if self._locked and project_lock.read_holder(self.root) is None:
            project_lock.acquire(self.root)  # a checkout or a sync took our lock file away
        on_disk = self.root / FILE_NAME
        try:
            data = on_disk.read_bytes()
        except OSError:
            data = b""
        if data and data != self._manifest_bytes:
            try:
                self.manifest = read_manifest(self.root)
                self._manifest_bytes = data
                said.append("the project file changed on disk and was read again")
            except ProjectError as exc:
                said.append(f"{exc}; the last good order is kept")
        found = scan(self.root)
        self.notes.extend(n for n in found.notes if n not in self.notes)
        docs = set(found.documents)
        hashes = {rel: self._hash(rel, st) for rel, st in found.documents.items()}
        listed = set(self.manifest.paths())
        unlisted_by_hash: dict[str, str] = {}
        for rel in docs - listed:
            unlisted_by_hash.setdefault(hashes[rel], rel)
        items = []
        for item in self.manifest.items:
            if item.is_folder or item.path in docs:
                items.append(item)
            else:
                old = self._hashes.get(item.path)
                moved = unlisted_by_hash.pop(old[2], None) if old else None
                if moved:
                    items.append(replace(item, path=moved))
                    said.append(f"{item.path} was renamed {moved} outside Wordloom")
                else:
                    said.append(f"{item.path} is gone from the folder")
        folders = set(found.folders)
        keep = []
        for item in items:
            if item.is_folder and item.path not in folders:
                if any(i.path.startswith(item.path) for i in items if not i.is_folder):
                    continue  # re-added below from its documents' paths if it exists
                said.append(f"{item.path} is gone from the folder")
                continue
            keep.append(item)
        manifest = self.manifest.copy()
        manifest.items = keep
        manifest = in_tree_order(manifest, folders)
        self._hashes = {rel: (st.st_size, st.st_mtime_ns, hashes[rel])
                        for rel, st in found.documents.items()}
        self.on_disk = docs | folders
        listed = set(manifest.paths())
        self.unplaced = sorted((d for d in docs if d not in listed), key=natural_key)
        self.commit(manifest)
        return said

    def _hash(self, rel: str, st: os.stat_result) -> str:
        known = self._hashes.get(rel)
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            return known[2]
        try:
            return digest(self.path(rel).read_bytes())
        except OSError:
            return ""

    def commit(self, manifest: Manifest) -> None:
        """Take ``manifest`` as the project's and write it (atomically, when it changed
        and the project is not read-only)."""
        self.manifest = manifest
        if self.read_only:
            return
        data = manifest_bytes(manifest)
        if data != self._manifest_bytes:
            write_manifest(self.root, manifest)
            self._manifest_bytes = data
