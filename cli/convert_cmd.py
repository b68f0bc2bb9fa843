"""``convert``: between Markdown, Word, OpenDocument, HTML and PDF, by extension."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from cli.common import print_json
from engine.documents.blocks import from_markdown
from engine.documents.formats import EXPORTABLE, export_document, import_document, is_importable
from engine.errors import DocumentError

READABLE = (".md", ".markdown", ".txt", ".docx", ".odt")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("convert", help="convert a document: .md .txt .docx .odt → "
                            ".md .docx .odt .html .pdf")
    parser.add_argument("input", metavar="IN")
    parser.add_argument("output", metavar="OUT")
    parser.add_argument("--title", default="", help="the document's title (default: IN's name)")
    parser.add_argument("--page", default="A4", help="PDF page size: A4, Letter, A5, Legal")
    parser.add_argument("--track-changes", choices=("accept", "reject", "pending"),
                        default="accept", help="a Word file's tracked changes: made (as Word "
                        "shows them by default), left out, or kept as tracked changes in a "
                        ".docx")
    parser.add_argument("--json", action="store_true", help="print a summary as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    source, target = Path(args.input), Path(args.output)
    if source.suffix.lower() not in READABLE:
        raise DocumentError(f"{source}: cannot read {source.suffix or 'this kind of'} files "
                            f"(Wordloom reads {', '.join(READABLE)})")
    if target.suffix.lower() not in (*EXPORTABLE, ".markdown", ".html", ".htm"):
        what = target.suffix or "a file without an extension"
        raise DocumentError(f"{target}: cannot write {what}; choose .md, .docx, .odt, .html "
                            "or .pdf")
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise DocumentError(f"{target}: is the input; choose another output file")
    if args.track_changes == "pending":
        return _pending(source, target, args.json)
    left_out: Counter[str] = Counter()
    blocks = None
    imported_media: dict[str, bytes] = {}
    if is_importable(source):
        imported = import_document(source, accepted=args.track_changes == "accept")
        markdown, left_out, blocks = imported.markdown, imported.dropped, imported.blocks
        imported_media = imported.media
        if imported.note() and not args.json:
            print(f"note: {source.name}: {imported.note()}", file=sys.stderr)
    else:
        from engine.documents.files import open_document

        markdown = open_document(source).text
    title = args.title or source.stem
    if target.suffix.lower() == ".pdf":
        from render import pdf  # noqa: F401  (Qt draws PDFs; imported only for them)
    export_document(markdown, target, title, args.page)
    if imported_media and target.suffix.lower() in (".md", ".markdown"):
        from engine.documents.files import save_media

        for warning in save_media(imported_media, target.parent):
            print(f"warning: {warning}", file=sys.stderr)
    blocks = blocks if blocks is not None else from_markdown(markdown)
    summary = {"input": str(source), "output": str(target),
               "format": target.suffix.lower().lstrip("."), "words": len(markdown.split()),
               "blocks": dict(Counter(b.kind for b in blocks)), "left_out": dict(left_out),
               "bytes": target.stat().st_size}
    if args.json:
        print_json(summary)
    else:
        print(f"{target}: {summary['words']} words, {summary['bytes']} bytes")
    return 0


def _pending(source: Path, target: Path, as_json: bool) -> int:
    """A Word file's tracked changes kept as tracked changes in another .docx."""
    from engine.documents.tracked import write_tracked_docx
    from engine.documents.tracked_reader import read_tracked_docx

    if source.suffix.lower() != ".docx" or target.suffix.lower() != ".docx":
        raise DocumentError(f"{target}: --track-changes pending keeps tracked changes from "
                            "a .docx in a .docx; choose accept or reject for other files")
    tracked = read_tracked_docx(source)
    written = write_tracked_docx(target, tracked.text, tracked.changes)
    summary = {"input": str(source), "output": str(target), "format": "docx",
               "changes": len(tracked.changes), "revisions": written,
               "authors": tracked.authors, "bytes": target.stat().st_size}
    if as_json:
        print_json(summary)
    else:
        print(f"{target}: {len(tracked.changes)} tracked change(s) kept, "
              f"{summary['bytes']} bytes")
    return 0
