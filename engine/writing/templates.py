"""Prompt templates: small TOML files rendered by Jinja2 in a sandbox.

Built-ins live in ``resources/templates``; the writer's own in the config folder's
``templates`` folder add to them or override them by name, and are re-read when they
change. A template that has a syntax error, uses a variable it does not declare, or
reaches for Python internals is rejected with the file and the line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError

from engine.errors import TemplateError
from engine.paths import app_paths, resource_dir
from engine.text.sandbox import LimitedEnvironment

CATEGORIES = ("edit", "transform", "generate", "analyze")
# "checked": the checkers' fixes and confusion-set edits the model vouches for (shown
# first); "autofix": the checkers' first fixes as they are; "original": the text unchanged
BASELINES = ("checked", "autofix", "original")
COMMON_VARIABLES = ("input_text", "before", "after", "document_title", "language", "style",
                    "length", "output_format", "facts", "voice_examples")
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")
_ENV = LimitedEnvironment("the template", TemplateError, undefined=jinja2.StrictUndefined,
                          autoescape=False, keep_trailing_newline=False)


@dataclass
class Template:
    name: str
    title: str
    description: str
    category: str
    system: str
    prompt: str
    output_format: str = "paragraph"
    variables: dict[str, str] = field(default_factory=dict)
    temperature: float = 0.7
    max_tokens: int = 0  # 0: sized from the selection
    candidates: int = 2
    # 1.0 is none. bench/quality.py (proofread, tests/data/gec): the starter model alone
    # scores GLEU 47.3 with 1.15 and 7.8 with 1.0, where it loops until max_tokens
    repeat_penalty: float = 1.15
    length_ratio: float = 0.0  # default target length as a share of the input's words
    styles: bool = False  # style transfer applies
    scoring: dict[str, float] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    baselines: tuple[str, ...] = ()  # candidates besides the model's answers: BASELINES
    source: str = "built-in"
    path: str = ""
    uses: frozenset[str] = frozenset()  # the variables the prompt body refers to
    _compiled: Any = None

    def render(self, values: dict[str, Any]) -> str:
        merged = {**self.variables, **values}
        try:
            return _ENV.render(self._compiled, merged).strip()
        except TemplateError as exc:  # a limit of the sandbox
            raise TemplateError(f"{self.path}: template '{self.name}': {exc}") from exc
        except SecurityError as exc:
            raise TemplateError(f"{self.path}: template '{self.name}' tried to reach Python "
                                f"internals ({exc})") from exc
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{self.path}: template '{self.name}': {exc}") from exc
        except jinja2.TemplateError as exc:
            raise TemplateError(f"{self.path}: template '{self.name}' failed to render "
                                f"({exc})") from exc

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "category": self.category,
                "description": self.description, "source": self.source}


def _line_of(text: str, needle: str, after: int = 0) -> int:
    index = text.find(needle, after)
    return text.count("\n", 0, index) + 1 if index >= 0 else 0


def _private_access(tree: nodes.Node) -> str | None:
    """The first ``._private`` or ``["__dunder__"]`` access in a template, if any."""
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        attr = node.attr if isinstance(node, nodes.Getattr) else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            attr = str(node.arg.value)
        if attr and attr.startswith("_"):
            return attr
    return None


def parse_template(text: str, path: Path, source: str = "built-in") -> Template:
    """A checked template from TOML text; TemplateError names the file and the line."""
    try:
        return _parse_template(text, path, source)
    except TemplateError as exc:
        raise TemplateError(" ".join(str(exc).split())) from exc  # one line, always
    except (TypeError, ValueError, AttributeError) as exc:  # a value of the wrong kind
        raise TemplateError(f"{path}: a value has the wrong type "
                            f"({' '.join(str(exc).split())[:200]})") from exc
    except jinja2.TemplateError as exc:  # an unknown filter or test, found when compiling
        raise TemplateError(f"{path}: {' '.join(str(exc).split())[:200]}") from exc
    except (RecursionError, MemoryError) as exc:  # found by bench/fuzz.py: [[[[...
        raise TemplateError(f"{path}: the template is nested too deeply to read") from exc


def _parse_template(text: str, path: Path, source: str) -> Template:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{path}: not valid TOML ({exc})") from exc
    missing = [k for k in ("name", "title", "category", "prompt") if k not in data]
    if missing:
        raise TemplateError(f"{path}: missing {', '.join(missing)}")
    name = str(data["name"])
    if not _NAME.match(name):
        raise TemplateError(f"{path}:{_line_of(text, 'name')}: name {name!r} must be lowercase "
                            "letters, digits, '-' or '_'")
    if data["category"] not in CATEGORIES:
        raise TemplateError(f"{path}:{_line_of(text, 'category')}: category must be one of "
                            f"{', '.join(CATEGORIES)}")
    variables = {str(k): str(v) for k, v in dict(data.get("variables", {})).items()}
    generation = dict(data.get("generation", {}))
    template = Template(
        name=name, title=str(data["title"]), description=str(data.get("description", "")),
        category=str(data["category"]), system=str(data.get("system", "")),
        prompt=str(data["prompt"]), output_format=str(data.get("output_format", "paragraph")),
        variables=variables,
        temperature=float(generation.get("temperature", 0.7)),
        max_tokens=int(generation.get("max_tokens", 0)),
        candidates=int(generation.get("candidates", 2)),
        repeat_penalty=float(generation.get("repeat_penalty", 1.15)),
        length_ratio=float(data.get("length_ratio", 0.0)),
        styles=bool(data.get("styles", data["category"] == "edit")),
        scoring={str(k): float(v) for k, v in dict(data.get("scoring", {})).items()},
        limits=dict(data.get("limits", {})),
        baselines=tuple(b for b in data.get("baselines", []) if b in BASELINES),
        source=source, path=str(path))
    allowed = set(COMMON_VARIABLES) | set(variables)
    used: set[str] = set()
    body_start = text.find(template.prompt.split("\n", 1)[0]) if template.prompt else 0
    for part_name, body in (("system", template.system), ("prompt", template.prompt)):
        offset = _line_of(text, body.split("\n", 1)[0]) - 1 if body else 0
        try:
            tree = _ENV.parse(body)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{path}:{offset + (exc.lineno or 1)}: syntax error in "
                                f"{part_name}: {exc.message}") from exc
        private = _private_access(tree)
        if private:
            raise TemplateError(f"{path}:{_line_of(text, private, max(body_start, 0))}: "
                                f"'{private}' reaches for Python internals; templates may "
                                "only use their variables")
        found = meta.find_undeclared_variables(tree)
        used |= found
        unknown = sorted(found - allowed)
        if unknown:
            raise TemplateError(f"{path}:{_line_of(text, unknown[0], max(body_start, 0))}: "
                                f"undeclared variable '{unknown[0]}' (declare it under "
                                "[variables])")
    template.uses = frozenset(used)
    template._compiled = _ENV.from_string(template.prompt)
    template.system = template.system.strip()
    template.render({k: _sample(k) for k in COMMON_VARIABLES})  # catches sandbox errors now
    return template


def _sample(name: str) -> Any:
    return 80 if name == "length" else ([] if name in ("facts", "voice_examples") else "x")


def load_template(path: Path, source: str = "built-in") -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: cannot read it ({exc})") from exc
    return parse_template(text, path, source)


class TemplateLibrary:
    """Built-in and user templates; ``refresh`` re-reads files that changed."""

    def __init__(self, builtin_dir: Path | None = None, user_dir: Path | None = None) -> None:
        self.builtin_dir = builtin_dir or resource_dir() / "templates"
        self.user_dir = user_dir or app_paths().user_templates
        self._stamp: tuple[tuple[str, float, int], ...] = ()
        self._templates: dict[str, Template] = {}
        self.errors: list[str] = []
        self.refresh()

    def _files(self) -> list[tuple[Path, str]]:
        files = [(p, "built-in") for p in sorted(self.builtin_dir.glob("*.toml"))]
        if self.user_dir.is_dir():
            files += [(p, "user") for p in sorted(self.user_dir.glob("*.toml"))]
        return files

    def refresh(self) -> bool:
        """Re-read the templates if any file was added, removed or changed."""
        files = self._files()
        stamp = tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p, _ in files)
        if stamp == self._stamp:
            return False
        templates: dict[str, Template] = {}
        errors: list[str] = []
        for path, source in files:
            try:
                template = load_template(path, source)
            except TemplateError as exc:
                errors.append(str(exc))
                continue
            templates[template.name] = template
        self._templates, self.errors, self._stamp = templates, errors, stamp
        return True

    def all(self) -> list[Template]:
        self.refresh()
        order = {c: i for i, c in enumerate(CATEGORIES)}
        return sorted(self._templates.values(), key=lambda t: (order[t.category], t.title))

    def get(self, name: str) -> Template:
        self.refresh()
        try:
            return self._templates[name]
        except KeyError:
            known = ", ".join(sorted(self._templates))
            raise TemplateError(f"no template named '{name}' (known: {known})") from None
