"""Which model judges proofreading: the judge setting's GGUF, else the loaded model.

The setting names a file by path, or by name in the judges folder (``make setup`` puts
Gemma 3 270M there, see packaging/provision_judge.py); empty, the loaded model judges
(``LogProbScorer.beside``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from engine.config import Settings
from engine.errors import ModelError
from engine.model.scorer import LogProbScorer
from engine.paths import app_paths

log = logging.getLogger("wordloom.judge")


def find_judge(name: str) -> str | None:
    """A judge's GGUF: ``name`` as a path, else a file of that name in the judges folder;
    None for no name (the loaded model judges)."""
    name = name.strip()
    if not name:
        return None
    path = Path(name).expanduser()
    inside = app_paths().judges / name
    if not path.exists() and path.name == name and inside.exists():
        return str(inside)
    return str(path)


def judge_for(settings: Settings, model: str | None = None) -> LogProbScorer:
    """The proofreading judge: ``model``, else the settings' judge, else their model (a
    ModelError names a file that is not there or not a model)."""
    return LogProbScorer.from_settings(settings, find_judge(model or settings.judge))


def judge_beside(backend: object, settings: Settings,
                 problems: list[str] | None = None) -> LogProbScorer | None:
    """The judge for a loaded backend: the settings' judge when they name one, else the
    backend's own (``LogProbScorer.beside``). A judge that cannot be read is passed over,
    logged and said in ``problems`` (the settings dialog names it before it is saved;
    this is for one that went away since)."""
    if settings.judge:
        try:
            return judge_for(settings)
        except ModelError as exc:
            log.warning("the proofreading judge is passed over: %s", exc)
            if problems is not None:
                problems.append(str(exc))
    return LogProbScorer.beside(backend, settings)
