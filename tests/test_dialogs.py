"""Dialogs and the window's safety nets, offscreen."""

import logging
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from conftest import MODEL, base_settings
from engine.documents.journal import Journal
from engine.paths import app_paths
from gui.assist.template_editor import TemplateEditor
from gui.models.model_manager import ModelManager
from gui.window.main_window import MainWindow
from gui.window.settings_dialog import SettingsDialog


def test_template_editor_validates_live_and_saves(qtbot):
    editor = TemplateEditor()
    qtbot.addWidget(editor)
    editor.source.setPlainText(editor.source.toPlainText().replace(
        "{{ input_text }}", "{{ input_text.__class__ }}"))
    assert editor.validate() is False
    assert "Python internals" in editor.status.text() and ".toml:" in editor.status.text()
    assert not editor.save_button.isEnabled()
    editor.new_template()
    assert editor.validate() is True
    assert "The selected text goes here." in editor.preview.toPlainText()
    path = editor.save()
    assert path is not None and path.parent == app_paths().user_templates
    assert "my-template" in [editor.list.item(i).text() for i in range(editor.list.count())]


@pytest.mark.model
def test_model_manager_lists_imports_and_refuses_junk(qtbot, tmp_path, monkeypatch):
    settings = base_settings()
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    dialog = ModelManager(settings)
    qtbot.addWidget(dialog)
    rows = {dialog.table.item(r, 5).text(): r for r in range(dialog.table.rowCount())}
    assert str(MODEL) in rows
    assert "Q4_1" in dialog.table.item(rows[str(MODEL)], 1).text()
    assert "★" in dialog.table.item(rows[str(MODEL)], 0).text()
    before = dialog.table.rowCount()
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"nope")
    assert dialog.import_file(junk) is None
    assert warnings and "junk.gguf" in warnings[0]
    copy = tmp_path / "copy.gguf"
    copy.write_bytes(MODEL.read_bytes())
    target = dialog.import_file(copy)
    assert target == app_paths().models / "copy.gguf" and target.exists()
    assert dialog.table.rowCount() == before + 1
    dialog.table.selectRow([dialog.table.item(r, 5).text() for r in range(before + 1)].index(
        str(target)))
    changed = []
    dialog.default_changed.connect(changed.append)
    dialog.set_default()
    assert settings.model == str(target) and changed == [str(target)]


def test_settings_dialog_returns_what_was_edited(qtbot):
    dialog = SettingsDialog(base_settings(), ["Wordloom"])
    qtbot.addWidget(dialog)
    dialog.threads.setValue(3)
    dialog.gpu.setCurrentText("12")
    dialog.language.setCurrentText("en-GB")
    dialog.picky.setChecked(True)
    dialog.dictionary.setPlainText("Wordloom\nHangzhou\n")
    dialog.theme.setCurrentText("dark")
    result = dialog.result_settings()
    assert (result.threads, result.gpu_layers, result.language, result.picky, result.theme) \
        == (3, 12, "en-GB", True, "dark")
    assert dialog.words() == ["Wordloom", "Hangzhou"]
    dialog.lt_mode.setCurrentText("server")
    dialog.lt_url.setText("")
    dialog._accept()
    assert "server URL" in dialog.problem.text()


def test_settings_dialog_names_a_proofreading_judge_that_is_not_there(qtbot, tmp_path):
    dialog = SettingsDialog(base_settings(), [])
    qtbot.addWidget(dialog)
    dialog.judge.setText("gone.gguf")  # a name in the judges folder, where there is none
    dialog._accept()
    assert dialog.problem.text() == \
        f"Proofreading judge: gone.gguf is not a file, nor one in {app_paths().judges}"
    judge = tmp_path / "judge.gguf"
    judge.write_bytes(b"GGUF")
    dialog.judge.setText(f"  {judge}  ")
    dialog._accept()
    assert dialog.problem.text() == "" and dialog.result_settings().judge == str(judge)


def test_an_unexpected_error_flushes_the_journal_first(qtbot, windows, monkeypatch, caplog):
    from gui.app import install_crash_handler, setup_logging

    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    windows.append(window)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    logfile = setup_logging()
    old_hook = sys.excepthook
    try:
        install_crash_handler(window, logfile)
        window.editor.insertPlainText("A secret sentence nobody may read in the logs.")
        try:
            raise ValueError("boom")
        except ValueError:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old_hook
    (entry,) = [e for e in (Journal().read(window.documents.doc_id),) if e]
    assert entry.text == "A secret sentence nobody may read in the logs."
    assert shown and "recovery journal" in shown[0] and str(logfile) in shown[0]
    assert "boom" in caplog.text and "secret sentence" not in logfile.read_text()


def test_a_ten_megabyte_single_line_is_refused_by_the_editor(qtbot, windows, tmp_path):
    path = tmp_path / "oneline.txt"
    path.write_bytes(b"word " * 2_000_000)
    window = MainWindow(base_settings(languagetool_mode="off"), start_workers=False)
    window.setProperty("quiet", True)
    windows.append(window)
    window.editor.insertPlainText("unsaved words stay")
    with qtbot.waitSignal(window.documents.open_failed, timeout=60000) as failed:
        window.documents.open(path)
    assert "oneline.txt" in failed.args[0] and "line of 10,000,000 characters" in failed.args[0]
    assert window.editor.toPlainText() == "unsaved words stay"
