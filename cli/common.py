"""Helpers shared by the command-line commands."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from engine.config import BACKENDS, Settings, load_settings
from engine.errors import DocumentError, WordloomError


def settings() -> Settings:
    loaded, problems = load_settings()
    for line in problems:
        print(f"warning: {line}", file=sys.stderr)
    return loaded


def add_backend_args(parser: argparse.ArgumentParser) -> None:
    """--backend, --server-url, --server-model: the model in this process or on a server."""
    parser.add_argument("--backend", choices=BACKENDS, default=None,
                        help="run the model in this process or use a server (default: settings)")
    parser.add_argument("--server-url", metavar="URL",
                        help="an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 "
                        "(its API key: the keyring, or WORDLOOM_API_KEY)")
    parser.add_argument("--server-model", metavar="NAME", help="a model on that server")


def backend_settings(conf: Settings, args: argparse.Namespace) -> Settings:
    """The settings with the command line's backend choices applied."""
    changes: dict[str, Any] = {}
    if args.server_url:
        changes["server_url"] = args.server_url
        changes["backend"] = "server"
    if args.server_model:
        changes["server_model"] = args.server_model
    if args.backend:
        changes["backend"] = args.backend
    conf = replace(conf, **changes)
    if conf.backend == "server" and not conf.server_url:
        raise WordloomError("--backend server needs --server-url URL (or server_url in the "
                            "settings)")
    return conf


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
