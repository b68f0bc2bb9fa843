"""The "Get models" tab against a real HTTP server on 127.0.0.1 serving the starter model."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from hub_server import Faults, Hub
from test_downloads import NAME, models_left, staged, write_user_catalogue

from conftest import MODEL, base_settings
from engine.model.download import partial_bytes
from engine.paths import app_paths
from gui.models.model_manager import ModelManager

DATA = MODEL.read_bytes()
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub({NAME: DATA}, cdn=True)
    server.faults = Faults(rate=25_000_000)  # slow enough to watch, and to stop
    yield server
    server.stop()


@pytest.fixture
def manager(qtbot, hub):
    write_user_catalogue(hub)
    settings = base_settings(hub_endpoint=hub.endpoint)
    dialog = ModelManager(settings, tab="get")
    qtbot.addWidget(dialog)
    yield dialog
    dialog.get_models.stop()


def rows(tab) -> dict[str, int]:
    return {tab.table.item(r, 0).text(): r for r in range(tab.table.rowCount())}


def test_the_catalogue_shows_what_fits_and_nothing_is_fetched(manager, hub):
    tab = manager.get_models
    assert manager.tabs.currentWidget() is tab
    names = rows(tab)
    assert len(names) >= 12 and "Starter (test)" in names
    fits = {tab.table.item(r, 3).text() for r in range(tab.table.rowCount())}
    assert fits & {"✓ fits", "~ tight", "✗ too big", "✓ on the GPU"}
    assert "GB of memory" in tab.machine.text()
    assert "model broken" in tab.problems.text() and tab.problems.isVisibleTo(tab)
    tab.select("qwen2.5-7b-instruct")
    assert "Qwen2.5 7B Instruct" in tab.details.text() and "Apache-2.0" in tab.details.text()
    assert tab.download_button.isEnabled() and not tab.pause_button.isEnabled()
    assert hub.requests == []  # browsing the catalogue contacts nothing


def test_download_shows_progress_then_use_as_default(manager, hub, qtbot):
    tab = manager.get_models
    tab.select("starter-test")
    assert not tab.default_button.isEnabled()
    tab.download_button.click()
    qtbot.waitUntil(lambda: tab.progress.value() > 0 and " of " in tab.status.text(),
                    timeout=20000)
    assert "MB/s" in tab.status.text() and "left" in tab.status.text()
    assert not tab.download_button.isEnabled() and tab.pause_button.isEnabled()
    seen = tab.progress.value()
    qtbot.waitUntil(lambda: tab.progress.value() > seen, timeout=20000)  # it moves
    qtbot.waitUntil(lambda: not tab.busy(), timeout=60000)
    assert "is ready" in tab.status.text() and "catalogue's SHA-256" in tab.status.text()
    target = app_paths().models / NAME
    assert target.read_bytes() == DATA and staged() == []
    assert "installed" in tab.table.item(rows_by_name(tab)["starter-test"], 0).text()
    assert str(target) in [manager.table.item(r, 5).text()
                           for r in range(manager.table.rowCount())]  # Installed tab too
    changed: list[str] = []
    manager.default_changed.connect(changed.append)
    assert tab.default_button.isEnabled()
    tab.default_button.click()
    assert manager.settings.model == str(target) and changed == [str(target)]


def rows_by_name(tab) -> dict[str, int]:
    return {tab.table.item(r, 0).data(256): r for r in range(tab.table.rowCount())}


def start(manager, qtbot, until: int):
    """Start the test model's download; return once the bar passed ``until`` (of 1000)."""
    tab = manager.get_models
    tab.select("starter-test")
    tab.download_button.click()
    qtbot.waitUntil(lambda: tab.progress.value() > until, timeout=20000)
    return tab


def test_cancel_leaves_nothing(manager, hub, qtbot):
    tab = start(manager, qtbot, 50)
    tab.cancel_button.click()
    qtbot.waitUntil(lambda: not tab.busy(), timeout=30000)
    assert tab.status.text() == "Cancelled; nothing was kept."
    assert tab.progress.value() == 0
    assert models_left() == [] and staged() == []
    assert tab.download_button.text() == "&Download"


def test_pause_then_resume_goes_on_from_there(manager, hub, qtbot):
    tab = start(manager, qtbot, 200)
    tab.pause_button.click()
    qtbot.waitUntil(lambda: not tab.busy(), timeout=30000)
    kept = partial_bytes(NAME)
    assert kept > 0 and tab.status.text().startswith("Paused at")
    assert "paused at" in tab.table.item(rows_by_name(tab)["starter-test"], 0).text()
    assert tab.download_button.text() == "&Resume" and models_left() == []
    hub.faults = Faults()
    tab.download_button.click()
    qtbot.waitUntil(lambda: not tab.busy(), timeout=60000)
    assert "is ready" in tab.status.text()
    assert hub.gets()[-1].range == f"bytes={kept}-"
    assert (app_paths().models / NAME).read_bytes() == DATA


def test_a_link_with_a_wrong_hash_is_refused_in_one_line(manager, hub, qtbot):
    tab = manager.get_models
    hub.faults = Faults()
    tab.url.setText(hub.url(NAME))
    tab.sha.setText("5" * 64)
    tab.url_button.click()
    qtbot.waitUntil(lambda: not tab.busy(), timeout=60000)
    assert "does not match the one given" in tab.status.text()
    assert "\n" not in tab.status.text() and models_left() == [] and staged() == []
