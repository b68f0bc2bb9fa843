"""``rewrite``: run a template on a text and print scored candidates, best first."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import add_backend_args, backend_settings, print_json, read_text_arg, settings
from engine.errors import WordloomError
from engine.grammar import language
from engine.grammar.checker import ENGINES, GrammarChecker
from engine.model.backend import open_backend
from engine.model.judge_choice import judge_beside
from engine.writing.assistant import STYLES, Assistant, AssistRequest
from engine.writing.evaluate import Evaluator
from engine.writing.optimize import MAX_ROUNDS, Round, suggest
from engine.writing.templates import TemplateLibrary


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("rewrite", help="rewrite a text with a template")
    parser.add_argument("file", metavar="FILE|-", help="a text file, or - for stdin")
    parser.add_argument("--template", required=True, metavar="NAME")
    parser.add_argument("--style", choices=sorted(STYLES), default="")
    parser.add_argument("--length", type=int, default=0, metavar="N", help="target words")
    parser.add_argument("--ontology", metavar="FILE", help="an OWL file for facts")
    parser.add_argument("--no-ontology", action="store_true", help="send no facts")
    parser.add_argument("--candidates", type=int, default=0, metavar="N")
    parser.add_argument("--rounds", type=int, default=MAX_ROUNDS, metavar="N",
                        help=f"at most N rounds of generation (default {MAX_ROUNDS})")
    parser.add_argument("--seed", type=int, default=None, metavar="S")
    parser.add_argument("--temperature", type=float, default=None, metavar="T")
    parser.add_argument("--model", metavar="PATH")
    parser.add_argument("--set", action="append", default=[], metavar="VAR=VALUE",
                        help="a template variable, e.g. --set city=Hangzhou")
    parser.add_argument("--show-prompt", action="store_true", help="print the prompt too")
    parser.add_argument("--timeout", type=float, default=180.0,
                        help="seconds to wait for the LanguageTool server when proofreading")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_backend_args(parser)
    parser.set_defaults(handler=run)


def _variables(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        if "=" not in pair:
            raise WordloomError(f"--set needs VAR=VALUE, got {pair!r}")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


def report_round(rnd: Round) -> None:
    if rnd.reason:
        print(f"round {rnd.number}: retrying because {rnd.reason}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    conf = backend_settings(settings(), args)
    if args.candidates < 0 or args.candidates > 8:
        raise WordloomError("--candidates must be between 1 and 8")
    library = TemplateLibrary()
    template = library.get(args.template)  # a clear error before the model loads
    text = read_text_arg(args.file, is_file=True).strip()
    if not text and not args.set:
        raise WordloomError("the text is empty")
    knowledge = None
    if not args.no_ontology:
        from ontology.knowledge import Knowledge, default_ontology_path

        path = Path(args.ontology) if args.ontology else default_ontology_path(conf)
        if args.ontology or path.exists():
            knowledge = Knowledge.open(path, language.base(conf.language))
    runner = open_backend(conf, args.model)
    # proofreading's checked fixes need both checkers' issues; other templates count
    # Harper's only (no LanguageTool start-up for a rewrite)
    checked = "checked" in template.baselines
    grammar = GrammarChecker(conf, engines=ENGINES if checked else ("harper",))
    judge = judge_beside(runner, conf)
    assistant = Assistant(runner, library, knowledge)
    request = AssistRequest(template=args.template, selection=text, style=args.style,
                            length=args.length, candidates=args.candidates, seed=args.seed,
                            temperature=args.temperature, language=conf.language,
                            variables=_variables(args.set))
    live = not args.json and sys.stdout.isatty()
    try:
        if checked:
            grammar.start(wait=True, timeout=args.timeout)
        matcher = knowledge.matcher if knowledge else None
        outcome = suggest(assistant, Evaluator(grammar, matcher, judge), request,
                          max_rounds=max(1, args.rounds),
                          on_round=report_round,
                          on_chunk=(lambda _i, c: print(c, end="", file=sys.stderr))
                          if live else None)
    finally:
        runner.close()
        grammar.close()
        if judge is not None:
            judge.close()
        if knowledge is not None:
            knowledge.close()
    prompt = outcome.prompt
    if args.json:
        data = {
            "template": args.template, "backend": runner.backend_label, "source": text,
            "prompt": prompt.to_json(),
            "trimmed": prompt.trimmed, "facts": prompt.facts,
            "rounds": [r.to_json() for r in outcome.rounds],
            "candidates": [c.to_json() for c in outcome.candidates],
        }
        if args.show_prompt:
            data["messages"] = prompt.messages
        print_json(data)
        return 0
    if args.show_prompt:
        for message in prompt.messages:
            print(f"--- {message['role']} ---\n{message['content']}")
        parts = ", ".join(f"{p.name} {p.tokens}" for p in prompt.parts)
        about = "about " if prompt.estimated else ""
        print(f"--- {about}{prompt.total_tokens} of {prompt.context} tokens ({parts}); "
              f"trimmed: {', '.join(prompt.trimmed) or 'nothing'} ---\n")
    for rank_no, cand in enumerate(outcome.candidates, 1):
        flag = "" if not cand.violations else f"  [breaks: {'; '.join(cand.violations)}]"
        print(f"#{rank_no}  score {cand.score:.2f}  (round {cand.round}){flag}")
        print(cand.text or f"({cand.note})")
        print("    " + "; ".join(cand.reasons) + "\n")
    return 0
