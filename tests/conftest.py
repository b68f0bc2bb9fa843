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

if not MODEL.exists():
    raise pytest.UsageError(f"the starter model is missing ({MODEL}): run 'make setup'")


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
