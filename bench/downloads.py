"""Model downloads from a model hub on 127.0.0.1 (tests/hub_server.py): throughput against
``curl`` fetching the same file from the same server (the baseline, same run), what a
pause and resume costs, and how long the SHA-256 check of a 2 GB file takes.

    .venv/bin/python bench/downloads.py [--mb 1024] [--hash-gb 2] [--rate-mb 100]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hub_server import Hub  # noqa: E402

from engine.model.download import (  # noqa: E402
    DownloadCancelled,
    Progress,
    Source,
    download,
    sha256_file,
)
from engine.model.gguf import DEFAULT_MODEL_FILE  # noqa: E402
from engine.paths import HOME_ENV, app_paths  # noqa: E402


def timed_download(endpoint: str, name: str, sha: str) -> float:
    start = time.perf_counter()
    download(Source(repo="bench/model", file=name, endpoint=endpoint), catalogue_sha256=sha)
    return time.perf_counter() - start


def serve(path: str, rate: int) -> int:
    """The hub in its own process, so that it does not share a GIL with the client."""
    hub = Hub({Path(path).name: Path(path).read_bytes()}, cdn=True)
    hub.faults.rate = rate
    print(hub.endpoint, flush=True)
    sys.stdin.read()  # until the bench closes the pipe
    hub.stop()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=1024, help="size of the served file")
    parser.add_argument("--hash-gb", type=float, default=2.0, help="size for the hash check")
    parser.add_argument("--rate-mb", type=int, default=0,
                        help="limit the server to this many MB/s (a network link; 0: none)")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.rate_mb * 1_000_000)
    with tempfile.TemporaryDirectory() as tmp:
        data = (app_paths().models / DEFAULT_MODEL_FILE).read_bytes()
        data = data + os.urandom(max(0, args.mb * (1 << 20) - len(data)))
        os.environ[HOME_ENV] = tmp
        app_paths().ensure()
        name = "bench.gguf"
        sha = hashlib.sha256(data).hexdigest()
        served = Path(tmp) / name
        served.write_bytes(data)
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(served),
                                   "--rate-mb", str(args.rate_mb)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert server.stdout is not None
        endpoint = server.stdout.readline().strip()
        try:
            target = app_paths().models / name
            curl_out = Path(tmp) / "curl.gguf"
            curl = [shutil.which("curl") or "curl", "-s", "-L", "-o", str(curl_out),
                    f"{endpoint}/bench/model/resolve/main/{name}"]
            rows = []
            for _ in range(3):
                start = time.perf_counter()
                subprocess.run(curl, check=True)
                t_curl = time.perf_counter() - start
                curl_out.unlink()
                t_ours = timed_download(endpoint, name, sha)
                target.unlink()
                rows.append((t_curl, t_ours))
            t_curl = min(r[0] for r in rows)
            t_ours = min(r[1] for r in rows)
            size_mb = len(data) / 1e6
            link = f", server limited to {args.rate_mb} MB/s" if args.rate_mb else ""
            print(f"file: {size_mb:.0f} MB over 127.0.0.1{link} (best of 3)")
            print(f"curl                 {t_curl:6.2f} s  {size_mb / t_curl:7.0f} MB/s")
            print(f"wordloom (with hash) {t_ours:6.2f} s  {size_mb / t_ours:7.0f} MB/s  "
                  f"ratio {t_ours / t_curl:.2f}x curl")

            cancel = threading.Event()

            def halfway(p: Progress) -> None:
                if p.phase == "downloading" and p.done >= len(data) // 2:
                    cancel.set()

            source = Source(repo="bench/model", file=name, endpoint=endpoint)
            start = time.perf_counter()
            try:
                download(source, catalogue_sha256=sha, progress=halfway, cancel=cancel)
            except DownloadCancelled:
                pass
            result = download(source, catalogue_sha256=sha)
            t_resume = time.perf_counter() - start
            print(f"pause at 50% + resume {t_resume:6.2f} s  overhead "
                  f"{t_resume / t_ours - 1:+.0%} against one go; resumed at "
                  f"{result.resumed_from / 1e6:.0f} MB (a Range request)")
            target.unlink()
        finally:
            server.communicate("", timeout=30)

        big = Path(tmp) / "hash.bin"
        chunk = os.urandom(64 << 20)
        with open(big, "wb") as out:
            for _ in range(int(args.hash_gb * (1 << 30)) // len(chunk)):
                out.write(chunk)
        start = time.perf_counter()
        sha256_file(big)
        t_hash = time.perf_counter() - start
        gb = big.stat().st_size / 1e9
        print(f"SHA-256 of {gb:.2f} GB: {t_hash:.2f} s ({gb / t_hash:.2f} GB/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
