"""Wordloom's entry point: the editor by default, headless commands by name.

    python main.py                      open the editor
    python main.py --smoke [--screenshot FILE]   scripted offscreen run of the editor
    python main.py COMMAND ...          generate, rewrite, check, facts, templates, models
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    from cli import COMMANDS

    if args and (args[0] in COMMANDS or args[0] in ("-h", "--help", "--version")):
        from cli import run

        return run(args)
    mistyped = unknown_command(args, COMMANDS)
    if mistyped:
        print(f"wordloom: {mistyped}", file=sys.stderr)
        return 2
    if "--smoke" not in args and not display_available():
        print("wordloom: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are "
              "unset); the commands work without one: wordloom --help", file=sys.stderr)
        return 1
    from gui.app import run_gui

    return run_gui(args)


def unknown_command(args: Sequence[str], commands: Sequence[str]) -> str:
    """A first word that is neither a command nor a file to open: what to say of it
    ("" when it is fine)."""
    first = next((a for a in args if not a.startswith("-")), None)
    if first is None or Path(first).exists() or Path(first).suffix or os.sep in first:
        return ""  # nothing named, a file, or a new file's name ("notes.md")
    close = difflib.get_close_matches(first, commands, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else \
        "; the commands are " + ", ".join(commands)
    return f"unknown command '{first}'{hint}"


def display_available() -> bool:
    """Whether Qt can open a window: a display to draw on, or a platform that needs none."""
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc"):
        return True
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


if __name__ == "__main__":
    sys.exit(main())
