"""Jinja with limits: the sandbox for templates written by someone else.

Jinja's immutable sandbox keeps a template away from Python's internals. This module
also bounds what one render may cost: the time it takes (checked at every call,
attribute, item, ``range`` step and arithmetic), sequences built with ``*``, powers, and
the size of the output. A render that breaks a limit raises the environment's error
class with the reason, never hangs. Used for GGUF chat templates (engine.model) and the
writer's prompt templates (engine.writing.templates).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from engine.errors import WordloomError

MAX_OUTPUT = 4 * 1024 * 1024  # characters of rendered text
MAX_SECONDS = 2.0  # per render
MAX_ITEMS = 1_000_000  # of a sequence built by *


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, what: str, error: type[WordloomError], **options: Any) -> None:
        """``what`` names the template in messages ("the model's chat template")."""
        super().__init__(**options)
        self.what, self.error = what, error
        self.deadline = float("inf")
        self.globals["range"] = self._range

    def fail(self, reason: str) -> WordloomError:
        return self.error(f"{self.what} {reason}")

    def tick(self) -> None:
        if time.perf_counter() > self.deadline:
            raise self.fail(f"took longer than {MAX_SECONDS:.0f} s to render")

    def _range(self, *args: int) -> Iterator[int]:
        for value in range(*args):
            self.tick()
            yield value

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        self.tick()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(n, int) and \
                        len(seq) * n > MAX_ITEMS:
                    raise self.fail(f"builds a sequence of more than {MAX_ITEMS} items")
        if operator == "**" and isinstance(right, int | float) and isinstance(
                left, int | float) and abs(right) > 64 and abs(left) > 1:
            raise self.fail("raises a number to a power over 64")
        return super().call_binop(context, operator, left, right)

    def render(self, template: jinja2.Template, values: dict[str, Any]) -> str:
        """``template`` (from this environment) rendered within the limits."""
        self.deadline = time.perf_counter() + MAX_SECONDS
        parts: list[str] = []
        size = 0
        try:
            for chunk in template.generate(**values):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise self.fail(f"wrote more than {MAX_OUTPUT} characters")
                parts.append(chunk)
                self.tick()
        except WordloomError:
            raise
        except jinja2.TemplateError:  # the caller words these (undefined names, ...)
            raise
        except (RecursionError, MemoryError, OverflowError) as exc:
            raise self.fail(f"failed ({type(exc).__name__})") from exc
        except (TypeError, ValueError, AttributeError, KeyError, IndexError,
                ZeroDivisionError, UnicodeError) as exc:
            raise self.fail(f"failed ({type(exc).__name__}: {str(exc)[:120]})") from exc
        finally:
            self.deadline = float("inf")
        return "".join(parts)
