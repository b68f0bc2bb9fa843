"""Wordloom's entry point: the editor by default, headless commands by name.

    python main.py                      open the editor
    python main.py --smoke [--screenshot FILE]   scripted offscreen run of the editor
    python main.py COMMAND ...          generate, rewrite, check, facts, templates, models
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from cli import COMMANDS

    if args and (args[0] in COMMANDS or args[0] in ("-h", "--help", "--version")):
        from cli import run

        return run(args)
    from gui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main())
