"""``templates``: the built-in and user templates."""

from __future__ import annotations

import argparse
import sys

from cli.common import print_json
from engine.writing.templates import TemplateLibrary


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("templates", help="list the prompt templates")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    library = TemplateLibrary()
    templates = library.all()
    if args.json:
        print_json({"templates": [t.to_json() for t in templates],
                    "errors": library.errors})
        return 0
    for template in templates:
        mark = " (yours)" if template.source == "user" else ""
        print(f"{template.name:<14} {template.category:<10} {template.title}{mark}\n"
              f"{'':<26}{template.description}")
    for error in library.errors:
        print(f"warning: {error}", file=sys.stderr)
    return 0
