"""``ontology``: the writer's knowledge base from the command line.

    ontology add --ontology F (--individual NAME | --class NAME) [--type CLASS]
                 [--label LANG:TEXT]... [--comment TEXT] [--relation PROPERTY=TARGET]...
    ontology show --ontology F NAME|IRI
    ontology check --ontology F
    ontology new F [--title T]

Edits are saved in the file's own format, keeping every other statement as it was.
"""

from __future__ import annotations

import argparse
import sys

from cli.common import print_json, settings
from engine.errors import OntologyError
from ontology.kb import KnowledgeBase
from ontology.knowledge import default_ontology_path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("ontology", help="add to, show and check a knowledge base")
    actions = parser.add_subparsers(dest="ontology_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add an individual or a class, and save")
    _file_arg(add)
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--individual", metavar="NAME", help="a new individual (a thing)")
    kind.add_argument("--class", dest="klass", metavar="NAME", help="a new class (a kind)")
    add.add_argument("--type", default="", metavar="CLASS",
                     help="its class (an individual's, or a class's parent): IRI or name")
    add.add_argument("--label", action="append", default=[], metavar="LANG:TEXT",
                     help="a label in a language, e.g. zh:灵隐寺 (repeatable)")
    add.add_argument("--comment", default="", help="a description")
    add.add_argument("--relation", action="append", default=[], metavar="PROPERTY=TARGET",
                     help="a link to another entry, e.g. 'located in=Hangzhou'; a new "
                     "property name becomes an object property (repeatable)")
    add.add_argument("--json", action="store_true", help="print the new entry as JSON")
    add.set_defaults(handler=run_add)

    show = actions.add_parser("show", help="an entry: labels, types, relations both ways")
    _file_arg(show)
    show.add_argument("name", metavar="NAME|IRI")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=run_show)

    check = actions.add_parser("check", help="consistency, with the HermiT reasoner")
    _file_arg(check)
    check.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(handler=run_check)

    new = actions.add_parser("new", help="create an empty knowledge base (.owl)")
    new.add_argument("path", metavar="FILE")
    new.add_argument("--title", default="", help="its name")
    new.set_defaults(handler=run_new)


def _file_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ontology", metavar="FILE",
                        help="the ontology file (default: the one in the settings)")


def _open(args: argparse.Namespace) -> KnowledgeBase:
    path = args.ontology or str(default_ontology_path(settings()))
    return KnowledgeBase.open(path)


def _pairs(values: list[str], sep: str, what: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        left, found, right = value.partition(sep)
        if not found or not left.strip() or not right.strip():
            raise OntologyError(f"{what} {value!r}: expected {what.upper()}{sep}…")
        pairs.append((left.strip(), right.strip()))
    return pairs


def run_add(args: argparse.Namespace) -> int:
    labels = _pairs(args.label, ":", "label")
    relations = _pairs(args.relation, "=", "relation")
    kb = _open(args)
    try:
        kind, name = ("class", args.klass) if args.klass else ("individual", args.individual)
        change = kb.add(kind, name, args.type, labels, args.comment, relations)
        iri = change.subject
        kb.save()
        details = kb.details(iri)
    finally:
        kb.close()
    if args.json:
        print_json({**details.to_json(), "saved": str(kb.path)})
    else:
        print(f"added {details.label} ({iri}) to {kb.path}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    kb = _open(args)
    try:
        iri = kb.resolve(args.name)
        if iri is None:
            near = kb.near(args.name)
            hint = f"; did you mean {' or '.join(near)}?" if near else ""
            raise OntologyError(f"no entry {args.name!r} in {kb.path.name}{hint}")
        details = kb.details(iri)
    finally:
        kb.close()
    if args.json:
        print_json(details.to_json())
        return 0
    print(f"{details.label}  ({details.kind}, {details.iri})")
    for lang, texts in sorted(details.labels.items()):
        print(f"  label{f' [{lang}]' if lang else ''}: {'; '.join(texts)}")
    for text, lang in details.alt_names:
        print(f"  also{f' [{lang}]' if lang else ''}: {text}")
    for comment in details.comments:
        print(f"  comment: {comment}")
    for t in details.types:
        print(f"  {t.prop_label}: {t.label}")
    for r in details.outgoing:
        print(f"  {r.prop_label} → {r.label}")
    for r in details.incoming:
        print(f"  ← {r.label} {r.prop_label}")
    for prop, value in details.values:
        print(f"  {prop}: {value}")
    for m in details.members:
        print(f"  member: {m.label}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from ontology.reasoner import check_consistency

    kb = _open(args)
    try:
        report = check_consistency(kb.store, timeout=args.timeout)
    finally:
        kb.close()
    if args.json:
        print_json({"consistent": report.consistent, "seconds": round(report.seconds, 2),
                    "unsatisfiable": report.unsatisfiable,
                    "explanations": report.explanations, "summary": report.summary()})
    else:
        print(report.summary())
    return 0 if report.consistent else 1


def run_new(args: argparse.Namespace) -> int:
    path = KnowledgeBase.create(args.path, args.title)
    print(f"created {path}", file=sys.stderr)
    print(path)
    return 0
