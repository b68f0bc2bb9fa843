"""Where Wordloom keeps its files.

Folders come from platformdirs. ``WORDLOOM_HOME`` moves all of them under one folder,
which is how tests and CI stay out of a real home directory.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "wordloom"
HOME_ENV = "WORDLOOM_HOME"


@dataclass(frozen=True)
class AppPaths:
    config: Path
    data: Path
    cache: Path
    logs: Path

    @property
    def models(self) -> Path:
        return self.data / "models"

    @property
    def judges(self) -> Path:
        """Models that only judge proofreading (not offered for writing)."""
        return self.data / "judges"

    @property
    def journal(self) -> Path:
        return self.data / "journal"

    @property
    def history(self) -> Path:
        return self.data / "history"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.toml"

    @property
    def user_templates(self) -> Path:
        return self.config / "templates"

    @property
    def languagetool(self) -> Path:
        return self.cache / "languagetool"

    def ensure(self, problems: list[str] | None = None) -> AppPaths:
        """Create the folders. With ``problems``, a folder that cannot be made or written
        is named there (one line each) instead of raising: the app still starts."""
        for folder in (self.config, self.data, self.cache, self.logs, self.models,
                       self.journal):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                if problems is not None and not os.access(folder, os.W_OK):
                    raise PermissionError(13, "read-only")
            except OSError as exc:
                if problems is None:
                    raise
                reason = "a file is in its place" if folder.is_file() else \
                    exc.strerror or type(exc).__name__
                problems.append(f"{folder}: cannot use this folder ({reason}); what goes "
                                "there is not kept this session")
        return self


def app_paths() -> AppPaths:
    """The folders for this process, read fresh so a changed ``WORDLOOM_HOME`` applies."""
    home = os.environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser().resolve()
        return AppPaths(root / "config", root / "data", root / "cache", root / "logs")
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return AppPaths(
        Path(dirs.user_config_dir),
        Path(dirs.user_data_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )


def resource_dir() -> Path:
    """The read-only ``resources/`` folder, in a checkout or in a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def start_folder(document: Path | None, last_folder: str = "") -> Path:
    """Where a file dialog opens: the document's folder, else the folder the writer last
    used, else their Documents folder (the home folder where there is none)."""
    if document is not None and document.parent.is_dir():
        return document.parent
    if last_folder and Path(last_folder).is_dir():
        return Path(last_folder)
    documents = Path(platformdirs.user_documents_dir())
    return documents if documents.is_dir() else Path.home()
