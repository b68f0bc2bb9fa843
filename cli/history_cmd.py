"""``history``: the versions Wordloom kept of a document; show, compare, restore one, or
record the file as it is now."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import print_json
from engine.documents.files import open_document, save_document
from engine.errors import DocumentError, HistoryError
from engine.history.codec import Version
from engine.history.compare import lines, unified
from engine.history.library import HistoryLibrary
from engine.history.store import HistoryStore


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("history", help="list, show, compare or restore the versions "
                            "kept of a document")
    parser.add_argument("file", metavar="FILE", help="a .txt or .md document")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--show", type=int, metavar="ID", help="print the text of version ID")
    what.add_argument("--diff", type=int, metavar="ID",
                      help="what changed from version ID to the file as it is now")
    what.add_argument("--restore", type=int, metavar="ID",
                      help="put version ID back in the file (the file as it was is kept "
                      "as a version first)")
    what.add_argument("--snapshot", action="store_true",
                      help="keep the file as it is now as a version")
    parser.add_argument("--name", default="", help="with --snapshot: name the version")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if args.name and not args.snapshot:
        raise HistoryError("--name goes with --snapshot")
    doc = open_document(path)
    if path.suffix.lower() in (".docx", ".odt"):
        raise DocumentError(f"{path}: Wordloom keeps history for the .md or .txt files it saves")
    opened = HistoryLibrary().open(path, doc.text, create=args.snapshot)
    if opened is None:
        wanted = next((n for n in (args.show, args.diff, args.restore) if n is not None), None)
        if wanted is not None:
            raise HistoryError(f"{path}: no versions kept yet, so there is no version {wanted}")
        return _print_versions([], args.json)
    for note in opened.notes:
        print(f"warning: {note}", file=sys.stderr)
    store = opened.store
    try:
        if args.snapshot:
            version = store.record(doc.text, "snapshot", args.name.strip())
            latest = version or store.latest()
            assert latest is not None
            if args.json:
                print_json({"recorded": version is not None, "version": latest.as_dict()})
            else:
                print(f"version {latest.id} recorded" if version else
                      f"unchanged since version {latest.id}" +
                      (f"; named “{args.name.strip()}”" if args.name.strip() else ""))
            return 0
        if args.show is not None:
            sys.stdout.write(store.text(args.show))
            return 0
        if args.diff is not None:
            return _diff(store, args.diff, path, doc.text, args.json)
        if args.restore is not None:
            return _restore(store, args.restore, doc, args.json)
        return _print_versions(store.versions(), args.json)
    finally:
        store.close()


def _print_versions(versions: list[Version], as_json: bool) -> int:
    if as_json:
        print_json({"versions": [v.as_dict() for v in versions]})
        return 0
    if not versions:
        print("no versions kept yet (Wordloom keeps one on each save; --snapshot keeps one now)")
        return 0
    for v in versions:
        name = f"  “{v.name}”" if v.name else ""
        print(f"{v.id:>5}  {v.when.strftime('%Y-%m-%d %H:%M')}  {v.words:>8,} words  "
              f"+{v.added:<6,} -{v.removed:<6,} {v.reason}{name}")
    return 0


def _diff(store: HistoryStore, version_id: int, path: Path, now: str, as_json: bool) -> int:
    old = store.lines(version_id)
    patch = unified(old, lines(now), f"{path.name} (version {version_id})",
                    f"{path.name} (now)")
    if as_json:
        print_json({"version": version_id, "changed": bool(patch), "diff": patch})
    else:
        sys.stdout.write(patch)
    return 0


def _restore(store: HistoryStore, version_id: int, doc: object, as_json: bool) -> int:
    from engine.documents.files import Document

    assert isinstance(doc, Document)
    text = store.text(version_id)  # read it whole before anything is written
    store.record(doc.text, "snapshot")
    save_document(doc, text)
    restored = store.record(text, "restore")
    latest = restored or store.latest()
    message = f"restored version {version_id} to {doc.path}"
    if as_json:
        print_json({"restored": version_id, "version": latest.as_dict() if latest else None})
    else:
        print(message)
    return 0
