"""A GGUF file's chat template, rendered with limits (engine.text.sandbox).

The template is Jinja code from whoever made the file: it runs in the limited sandbox,
its source is capped, and any failure is a ``ModelError`` with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import jinja2
import jinja2.ext

from engine.errors import ModelError
from engine.text.sandbox import LimitedEnvironment

MAX_SOURCE = 256 * 1024  # characters of template source
WHAT = "the model's chat template"


class _Generation(jinja2.ext.Extension):
    """Hugging Face's ``{% generation %}`` tag, passed through (as llama-cpp-python does)."""

    tags = {"generation"}  # noqa: RUF012 (Jinja's own class attribute)

    def parse(self, parser: Any) -> Any:
        parser.stream.skip(1)
        return parser.parse_statements(("name:endgeneration",), drop_needle=True)


def _tojson(value: Any, ensure_ascii: bool = False, indent: int | None = None,
            separators: tuple[str, str] | None = None, sort_keys: bool = False) -> str:
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                      sort_keys=sort_keys)


def _raise(message: str) -> None:
    raise ModelError(f"{WHAT} refused the conversation: {message}")


class ChatTemplate:
    """Compile once, render many times, each render bounded."""

    def __init__(self, source: str, eos_token: str = "", bos_token: str = "") -> None:
        if len(source) > MAX_SOURCE:
            raise ModelError(f"{WHAT} is {len(source)} characters long, more than "
                             f"{MAX_SOURCE}")
        self.environment = LimitedEnvironment(
            WHAT, ModelError, loader=jinja2.BaseLoader(), trim_blocks=True,
            lstrip_blocks=True, extensions=[_Generation, jinja2.ext.loopcontrols])
        self.environment.filters["tojson"] = _tojson
        try:
            self.template = self.environment.from_string(source)
        except jinja2.TemplateError as exc:
            raise ModelError(f"{WHAT} is not valid Jinja ({exc})") from exc
        except (RecursionError, MemoryError) as exc:
            raise ModelError(f"{WHAT} is too deeply nested to compile") from exc
        self.eos_token, self.bos_token = eos_token, bos_token

    def render(self, messages: Sequence[dict[str, str]],
               add_generation_prompt: bool = True) -> str:
        values = {"messages": list(messages), "eos_token": self.eos_token,
                  "bos_token": self.bos_token, "add_generation_prompt": add_generation_prompt,
                  "raise_exception": _raise,
                  "strftime_now": lambda f: datetime.now().strftime(f),
                  "tools": None, "functions": None, "tool_choice": None, "function_call": None}
        try:
            return self.environment.render(self.template, values)
        except jinja2.TemplateError as exc:  # includes the sandbox's SecurityError
            raise ModelError(f"{WHAT} failed ({str(exc)[:200]})") from exc
