"""How many of a Word file's words Wordloom's import keeps, against the reference reading.

    .venv/bin/python bench/imports.py --data ../shared/data/word-corpus [--json] [--show N]
                                      [--odt DIR]

For each ``files/NAME.docx`` the reference is ``pandoc-text/NAME.accept.txt`` (pandoc's
plain-text reading; pandoc itself when it is installed and the file is missing).
``missing_words`` counts the words the reference has and Wordloom's text lacks, as
multisets of words (letters and digits, lowercased; link targets and Markdown marks
aside). ``refused`` counts the files the import refused; ``printed_bytes`` what the
import printed on stdout and stderr (a library's chatter); ``tracked_mismatches`` the
tracked files whose accept-all or reject-all text differs from the reference's words.

``--odt DIR`` measures the OpenDocument reader instead, on a corpus of its own: each
Word file saved as ``.odt`` by LibreOffice (headless, once, into DIR), against the same
reference.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.documents.formats import import_document
from engine.errors import DocumentError

WORD = re.compile(r"[^\W_]+", re.UNICODE)
LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|\[\^[^\]]*\]")
# what a reader numbers, not words of the writer's: list markers ("2.", "b)", "iv."),
# footnote marks ("[1]", "[^1]")
MARKERS = re.compile(r"(^\s*|\| )(?:\d+|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)[.)](?=\s)"
                     r"|\[\^?\d+\]:?", re.MULTILINE)


def words(text: str) -> Counter[str]:
    """The words of a plain or Markdown text: a link's target, list markers, footnote
    marks and the marks of emphasis, links and code are not words ("*T*hese" is one)."""
    text = LINK_TARGET.sub("", MARKERS.sub(r"\1", text))
    text = re.sub(r"[*`\[\]]|!(?=\[)", "", text)
    return Counter(w.lower() for w in WORD.findall(text))


def reference(data: Path, name: str, view: str = "accept") -> str | None:
    path = data / "pandoc-text" / f"{name}.{view}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None
    done = subprocess.run([pandoc, f"--track-changes={view}", "-t", "plain", "--wrap=none",
                           str(data / "files" / f"{name}.docx")], capture_output=True,
                          text=True, timeout=120)
    return done.stdout if done.returncode == 0 else None


def read(path: Path) -> tuple[str | None, int]:
    """Wordloom's reading (None when refused) and the bytes printed meanwhile, the file
    descriptors' too (a C library's or a subprocess's)."""
    with tempfile.TemporaryFile() as sink:
        saved = [os.dup(1), os.dup(2)]
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        caught = io.StringIO()
        try:
            with contextlib.redirect_stdout(caught), contextlib.redirect_stderr(caught):
                try:
                    text: str | None = import_document(path).markdown
                except DocumentError:
                    text = None
        finally:
            sys.stdout.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
        sink.seek(0, os.SEEK_END)
        return text, sink.tell() + len(caught.getvalue().encode())


def tracked_views(path: Path) -> tuple[str, str] | None:
    """Accept-all and reject-all of a Word file's tracked changes, as Wordloom reads them."""
    from engine.documents.tracked_reader import read_tracked_docx
    from engine.review.pending import Review

    try:
        tracked = read_tracked_docx(path)
    except DocumentError:
        return None
    review = Review(tracked.text, list(tracked.changes))
    return review.accepted_text(), tracked.text


def odt_copies(files: list[Path], folder: Path) -> list[Path]:
    """Each Word file as LibreOffice saves it in OpenDocument (made once)."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = [f for f in files if not (folder / f"{f.stem}.odt").is_file()]
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if missing and office is not None:
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", "odt", "--outdir", str(folder),
                            *map(str, missing)], capture_output=True, timeout=1800)
    return sorted(p for p in (folder / f"{f.stem}.odt" for f in files) if p.is_file())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", type=int, default=0, help="list the N files missing most")
    parser.add_argument("--odt", type=Path, help="LibreOffice's .odt copies, made here once")
    args = parser.parse_args()
    files = sorted((args.data / "files").glob("*.docx"))
    if args.odt is not None and files:
        files = odt_copies(files, args.odt)
    if not files:
        print(f"error: no .docx files in {args.data / 'files'}", file=sys.stderr)
        return 1
    totals = Counter[str]()
    losses: list[tuple[int, str, list[str]]] = []
    mismatched: list[str] = []
    for path in files:
        ref = reference(args.data, path.stem)
        if ref is None:
            continue
        expected = words(ref)
        totals["reference_words"] += sum(expected.values())
        text, printed = read(path)
        totals["printed_bytes"] += printed
        if text is None:
            totals["refused"] += 1
            continue
        rejected_ref = args.data / "pandoc-text" / f"{path.stem}.reject.txt"
        views = tracked_views(path) if rejected_ref.is_file() and path.suffix == ".docx" \
            else None
        if views is not None:  # the reference accepts every change: so does the reader
            text = views[0]
        missing = expected - words(text)
        if missing:
            totals["missing_words"] += sum(missing.values())
            totals["files_missing_words"] += 1
            losses.append((sum(missing.values()), path.name, sorted(missing)[:12]))
        tracked = rejected_ref.is_file() and path.suffix == ".docx"
        if tracked and (views is None or words(views[0]) != expected or
                        words(views[1]) != words(rejected_ref.read_text(encoding="utf-8"))):
            mismatched.append(path.name)
    result = {"files": len(files), "reference_words": totals["reference_words"],
              "missing_words": totals["missing_words"],
              "files_missing_words": totals["files_missing_words"],
              "refused": totals["refused"], "printed_bytes": totals["printed_bytes"],
              "tracked_mismatches": len(mismatched)}
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
    for count, name, sample in sorted(losses, reverse=True)[:args.show]:
        print(f"{count:5d} {name}: {' '.join(sample)}", file=sys.stderr)
    for name in mismatched[:args.show]:
        print(f"tracked mismatch: {name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
