"""The process tests/test_fuzz.py kills: it saves a big document, its journal entry and a
version in its local history over and over, alternating two texts, until it is killed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from engine.documents.files import open_document, save_document
from engine.documents.journal import Journal
from engine.history.store import HistoryStore


def save_forever(path: str, journal_folder: str, versions: tuple[str, str],
                 saving: Any = None) -> None:
    """``saving`` (an Event) is set once the document is open and the saves begin."""
    doc = open_document(Path(path))
    journal = Journal(Path(journal_folder))
    history = HistoryStore(Path(journal_folder) / "history.sqlite3")
    if saving is not None:
        saving.set()
    turn = 0
    while True:
        text = versions[turn % 2]
        save_document(doc, text)
        journal.write("kill-test", Path(path), text, "kill test")
        history.record(text, "save")
        turn += 1
