"""The layers. Which package may import which is import-linter's to check (the contracts
in pyproject.toml, run by ``make lint``); here: that each contract fails on an offender,
that no module imports itself in a circle, and what no contract can see (every module of
the core imported with Qt blocked)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from conftest import REPO

PACKAGES = ("engine", "ontology", "render", "gui", "cli")

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


@pytest.mark.parametrize("packages, blocked", [
    (("engine", "ontology"), ("PySide6", "shiboken6", "gui", "cli")),
    (("engine",), ("PySide6", "shiboken6", "gui", "cli", "ontology")),
])
def test_core_imports_with_the_outer_layers_blocked(packages, blocked):
    assert import_all(packages, blocked) == ""


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


def circles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """Every group of ``package``'s modules that import each other in a circle (Tarjan's
    strongly connected components over every import, TYPE_CHECKING and lazy ones too)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    inside = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.find_modules_directly_imported_by(module) & inside):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in modules:
        if module not in index:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_imports_itself_in_a_circle(graph, package):
    assert circles(graph, package) == []


def test_a_circle_is_seen(graph):
    """The cycle check could pass by looking nowhere: a circle added to the graph is found."""
    graph.add_import(importer="gui.window.lane", imported="gui.window.main_window")
    assert any("gui.window.main_window" in group and "gui.window.lane" in group
               for group in circles(graph, "gui"))
    graph.remove_import(importer="gui.window.lane", imported="gui.window.main_window")


OFFENDERS = {  # a contract's id: a file that breaks it, and the line that does
    "layers": ("engine/heap.py", "import ontology.store"),
    "front-ends": ("cli/common.py", "import gui.window.lane"),
    "no-qt": ("ontology/names.py", "import PySide6.QtCore"),
    "engine-rooms": ("engine/text/offsets.py", "import engine.writing.proofread"),
    "window-rooms": ("gui/window/lane.py", "import gui.window.main_window"),
}


def test_every_contract_is_checked():
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    ids = [c["id"] for c in config["tool"]["importlinter"]["contracts"]]
    assert len(ids) >= 4 and sorted(ids) == sorted(OFFENDERS)


@pytest.mark.slow
@pytest.mark.parametrize("contract", sorted(OFFENDERS))
def test_each_contract_fails_on_an_offender(tmp_path, contract):
    """A copy of the code with one offending import: lint-imports names that contract
    broken, and keeps the others."""
    copy = tmp_path / "repo"
    for name in (*PACKAGES, "pyproject.toml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    path, line = OFFENDERS[contract]
    target = copy / path
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n",
                      encoding="utf-8")
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--contract", contract, "--no-cache"], cwd=copy,
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy)})
    assert done.returncode == 1, done.stdout + done.stderr
    offender = path.removesuffix(".py").replace("/", ".")
    assert "BROKEN" in done.stdout and f"{offender} ->" in done.stdout, done.stdout


def test_the_guard_notices_a_forbidden_import(tmp_path):
    """The checks above could pass by looking nowhere: prove they see an offender."""
    assert "gui" in import_all(("gui",), ("PySide6",)) or \
        "blocked" in import_all(("gui",), ("PySide6",))
