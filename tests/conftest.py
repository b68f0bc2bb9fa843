"""Every test runs under its own WORDLOOM_HOME; the real model and LanguageTool server
provisioned by ``make setup`` are found through the settings written there."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engine.config import Settings, save_settings
from engine.grammar.ltserver import installed_version
from engine.model.gguf import DEFAULT_MODEL_FILE
from engine.paths import HOME_ENV, app_paths

REAL = app_paths()
MODEL = REAL.models / DEFAULT_MODEL_FILE
LT_HOME = REAL.languagetool
REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
PIZZA = DATA / "pizza.owl"

# -- what each test needs --------------------------------------------------------------------
# Markers, added here from the fixtures a test uses and the modules below, say what a test
# needs: `make test-fast` runs the tests that need none of them (no model, no Java, no X
# server) and `make test` runs everything; `numeric` tests assert what llama.cpp computes,
# and `make test` runs them on a second, portable llama.cpp build too.
NEEDS_BY_FIXTURE = {"runner": "model", "scorer": "model", "open_window": "model",
                    "lt_ready": "languagetool", "lt_engine": "languagetool",
                    "checker": "languagetool"}
NEEDS_BY_MODULE = {
    # the model's file or the model running (in this process, a server or the command line)
    "test_assistant": ("model", "numeric"), "test_cli_foundation": ("model", "numeric"),
    "test_judge": ("model", "numeric"), "test_llm": ("model", "numeric"),
    "test_evaluate": ("model",), "test_proofread": ("numeric",),
    "test_server_backend": ("model", "numeric"), "test_gui_server": ("model",),
    "test_models": ("model",), "test_downloads": ("model",), "test_get_models": ("model",),
    "test_dialogs": ("model",), "test_startup": ("model",), "test_resilience": ("model",),
    "test_offline": ("model", "languagetool"), "test_gui_targets": ("model", "languagetool"),
    "test_markdown": ("model", "languagetool"), "test_grammar": ("languagetool",),
    "test_grammar_languages": ("languagetool",), "test_ontology": ("languagetool",),
    "test_formats": ("model",), "test_first_afternoon": ("model",),
    "test_x11": ("x11", "model", "languagetool"),
}
NEEDS_BY_NAME = {"[proofread]": ("model", "languagetool")}  # the fuzzer's proofreading target

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


def pytest_report_header() -> str:
    """Which llama.cpp build the tests run on (make test runs the numeric ones on two)."""
    try:
        import llama_cpp
    except ImportError:
        return "llama.cpp: not installed"
    info = llama_cpp.llama_print_system_info().decode().strip()
    return f"llama.cpp: {Path(llama_cpp.__file__).parent} | {info}"


def base_settings(**overrides: object) -> Settings:
    settings = Settings(model=str(MODEL), languagetool_dir=str(LT_HOME), context_size=4096)
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


@pytest.fixture(autouse=True)
def wordloom_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "wordloom-home"
    monkeypatch.setenv(HOME_ENV, str(home))
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
def lt_ready() -> bool:
    if installed_version(LT_HOME) is None:
        raise pytest.UsageError(f"LanguageTool is missing ({LT_HOME}): run 'make setup'")
    return True


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


@pytest.fixture
def open_window(qtbot: object, windows: list) -> object:
    """Opens the real app (LanguageTool off) with settings overrides, once its model (and,
    with ``ontology=True``, its ontology) is loaded; closed after the test."""
    from gui.main_window import MainWindow

    def make(wait_ontology: bool = False, **overrides: object) -> MainWindow:
        settings = base_settings(languagetool_mode="off", **overrides)
        save_settings(settings)
        window = MainWindow(settings)
        window.setProperty("quiet", True)
        windows.append(window)
        window.show()
        qtbot.waitUntil(lambda: window.assist.model_ready and (  # type: ignore[attr-defined]
            window.assist.ontology_ready or not wait_ontology), timeout=60000)
        return window

    return make
