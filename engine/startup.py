"""What the app checks when it starts: its folders, settings, recovery journal and models.

Nothing here stops the app. Each problem is one line naming the file or folder; the
window shows them together once it is up, the command line prints them as warnings.
"""

from __future__ import annotations

from typing import NamedTuple

from engine.config import Settings, load_settings
from engine.documents.journal import Journal, JournalEntry
from engine.model.gguf import model_files
from engine.paths import app_paths


class StartUp(NamedTuple):
    settings: Settings
    problems: list[str]
    orphans: list[JournalEntry]  # text left by a crash, for the recovery offer


def start_up() -> StartUp:
    """The settings to use, every problem found on the way, and the journal's orphans
    (read here once; the recovery offer uses them). Model files are not read: only
    whether their folders can be used."""
    problems: list[str] = []
    paths = app_paths().ensure(problems)
    settings, settings_problems = load_settings()
    problems += settings_problems
    orphans = Journal(paths.journal).orphans(problems)
    problems += model_files(settings)[1]
    return StartUp(settings, list(dict.fromkeys(problems)), orphans)
