"""One question before the window closes, listing every piece of unsaved work: the
document, the knowledge base, a template being edited, settings not yet applied."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QMessageBox, QWidget


@dataclass(frozen=True)
class Unsaved:
    """Work the window holds that is not on disk yet."""

    what: str  # "The document “notes.md”"
    detail: str  # what would be lost ("Add Ada Quill")
    save: Callable[[], bool]  # saves it; False when it could not be (or was cancelled)


@runtime_checkable
class HoldsUnsaved(Protocol):
    """A dialog that may hold unsaved work while it is open."""

    def unsaved(self) -> list[Unsaved]: ...


def ask_about_unsaved(parent: QWidget, items: list[Unsaved]) -> bool:
    """Ask once about every item: Save All (each saved in turn; one that fails keeps the
    window open), Discard All, or Cancel. True when the window may close."""
    if not items:
        return True
    box = QMessageBox(parent)
    box.setObjectName("unsavedDialog")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved work")
    box.setText("Save your work before closing?" if len(items) > 1 else
                f"Save the changes to {items[0].what[0].lower()}{items[0].what[1:]}?")
    rows = "".join(f"<li><b>{escape(item.what)}</b>"
                   + (f" — {escape(item.detail)}" if item.detail else "") + "</li>"
                   for item in items)
    box.setInformativeText(f"Not saved yet:<ul>{rows}</ul>Anything you do not save is lost.")
    save = box.addButton("&Save All" if len(items) > 1 else "&Save",
                         QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("&Discard All" if len(items) > 1 else "&Discard",
                            QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(save)
    box.exec()
    clicked = box.clickedButton()
    if clicked is discard:
        return True
    if clicked is not save:
        return False
    return all(item.save() for item in items)
