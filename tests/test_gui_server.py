"""The app with its model on a real llama-cpp-python server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import MODEL, base_settings
from engine.config import load_settings, save_settings
from engine.model import keys
from gui.models.model_manager import ModelManager
from gui.window.hosts import ModelInfo
from gui.window.settings_dialog import SettingsDialog
from servers import LlamaServer

TEXT = "The meeting, which had been planned for many weeks, finally took place on Monday."
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[LlamaServer]:
    running = LlamaServer(MODEL).wait_ready()
    yield running
    running.stop()


def put_text(window, text: str) -> None:
    window.editor.setPlainText(text)
    cursor = window.editor.textCursor()
    cursor.setPosition(3)
    window.editor.setTextCursor(cursor)


def test_suggestions_come_from_the_server_and_the_status_says_so(qtbot, open_window, server):
    window = open_window(backend="server", server_url=server.url)
    assert f"server 127.0.0.1:{server.port}" in window.status.model.text()
    assert " ms" in window.status.model.text()  # the round trip
    put_text(window, TEXT)
    window.panel.select_template("concise")
    with qtbot.waitSignal(window.assist.generation_done, timeout=120000) as done:
        window.assist.generate(seed=3)
    outcome = done.args[0]
    assert any(c.text for c in outcome.candidates if c.round > 0)  # the model's own
    info = window.assist.model_info
    manager = ModelManager(window.settings, window, list(info.server_models))
    qtbot.addWidget(manager)
    assert manager.server_list.count() == 1
    assert manager.server_list.item(0).text().startswith("★ ")
    manager.server_list.setCurrentRow(0)
    with qtbot.waitSignal(manager.default_changed) as chosen:
        manager.use_server_model()
    assert chosen.args[0] == info.server_models[0] == window.settings.server_model


def test_a_server_gone_mid_suggestion_says_so_on_the_card_and_the_editor_works(
        qtbot, open_window):
    doomed = LlamaServer(MODEL).wait_ready()
    window = open_window(backend="server", server_url=doomed.url)
    put_text(window, TEXT)
    window.panel.select_template("expand")
    window.assist.streamed.connect(lambda *_: doomed.process.kill())
    with qtbot.waitSignal(window.assist.generation_failed, timeout=120000) as failed:
        window.assist.generate(seed=4)
    doomed.stop()
    assert "closed the connection in the middle of the answer" in failed.args[0]
    card = window.panel.cards[-1]
    assert "stopped" in card.title.text() and "closed the connection" in card.scores.text()
    assert window.panel.generate.isEnabled() and not window.panel.cancel.isEnabled()
    qtbot.keyClicks(window.editor, "Still typing. ")
    assert "Still typing." in window.editor.toPlainText()


def test_plain_http_to_another_machine_is_said_once(qtbot, open_window):
    window = open_window()
    said: list[str] = []
    window.assist.warning.connect(said.append)
    remote = ModelInfo("big-model", "server 10.0.0.5:8080", "server: http://10.0.0.5:8080/v1 "
                       "big-model", 8192, True)
    window.assist._loaded(remote)
    window.assist._loaded(remote)  # reconnecting to the same server: not again
    assert len(said) == 1 and "leave this machine" in said[0] and "10.0.0.5" in said[0]
    local = ModelInfo("m", "server 127.0.0.1:8080", "server: http://127.0.0.1:8080/v1 m",
                      4096, False)
    window.assist._loaded(local)
    assert len(said) == 1


def test_settings_keep_the_key_out_of_the_settings_file(qtbot, monkeypatch, wordloom_home):
    monkeypatch.delenv(keys.ENV, raising=False)
    dialog = SettingsDialog(base_settings(), [])
    qtbot.addWidget(dialog)
    assert not dialog.server_url.isEnabled()
    dialog.backend.setCurrentText("server")
    assert dialog.server_url.isEnabled() and dialog.api_key.isEnabled()
    dialog.server_url.setText("not a url")
    dialog._accept()
    assert "not a server address" in dialog.problem.text()
    dialog.server_url.setText("http://127.0.0.1:8080")
    dialog.api_key.setText("sk-local-secret")
    dialog._accept()
    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    result = dialog.result_settings()
    assert (result.backend, result.server_url) == ("server", "http://127.0.0.1:8080")
    assert keys.load_key("http://127.0.0.1:8080/v1") == "sk-local-secret"
    if not keys.keyring_available():
        assert "this session only" in dialog.key_note.text()
    path = save_settings(result)
    assert "sk-local-secret" not in path.read_text(encoding="utf-8")
    assert load_settings(path)[0].backend == "server"
    keys.save_key("http://127.0.0.1:8080/v1", "")
