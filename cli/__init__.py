"""Headless command line: ``python main.py COMMAND ...``.

A writer's mistake (a missing file, a bad model, a prompt too long) ends with one line
``error: ...`` on stderr and exit code 1; bad arguments exit 2 (argparse).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from engine.errors import WordloomError
from engine.version import __version__

COMMANDS = ("generate", "rewrite", "proofread", "check", "facts", "templates", "models",
            "convert", "ontology", "history", "stats", "project")
Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="wordloom",
        description="Wordloom: an offline writing editor with a local AI assistant. "
        "Without a command it opens the editor.",
    )
    parser.add_argument("--version", action="version", version=f"wordloom {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"cli.{name}_cmd")
        except ModuleNotFoundError:
            continue
        module.register(sub)
    return parser


def run(argv: Sequence[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(list(argv))
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except WordloomError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
