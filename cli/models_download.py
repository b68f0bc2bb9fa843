"""``models catalog`` and ``models download``: the catalogue, and fetching a model.

Nothing here touches the network except ``download``, and only for the file asked for.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

from cli.common import print_json, settings
from engine.errors import WordloomError
from engine.model.catalog import load_catalog
from engine.model.download import Progress, Source, download
from engine.model.hardware import gpu_memory_bytes, total_ram_bytes


def register(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    catalog = actions.add_parser("catalog", help="the models Wordloom offers to download")
    catalog.add_argument("--json", action="store_true", help="print JSON")
    catalog.set_defaults(handler=run_catalog)

    fetch = actions.add_parser(
        "download", help="download a model into the models folder, SHA-256 checked",
        description="Download a catalogue model (by name), a hub repository's file "
        "(--repo and --file) or a pasted link (--url). A stopped download resumes.")
    fetch.add_argument("name", nargs="?", help="a name from 'models catalog'")
    fetch.add_argument("--url", help="a direct link to a .gguf file")
    fetch.add_argument("--repo", help="a hub repository, owner/name (with --file)")
    fetch.add_argument("--file", dest="repo_file", help="the .gguf file in --repo")
    fetch.add_argument("--revision", default="main", help="the hub revision (with --repo)")
    fetch.add_argument("--sha256", default="", metavar="HEX",
                       help="the file's SHA-256, checked before the file is kept")
    fetch.add_argument("--endpoint", default=None, metavar="URL",
                       help="a hub mirror (default: hub_endpoint in the settings, else the "
                       "public hub)")
    fetch.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                       help="give up when the server sends nothing for this long (30)")
    fetch.add_argument("--json", action="store_true", help="print the result as JSON")
    fetch.set_defaults(handler=run_download)


def run_catalog(args: argparse.Namespace) -> int:
    from engine.model.llm import gpu_offload_supported

    conf = settings()
    catalog = load_catalog()
    for line in catalog.problems:
        print(f"warning: {line}", file=sys.stderr)
    ram = total_ram_bytes()
    vram = gpu_memory_bytes() if gpu_offload_supported() else 0
    n_ctx = conf.context_size or 4096
    rows = [entry.to_json(n_ctx, ram, vram) for entry in catalog.entries]
    if args.json:
        print_json({"models": rows, "ram_bytes": ram, "vram_bytes": vram,
                    "context": n_ctx, "problems": catalog.problems})
        return 0
    for row in rows:
        mark = {"gpu": "GPU", "fits": "yes", "tight": "tight", "too big": "no"}[row["fit"]]
        print(f"{row['name']:<28} {row['size_bytes'] / 1e9:5.1f} GB  needs "
              f"{row['ram_gb']:5.1f} GB  fits: {mark:<5}  {', '.join(row['languages'][:4])}"
              f"  [{row['license']}]")
    print(f"this machine: {ram / 1e9:.1f} GB RAM"
          + (f", {vram / 1e9:.1f} GB GPU" if vram else "")
          + f"; figures for a {n_ctx}-token context")
    return 0


def run_download(args: argparse.Namespace) -> int:
    conf = settings()
    endpoint = args.endpoint if args.endpoint is not None else conf.hub_endpoint
    catalogue_sha = ""
    chosen = [bool(args.name), bool(args.url), bool(args.repo)]
    if sum(chosen) != 1:
        raise WordloomError("name one model: a catalogue NAME, --url URL, or --repo with "
                            "--file")
    if args.name:
        catalog = load_catalog()
        entry = catalog.find(args.name)
        if entry is None:
            names = ", ".join(e.name for e in catalog.entries)
            raise WordloomError(f"no model {args.name!r} in the catalogue; it has: {names}")
        source = Source.from_entry(entry, endpoint)
        catalogue_sha = entry.sha256
    elif args.url:
        source = Source(url=args.url)
    else:
        if not args.repo_file:
            raise WordloomError("--repo needs --file NAME.gguf")
        source = Source(repo=args.repo, file=args.repo_file, revision=args.revision,
                        endpoint=endpoint)
    cancel = threading.Event()
    result = download(source, sha256=args.sha256, catalogue_sha256=catalogue_sha,
                      timeout=args.timeout, progress=_Printer(), cancel=cancel)
    if result.already_there:
        print(f"{result.path.name} is already in the models folder", file=sys.stderr)
    if args.json:
        print_json(result.to_json())
    else:
        print(f"{result.path}\nSHA-256 {result.sha256} ({result.checked_against})")
    return 0


class _Printer:
    """Progress on stderr: a line now and then (a terminal gets it redrawn in place)."""

    def __init__(self) -> None:
        self.last = 0.0
        self.tty = sys.stderr.isatty()
        self.phase = ""

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if p.phase == self.phase and now - self.last < (0.2 if self.tty else 2.0):
            return
        self.phase, self.last = p.phase, now
        if p.phase == "connecting":
            line = "connecting…"
        elif p.phase == "verifying":
            line = "checking the SHA-256…"
        else:
            total = f" of {p.total / 1e6:.0f} MB" if p.total else ""
            line = f"{p.done / 1e6:.0f} MB{total} at {p.rate / 1e6:.1f} MB/s"
            if p.resumed_from:
                line += f" (resumed at {p.resumed_from / 1e6:.0f} MB)"
        end = "\r" if self.tty else "\n"
        print(f"{line:<60}", end=end, file=sys.stderr, flush=True)
