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

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import send2trash

from engine.documents.files import open_document
from engine.errors import DocumentError
from engine.fsutil import atomic_write_bytes
from engine.project import lock as project_lock
from engine.project.folder import natural_key, scan
from engine.project.manifest import (
    FILE_NAME,
    STATUSES,
    Item,
    Manifest,
    ProjectError,
    manifest_bytes,
    read_manifest,
    write_manifest,
)

TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "empty": [],
    "novel": [("Part One/", ""), ("Part One/Chapter 1.md", "# Chapter 1\n\n"),
              ("Notes/", ""), ("Notes/Characters.md", "# Characters\n\n")],
    "thesis": [(f"{n:02d} {t}.md", f"# {t}\n\n") for n, t in enumerate(
        ("Abstract", "Introduction", "Background", "Method", "Results", "Discussion",
         "Conclusion"), 1)],
    "articles": [("Drafts/", ""), ("Drafts/First article.md", "# First article\n\n"),
                 ("Published/", "")],
}


@dataclass(frozen=True)
class Node:
    """One row of the tree: an item, how deep it is, and whether it is in the book."""

    item: Item
    depth: int
    placed: bool = True


@dataclass
class _Step:
    """What undoing one operation does: the project file as it was, and file moves."""

    label: str
    manifest: Manifest
    renames: list[tuple[str, str]] = field(default_factory=list)  # (now, back to)
    created: list[tuple[str, str]] = field(default_factory=list)  # (path, its hash or "/")
    deleted: dict[str, bytes] = field(default_factory=dict)  # path: bytes ("x/" = folder)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Project:
    def __init__(self, root: Path, manifest: Manifest, read_only: bool = False) -> None:
        self.root = Path(root)
        self.manifest = manifest
        self.read_only = read_only
        self.notes: list[str] = []
        self.unplaced: list[str] = []
        self.on_disk: set[str] = set()  # documents and folders ("x/") found by the last scan
        self._hashes: dict[str, tuple[int, int, str]] = {}  # path: (size, mtime_ns, sha)
        self._manifest_bytes = b""
        self._undo: list[_Step] = []
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
        write_manifest(root, _in_tree_order(manifest))
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
        manifest = _in_tree_order(manifest, folders)
        self._hashes = {rel: (st.st_size, st.st_mtime_ns, hashes[rel])
                        for rel, st in found.documents.items()}
        self.on_disk = docs | folders
        listed = set(manifest.paths())
        self.unplaced = sorted((d for d in docs if d not in listed), key=natural_key)
        self._commit(manifest)
        return said

    def _hash(self, rel: str, st: os.stat_result) -> str:
        known = self._hashes.get(rel)
        if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
            return known[2]
        try:
            return _digest(self.path(rel).read_bytes())
        except OSError:
            return ""

    def _commit(self, manifest: Manifest) -> None:
        self.manifest = manifest
        if self.read_only:
            return
        data = manifest_bytes(manifest)
        if data != self._manifest_bytes:
            write_manifest(self.root, manifest)
            self._manifest_bytes = data

    # -- operations ------------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise ProjectError(f"{self.root.name} is open read-only; nothing was changed")

    def _free(self, rel: str) -> None:
        if os.path.lexists(self.path(rel)):
            raise ProjectError(f"{rel.rstrip('/')}: a file or folder of that name is there "
                               "already")

    def new_document(self, parent: str, name: str, text: str = "") -> str:
        self._writable()
        name = _clean_name(name)
        if not name.lower().endswith((".md", ".markdown", ".txt")):
            name += ".md"
        rel = _under(parent, name)
        self._free(rel)
        step = _Step(f"New document {name}", self.manifest.copy())
        data = (text or f"# {Path(name).stem}\n\n").encode("utf-8")
        self._write_new(rel, data)
        step.created.append((rel, _digest(data)))
        self._insert(rel, parent, None)
        self._done(step)
        return rel

    def new_folder(self, parent: str, name: str) -> str:
        self._writable()
        rel = _under(parent, _clean_name(name)) + "/"
        self._free(rel)
        step = _Step(f"New folder {name}", self.manifest.copy())
        try:
            self.path(rel).mkdir()
        except OSError as exc:
            raise ProjectError(f"{rel}: cannot make the folder ({exc.strerror})") from exc
        step.created.append((rel, "/"))
        self._insert(rel, parent, None)
        self._done(step)
        return rel

    def rename(self, rel: str, name: str) -> str:
        parent = Item(rel).parent
        new_name = _clean_name(name)
        if not rel.endswith("/") and not new_name.lower().endswith((".md", ".markdown",
                                                                     ".txt")):
            new_name += Path(rel).suffix
        return self.move(rel, parent, None, new_name=new_name, label="Rename")

    def move(self, rel: str, parent: str, index: int | None, *, new_name: str = "",
             label: str = "Move") -> str:
        """Put ``rel`` into folder ``parent`` (``""``: the top) at ``index`` among its
        documents and folders (None: last)."""
        self._writable()
        step = _Step(f"{label} {Path(rel.rstrip('/')).name}", self.manifest.copy())
        dest = self._move(step, rel, parent, index, new_name)
        self._done(step)
        return dest

    def _move(self, step: _Step, rel: str, parent: str, index: int | None,
              new_name: str = "") -> str:
        if parent and parent not in self.manifest.paths():
            raise ProjectError(f"{parent}: no such folder in the book")
        if rel.endswith("/") and parent.startswith(rel):
            raise ProjectError(f"{rel}: cannot move a folder into itself")
        name = new_name or Path(rel.rstrip("/")).name
        dest = _under(parent, name) + ("/" if rel.endswith("/") else "")
        if dest != rel:
            self._free(dest)
            try:
                os.rename(self.path(rel), self.path(dest))
            except OSError as exc:
                raise ProjectError(f"{rel}: cannot move it ({exc.strerror})") from exc
            step.renames.append((dest, rel))
        self._rewrite_paths(rel, dest)
        self._hashes = {_moved(p, rel, dest): h for p, h in self._hashes.items()}
        self._insert(dest, parent, index)
        return dest

    def place(self, rel: str, parent: str | None = None, index: int | None = None) -> None:
        """Put a document that is not in the book into it: into its own folder (None), or
        moved into ``parent``."""
        self._writable()
        if rel not in self.unplaced:
            raise ProjectError(f"{rel}: is in the book already")
        step = _Step(f"Place {Path(rel).name}", self.manifest.copy())
        own = Item(rel).parent
        if own and own not in self.manifest.paths():
            self._insert(own, Item(own).parent, None)
        self._insert(rel, own, None if parent is not None else index)
        self.unplaced.remove(rel)
        if parent is not None and parent != own:
            self._move(step, rel, parent, index)
        self._done(step)

    def delete(self, rel: str) -> None:
        """Send a document or folder to the desktop's trash; undo writes it back."""
        self._writable()
        target = self.path(rel)
        step = _Step(f"Delete {Path(rel.rstrip('/')).name}", self.manifest.copy())
        if rel.endswith("/"):
            for folder, dirs, files in os.walk(target):
                base = Path(folder).relative_to(self.root).as_posix()
                step.deleted[base + "/"] = b""
                for name in files:
                    with contextlib.suppress(OSError):
                        step.deleted[f"{base}/{name}"] = (Path(folder) / name).read_bytes()
                dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        else:
            step.deleted[rel] = target.read_bytes()
        try:
            send2trash.send2trash(str(target))
        except (OSError, send2trash.TrashPermissionError) as exc:
            raise ProjectError(f"{rel}: cannot send it to the trash ({exc}); nothing was "
                               "deleted") from exc
        self.manifest.items = [i for i in self.manifest.items if not _within(i.path, rel)]
        self.unplaced = [p for p in self.unplaced if not _within(p, rel)]
        self._done(step)

    def set_item(self, rel: str, *, status: str | None = None, synopsis: str | None = None,
                 target: int | None = None) -> None:
        self._writable()
        item = self.manifest.item(rel)
        if item is None:
            raise ProjectError(f"{rel}: is not in the book")
        if status is not None and status not in STATUSES:
            raise ProjectError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        step = _Step(f"Change {Path(rel).name}", self.manifest.copy())
        new = replace(item, status=item.status if status is None else status,
                      synopsis=item.synopsis if synopsis is None else synopsis,
                      target=item.target if target is None else max(0, target))
        self.manifest.items = [new if i.path == rel else i for i in self.manifest.items]
        self._done(step)

    def add_word(self, word: str) -> bool:
        """A word for the project's dictionary (never flagged in this book); False when
        it was there already."""
        self._writable()
        word = word.strip()
        if not word or word in self.manifest.words:
            return False
        manifest = self.manifest.copy()
        manifest.words = sorted({*manifest.words, word})
        self._commit(manifest)
        return True

    # -- undo ------------------------------------------------------------------------------

    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    def undo(self) -> str:
        """Undo the last operation; returns its label ("" when there is none)."""
        self._writable()
        if not self._undo:
            return ""
        step = self._undo.pop()
        for now, back in reversed(step.renames):
            if os.path.lexists(self.path(now)) and not os.path.lexists(self.path(back)):
                os.rename(self.path(now), self.path(back))
        for rel, digest in reversed(step.created):
            self._uncreate(rel, digest)
        for rel in sorted(step.deleted, key=len):
            data = step.deleted[rel]
            if rel.endswith("/"):
                self.path(rel).mkdir(parents=True, exist_ok=True)
            elif not os.path.lexists(self.path(rel)):
                self.path(rel).parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(self.path(rel), data)
        self.manifest = step.manifest
        self.refresh()
        return step.label

    def _uncreate(self, rel: str, digest: str) -> None:
        """Take back a document or folder this project made, unless it has words in it
        now that it did not have then (it then stays, outside the book)."""
        target = self.path(rel)
        if digest == "/":
            with contextlib.suppress(OSError):
                target.rmdir()  # only when empty
            return
        try:
            if _digest(target.read_bytes()) == digest:
                target.unlink()
        except OSError:
            pass

    # -- helpers ---------------------------------------------------------------------------

    def _write_new(self, rel: str, data: bytes) -> None:
        try:
            atomic_write_bytes(self.path(rel), data)
        except OSError as exc:
            raise ProjectError(f"{rel}: cannot write it ({exc.strerror})") from exc

    def _rewrite_paths(self, old: str, new: str) -> None:
        self.manifest.items = [replace(i, path=_moved(i.path, old, new))
                               for i in self.manifest.items]
        self.unplaced = [p for p in self.unplaced if p != old]

    def _insert(self, rel: str, parent: str, index: int | None) -> None:
        """Put ``rel`` (and what is under it) among ``parent``'s children at ``index``."""
        items = self.manifest.items
        moving = [i for i in items if i.path == rel or (rel.endswith("/") and
                  i.path.startswith(rel))] or [Item(rel)]
        rest = [i for i in items if i not in moving]
        siblings = [n for n, i in enumerate(rest) if i.parent == parent and i.path != rel]
        if index is None or index >= len(siblings):
            if siblings:
                last = rest[siblings[-1]].path
                at = max(n for n, i in enumerate(rest) if i.path.startswith(last)
                         or i.path == last) + 1
            else:
                at = next((n + 1 for n, i in enumerate(rest) if i.path == parent), len(rest))
        else:
            at = siblings[max(0, index)]
        self.manifest.items = rest[:at] + moving + rest[at:]

    def _done(self, step: _Step) -> None:
        self._undo.append(step)
        del self._undo[:-100]
        self.refresh()


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise ProjectError(f"{name!r} cannot be a file name (no slashes, not empty)")
    if name.startswith("."):
        raise ProjectError(f"{name}: a name starting with a dot would be hidden")
    return name


def _under(parent: str, name: str) -> str:
    return f"{parent}{name}" if parent else name


def _within(path: str, rel: str) -> bool:
    """``path`` is ``rel``, or under it when ``rel`` is a folder."""
    return path == rel or (rel.endswith("/") and path.startswith(rel))


def _moved(path: str, old: str, new: str) -> str:
    if path == old:
        return new
    if old.endswith("/") and path.startswith(old):
        return new + path[len(old):]
    return path


def _in_tree_order(manifest: Manifest, folders: set[str] | None = None) -> Manifest:
    """The items with each document's folders listed (when they exist), every child after
    its folder and folders' contents together, keeping the order within each folder."""
    items = list(manifest.items)
    listed = {i.path for i in items}
    for item in list(items):
        parent = item.parent
        while parent and parent not in listed and (folders is None or parent in folders):
            items.append(Item(parent))
            listed.add(parent)
            parent = Item(parent).parent
    children: dict[str, list[Item]] = {}
    for item in items:
        children.setdefault(item.parent, []).append(item)
    ordered: list[Item] = []

    def walk(parent: str) -> None:
        for child in children.get(parent, []):
            ordered.append(child)
            if child.is_folder:
                walk(child.path)

    walk("")
    out = manifest.copy()
    out.items = ordered
    return out
