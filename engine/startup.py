"""What the app checks when it starts: its folders, settings, recovery journal and models.

Nothing here stops the app. Each problem is one line naming the file or folder; the
window shows them together once it is up, the command line prints them as warnings.
"""

from __future__ import annotations

from engine.config import Settings, load_settings
from engine.documents.journal import Journal
from engine.model.gguf import find_models
from engine.paths import app_paths


def start_up() -> tuple[Settings, list[str]]:
    """The settings to use and every problem found on the way."""
    problems: list[str] = []
    paths = app_paths().ensure(problems)
    settings, settings_problems = load_settings()
    problems += settings_problems
    Journal(paths.journal).orphans(problems)
    _found, model_problems = find_models(settings)
    problems += model_problems
    return settings, list(dict.fromkeys(problems))
