"""Running ``main.py`` as a writer would, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def wordloom(*args: str, stdin: str | None = None, timeout: float = 240,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), *args], input=stdin, capture_output=True,
        text=True, timeout=timeout, cwd=REPO, env={**os.environ, **(env or {})})


def wordloom_json(*args: str, stdin: str | None = None) -> Any:
    done = wordloom(*args, "--json", stdin=stdin)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_user_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 1, one line ``error: ...`` on stderr, no traceback."""
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, done.stderr
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]



def write(path: Path, text: str) -> None:
    """A file of the test's own (its folders made first)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# A short story for the story bible's tests: a woman with nicknames, a man called by his
# surname, two places, and capitalised words that are no names.
STORY = """# One

Elizabeth Bennet lived at Brackenford with her sister. Miss Elizabeth Bennet was clever.
Her mother cried, "Lizzy, come!" Elizabeth laughed. However, nobody laughed with her.
Mr. Quarrington came from Ostmere. Quarrington was proud, and the family disliked him.
They walked in Brackenford again, and Elizabeth saw Mr. Quarrington there.
Quarrington bowed. Later Eliza smiled at him in Ostmere.
At last they rode to Brackenford, at a gallop, and from there to Ostmere.
"""
