"""The desktop app with the real model and checkers (offscreen)."""

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
)

from conftest import base_settings
from engine.config import load_settings
from engine.text.diff import word_diff
from gui.window.main_window import MainWindow

PARAGRAPH = ("hey guys, the meeting got moved to friday cuz the boss is sick. "
             "its in room 4 and we should of told everyone sooner.")




def close(window: MainWindow) -> None:
    window.closing = True
    window.close()


def put_text(window: MainWindow, text: str) -> None:
    window.editor.setPlainText(text)
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)


def select_all_text(window: MainWindow) -> None:
    cursor = window.editor.textCursor()
    cursor.select(QTextCursor.SelectionType.Document)
    window.editor.setTextCursor(cursor)


def test_generate_accept_undo(qtbot, open_window):
    window = open_window()
    put_text(window, PARAGRAPH)
    select_all_text(window)
    window.panel.select_template("formal")
    window.panel.count.setValue(2)
    with qtbot.waitSignal(window.assist.generation_done, timeout=180000) as done:
        window.assist.generate(seed=3)
    outcome = done.args[0]
    assert outcome.candidates and window.panel.cards
    card = next(c for c in window.panel.cards if c.candidate and c.candidate.text)
    html = card.body.toHtml()  # the card shows the word diff against the paragraph
    pieces = word_diff(PARAGRAPH, card.candidate.text)
    assert ("line-through" in html) == any(op == "-" and t.strip() for op, t in pieces)
    assert ("underline" in html) == any(op == "+" for op, _t in pieces)
    assert window.assist.cards.accept(card)
    assert window.editor.toPlainText() == card.candidate.text
    window.editor.undo()
    assert window.editor.toPlainText() == PARAGRAPH
    before = list(window.panel.cards)  # ranked again: the same cards, filled in the new order
    ranked = list(reversed(outcome.candidates))
    window.panel.show_ranked(ranked)
    assert window.panel.cards == before[:len(ranked)]
    assert [c.candidate for c in window.panel.cards] == ranked
    assert all(c.heading.startswith(f"#{rank} ") for rank, c in enumerate(window.panel.cards, 1))
    close(window)


def test_cancel_stops_generation(qtbot, open_window):
    window = open_window()
    put_text(window, PARAGRAPH)
    window.panel.select_template("expand")
    window.panel.count.setValue(3)
    window.assist.streamed.connect(lambda *_: window.assist.cancel())
    started = time.monotonic()
    with qtbot.waitSignal(window.assist.generation_done, timeout=60000) as done:
        window.assist.generate(seed=1)
    assert done.args[0].cancelled
    assert time.monotonic() - started < 20
    assert window.panel.generate.isEnabled() and not window.panel.cancel.isEnabled()
    close(window)


def test_close_while_generating_exits_cleanly(qtbot, open_window):
    window = open_window()
    put_text(window, PARAGRAPH * 3)
    window.panel.select_template("expand")
    chunks = []
    window.assist.streamed.connect(lambda *a: chunks.append(a))
    window.assist.generate(seed=2)
    qtbot.waitUntil(lambda: bool(chunks), timeout=60000)
    window.editor.document().setModified(False)
    started = time.monotonic()
    window.close()
    elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert not window.assist.model.running and not window.assist.ontology.running
    assert not window.grammar.lane.running


def test_underline_lands_after_an_emoji(qtbot, open_window):
    window = open_window()
    text = "I 😀 love teh sea and the 🌊 waves."
    put_text(window, text)
    qtbot.waitUntil(lambda: any(i.text == "teh" for i in window.editor.issues), timeout=30000)
    issue = next(i for i in window.editor.issues if i.text == "teh")
    assert issue.start16 == len("I 😀 love ".encode("utf-16-le")) // 2 == issue.start + 1
    block = window.editor.document().firstBlock()
    qtbot.waitUntil(lambda: any(r.length == 3 for r in block.layout().formats()), timeout=5000)
    ranges = [(r.start, r.length) for r in block.layout().formats()]
    assert (issue.start16, 3) in ranges
    cursor = window.editor.textCursor()
    cursor.setPosition(issue.start16)
    cursor.setPosition(issue.end16, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "teh"
    close(window)


def test_context_menu_replacement_and_dictionary(qtbot, open_window):
    window = open_window()
    put_text(window, "She recieved the letter from Wordloomia.")
    qtbot.waitUntil(lambda: any(i.text == "recieved" for i in window.editor.issues),
                    timeout=30000)
    issue = next(i for i in window.editor.issues if i.text == "recieved")
    menu = QMenu()
    window.editor.issue_menu(issue, menu)
    labels = [a.text() for a in menu.actions()]
    assert labels[0] == "Replace with “received”"
    assert "Ignore once" in labels and any(t.startswith("Ignore rule") for t in labels)
    menu.actions()[0].trigger()
    assert window.editor.toPlainText() == "She received the letter from Wordloomia."
    window.editor.undo()
    assert "recieved" in window.editor.toPlainText()
    qtbot.waitUntil(lambda: any(i.text == "Wordloomia" for i in window.editor.issues),
                    timeout=30000)
    word = next(i for i in window.editor.issues if i.text == "Wordloomia")
    menu = QMenu()
    window.editor.issue_menu(word, menu)
    next(a for a in menu.actions() if "dictionary" in a.text()).trigger()
    qtbot.waitUntil(lambda: not any(i.text == "Wordloomia" for i in window.editor.issues),
                    timeout=30000)
    close(window)


def test_clicking_an_issue_selects_it(qtbot, open_window):
    window = open_window()
    put_text(window, "Line one is fine.\n\nHe go to school.")
    qtbot.waitUntil(lambda: window.issues.count() > 0, timeout=30000)
    window.issues.list.clicked.emit(window.issues.model.index(0))
    assert window.editor.textCursor().selectedText() == "go"
    close(window)


def test_settings_persist_across_a_restart(qtbot, open_window, windows):
    window = open_window()
    changed = base_settings(languagetool_mode="off", theme="dark", editor_font_size=17,
                            autosave_seconds=9, picky=True)
    window.preferences.apply_settings(changed)
    close(window)
    loaded, problems = load_settings()
    assert problems == []
    assert (loaded.theme, loaded.editor_font_size, loaded.autosave_seconds, loaded.picky) == \
        ("dark", 17, 9, True)
    again = MainWindow(loaded)
    windows.append(again)
    assert again.editor.font().pointSizeF() == 17
    assert again.documents.autosave.interval() == 9000
    close(again)


def test_every_action_is_reachable_from_the_keyboard(qtbot, open_window):
    window = open_window()
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text(), menu_action.text()
        for action in menu_action.menu().actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            assert "&" in action.text() or not action.shortcut().isEmpty() or \
                action.objectName() == "recent", action.text()
    shortcuts = {a.objectName(): a.shortcut().toString() for a in window.findChildren(
        type(window.menuBar().actions()[0]))}
    assert shortcuts["generate"] == "Ctrl+Return" and shortcuts["cancel"] == "Esc"
    close(window)


def test_widgets_have_accessible_names(qtbot, open_window):
    window = open_window()
    kinds = (QLineEdit, QComboBox, QSpinBox, QListWidget, QPlainTextEdit)
    widgets = [w for kind in kinds for w in window.findChildren(kind)]
    missing = [f"{type(w).__name__} {w.objectName()}" for w in widgets
               if not w.accessibleName() and w.isVisibleTo(window)
               and not w.objectName().startswith("qt_")]
    assert missing == []
    buttons = [b for b in window.findChildren(QAbstractButton)
               if b.isVisibleTo(window) and not (b.accessibleName() or b.text().strip())]
    assert all(b.toolTip() or b.objectName().startswith("qt_") for b in buttons)
    assert window.editor.accessibleName() == "Document text"
    assert window.panel.generate.accessibleName()
    close(window)


@pytest.mark.parametrize("focus", [True])
def test_focus_mode_hides_docks(qtbot, open_window, focus):
    window = open_window()
    shown = {k for k, d in window.docks.items() if d.isVisible()}
    assert shown == {"assistant", "issues", "ontology"}  # the preview waits for Ctrl+Shift+P
    window.toggle_focus(focus)
    assert not any(d.isVisible() for d in window.docks.values())
    window.toggle_focus(False)
    assert {k for k, d in window.docks.items() if d.isVisible()} == shown
    close(window)


def test_escape_cancels_from_the_panel(qtbot, open_window):
    window = open_window()
    put_text(window, PARAGRAPH)
    window.panel.select_template("expand")
    window.assist.streamed.connect(
        lambda *_: qtbot.keyClick(window.panel, Qt.Key.Key_Escape))
    with qtbot.waitSignal(window.assist.generation_done, timeout=60000) as done:
        window.assist.generate(seed=4)
    assert done.args[0].cancelled
    close(window)


def test_settings_changes_reach_the_model_and_the_ontology_without_a_restart(
        qtbot, open_window, tmp_path):
    """A new default model chosen in the Models dialog is loaded at once (it waited for
    a restart before the preferences broadcast their changes), and a new ontology opens."""
    import shutil

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from conftest import MODEL, PIZZA
    from gui.models.model_manager import ModelManager

    window = open_window(wait_ontology=True)
    renamed = Path(shutil.copy(MODEL, window_models(window) / "Renamed.Q4_1.gguf"))
    loading: list[str] = []
    window.assist.model_state.connect(loading.append)

    def choose_in_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ModelManager)
        dialog.refresh()
        paths = [dialog.table.item(r, 5).text() for r in range(dialog.table.rowCount())]
        dialog.table.selectRow(paths.index(str(renamed)))
        dialog.set_default()
        dialog.reject()

    QTimer.singleShot(200, choose_in_the_dialog)
    window.preferences.open_models()
    assert window.settings.model == window.assist.settings.model == str(renamed)
    assert load_settings()[0].model == str(renamed)
    assert loading and "loading" in loading[0]
    qtbot.waitUntil(lambda: window.assist.model_ready, timeout=60000)
    with qtbot.waitSignal(window.assist.ontology_opened, timeout=60000) as opened:
        window.preferences.use_ontology(str(PIZZA))
    assert opened.args[0]["path"] == str(PIZZA)
    assert load_settings()[0].ontology == str(PIZZA)
    close(window)


def window_models(window: MainWindow) -> Path:
    from engine.paths import app_paths

    return app_paths().models
