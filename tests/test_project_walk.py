"""A random walk of 1,000 steps against a model of the project's folder: the writer's
operations (create, rename, move, delete, place, undo) and other programs' (an edit, a
new file, a ``git checkout`` of an older commit). After every step the tree, the project
file and the files on disk agree, and every document holds exactly the words the model
says it holds: none is lost."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

from engine.project.manifest import FILE_NAME, read_manifest
from engine.project.model import Project

STEPS = int(os.environ.get("WALK_STEPS", "1000"))


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout


def disk(root: Path) -> dict[str, bytes]:
    """Every document on disk, and every folder ("x/": b""); hidden ones (.git) left out."""
    out: dict[str, bytes] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(folder).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        if prefix:
            out[prefix] = b""
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                out[prefix + name] = Path(folder, name).read_bytes()
    return out


class Model:
    """What the folder should hold, and what undoing each operation should do to it."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = dict(files)
        self.undo: list[list[tuple[str, str, str, bytes]]] = []

    def rename(self, old: str, new: str) -> None:
        for path in sorted(self.files):
            if path == old or (old.endswith("/") and path.startswith(old)):
                self.files[new + path[len(old):]] = self.files.pop(path)

    def drop(self, rel: str) -> dict[str, bytes]:
        gone = {p: b for p, b in self.files.items() if p == rel or
                (rel.endswith("/") and p.startswith(rel))}
        for path in gone:
            del self.files[path]
        return gone

    def take_back(self) -> None:
        for action, a, b, data in reversed(self.undo.pop()):
            if action == "rename" and a in self.files and b not in self.files:
                self.rename(a, b)
            elif action == "created" and a in self.files and (
                    self.files[a] == data if not a.endswith("/") else
                    not any(p.startswith(a) and p != a for p in self.files)):
                del self.files[a]
            elif action == "deleted" and a not in self.files:
                self.files[a] = data


def check(project: Project, model: Model, root: Path, step: int) -> None:
    on_disk = disk(root)
    assert on_disk == model.files, (step, set(on_disk) ^ set(model.files))
    listed = read_manifest(root).paths()
    assert listed == project.manifest.paths(), step
    docs = {p for p in on_disk if not p.endswith("/")}
    assert set(project.documents()) | set(project.unplaced) == docs, step
    assert not set(project.documents()) & set(project.unplaced), step
    assert all(p in on_disk for p in listed), step
    assert [n.item.path for n in project.tree()] == listed + project.unplaced, step
    for path in listed:  # every item after its folder
        parent = path.rstrip("/").rpartition("/")[0]
        assert not parent or listed.index(parent + "/") < listed.index(path), (step, path)


def test_a_random_walk_of_a_thousand_steps(tmp_path: Path) -> None:
    root = tmp_path / "book"
    for n in range(1, 4):
        (root / "Part").mkdir(parents=True, exist_ok=True)
        (root / "Part" / f"c{n}.md").write_text(f"# Chapter {n}\n\nwords of chapter {n}\n")
    (root / ".gitignore").write_text(".wordloom-project.lock\n")
    git(root.parent, "init", "-q", str(root))
    git(root, "config", "user.email", "w@example.invalid")
    git(root, "config", "user.name", "Writer")
    rng = random.Random(20261207)
    project = Project.init(root, "Walk")
    model = Model(disk(root))
    commits: list[str] = []
    kinds = ["create", "folder", "rename", "move", "delete", "place", "undo", "undo", "edit",
             "outside", "commit", "checkout"]
    for step in range(STEPS):
        counter = step + 1
        kind = rng.choice(kinds)
        docs = sorted(p for p in model.files if not p.endswith("/"))
        folders = [p for p in project.manifest.paths() if p.endswith("/")]
        if kind == "create":
            parent = rng.choice(["", *folders])
            rel = project.new_document(parent, f"d{counter}", f"# D{counter}\n\nnew {counter}\n")
            model.files[rel] = (root / rel).read_bytes()
            model.undo.append([("created", rel, "", model.files[rel])])
        elif kind == "folder":
            rel = project.new_folder(rng.choice(["", *folders]), f"f{counter}")
            model.files[rel] = b""
            model.undo.append([("created", rel, "", b"")])
        elif kind in ("rename", "move") and project.manifest.items:
            item = rng.choice(project.manifest.items).path
            if kind == "rename":
                new = project.rename(item, f"r{counter}")
            else:
                targets = ["", *(f for f in folders if not f.startswith(item))]
                parent = rng.choice(targets)
                siblings = len([i for i in project.manifest.items if i.parent == parent])
                try:
                    new = project.move(item, parent, rng.randint(0, siblings))
                except Exception as exc:  # a name taken in the target folder
                    assert "is there already" in str(exc)
                    new = item
            if new != item:
                model.rename(item, new)
            model.undo.append([("rename", new, item, b"")])
        elif kind == "delete" and project.manifest.items:
            item = rng.choice(project.manifest.items).path
            project.delete(item)
            gone = model.drop(item)
            model.undo.append([("deleted", p, "", b) for p, b in sorted(gone.items())])
        elif kind == "place" and project.unplaced:
            rel = rng.choice(project.unplaced)
            project.place(rel)
            model.undo.append([])
        elif kind == "undo" and model.undo:
            assert project.undo_label()
            project.undo()
            model.take_back()
        elif kind == "edit" and docs:
            rel = rng.choice(docs)
            (root / rel).write_text((root / rel).read_text() + f"edit {counter}\n")
            model.files[rel] = (root / rel).read_bytes()
            project.refresh()
        elif kind == "outside":
            parent = rng.choice(["", *(p for p in model.files if p.endswith("/"))])
            rel = f"{parent}o{counter}.md"
            (root / rel).write_text(f"# Outside {counter}\n")
            model.files[rel] = (root / rel).read_bytes()
            project.refresh()
        elif kind == "commit":
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", f"step {step}")
            commits.append(git(root, "rev-parse", "HEAD").strip())
        elif kind == "checkout" and commits:
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "-m", f"before checkout {step}")
            commits.append(git(root, "rev-parse", "HEAD").strip())
            git(root, "checkout", "-q", rng.choice(commits[:-1] or commits))
            for folder, _dirs, _files in os.walk(root, topdown=False):
                path = Path(folder)  # git leaves emptied folders behind
                if ".git" not in path.parts and path != root and not any(path.iterdir()):
                    path.rmdir()
            model.files = disk(root)
            model.undo.clear()  # undoing across a checkout: see the test below
            project._undo.clear()
            project.refresh()
        check(project, model, root, step)
    assert (root / FILE_NAME).exists()
    project.close()


def test_undo_after_an_outside_change_keeps_the_words(tmp_path: Path) -> None:
    """Undoing a new document that has been written in since keeps it (outside the
    book); undoing a rename whose name is taken again leaves both files."""
    root = tmp_path / "book"
    root.mkdir()
    with Project.init(root) as project:
        rel = project.new_document("", "draft")
        (root / rel).write_text("# draft\n\nwords written in another editor\n")
        project.refresh()
        project.undo()
        assert (root / rel).read_text().endswith("another editor\n")
        assert rel in project.unplaced
        project.place(rel)
        new = project.rename(rel, "final")
        (root / rel).write_text("a new file where the old name was\n")
        project.undo()
        assert (root / new).exists() and (root / rel).exists()
