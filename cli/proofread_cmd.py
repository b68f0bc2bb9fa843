"""``proofread``: the checkers' fixes and confusion-set edits, each one checked by the model."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.check_cmd import read_exact
from cli.common import print_json, settings
from engine.errors import WordloomError
from engine.grammar.checker import GrammarChecker
from engine.model.backend import open_backend
from engine.model.judge_choice import judge_for
from engine.model.scorer import LogProbScorer
from engine.text.markdown_mask import fenced_spans
from engine.writing.assistant import Assistant
from engine.writing.borrow import Offer
from engine.writing.proofread import Proofread, proofread_text
from engine.writing.rewrite_edits import Writer, model_writer, with_rewrites
from engine.writing.templates import TemplateLibrary

MARKDOWN = (".md", ".docx", ".odt")  # read as Markdown (Word and OpenDocument files too)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("proofread", help="fix spelling and grammar, checked by the model")
    parser.add_argument("file", metavar="FILE|-", help="a .txt, .md, .docx or .odt file, or - "
                        "for stdin")
    parser.add_argument("--model", metavar="PATH", help="the GGUF model that judges the edits "
                        "(default: the judge setting, else the starter model)")
    parser.add_argument("--no-model", action="store_true",
                        help="the checkers' first fixes only, nothing judged")
    parser.add_argument("--rewrite", action="store_true",
                        help="also let the model rewrite each sentence and make the word "
                        "changes the judge finds clearly better (slower: the model writes "
                        "two rewrites a sentence)")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds to wait for the LanguageTool server (default 180)")
    parser.add_argument("--tracked", metavar="OUT.docx",
                        help="also write the fixes as Word tracked changes, to accept or "
                        "reject one by one in Word or LibreOffice")
    parser.add_argument("--json", action="store_true",
                        help="print {text, edits: [{start, end, old, new, source, gain}], "
                        "engines, judge} (with --rewrite also offers: [{start, end, old, "
                        "new, gain}], the rewrites' changes that gain less)")
    parser.set_defaults(handler=run)


def proofread_with(checker: GrammarChecker, scorer: LogProbScorer | None, text: str,
                   markup: str = "plaintext", writer: Writer | None = None
                   ) -> tuple[Proofread, list[Offer]]:
    """The checked fixes for ``text``, with the clear edits of the ``writer``'s rewrites
    made and the others offered."""
    issues = checker.check(text, markup=markup).issues if text.strip() else []
    code = fenced_spans(text) if markup == "markdown" else []
    result = proofread_text(text, issues, scorer, skip=code)
    if writer is None or scorer is None:
        return result, []
    return with_rewrites(result, writer, scorer, skip=code)


def read_any(value: str) -> str:
    """A text file exactly (offsets index its characters), or a Word or OpenDocument file
    as Markdown."""
    from engine.documents.formats import import_document, is_importable

    if value != "-" and is_importable(Path(value)):
        return import_document(Path(value)).markdown
    return read_exact(value)


def run(args: argparse.Namespace) -> int:
    conf = settings()
    tracked = Path(args.tracked) if args.tracked else None
    if tracked is not None:
        if tracked.suffix.lower() != ".docx":
            raise WordloomError(f"{tracked}: tracked changes are written to a .docx file")
        if not tracked.parent.is_dir():
            raise WordloomError(f"{tracked}: the folder {tracked.parent} does not exist")
        if args.file != "-" and tracked.exists() and tracked.resolve() == \
                Path(args.file).resolve():
            raise WordloomError(f"{tracked}: is the input; choose another file")
    text = read_any(args.file)
    if not text.strip():
        raise WordloomError("the text is empty")
    if args.rewrite and args.no_model:
        raise WordloomError("--rewrite needs the model: leave out --no-model")
    scorer = None if args.no_model else judge_for(conf, args.model)
    checker = GrammarChecker(conf)
    runner = open_backend(conf) if args.rewrite else None
    try:
        if scorer is not None:
            scorer.load()  # a bad model fails before the checkers start
        if runner is not None:
            runner.load()
        checker.start(wait=True, timeout=args.timeout)
        markup = "markdown" if Path(args.file).suffix.lower() in MARKDOWN else "plaintext"
        writer = model_writer(Assistant(runner, TemplateLibrary())) if runner else None
        result, offers = proofread_with(checker, scorer, text, markup, writer)
        engines = dict(checker.states())
    finally:
        checker.close()
        if scorer is not None:
            scorer.close()
        if runner is not None:
            runner.close()
    engines["model"] = "off" if scorer is None else "ready"
    written = None
    if tracked is not None:
        from engine.documents.tracked import write_tracked_docx
        from engine.review.pending import from_edits

        changes = from_edits(text, result.edits)
        revisions = write_tracked_docx(tracked, text, changes, markdown=markup == "markdown")
        written = {"path": str(tracked), "changes": len(changes), "revisions": revisions}
    if args.json:
        out: dict[str, Any] = {"text": result.text, "edits": [e.to_json() for e in result.edits],
                               "engines": engines,
                               "judge": scorer.model_path if scorer else None}
        if args.rewrite:
            out["offers"] = [o.to_json() for o in offers]
        if written is not None:
            out["tracked"] = written
        print_json(out)
        return 0
    if written is not None:
        print(f"{written['changes']} change(s) written to {tracked} as tracked changes",
              file=sys.stderr)
    sys.stdout.write(result.text if result.text.endswith("\n") else result.text + "\n")
    for edit in result.edits:
        line = text.count("\n", 0, edit.start) + 1
        why = f"the model gains {edit.gain:.1f}" if edit.gain else "checker fix kept"
        change = f"{edit.old!r} -> {edit.new!r}" if edit.old else f"+{edit.new.strip()!r}"
        print(f"{line}: {change} [{edit.source}; {why}]", file=sys.stderr)
    for offer in offers:  # the rewrites' changes that gain less: the writer's call
        line = text.count("\n", 0, offer.start) + 1
        print(f"{line}: maybe {offer.old!r} -> {offer.new!r} [rewrite; the model gains "
              f"{offer.gain:.1f}]", file=sys.stderr)
    for name, state in engines.items():
        print(f"{name}: {state}", file=sys.stderr)
    if scorer is not None:
        print(f"judge: {scorer.model_path}", file=sys.stderr)
    return 0
