"""Writers' formats at manuscript size: a 100,000-word Markdown book exported to Word,
OpenDocument, HTML and PDF, and Word and OpenDocument imported back, each timed; the
Markdown round trip is the baseline in the same run.

    .venv/bin/python bench/formats.py [--words 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.documents.blocks import from_markdown, to_markdown
from engine.documents.formats import export_document, import_document

PARAGRAPH = ("We walked along the **Su Causeway** at dawn, when the willows were still and the "
             "boats *waited* by the piers; the tea houses opened one by one and the first "
             "visitors arrived with their cameras and their questions about the lake. ")


def book(words: int) -> str:
    parts, count, chapter = [], 0, 0
    while count < words:
        chapter += 1
        parts.append(f"# Chapter {chapter}\n")
        for section in range(4):
            parts.append(f"## Part {section + 1}\n")
            parts += [PARAGRAPH * 2 + "\n"] * 6
            parts.append("- tea\n- boats\n- willows\n")
            parts.append("> The lake is best at dawn.\n")
            count += 6 * len((PARAGRAPH * 2).split()) + 11
    return "\n".join(parts)


def timed(label: str, fn, *args) -> object:
    started = time.perf_counter()
    result = fn(*args)
    print(f"{label:<38} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    args = parser.parse_args()
    text = book(args.words)
    print(f"{len(text.split()):,} words, {len(text):,} characters")
    started = time.perf_counter()
    to_markdown(from_markdown(text))
    baseline = time.perf_counter() - started
    print(f"{'Markdown → blocks → Markdown (baseline)':<38} {baseline:7.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for suffix in (".docx", ".odt", ".html"):
            timed(f"export {suffix}", export_document, text, folder / f"book{suffix}", "Book")
        from PySide6.QtGui import QGuiApplication

        import render.pdf  # noqa: F401  (registers the PDF writer)

        _app = QGuiApplication([])
        timed("export .pdf (Qt)", export_document, text, folder / "book.pdf", "Book")
        for suffix in (".docx", ".odt"):
            path = folder / f"book{suffix}"
            imported = timed(f"open (import) {suffix}, {path.stat().st_size // 1000} kB",
                             import_document, path)
            assert len(imported.markdown.split()) > 0.9 * len(text.split())  # type: ignore
    return 0


if __name__ == "__main__":
    sys.exit(main())
