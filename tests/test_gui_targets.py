"""Where suggestions go and which facts they were made with (real model, real ontology)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPushButton

from engine.config import load_settings
from gui.window.main_window import MainWindow

HANGZHOU = "Hangzhou has a lake that people visits in spring, and the tea there are good."
BEIJING = "Beijing is big city and many tourist goes to see the old palace every year."
TR = "http://wordloom.app/ontology/travel#"


def cursor_into(window: MainWindow, needle: str) -> None:
    found = window.editor.document().find(needle)
    assert not found.isNull(), needle
    cursor = window.editor.textCursor()
    cursor.setPosition(found.selectionStart())
    window.editor.setTextCursor(cursor)


def generate(qtbot, window: MainWindow, seed: int = 5):
    with qtbot.waitSignal(window.assist.generation_done, timeout=180000) as done:
        window.assist.generate(seed=seed)
    return done.args[0]


def two_paragraphs(open_window, template: str) -> MainWindow:
    """The app with two paragraphs, one suggestion per run, the cursor on Hangzhou's."""
    window = open_window(wait_ontology=True)
    window.editor.setPlainText(f"{HANGZHOU}\n\n{BEIJING}")
    window.panel.select_template(template)
    window.panel.count.setValue(1)
    cursor_into(window, "Hangzhou has")
    return window


def usable_card(window: MainWindow):
    return next(c for c in window.panel.cards
                if c.candidate is not None and c.candidate.text
                and c.candidate.text != c.target.original)


def test_accept_after_inspecting_another_paragraph_replaces_the_first(qtbot, open_window):
    window = two_paragraphs(open_window, "formal")
    generate(qtbot, window)
    card = usable_card(window)
    cursor_into(window, "Beijing is")
    with qtbot.waitSignal(window.assist.prompt_shown, timeout=60000):
        window.panel.inspect_requested.emit()
    assert window.assist.cards.accept(card)
    text = window.editor.toPlainText()
    assert BEIJING in text, "the paragraph the cursor was in was replaced"
    assert HANGZHOU not in text and card.candidate.text in text


def test_accept_from_history_goes_to_that_generations_paragraph(qtbot, open_window):
    window = two_paragraphs(open_window, "formal")
    generate(qtbot, window, seed=8)
    cursor_into(window, "Beijing is")
    generate(qtbot, window, seed=9)
    window.panel.history_box.setCurrentIndex(0)
    window.panel.history_box.activated.emit(0)
    card = usable_card(window)
    assert card.target.original == HANGZHOU
    assert window.assist.cards.accept(card)
    text = window.editor.toPlainText()
    assert BEIJING in text and HANGZHOU not in text
    # the same card again: the text it would replace is no longer there
    window.panel.history_box.activated.emit(1)
    beijing_card = usable_card(window)
    window.editor.moveCursor(QTextCursor.MoveOperation.End)
    window.editor.insertPlainText(" Edited.")
    assert not window.assist.cards.accept(beijing_card)
    assert window.editor.toPlainText().endswith("Edited.")


def test_facts_are_for_the_exact_target_at_generate(qtbot, open_window):
    window = two_paragraphs(open_window, "expand")  # a template whose prompt lists facts
    qtbot.waitUntil(lambda: window.panel.facts.list.count() > 0, timeout=20000)
    shown = [window.panel.facts.list.item(i).text()
             for i in range(window.panel.facts.list.count())]
    assert any("Hangzhou" in f for f in shown)
    cursor_into(window, "Beijing is")  # generate at once: the lookup timer has not fired
    outcome = generate(qtbot, window)
    sent = outcome.prompt.fact_items
    assert sent, "no facts were sent"
    assert {f.iri for f in sent} & {TR + "Beijing"}
    assert TR + "Hangzhou" not in {f.iri for f in sent}
    # untick one fact: it stays out of the next request
    facts = window.panel.facts
    item = facts.list.item(0)
    dropped = item.text()
    item.setCheckState(Qt.CheckState.Unchecked)
    outcome = generate(qtbot, window, seed=6)
    assert dropped not in outcome.prompt.facts
    assert outcome.prompt.facts, "the other facts were dropped too"


def test_consistency_check_runs_off_the_window_thread(qtbot, open_window):
    from conftest import PIZZA

    window = open_window(wait_ontology=True, ontology=str(PIZZA))
    with qtbot.waitSignal(window.consistency.finished, timeout=120000) as done:
        window.check_ontology()
        # the call returned while HermiT runs: a busy dialog with Cancel, typing goes on
        assert window.consistency.running and window.consistency.dialog is not None
        window.editor.insertPlainText("typing during the check")
    assert "can have no members" in done.args[0]
    assert not window.consistency.running and window.consistency.dialog is None
    with qtbot.waitSignal(window.consistency.finished, timeout=30000) as cancelled:
        window.check_ontology()
        button = window.consistency.dialog.findChild(QPushButton)
        assert button.text() == "Cancel"
        button.click()
    assert "cancelled" in cancelled.args[0]
    assert window.consistency.dialog is None


def test_quit_last_template_and_new_document_state(qtbot, open_window, windows):
    window = open_window(wait_ontology=True)
    shortcuts = {a.objectName(): a.shortcut().toString() for a in window.findChildren(
        type(window.menuBar().actions()[0]))}
    assert shortcuts["quit"] == "Ctrl+Q"
    assert window.status.saved.text() == "New document"
    window.editor.insertPlainText("Some words.")
    assert window.status.saved.text() == "Unsaved changes"
    window.panel.select_template("concise")
    assert load_settings()[0].last_template == "concise"
    window.editor.document().setModified(False)
    window.closing = True
    window.close()
    again = MainWindow(load_settings()[0])  # a restart with the saved settings
    again.setProperty("quiet", True)
    windows.append(again)
    assert again.panel.template.currentData() == "concise"
