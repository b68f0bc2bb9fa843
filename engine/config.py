"""Settings as a typed dataclass, saved as TOML.

Loading never fails as a whole: each bad value is reported by key, its default is kept,
and every other key still loads.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import tomli_w

from engine.fsutil import atomic_write_text
from engine.paths import app_paths

LT_MODES = ("local", "server", "download", "off")
BACKENDS = ("in-process", "server")
THEMES = ("system", "light", "dark")


@dataclass
class Settings:
    model: str = ""
    model_dirs: list[str] = field(default_factory=list)
    context_size: int = 4096
    threads: int = 0
    gpu_layers: str | int = "auto"
    judge: str = ""  # the GGUF that judges proofreading; empty: the loaded model
    backend: str = "in-process"  # or "server": an OpenAI-compatible server (engine/model)
    server_url: str = ""  # e.g. http://127.0.0.1:8080/v1; its API key is in the keyring
    server_model: str = ""  # empty: the server's first model
    server_timeout: int = 60  # seconds to wait for the server to answer
    hub_endpoint: str = ""  # a model hub mirror for downloads; empty: the public hub
    temperature: float = 0.7
    max_tokens: int = 400
    candidates: int = 2
    languagetool_mode: str = "local"
    languagetool_url: str = ""
    languagetool_dir: str = ""
    languagetool_heap_mb: int = 512
    language: str = "auto"  # per paragraph, detected offline; or a code such as en-GB
    picky: bool = False
    ontology: str = ""
    autosave_seconds: int = 5
    keep_history: bool = True  # a version of each saved document in the data folder
    reopen_last: bool = True  # start where the writer left off: document, place, docks
    theme: str = "system"
    editor_font: str = ""
    editor_font_size: int = 12
    word_wrap: bool = True
    recent_files: list[str] = field(default_factory=list)
    recent_projects: list[str] = field(default_factory=list)  # folders, the open one first
    project_open: bool = False  # a project was open when the window last closed
    last_folder: str = ""  # where the writer last opened, saved or exported a file
    last_template: str = "proofread"  # the AI panel opens on the template used last


Check = Callable[[Any], str | None]


def _int_range(low: int, high: int | None = None) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"expected a whole number, got {value!r}"
        if value < low or (high is not None and value > high):
            upper = f" and <= {high}" if high is not None else ""
            return f"expected a number >= {low}{upper}, got {value}"
        return None

    return check


def _float_range(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"expected a number, got {value!r}"
        if not low <= value <= high:
            return f"expected a number from {low} to {high}, got {value}"
        return None

    return check


def _choice(options: tuple[str, ...]) -> Check:
    def check(value: Any) -> str | None:
        if value not in options:
            return f"expected one of {', '.join(options)}, got {value!r}"
        return None

    return check


def _is(kind: type) -> Check:
    def check(value: Any) -> str | None:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"expected {kind.__name__}, got {value!r}"
        return None

    return check


def _str_list(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return f"expected a list of strings, got {value!r}"
    return None


def _gpu_layers(value: Any) -> str | None:
    if value == "auto":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= -1:
        return None
    return f"expected 'auto' or a number of layers (-1 for all), got {value!r}"


CHECKS: dict[str, Check] = {
    "model": _is(str),
    "model_dirs": _str_list,
    "context_size": _int_range(0, 1 << 20),
    "threads": _int_range(0, 512),
    "gpu_layers": _gpu_layers,
    "judge": _is(str),
    "backend": _choice(BACKENDS),
    "server_url": _is(str),
    "server_model": _is(str),
    "server_timeout": _int_range(1, 3600),
    "hub_endpoint": _is(str),
    "temperature": _float_range(0.0, 2.0),
    "max_tokens": _int_range(1, 1 << 16),
    "candidates": _int_range(1, 8),
    "languagetool_mode": _choice(LT_MODES),
    "languagetool_url": _is(str),
    "languagetool_dir": _is(str),
    "languagetool_heap_mb": _int_range(128, 16384),
    "language": _is(str),
    "last_template": _is(str),
    "picky": _is(bool),
    "ontology": _is(str),
    "autosave_seconds": _int_range(1, 3600),
    "keep_history": _is(bool),
    "reopen_last": _is(bool),
    "theme": _choice(THEMES),
    "editor_font": _is(str),
    "editor_font_size": _int_range(6, 72),
    "word_wrap": _is(bool),
    "recent_files": _str_list,
    "recent_projects": _str_list,
    "project_open": _is(bool),
    "last_folder": _is(str),
}


def validate(name: str, value: Any) -> str | None:
    """The problem with ``value`` for setting ``name``, or None when it is fine."""
    check = CHECKS.get(name)
    if check is None:
        return "unknown setting"
    return check(value)


def settings_from_dict(
    data: dict[str, Any], source: str = "settings"
) -> tuple[Settings, list[str]]:
    settings = Settings()
    problems: list[str] = []
    known = {f.name for f in fields(Settings)}
    for key, value in data.items():
        if key not in known:
            problems.append(f"{source}: unknown setting '{key}' ignored")
            continue
        problem = validate(key, value)
        if problem:
            problems.append(f"{source}: setting '{key}': {problem}; using the default")
            continue
        if key == "temperature":
            value = float(value)
        setattr(settings, key, value)
    return settings, problems


def load_settings(path: Path | None = None) -> tuple[Settings, list[str]]:
    """Read settings; returns the settings and one line per problem found."""
    path = Path(path) if path else app_paths().settings_file
    if not path.exists():
        return Settings(), []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), [f"{path}: cannot read settings ({exc}); using defaults"]
    except tomllib.TOMLDecodeError as exc:
        return Settings(), [f"{path}: not valid TOML ({exc}); using defaults"]
    return settings_from_dict(data, str(path))


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    path = Path(path) if path else app_paths().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, tomli_w.dumps(asdict(settings)))
    return path
