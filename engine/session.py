"""Where the writer left off: the document that was open, the cursor and the scroll in it,
and the window's layout (Qt's own bytes, kept as base64), in ``session.json`` in the
config folder. Written atomically on a clean quit, read once at start; a damaged or
missing file is an empty session, never an error."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from engine.fsutil import atomic_write_text
from engine.paths import app_paths

log = logging.getLogger("wordloom.session")


@dataclass(frozen=True)
class Session:
    document: str = ""  # the file that was open ("" for an unsaved one)
    cursor: int = 0  # the cursor's place in it (the editor's positions)
    top: int = 0  # the paragraph shown first (the editor's block number)
    geometry: str = ""  # QMainWindow.saveGeometry, base64
    state: str = ""  # QMainWindow.saveState (docks and their places), base64


def session_path() -> Path:
    return app_paths().config / "session.json"


def load_session() -> Session:
    try:
        data = json.loads(session_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Session()
    if not isinstance(data, dict):
        return Session()
    kept = {}
    for item in fields(Session):
        value = data.get(item.name)
        if isinstance(value, type(getattr(Session(), item.name))) and \
                not isinstance(value, bool):
            kept[item.name] = value
    return Session(**kept)


def save_session(session: Session) -> None:
    path = session_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(asdict(session), indent=1) + "\n")
    except OSError as exc:  # a read-only config folder: the next start is a fresh one
        log.warning("the session was not kept: %s", exc)
