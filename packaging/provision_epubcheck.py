"""Fetch the official EPUBCheck (W3C) from Maven Central into the cache folder, for the
tests that check built books (tests only: the app never runs it). Needs Java and Maven;
idempotent. Prints the folder of its jars."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from engine.paths import app_paths

POM = Path(__file__).resolve().parent / "epubcheck" / "pom.xml"


def main() -> int:
    dest = app_paths().cache / "epubcheck"
    lib = dest / "lib"
    if any(lib.glob("epubcheck-*.jar")):
        print(f"epubcheck: in {lib}")
        return 0
    if not shutil.which("mvn") or not shutil.which("java"):
        print("epubcheck: needs Java and Maven; the EPUB tests will say so")
        return 0
    with tempfile.TemporaryDirectory(dir=dest.parent if dest.parent.is_dir() else None) as work:
        out = Path(work) / "lib"
        result = subprocess.run(["mvn", "-B", "-q", "-f", str(POM),
                                 "dependency:copy-dependencies", f"-DoutputDirectory={out}"],
                                capture_output=True, text=True)
        if result.returncode != 0 or not any(out.glob("epubcheck-*.jar")):
            tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
            print(f"epubcheck: not fetched: {' '.join(tail)[:300]}")
            return 1
        dest.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(lib, ignore_errors=True)
        shutil.move(str(out), lib)
    print(f"epubcheck: in {lib}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
