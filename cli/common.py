"""Helpers shared by the command-line commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from engine.config import Settings, load_settings
from engine.errors import DocumentError


def settings() -> Settings:
    loaded, problems = load_settings()
    for line in problems:
        print(f"warning: {line}", file=sys.stderr)
    return loaded


def read_text_arg(value: str, *, is_file: bool) -> str:
    """Text from ``-`` (stdin), a file path, or (when not ``is_file``) the value itself."""
    if value == "-":
        data = sys.stdin.buffer.read()
        return _decode(data, "standard input")
    if not is_file:
        return value
    from engine.documents.files import open_document

    return open_document(Path(value)).text


def _decode(data: bytes, where: str) -> str:
    from engine.documents.files import decode_bytes

    try:
        return decode_bytes(data).text
    except DocumentError as exc:
        raise DocumentError(f"{where}: {exc}") from exc


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
