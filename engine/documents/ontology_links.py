"""Which knowledge base goes with which document: a travel writer's trip notes open with
the trip's ontology, a novel with its cast. Kept as JSON in the config folder."""

from __future__ import annotations

import json
from pathlib import Path

from engine.fsutil import atomic_write_text
from engine.paths import app_paths

MAX_LINKS = 500


def links_file() -> Path:
    return app_paths().config / "document-ontologies.json"


def _load() -> dict[str, str]:
    try:
        data = json.loads(links_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def ontology_for(document: str | Path) -> str | None:
    """The ontology last used with ``document``, if it still exists."""
    found = _load().get(str(Path(document).expanduser().resolve()))
    return found if found and Path(found).exists() else None


def remember(document: str | Path, ontology: str | Path) -> None:
    """Link ``document`` to ``ontology`` (the newest links are kept, at most 500)."""
    links = _load()
    key = str(Path(document).expanduser().resolve())
    links.pop(key, None)
    links[key] = str(Path(ontology).expanduser().resolve())
    while len(links) > MAX_LINKS:
        links.pop(next(iter(links)))
    try:
        atomic_write_text(links_file(), json.dumps(links, ensure_ascii=False, indent=1))
    except OSError:
        pass  # a read-only config folder: the link is not kept, nothing else breaks
