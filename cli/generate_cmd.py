"""``generate``: stream the model's answer to a prompt."""

from __future__ import annotations

import argparse
import sys

from cli.common import add_backend_args, backend_settings, print_json, read_text_arg, settings
from engine.errors import WordloomError
from engine.model.backend import open_backend
from engine.model.llm import GenerationParams


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("generate", help="answer a prompt with the local model")
    parser.add_argument("prompt", metavar="PROMPT|-", help="the prompt, or - for stdin")
    parser.add_argument("--model", metavar="PATH", help="a GGUF file (default: settings)")
    parser.add_argument("--max-tokens", type=int, default=256, metavar="N")
    parser.add_argument("--temperature", type=float, default=None, metavar="T")
    parser.add_argument("--seed", type=int, default=None, metavar="S")
    parser.add_argument("--system", default=None, help="a system message")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_backend_args(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    conf = backend_settings(settings(), args)
    if args.max_tokens < 1:
        raise WordloomError(f"--max-tokens must be at least 1, got {args.max_tokens}")
    prompt = read_text_arg(args.prompt, is_file=False)
    if not prompt.strip():
        raise WordloomError("the prompt is empty")
    runner = open_backend(conf, args.model)
    messages = [{"role": "user", "content": prompt}]
    if args.system:
        messages.insert(0, {"role": "system", "content": args.system})
    params = GenerationParams(
        max_tokens=args.max_tokens,
        temperature=conf.temperature if args.temperature is None else args.temperature,
        seed=args.seed,
    )
    def echo(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    try:
        text, stats = runner.generate(messages, params, on_text=None if args.json else echo)
    finally:
        runner.close()
    if args.json:
        print_json({
            "text": text,
            "backend": runner.backend_label,
            "prompt_tokens": stats.prompt_tokens,
            "completion_tokens": stats.completion_tokens,
            "ttft_s": round(stats.ttft_s, 4),
            "tokens_per_s": round(stats.tokens_per_s, 2),
            "gpu_layers": stats.gpu_layers,
            "finish_reason": stats.finish_reason,
        })
    else:
        sys.stdout.write("\n")
    return 0
