"""A menu entry made from a callable, and the Open Recent menu's entries."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

Key = QKeySequence.StandardKey


def add_action(owner: QObject, menu: QMenu, text: str, slot: Callable[..., Any],
               shortcut: str | Key | None = None, name: str = "") -> QAction:
    """An entry of ``menu`` that runs ``slot`` (``owner``, the window, keeps it)."""
    action = QAction(text, owner)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    action.setObjectName(name or re.sub(r"\W", "", text.replace("&", "")).lower())
    menu.addAction(action)
    return action


def call(slot: Callable[..., Any], *args: Any) -> None:
    slot(*args)  # the triggered signal's "checked" argument is not passed on


def fill_recent(menu: QMenu, paths: Sequence[str], open_path: Callable[[Path], None]) -> None:
    """Open Recent: the last ten documents, newest first."""
    menu.clear()
    for path in paths[:10]:
        add_action(menu, menu, path, partial(call, open_path, Path(path)), None, "recent")
    menu.setEnabled(bool(paths))
