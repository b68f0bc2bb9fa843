"""SIGKILL during a project-wide replace: every file is whole, old or new, and the
project file is whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from engine.project.manifest import FILE_NAME
from engine.project.model import Project
from helpers import REPO

DOCS = 120


def old_text(n: int) -> str:
    return f"# Chapter {n}\n\n" + "Darcy walked to Pemberley and back again. " * 40 + "\n"


def test_sigkill_during_replace_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    root = tmp_path / "book"
    root.mkdir()
    for n in range(DOCS):
        (root / f"{n:03d}.md").write_text(old_text(n))
    Project.init(root, "Killed").close()
    manifest = (root / FILE_NAME).read_bytes()
    command = [sys.executable, str(REPO / "main.py"), "project", "replace", str(root),
               "Darcy", "Fitzwilliam", "--whole-word"]
    kinds: set[str] = set()
    for first in (0, 5, 20):  # killed once the replace has written its first files
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=os.environ.copy())
        deadline = time.monotonic() + 120
        while "Fitzwilliam" not in (root / f"{first:03d}.md").read_text() \
                and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        child.send_signal(signal.SIGKILL)
        child.wait()
        for n in range(DOCS):
            text = (root / f"{n:03d}.md").read_text()
            new = old_text(n).replace("Darcy", "Fitzwilliam")
            assert text in (old_text(n), new), n
            kinds.add("new" if text == new else "old")
        tomllib.loads((root / FILE_NAME).read_text())
        assert (root / FILE_NAME).read_bytes() == manifest
        assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]
        (root / ".wordloom-project.lock").unlink(missing_ok=True)  # left by the killed one
        for n in range(DOCS):
            (root / f"{n:03d}.md").write_text(old_text(n))
    assert kinds == {"old", "new"}  # some kill landed in the middle of the writing
