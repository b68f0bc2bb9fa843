"""Lists the writer keeps: the personal dictionary and the ignored rules, one item a line
in the config folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.errors import DocumentError
from engine.fsutil import atomic_write_text
from engine.paths import app_paths


class WordList:
    """A set of strings persisted one per line (personal dictionary, ignored rules)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: set[str] = set()
        try:  # a damaged or unreadable list starts empty (or with what can be read)
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        self.items = {line.strip() for line in lines if line.strip() and "\0" not in line}

    def add(self, item: str) -> bool:
        item = item.strip()
        if not item or item in self.items:
            return False
        self.items.add(item)
        self._save()
        return True

    def remove(self, item: str) -> None:
        self.items.discard(item)
        self._save()

    def replace(self, items: Iterable[str]) -> None:
        self.items = {i.strip() for i in items if i.strip()}
        self._save()

    def _save(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, "".join(f"{i}\n" for i in sorted(self.items)))
        except OSError as exc:
            raise DocumentError(f"{self.path}: cannot save ({exc.strerror or exc}); the "
                                "change holds for this session only") from exc


def personal_dictionary() -> WordList:
    """The writer's own words, as saved in the config folder."""
    return WordList(app_paths().config / "dictionary.txt")
