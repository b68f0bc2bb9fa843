"""No writing is lost: killed processes, failing disks, failing components."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import base_settings
from engine.config import save_settings
from engine.documents.journal import DocumentLock, Journal
from helpers import REPO

TEXT = ("It was the last ferry of the evening, and the lake had gone the colour of pewter. "
        "Mei counted the lanterns along the causeway — 我们到了 — and laughed 😀 when the "
        "old boatman began to sing.\n\n") * 12
AUTOSAVE_S = 1
KILL_RUNS = 20


def _typed_at(progress: Path, moment: float) -> int:
    count = 0
    for line in progress.read_text().splitlines():
        n, when = line.split()
        if float(when) <= moment:
            count = int(n)
    return count


@pytest.mark.model  # the app in a process of its own, with its model
def test_killed_twenty_times_while_typing_recovers_the_text(tmp_path, wordloom_home):
    save_settings(base_settings(languagetool_mode="off", autosave_seconds=AUTOSAVE_S))
    text_file = tmp_path / "text.txt"
    text_file.write_text(TEXT, encoding="utf-8")
    rng = random.Random(2026)
    journal = Journal()
    recovered_chars = []
    for run in range(KILL_RUNS):
        progress = tmp_path / f"progress{run}.txt"
        args = [sys.executable, str(REPO / "tests" / "typist.py"), str(progress),
                str(text_file)]
        if run % 4:  # most runs skip the model and checkers: the journal path is the same
            args.append("--no-workers")
        proc = subprocess.Popen(args, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline and not (progress.exists() and progress.stat().st_size):
            time.sleep(0.05)
        time.sleep(rng.uniform(1.2, 3.5))
        killed_at = time.time()
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        must_have = _typed_at(progress, killed_at - AUTOSAVE_S - 0.3)
        entries = journal.orphans()
        assert len(entries) == 1, f"run {run}: {len(entries)} journal entries"
        entry = entries[0]
        assert TEXT.startswith(entry.text), f"run {run}: recovered text is not what was typed"
        assert len(entry.text) >= must_have, (run, len(entry.text), must_have)
        recovered_chars.append(len(entry.text))
        journal.discard(entry.doc_id)
    assert len(recovered_chars) == KILL_RUNS and min(recovered_chars) > 0
    print(f"\nkill runs: {KILL_RUNS}, characters recovered: {recovered_chars}")


def test_the_next_start_offers_and_restores_the_text(qtbot, wordloom_home, windows,
                                                     monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from gui.documents.recovery_dialog import RecoveryDialog
    from gui.window.main_window import MainWindow

    Journal().write("crashed1", None, "Half a chapter that was never saved.", "Untitled")
    entry_file = Journal().folder / "crashed1.json"
    data = entry_file.read_text().replace(f'"pid": {os.getpid()}', '"pid": 999999')
    entry_file.write_text(data)
    (orphan,) = Journal().orphans()
    assert orphan.text == "Half a chapter that was never saved."
    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    windows.append(window)

    def click_restore(dialog: RecoveryDialog) -> int:  # what the writer does in the dialog
        assert "Half a chapter" in dialog.view.toPlainText()
        next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Restore").click()
        return 1

    monkeypatch.setattr(RecoveryDialog, "exec", click_restore)
    window.offer_recovery()
    assert window.editor.toPlainText() == orphan.text
    assert window.documents.dirty
    assert Journal().orphans() == []  # restored: no longer offered
    window.closing = True
    window.close()


def test_a_second_window_on_the_same_file_is_warned(tmp_path):
    path = tmp_path / "shared.md"
    path.write_text("x")
    first = DocumentLock(path)
    assert first.acquire() is None
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        import json

        data = json.loads(first.file.read_text())
        data["pid"] = holder.pid
        first.file.write_text(json.dumps(data))
        second = DocumentLock(path)
        warning = second.acquire()
        assert warning and "already open" in warning and "shared.md" in warning
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize("code", ["ENOSPC", "EACCES", "EIO"])
def test_the_app_says_why_a_save_failed(qtbot, tmp_path, monkeypatch, code, windows):
    import errno

    import engine.fsutil as fsutil
    from gui.window.main_window import MainWindow

    path = tmp_path / "chapter.md"
    path.write_text("Original chapter.\n")
    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    windows.append(window)
    window.setProperty("quiet", True)
    window.documents.open_now(path)
    window.editor.selectAll()
    window.editor.insertPlainText("A rewritten chapter.")
    number = getattr(errno, code)

    def fail(*_a):
        raise OSError(number, os.strerror(number))

    monkeypatch.setattr(fsutil.os, "replace", fail)
    messages = []
    window.documents.save_failed.connect(messages.append)
    assert window.files.save() is False
    assert path.read_text() == "Original chapter.\n"
    assert messages and "chapter.md" in messages[0] and "unchanged" in messages[0]
    assert window.documents.dirty
    assert "Unsaved" in window.status.saved.text()
    window.closing = True
    window.close()


def test_a_model_that_fails_to_load_and_a_broken_ontology(qtbot, tmp_path, windows):
    from gui.window.main_window import MainWindow

    bad_model = tmp_path / "broken.gguf"
    bad_model.write_bytes(b"GGUF" + b"\x00" * 10)
    bad_onto = tmp_path / "broken.owl"
    bad_onto.write_text("<rdf:RDF><oops")
    settings = base_settings(languagetool_mode="off", model=str(bad_model),
                             ontology=str(bad_onto))
    window = MainWindow(settings)
    windows.append(window)
    window.setProperty("quiet", True)
    messages = []
    window.assist.message.connect(messages.append)
    qtbot.waitUntil(lambda: any("could not be loaded" in m for m in messages), timeout=30000)
    qtbot.waitUntil(lambda: "not loaded" in window.ontology.info.text(), timeout=30000)
    assert "broken.gguf" in messages[0]
    assert "broken.owl" in window.ontology.info.text()
    window.editor.setPlainText("Still writing, nothing lost.")
    window.assist.generate()
    assert any("not loaded" in m for m in messages)
    assert window.editor.toPlainText() == "Still writing, nothing lost."
    window.closing = True
    window.close()


def test_languagetool_killed_in_the_app_comes_back(qtbot, lt_ready, windows):
    from gui.window.main_window import MainWindow

    window = MainWindow(base_settings(languagetool_mode="local"))
    windows.append(window)
    window.setProperty("quiet", True)
    grammar = window.grammar
    qtbot.waitUntil(lambda: window.status.states.get("languagetool") == "ready",
                    timeout=120000)
    window.editor.setPlainText("He go to school. She recieved it.")
    qtbot.waitUntil(lambda: grammar.last is not None and any(
        i.engine != "harper" for i in grammar.last.issues), timeout=60000)
    server = grammar.lane.query(lambda host, _ctx: host.require().lt.server)
    pid = server.pid
    os.kill(pid, signal.SIGKILL)
    import psutil

    qtbot.waitUntil(lambda: not psutil.pid_exists(pid) or
                    psutil.Process(pid).status() == psutil.STATUS_ZOMBIE, timeout=10000)
    window.editor.setPlainText("They was late. He go home.")
    qtbot.waitUntil(lambda: grammar.last is not None and grammar.last.revision ==
                    grammar.revision and "They was" in grammar.sent_text and any(
                        i.text == "was" and "languagetool" in i.engine
                        for i in grammar.last.issues), timeout=120000)
    assert server.restarts == 1 and server.pid != pid
    assert window.editor.toPlainText() == "They was late. He go home."
    window.closing = True
    window.close()
