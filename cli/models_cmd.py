"""``models``: the GGUF models found, with metadata and GPU offload support."""

from __future__ import annotations

import argparse
import sys

from cli.common import print_json, settings
from engine.model.gguf import default_model_path, find_models
from engine.model.llm import gpu_offload_supported


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("models", help="list the GGUF models found")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    conf = settings()
    found, problems = find_models(conf)
    default = default_model_path(conf)
    offload = gpu_offload_supported()
    if args.json:
        print_json({
            "models": [m.to_json() for m in found],
            "gpu_offload": offload,
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
