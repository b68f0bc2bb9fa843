"""``facts``: entities a text mentions and the ontology facts about them."""

from __future__ import annotations

import argparse
import sys

from cli.common import print_json, read_text_arg, settings
from engine.grammar.language import base
from ontology.knowledge import Knowledge, default_ontology_path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("facts", help="find ontology entities and facts in a text")
    parser.add_argument("text", metavar="TEXT|-", help="the text, or - for stdin")
    parser.add_argument("--ontology", metavar="FILE", help="an OWL file (default: settings)")
    parser.add_argument("--budget", type=int, default=200, metavar="TOKENS",
                        help="token budget for the fact lines (default 200)")
    parser.add_argument("--language", default=None, help="preferred label language")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    conf = settings()
    text = read_text_arg(args.text, is_file=False)
    path = args.ontology or default_ontology_path(conf)
    language = base(args.language or conf.language)
    knowledge = Knowledge.open(path, language)
    try:
        result = knowledge.lookup(text, max(0, args.budget))
    finally:
        knowledge.close()
    if args.json:
        print_json({
            "entities": [m.to_json(result.labels[m.iri]) for m in result.mentions],
            "facts": [{"text": f.text, "iri": f.iri} for f in result.facts],
            "warnings": knowledge.warnings,
        })
        return 0
    for mention in result.mentions:
        print(f"{mention.start}-{mention.end} {text[mention.start:mention.end]!r} -> "
              f"{result.labels[mention.iri]} ({mention.score:.2f})")
    for fact in result.facts:
        print(f"- {fact.text}")
    for warning in knowledge.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
