"""The layers: ``engine/`` and ``ontology/`` are the core and never import Qt; ``engine/``
imports neither ``ontology/`` nor the front ends (``gui/``, ``cli/``), which join them."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from conftest import REPO

IMPORT_ALL = """
import importlib, importlib.abc, pkgutil, sys
BLOCKED = {blocked!r}

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{{name}} is blocked in this layer")
        return None

sys.meta_path.insert(0, Block())
failed = []
for package in {packages!r}:
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        try:
            importlib.import_module(info.name)
        except ImportError as exc:
            failed.append(f"{{info.name}}: {{exc}}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def import_all(packages: tuple[str, ...], blocked: tuple[str, ...]) -> str:
    code = IMPORT_ALL.format(packages=packages, blocked=blocked)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    return done.stdout + done.stderr if done.returncode else ""


def imported_roots(package: str) -> dict[str, set[str]]:
    """Every top-level module each file of ``package`` imports, lazy imports included."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / package).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(REPO))] = names
    return found


@pytest.mark.parametrize("packages, blocked", [
    (("engine", "ontology"), ("PySide6", "shiboken6", "gui", "cli")),
    (("engine",), ("PySide6", "shiboken6", "gui", "cli", "ontology")),
])
def test_core_imports_with_the_outer_layers_blocked(packages, blocked):
    assert import_all(packages, blocked) == ""


@pytest.mark.parametrize("package, forbidden", [
    ("engine", {"PySide6", "shiboken6", "ontology", "gui", "cli"}),
    ("ontology", {"PySide6", "shiboken6", "gui", "cli"}),
    ("cli", {"PySide6", "shiboken6", "gui", "render"}),
    ("render", {"gui", "cli", "ontology"}),
])
def test_no_file_reaches_outward(package, forbidden):
    offenders = {path: sorted(names & forbidden - ALLOWED.get(path, set()))
                 for path, names in imported_roots(package).items()
                 if names & forbidden - ALLOWED.get(path, set())}
    assert offenders == {}


# The one exception, named: `convert ... out.pdf` has Qt draw the PDF (render/pdf.py, the
# Qt text layout both front ends share), imported lazily, so every other command still
# starts without Qt.
ALLOWED = {"cli/convert_cmd.py": {"render"}}


def test_the_command_line_starts_without_qt():
    assert import_all(("cli",), ("PySide6", "shiboken6", "gui", "render")) == ""


def test_without_qt_a_pdf_export_says_so_in_one_line(tmp_path):
    code = ("from pathlib import Path\nfrom engine.documents.formats import export_document\n"
            "from engine.errors import DocumentError\ntry:\n"
            f"    export_document('Text.', Path({str(tmp_path / 'out.pdf')!r}))\n"
            "except DocumentError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert "PDF is drawn by Qt" in done.stdout and done.stdout.count("\n") == 1
    assert not (tmp_path / "out.pdf").exists()


def test_the_guard_notices_a_forbidden_import(tmp_path):
    """The checks above could pass by looking nowhere: prove they see an offender."""
    assert "gui" in import_all(("gui",), ("PySide6",)) or \
        "blocked" in import_all(("gui",), ("PySide6",))
