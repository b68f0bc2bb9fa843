"""The project file: ``wordloom-project.toml`` in the project's folder.

A person can read and edit it, and it diffs well under git: the title, author and
language, the book's order (one ``[[items]]`` table a document or folder, folders ending
in ``/``), each document's status, synopsis and word target, the goal, and build presets.
It is written atomically, and only when something in it changed.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from engine.errors import WordloomError
from engine.fsutil import atomic_write_bytes

FILE_NAME = "wordloom-project.toml"
STATUSES = ("draft", "revised", "final")
FORMATS = ("epub", "docx", "odt", "pdf", "html", "md")
HEADER = ("# Wordloom project file: the book's order, each document's status and the build\n"
          "# presets. Edit it by hand if you like; documents not listed here show under\n"
          "# \"Not in the book\".\n")


class ProjectError(WordloomError):
    """A folder is not a project, or its project file cannot be read or written."""


@dataclass(frozen=True)
class Item:
    """One document (``ch1.md``) or folder (``Part One/``), by its path in the project."""

    path: str
    status: str = "draft"
    synopsis: str = ""
    target: int = 0

    @property
    def is_folder(self) -> bool:
        return self.path.endswith("/")

    @property
    def parent(self) -> str:
        """The folder it is in (``Part One/``), or "" at the top."""
        cut = self.path.rstrip("/").rfind("/")
        return "" if cut < 0 else self.path[:cut + 1]


@dataclass(frozen=True)
class BuildPreset:
    format: str = "epub"
    title_page: bool = True
    headings: bool = True
    separator: str = "* * *"
    only: tuple[str, ...] = ()


@dataclass
class Manifest:
    title: str = "Untitled project"
    author: str = ""
    language: str = "en"
    items: list[Item] = field(default_factory=list)
    goal_words: int = 0
    goal_by: dt.date | None = None
    builds: dict[str, BuildPreset] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # the project's own dictionary
    dismissed: list[str] = field(default_factory=list)  # story-bible names not to propose

    def paths(self) -> list[str]:
        return [item.path for item in self.items]

    def item(self, path: str) -> Item | None:
        return next((i for i in self.items if i.path == path), None)

    def copy(self) -> Manifest:
        return replace(self, items=list(self.items), builds=dict(self.builds),
                       words=list(self.words), dismissed=list(self.dismissed))


def read_manifest(folder: Path) -> Manifest:
    path = Path(folder) / FILE_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProjectError(f"{folder}: is not a Wordloom project (no {FILE_NAME}); "
                           "start one with: wordloom project init DIR") from exc
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: the project file is damaged (not UTF-8 text)") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: the project file is damaged ({exc})") from exc
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the project file ({exc.strerror})") from exc
    try:
        return _from_data(data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise ProjectError(f"{path}: the project file is damaged ({exc})") from exc


def _from_data(data: dict[str, Any]) -> Manifest:
    items, seen = [], set()
    for raw in data.get("items", []):
        item = _item(raw)
        if item.path not in seen:
            seen.add(item.path)
            items.append(item)
    goal = data.get("goal", {})
    by = goal.get("by")
    if isinstance(by, str):
        by = dt.date.fromisoformat(by)
    if by is not None and not isinstance(by, dt.date):
        raise ValueError("goal.by is not a date")
    builds = {str(name): _preset(raw) for name, raw in data.get("build", {}).items()}
    words = data.get("dictionary", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ValueError("dictionary is not a list of words")
    dismissed = data.get("story", {}).get("dismissed", [])
    if not isinstance(dismissed, list) or not all(isinstance(w, str) for w in dismissed):
        raise ValueError("story.dismissed is not a list of names")
    return Manifest(title=_text(data.get("title", "Untitled project"), "title"),
                    author=_text(data.get("author", ""), "author"),
                    language=_text(data.get("language", "en"), "language"),
                    items=items, goal_words=_count(goal.get("words", 0), "goal.words"),
                    goal_by=by, builds=builds, words=sorted(set(words)),
                    dismissed=sorted(set(dismissed)))


def _item(raw: Any) -> Item:
    if not isinstance(raw, dict) or not isinstance(raw.get("path"), str):
        raise ValueError("an item has no path")
    path = raw["path"].replace("\\", "/").lstrip("/")
    if not path or ".." in path.split("/"):
        raise ValueError(f"the item path {raw['path']!r} leaves the project")
    status = raw.get("status", "draft")
    if status not in STATUSES:
        raise ValueError(f"{path}: status {status!r} is not one of {', '.join(STATUSES)}")
    return Item(path, status, _text(raw.get("synopsis", ""), "synopsis"),
                _count(raw.get("target", 0), "target"))


def _preset(raw: Any) -> BuildPreset:
    if not isinstance(raw, dict):
        raise ValueError("a build preset is not a table")
    fmt = raw.get("format", "epub")
    if fmt not in FORMATS:
        raise ValueError(f"build format {fmt!r} is not one of {', '.join(FORMATS)}")
    only = raw.get("only", [])
    if not isinstance(only, list) or not all(isinstance(p, str) for p in only):
        raise ValueError("build.only is not a list of paths")
    return BuildPreset(fmt, bool(raw.get("title_page", True)), bool(raw.get("headings", True)),
                       _text(raw.get("separator", "* * *"), "separator"), tuple(only))


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} is not text")
    return value


def _count(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} is not a whole number of words")
    return value


def manifest_bytes(manifest: Manifest) -> bytes:
    data: dict[str, Any] = {"title": manifest.title, "author": manifest.author,
                            "language": manifest.language}
    if manifest.goal_words or manifest.goal_by:
        goal: dict[str, Any] = {"words": manifest.goal_words}
        if manifest.goal_by:
            goal["by"] = manifest.goal_by
        data["goal"] = goal
    if manifest.words:
        data["dictionary"] = sorted(set(manifest.words))
    items = []
    for item in manifest.items:
        row: dict[str, Any] = {"path": item.path}
        if not item.is_folder:
            row["status"] = item.status
        if item.synopsis:
            row["synopsis"] = item.synopsis
        if item.target:
            row["target"] = item.target
        items.append(row)
    data["items"] = items
    if manifest.dismissed:
        data["story"] = {"dismissed": sorted(set(manifest.dismissed))}
    if manifest.builds:
        data["build"] = {name: {"format": p.format, "title_page": p.title_page,
                                "headings": p.headings, "separator": p.separator,
                                "only": list(p.only)} for name, p in manifest.builds.items()}
    return (HEADER + tomli_w.dumps(data, multiline_strings=True)).encode("utf-8")


def write_manifest(folder: Path, manifest: Manifest) -> bool:
    """Write the project file atomically; False when it already says exactly this."""
    path = Path(folder) / FILE_NAME
    data = manifest_bytes(manifest)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot write the project file ({exc.strerror}); "
                           "it is unchanged") from exc
    return True
