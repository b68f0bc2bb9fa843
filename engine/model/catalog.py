"""The model catalogue: chat models good at editing prose, with what each needs.

``resources/models/catalog.toml`` ships with the app; ``models.toml`` in the config folder
holds the writer's own entries (the same fields; one with a shipped name replaces it).
A bad entry is named in one line and skipped; the others still load.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.model.memory import estimate_ram_bytes, fit
from engine.paths import app_paths, resource_dir

SHA256 = re.compile(r"[0-9a-f]{64}")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")
REPO = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    display_name: str
    repo: str
    file: str
    quantization: str
    size_bytes: int
    context_length: int
    kv_bytes_per_token: int
    license: str
    license_url: str = ""
    revision: str = "main"
    sha256: str = ""
    size_exact: bool = False
    confirmed: bool = True
    languages: tuple[str, ...] = ()
    notes: str = ""
    origin: str = "catalogue"  # or "yours" (models.toml)

    def ram_bytes(self, n_ctx: int) -> int:
        """RAM to run it with the app's context (capped at the model's own)."""
        ctx = min(n_ctx, self.context_length) if n_ctx else self.context_length
        return estimate_ram_bytes(self.size_bytes, ctx, self.kv_bytes_per_token)

    def to_json(self, n_ctx: int, ram: int, vram: int = 0) -> dict[str, Any]:
        needed = self.ram_bytes(n_ctx)
        verdict = fit(needed, ram, vram)
        return {
            "name": self.name, "display_name": self.display_name, "repo": self.repo,
            "revision": self.revision, "file": self.file,
            "quantization": self.quantization, "size_bytes": self.size_bytes,
            "size_exact": self.size_exact, "sha256": self.sha256 or None,
            "license": self.license, "license_url": self.license_url,
            "context_length": self.context_length, "languages": list(self.languages),
            "ram_gb": round(needed / 1e9, 1), "fits": verdict in ("gpu", "fits"),
            "fit": verdict, "confirmed": self.confirmed, "origin": self.origin,
            "notes": self.notes,
        }


@dataclass
class Catalog:
    entries: list[CatalogEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def find(self, name: str) -> CatalogEntry | None:
        wanted = name.strip().lower()
        for entry in self.entries:
            if wanted in (entry.name.lower(), entry.file.lower()):
                return entry
        return None


def builtin_catalog_file() -> Path:
    return resource_dir() / "models" / "catalog.toml"


def user_catalog_file() -> Path:
    return app_paths().config / "models.toml"


def load_catalog(builtin: Path | None = None, user: Path | None = None) -> Catalog:
    """The shipped entries, then the writer's (which replace shipped ones of the same name)."""
    catalog = Catalog()
    by_name: dict[str, CatalogEntry] = {}
    for path, origin in ((builtin or builtin_catalog_file(), "catalogue"),
                         (user or user_catalog_file(), "yours")):
        for entry in _read(path, origin, catalog.problems):
            by_name[entry.name] = entry
    catalog.entries = sorted(by_name.values(), key=lambda e: (e.size_bytes, e.name))
    return catalog


def _read(path: Path, origin: str, problems: list[str]) -> list[CatalogEntry]:
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        problems.append(f"{path}: cannot read the model list ({exc}); its models are left out")
        return []
    raw = data.get("model", [])
    if not isinstance(raw, list):
        problems.append(f"{path}: 'model' must be a list of [[model]] tables")
        return []
    entries = []
    for index, item in enumerate(raw, 1):
        try:
            entries.append(_entry(item, origin))
        except ValueError as exc:
            label = item.get("name") if isinstance(item, dict) else None
            problems.append(f"{path}: model {label or index}: {exc}; left out")
    return entries


def _entry(item: Any, origin: str) -> CatalogEntry:
    if not isinstance(item, dict):
        raise ValueError("expected a table of fields")

    def text(key: str, default: str | None = None) -> str:
        value = item.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise ValueError(f"'{key}' must be a non-empty string")
        return value.strip()

    def number(key: str, default: int | None = None) -> int:
        value = item.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"'{key}' must be a whole number >= 0")
        return value

    name = text("name")
    if not NAME.fullmatch(name):
        raise ValueError(f"name {name!r} may use letters, digits, '.', '_' and '-' only")
    repo = text("repo")
    if not REPO.fullmatch(repo):
        raise ValueError(f"repo {repo!r} must look like owner/name")
    file = text("file")
    if not file.lower().endswith(".gguf") or "/" in file or "\\" in file or file.startswith("."):
        raise ValueError(f"file {file!r} must be a .gguf file name")
    sha = text("sha256", "").lower()
    if sha and not SHA256.fullmatch(sha):
        raise ValueError("sha256 must be 64 hexadecimal digits")
    languages = item.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise ValueError("'languages' must be a list of language codes")
    size = number("size_bytes")
    if size == 0:
        raise ValueError("'size_bytes' must be more than 0")
    return CatalogEntry(
        name=name, display_name=text("display_name", name) or name, repo=repo, file=file,
        quantization=text("quantization", "?"), size_bytes=size,
        context_length=number("context_length", 4096) or 4096,
        kv_bytes_per_token=number("kv_bytes_per_token", 131072),
        license=text("license", "unknown") or "unknown", license_url=text("license_url", ""),
        revision=text("revision", "main") or "main", sha256=sha,
        size_exact=bool(item.get("size_exact", False)),
        confirmed=bool(item.get("confirmed", True)), languages=tuple(languages),
        notes=text("notes", ""), origin=origin,
    )
