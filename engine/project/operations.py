"""The tree's operations, each changing the disk and the project file together and each
undoable: new document or folder, rename, move, place, delete (to the desktop's trash),
a document's status, synopsis and target, a word for the project's dictionary."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import send2trash

from engine.fsutil import atomic_write_bytes
from engine.project.manifest import STATUSES, Item, Manifest, ProjectError
from engine.project.tree import clean_name, moved, under, within


@dataclass
class Step:
    """What undoing one operation does: the project file as it was, and file moves."""

    label: str
    manifest: Manifest
    renames: list[tuple[str, str]] = field(default_factory=list)  # (now, back to)
    created: list[tuple[str, str]] = field(default_factory=list)  # (path, its hash or "/")
    deleted: dict[str, bytes] = field(default_factory=dict)  # path: bytes ("x/" = folder)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class TreeOperations:
    """What :class:`engine.project.model.Project` can do to its tree."""

    root: Path
    manifest: Manifest
    read_only: bool
    unplaced: list[str]
    _hashes: dict[str, tuple[int, int, str]]
    _undo: list[Step]

    def path(self, rel: str) -> Path:
        raise NotImplementedError

    def refresh(self) -> list[str]:
        raise NotImplementedError

    def commit(self, manifest: Manifest) -> None:
        raise NotImplementedError

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
        name = clean_name(name)
        if not name.lower().endswith((".md", ".markdown", ".txt")):
            name += ".md"
        rel = under(parent, name)
        self._free(rel)
        step = Step(f"New document {name}", self.manifest.copy())
        data = (text or f"# {Path(name).stem}\n\n").encode("utf-8")
        self._write_new(rel, data)
        step.created.append((rel, digest(data)))
        self._insert(rel, parent, None)
        self._done(step)
        return rel

    def new_folder(self, parent: str, name: str) -> str:
        self._writable()
        rel = under(parent, clean_name(name)) + "/"
        self._free(rel)
        step = Step(f"New folder {name}", self.manifest.copy())
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
        new_name = clean_name(name)
        if not rel.endswith("/") and not new_name.lower().endswith((".md", ".markdown",
                                                                     ".txt")):
            new_name += Path(rel).suffix
        return self.move(rel, parent, None, new_name=new_name, label="Rename")

    def move(self, rel: str, parent: str, index: int | None, *, new_name: str = "",
             label: str = "Move") -> str:
        """Put ``rel`` into folder ``parent`` (``""``: the top) at ``index`` among its
        documents and folders (None: last)."""
        self._writable()
        step = Step(f"{label} {Path(rel.rstrip('/')).name}", self.manifest.copy())
        dest = self._move(step, rel, parent, index, new_name)
        self._done(step)
        return dest

    def _move(self, step: Step, rel: str, parent: str, index: int | None,
              new_name: str = "") -> str:
        if parent and parent not in self.manifest.paths():
            raise ProjectError(f"{parent}: no such folder in the book")
        if rel.endswith("/") and parent.startswith(rel):
            raise ProjectError(f"{rel}: cannot move a folder into itself")
        name = new_name or Path(rel.rstrip("/")).name
        dest = under(parent, name) + ("/" if rel.endswith("/") else "")
        if dest != rel:
            self._free(dest)
            try:
                os.rename(self.path(rel), self.path(dest))
            except OSError as exc:
                raise ProjectError(f"{rel}: cannot move it ({exc.strerror})") from exc
            step.renames.append((dest, rel))
        self._rewrite_paths(rel, dest)
        self._hashes = {moved(p, rel, dest): h for p, h in self._hashes.items()}
        self._insert(dest, parent, index)
        return dest

    def place(self, rel: str, parent: str | None = None, index: int | None = None) -> None:
        """Put a document that is not in the book into it: into its own folder (None), or
        moved into ``parent``."""
        self._writable()
        if rel not in self.unplaced:
            raise ProjectError(f"{rel}: is in the book already")
        step = Step(f"Place {Path(rel).name}", self.manifest.copy())
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
        step = Step(f"Delete {Path(rel.rstrip('/')).name}", self.manifest.copy())
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
        self.manifest.items = [i for i in self.manifest.items if not within(i.path, rel)]
        self.unplaced = [p for p in self.unplaced if not within(p, rel)]
        self._done(step)

    def set_item(self, rel: str, *, status: str | None = None, synopsis: str | None = None,
                 target: int | None = None) -> None:
        self._writable()
        item = self.manifest.item(rel)
        if item is None:
            raise ProjectError(f"{rel}: is not in the book")
        if status is not None and status not in STATUSES:
            raise ProjectError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        step = Step(f"Change {Path(rel).name}", self.manifest.copy())
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
        self.commit(manifest)
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

    def _uncreate(self, rel: str, made: str) -> None:
        """Take back a document or folder this project made (``made``: its hash then, "/"
        for a folder), unless it has words in it now that it did not have then (it then
        stays, outside the book)."""
        target = self.path(rel)
        if made == "/":
            with contextlib.suppress(OSError):
                target.rmdir()  # only when empty
            return
        try:
            if digest(target.read_bytes()) == made:
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
        self.manifest.items = [replace(i, path=moved(i.path, old, new))
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

    def _done(self, step: Step) -> None:
        self._undo.append(step)
        del self._undo[:-100]
        self.refresh()
