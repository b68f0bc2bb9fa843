"""``check``: grammar and style issues from Harper and LanguageTool."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import print_json, settings
from engine.documents.files import decode_bytes, open_document
from engine.errors import WordloomError
from engine.grammar.checker import ENGINES, GrammarChecker


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("check", help="check grammar, spelling and style")
    parser.add_argument("file", metavar="FILE|-", help="a text file, or - for stdin")
    parser.add_argument("--engine", choices=("harper", "languagetool", "all"), default="all")
    parser.add_argument("--language", default=None,
                        help="auto (each paragraph's own, the default), or e.g. en-GB, de-DE")
    parser.add_argument("--picky", action="store_true", help="report style nits too")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds to wait for the LanguageTool server (default 180)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def read_exact(value: str) -> str:
    """The text with its own newlines, so offsets index the file's characters."""
    if value == "-":
        decoded = decode_bytes(sys.stdin.buffer.read())
        text, newline = decoded.text, decoded.newline
    else:
        doc = open_document(Path(value))
        text, newline = doc.text, doc.newline
    return text.replace("\n", newline) if newline != "\n" else text


def run(args: argparse.Namespace) -> int:
    conf = settings()
    if args.language:
        conf.language = args.language
    conf.picky = conf.picky or args.picky
    text = read_exact(args.file)
    engines = ENGINES if args.engine == "all" else (args.engine,)
    checker = GrammarChecker(conf, engines)
    if args.engine == "harper" and checker.harper is None:
        raise WordloomError(f"Harper checks English only, not {conf.language}")
    try:
        checker.start(wait=True, timeout=args.timeout)
        result = checker.check(text, markup="markdown" if args.file.endswith(".md")
                               else "plaintext")
    finally:
        checker.close()
    engines_state = {k: v for k, v in result.engines.items() if k in engines}
    if args.json:
        print_json({
            "issues": [{k: v for k, v in i.to_json().items()
                        if k in ("start", "end", "message", "category", "rule", "engine",
                                 "replacements", "start16", "end16", "text")}
                       for i in result.issues],
            "engines": engines_state,
            "languages": result.languages,
        })
        return 0
    for issue in result.issues:
        line = text.count("\n", 0, issue.start) + 1
        column = issue.start - (text.rfind("\n", 0, issue.start) + 1) + 1
        fix = f" -> {', '.join(repr(r) for r in issue.replacements[:3])}" \
            if issue.replacements else ""
        print(f"{line}:{column}: {issue.category}: {issue.message} [{issue.rule}, "
              f"{issue.engine}] {issue.text!r}{fix}")
    for name, state in engines_state.items():
        print(f"{name}: {state}", file=sys.stderr)
    shown = ", ".join(f"{k} ({v})" for k, v in result.languages.items())
    print(f"languages: {shown or 'none'}", file=sys.stderr)
    return 0
