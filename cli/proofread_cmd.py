"""``proofread``: the checkers' fixes and confusion-set edits, each one checked by the model."""

from __future__ import annotations

import argparse
import sys

from cli.check_cmd import read_exact
from cli.common import print_json, settings
from engine.errors import WordloomError
from engine.grammar.checker import GrammarChecker
from engine.model.scorer import LogProbScorer
from engine.writing.proofread import Proofread, proofread_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("proofread", help="fix spelling and grammar, checked by the model")
    parser.add_argument("file", metavar="FILE|-", help="a text file, or - for stdin")
    parser.add_argument("--model", metavar="PATH", help="the GGUF model that judges the edits")
    parser.add_argument("--no-model", action="store_true",
                        help="the checkers' first fixes only, nothing judged")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds to wait for the LanguageTool server (default 180)")
    parser.add_argument("--json", action="store_true",
                        help="print {text, edits: [{start, end, old, new, source, gain}], "
                        "engines}")
    parser.set_defaults(handler=run)


def proofread_with(checker: GrammarChecker, scorer: LogProbScorer | None, text: str,
                   markup: str = "plaintext") -> Proofread:
    """The checked fixes for ``text`` (the command line's and the benchmark's one path)."""
    issues = checker.check(text, markup=markup).issues if text.strip() else []
    return proofread_text(text, issues, scorer)


def run(args: argparse.Namespace) -> int:
    conf = settings()
    text = read_exact(args.file)
    if not text.strip():
        raise WordloomError("the text is empty")
    scorer = None if args.no_model else LogProbScorer.from_settings(conf, args.model)
    checker = GrammarChecker(conf)
    try:
        if scorer is not None:
            scorer.load()  # a bad model fails before the checkers start
        checker.start(wait=True, timeout=args.timeout)
        result = proofread_with(checker, scorer, text,
                                "markdown" if args.file.endswith(".md") else "plaintext")
        engines = dict(checker.states())
    finally:
        checker.close()
        if scorer is not None:
            scorer.close()
    engines["model"] = "off" if scorer is None else "ready"
    if args.json:
        print_json({"text": result.text, "edits": [e.to_json() for e in result.edits],
                    "engines": engines})
        return 0
    sys.stdout.write(result.text if result.text.endswith("\n") else result.text + "\n")
    for edit in result.edits:
        line = text.count("\n", 0, edit.start) + 1
        why = f"the model gains {edit.gain:.1f}" if edit.gain else "checker fix kept"
        change = f"{edit.old!r} -> {edit.new!r}" if edit.old else f"+{edit.new.strip()!r}"
        print(f"{line}: {change} [{edit.source}; {why}]", file=sys.stderr)
    for name, state in engines.items():
        print(f"{name}: {state}", file=sys.stderr)
    return 0
