"""``stats``: a document's counts (words, characters, CJK characters, sentences,
paragraphs, reading time)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import print_json, read_text_arg
from engine.documents.formats import import_document, is_importable
from engine.text.stats import count, reading_time


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("stats", help="count a document's words, characters, sentences "
                            "and reading time")
    parser.add_argument("file", metavar="FILE|-", help="a .txt .md .docx .odt file, or - "
                        "for standard input")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.file != "-" and is_importable(Path(args.file)):
        text = import_document(Path(args.file)).markdown
    else:
        text = read_text_arg(args.file, is_file=True)
    counts = count(text)
    if args.json:
        print_json(counts.as_dict())
        return 0
    out = sys.stdout
    out.write(f"words            {counts.words:,}\n")
    out.write(f"characters       {counts.characters:,}\n")
    if counts.cjk_characters:
        out.write(f"CJK characters   {counts.cjk_characters:,}\n")
    out.write(f"sentences        {counts.sentences:,}\n")
    out.write(f"paragraphs       {counts.paragraphs:,}\n")
    out.write(f"reading time     {reading_time(counts.reading_minutes)}\n")
    return 0
