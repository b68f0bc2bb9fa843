"""Other work beside a benchmark: N child processes that each spin one core for as long as
a ``with busy(n):`` block lasts (what ``while :; do :; done`` does in a shell), as a browser,
a video call or a build would on a writer's laptop. ``bench/proofread.py``,
``bench/review.py`` and ``bench/llm.py`` take ``--busy N`` and report each figure beside the
same run's quiet one."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SPIN = "while True:\n    pass\n"


@contextmanager
def busy(processes: int) -> Iterator[None]:
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN], stdin=subprocess.DEVNULL)
                for _ in range(max(0, processes))]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
        for spinner in spinners:
            spinner.wait(10)


def ratio(loaded: float, quiet: float) -> float:
    return round(loaded / quiet, 2) if quiet else float("nan")
