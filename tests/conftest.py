"""Every test runs under its own WORDLOOM_HOME; the real model and LanguageTool server
provisioned by ``make setup`` are found through the settings written there."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engine.config import Settings, save_settings
from engine.grammar.ltserver import installed_version
from engine.model.gguf import DEFAULT_MODEL_FILE, JUDGE_MODEL_FILE
from engine.paths import HOME_ENV, app_paths

REAL = app_paths()
MODEL = REAL.models / DEFAULT_MODEL_FILE
JUDGE = REAL.judges / JUDGE_MODEL_FILE  # the proofreading judge make setup installs
LT_HOME = REAL.languagetool
EPUBCHECK = REAL.cache / "epubcheck" / "lib"  # packaging/provision_epubcheck.py
REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PIZZA = DATA / "pizza.owl"

# -- what each test needs --------------------------------------------------------------------
# Markers say what a test needs: `model` (the starter model), `languagetool` (Java and the
# LanguageTool server), `java` (HermiT), `x11` (an X server); `numeric` tests assert what
# llama.cpp computes, and `make test` runs them on a second, portable llama.cpp build too.
# They come from the fixtures a test uses, from the modules below where every test needs
# the same, and from a test's own `@pytest.mark.model` where a module is mixed.
# `make test-fast` runs the tests that need none of them. A test that is not marked
# `model` gets settings (``base_settings``) that name no model and no LanguageTool, so one
# that uses either without saying so fails instead of quietly making the fast tier slow.
NEEDS_BY_FIXTURE = {"runner": "model", "scorer": "model", "gemma": "model",
                    "open_window": "model", "lt_ready": "languagetool",
                    "lt_engine": "languagetool", "checker": "languagetool",
                    "epubcheck": "java"}
NEEDS_BY_MODULE = {
    # the model running (in this process, a server or the command line) in every test
    "test_judge": ("model", "numeric"), "test_server_backend": ("model", "numeric"),
    "test_gui_server": ("model",), "test_startup": ("model",),
    "test_offline": ("model", "languagetool"), "test_gui_targets": ("model", "languagetool"),
    "test_markdown": ("model", "languagetool"),
    "test_x11": ("x11", "model", "languagetool"),
    # the starter model's file, served and checked (not loaded)
    "test_downloads": ("model",), "test_get_models": ("model",),
    # mixed: the tests that need the model say so; these are about what it computes
    "test_assistant": ("numeric",), "test_cli_foundation": ("numeric",),
    "test_llm": ("numeric",), "test_proofread": ("numeric",),
}
NEEDS_BY_NAME = {"[proofread]": ("model", "languagetool")}  # the fuzzer's proofreading target
_NEEDS: set[str] = set()  # the running test's


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    needed: set[str] = set()
    for item in items:
        needs = set(NEEDS_BY_MODULE.get(item.module.__name__ if item.module else "", ()))
        needs |= {NEEDS_BY_FIXTURE[f] for f in getattr(item, "fixturenames", ())
                  if f in NEEDS_BY_FIXTURE}
        needs |= {n for key, ns in NEEDS_BY_NAME.items() if key in item.name for n in ns}
        for need in sorted(needs):
            item.add_marker(need)
        needed |= needs
    if "model" in needed and not MODEL.exists():
        raise pytest.UsageError(f"the starter model is missing ({MODEL}): run 'make setup'")
    if "model" in needed and not JUDGE.exists():
        raise pytest.UsageError(f"the proofreading judge is missing ({JUDGE}): run 'make "
                                "setup'")


def pytest_report_header() -> str:
    """Which llama.cpp build the tests run on (make test runs the numeric ones on two)."""
    try:
        import llama_cpp
    except ImportError:
        return "llama.cpp: not installed"
    info = llama_cpp.llama_print_system_info().decode().strip()
    return f"llama.cpp: {Path(llama_cpp.__file__).parent} | {info}"


def base_settings(**overrides: object) -> Settings:
    """The settings of a test home: the real model and LanguageTool for a test marked as
    needing them, paths where nothing is for the others."""
    nowhere = Path(os.environ.get(HOME_ENV, "/nonexistent")) / "not-provisioned"
    settings = Settings(
        model=str(MODEL if "model" in _NEEDS else nowhere / DEFAULT_MODEL_FILE),
        languagetool_dir=str(LT_HOME if _NEEDS & {"languagetool", "model"} else nowhere),
        context_size=4096)
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of the test is made (wider-scoped ones included)."""
    _NEEDS.clear()
    _NEEDS.update(m.name for m in item.iter_markers())


@pytest.fixture(autouse=True)
def java_only_if_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that is not marked as needing Java finds none (HermiT and LanguageTool are
    then refused in one line), so the fast tier never starts a JVM behind its back."""
    if _NEEDS & {"java", "languagetool", "model"}:
        return
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda cmd, *args, **kwargs:
                        None if cmd == "java" else which(cmd, *args, **kwargs))


@pytest.fixture(autouse=True)
def wordloom_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "wordloom-home"
    monkeypatch.setenv(HOME_ENV, str(home))
    data_home = tmp_path / "xdg-data"  # the desktop's trash (Send2Trash reads it at import)
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    from send2trash import plat_other

    monkeypatch.setattr(plat_other, "XDG_DATA_HOME", os.fsencode(data_home))
    monkeypatch.setattr(plat_other, "HOMETRASH_B", os.fsencode(data_home / "Trash"))
    monkeypatch.setattr(plat_other, "HOMETRASH", str(data_home / "Trash"))
    app_paths().ensure()
    save_settings(base_settings())
    return home


@pytest.fixture(scope="session")
def runner() -> Iterator[object]:
    from engine.model.gguf import read_metadata
    from engine.model.llm import LlamaRunner

    shared = LlamaRunner(read_metadata(MODEL), context_size=4096)
    shared.load()
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def epubcheck() -> Callable[[Path], str]:
    """The official EPUBCheck (make test fetches it): runs it on a book, returns its
    report."""
    import subprocess

    if not any(EPUBCHECK.glob("epubcheck-*.jar")):
        raise pytest.UsageError(f"EPUBCheck is missing ({EPUBCHECK}): run 'make test'")

    def check(book: Path) -> str:
        done = subprocess.run(["java", "-cp", f"{EPUBCHECK}/*",
                               "com.adobe.epubcheck.tool.Checker", str(book)],
                              capture_output=True, text=True, timeout=300)
        return done.stdout + done.stderr

    return check


@pytest.fixture(scope="session")
def lt_ready() -> bool:
    if installed_version(LT_HOME) is None:
        raise pytest.UsageError(f"LanguageTool is missing ({LT_HOME}): run 'make setup'")
    return True


@pytest.fixture(scope="module")
def checker(lt_ready: bool) -> Iterator[object]:
    """Both checkers, Harper and a real LanguageTool server, ready (one per module)."""
    from engine.grammar.checker import GrammarChecker

    both = GrammarChecker(base_settings())
    both.start(wait=True)
    assert both.lt is not None and both.lt.ready, both.states()
    yield both
    both.close()


@pytest.fixture(scope="module")
def gemma() -> Iterator[object]:
    """The Gemma 3 270M proofreading judge that make setup installs, loaded (one per
    module)."""
    from engine.model.scorer import LogProbScorer

    judge = LogProbScorer(str(JUDGE))
    judge.load()
    yield judge
    judge.close()


@pytest.fixture(scope="session")
def lt_engine(lt_ready: bool) -> Iterator[object]:
    """One warm LanguageTool server for the tests that only read from it."""
    from engine.grammar.engines import LanguageToolEngine

    engine = LanguageToolEngine(base_settings())
    engine.start(wait=True)
    assert engine.ready, engine.state
    engine.check(["A warm-up sentence for the server."], "en-US", False)
    yield engine
    engine.stop()


@pytest.fixture
def windows() -> Iterator[list]:
    """Main windows a test opens; all are closed afterwards, without questions, even
    when the test failed."""
    opened: list = []
    yield opened
    while opened:
        window = opened.pop()
        window.closing = True
        window.close()


def _window(qtbot: Any, windows: list, ready: Callable[[Any], bool],
            **overrides: object) -> Any:
    """The real app (LanguageTool off) with settings overrides, once ``ready(window)``."""
    from gui.window.main_window import MainWindow

    settings = base_settings(languagetool_mode="off", **overrides)
    save_settings(settings)
    window = MainWindow(settings)
    window.setProperty("quiet", True)
    windows.append(window)
    window.show()
    qtbot.waitUntil(lambda: ready(window), timeout=60000)
    return window


@pytest.fixture
def ontology_window(qtbot: Any, windows: list) -> Callable[..., Any]:
    """Opens the app with no model (the model's lane says it is missing) once its ontology
    is loaded, for what the knowledge base does in the window; closed after the test."""
    return lambda **overrides: _window(qtbot, windows, lambda w: w.assist.ontology_ready,
                                       **overrides)


@pytest.fixture
def plain_window(qtbot: Any, windows: list) -> Callable[[], Any]:
    """Opens the window without its workers (no model, no checkers, no ontology): for
    what the window does with documents, history and review; closed after the test."""
    from gui.window.main_window import MainWindow

    def make() -> Any:
        window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
        window.setProperty("quiet", True)
        windows.append(window)
        window.show()
        return window

    return make


@pytest.fixture
def open_window(qtbot: Any, windows: list) -> Callable[..., Any]:
    """Opens the app once its model (and, with ``wait_ontology=True``, its ontology) is
    loaded; closed after the test."""
    def make(wait_ontology: bool = False, **overrides: object) -> Any:
        return _window(qtbot, windows, lambda w: w.assist.model_ready and (
            w.assist.ontology_ready or not wait_ontology), **overrides)

    return make
