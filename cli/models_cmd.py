"""``models``: the GGUF models found, with metadata and GPU offload support;
``models catalog``: the models Wordloom offers, with what fits this machine;
``models download``: fetch one (from the catalogue, a hub repository or a URL), checked."""

from __future__ import annotations

import argparse
import sys

from cli.common import add_backend_args, backend_settings, print_json, settings
from engine.config import Settings
from engine.model.gguf import default_model_path, find_models
from engine.model.llm import gpu_offload_supported


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("models", help="list the GGUF models found, or a server's; "
                            "'models catalog' and 'models download' get new ones")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_backend_args(parser)
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION")
    from cli import models_download

    models_download.register(actions)


def run(args: argparse.Namespace) -> int:
    conf = backend_settings(settings(), args)
    if conf.backend == "server":
        return _server_models(conf, args.json)
    found, problems = find_models(conf)
    default = default_model_path(conf)
    offload = gpu_offload_supported()
    if args.json:
        print_json({
            "models": [m.to_json() for m in found],
            "gpu_offload": offload,
            "backend": "in-process",
            "default": str(default) if default else None,
            "problems": problems,
        })
        return 0
    for info in found:
        mark = "*" if default and str(default) == info.path else " "
        print(f"{mark} {info.name}  [{info.architecture}, {info.quantization}, "
              f"{info.size_bytes / 1e6:.0f} MB, context {info.context_length}, "
              f"chat template {'yes' if info.chat_template else 'no'}]\n    {info.path}")
    if not found:
        print("no models found: run 'make setup' or put a .gguf file in the models folder")
    for line in problems:
        print(f"warning: {line}", file=sys.stderr)
    print(f"GPU offload: {'available' if offload else 'not available in this build (CPU)'}")
    return 0


def _server_models(conf: Settings, as_json: bool) -> int:
    from engine.model.server import ServerRunner  # httpx: only when a server is asked

    runner = ServerRunner.from_settings(conf)
    try:
        names = runner.list_models()
    finally:
        runner.close()
    if as_json:
        print_json({"backend": runner.backend_label, "models": [{"name": n} for n in names],
                    "default": runner.model, "context": runner.n_ctx,
                    "token_counts": "estimated" if runner.tokens_estimated else "server"})
        return 0
    for name in names:
        print(f"{'*' if name == runner.model else ' '} {name}")
    print(f"server: {runner.base}; context {runner.n_ctx}; token counts "
          f"{'estimated' if runner.tokens_estimated else 'from the server'}")
    return 0
