"""The Version History and Statistics docks in the real window (offscreen): versions kept on
open, save, before an accepted suggestion and while writing; restore as one undo step;
counts of the document and the selection; goals and words per day."""

from __future__ import annotations

import datetime as dt
import time

from engine.history.daily import Goal
from engine.history.library import HistoryLibrary
from gui.history import commands as history_commands


def _opened(qtbot, plain_window, path, text: str):
    """The window with ``text`` saved at ``path`` and opened (its first version kept)."""
    path.write_text(text, encoding="utf-8")
    window = plain_window()
    window.documents.open(path)
    _settled(qtbot, window, 1)
    return window


def _settled(qtbot, window, versions: int) -> list:
    qtbot.waitUntil(lambda: window.history.pending == 0
                    and len(window.history.snapshot.versions) == versions, timeout=10000)
    return window.history.snapshot.versions


def test_versions_are_kept_and_one_comes_back_as_one_undo_step(qtbot, plain_window, tmp_path,
                                                               wordloom_home):
    window = _opened(qtbot, plain_window, tmp_path / "story.md",
                     "It was a dark night.\n\nThe end.\n")
    first = window.history.snapshot.versions
    assert first[0].reason == "import" and first[0].words == 7
    window.editor.setPlainText("It was a bright morning.\n\nThe end.\n")
    assert window.files.save()
    versions = _settled(qtbot, window, 2)
    assert [v.reason for v in versions] == ["save", "import"]
    history_commands.show(window)
    panel = window.history_panel
    assert panel.list.topLevelItemCount() == 2 and panel.isVisible()
    panel.list.setCurrentItem(panel.list.topLevelItem(1))  # the text as opened
    qtbot.waitUntil(lambda: panel.shown_id == versions[1].id, timeout=10000)
    html = panel.view.toHtml()
    assert "dark" in html and "bright" in html  # what changed since, word by word
    panel.as_whole.setChecked(True)
    assert panel.view.toPlainText() == "It was a dark night.\n\nThe end.\n"
    cursor = panel.view.textCursor()
    cursor.setPosition(3)
    panel.view.setTextCursor(cursor)
    assert panel.copy_paragraph() == "It was a dark night."
    panel.restore_button.click()
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "It was a dark night.\n\nThe end.\n",
                    timeout=10000)
    versions = _settled(qtbot, window, 3)
    assert versions[0].reason == "restore"
    window.editor.undo()  # one step back to what the writer had
    assert window.editor.toPlainText() == "It was a bright morning.\n\nThe end.\n"


def test_unsaved_writing_is_kept_at_most_once_an_hour(qtbot, plain_window, tmp_path, wordloom_home):
    doc = tmp_path / "notes.md"
    window = _opened(qtbot, plain_window, doc, "Start.\n")
    window.editor.setPlainText("Start. And a new idea, not saved yet.\n")
    window.history.while_writing()  # within the hour: nothing
    window.history.last_recorded = time.time() - 3601
    window.history.while_writing()
    versions = _settled(qtbot, window, 2)
    assert versions[0].reason == "writing"
    window.history.while_writing()  # just kept: not again
    assert window.history.pending == 0 and len(window.history.snapshot.versions) == 2
    opened = HistoryLibrary().open(doc, None, create=False)
    assert opened is not None
    assert opened.store.text(versions[0].id) == "Start. And a new idea, not saved yet.\n"
    assert doc.read_text(encoding="utf-8") == "Start.\n"  # the file itself is untouched


def test_changes_discarded_on_quit_are_kept_as_a_version(qtbot, plain_window, tmp_path,
                                                         wordloom_home):
    doc = tmp_path / "notes.md"
    window = _opened(qtbot, plain_window, doc, "Kept.\n")
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    window.editor.insertPlainText("And a paragraph I will regret discarding.\n")  # typed
    assert window.documents.dirty
    window.closing = True  # as after "Discard" in the question about unsaved changes
    window.close()
    assert doc.read_text(encoding="utf-8") == "Kept.\n"
    opened = HistoryLibrary().open(doc, None, create=False)
    assert opened is not None
    newest = opened.store.versions()[0]
    assert newest.reason == "writing"
    assert opened.store.text(newest.id) == "Kept.\nAnd a paragraph I will regret discarding.\n"


def test_an_accepted_suggestion_can_be_undone_after_a_restart(qtbot, ontology_window, tmp_path):
    from engine.writing.assistant import Candidate
    from gui.assist.candidate_card import CandidateCard
    from gui.assist.target import Target

    doc = tmp_path / "letter.md"
    doc.write_text("She go home.\n", encoding="utf-8")
    window = ontology_window()
    window.documents.open(doc)
    _settled(qtbot, window, 1)
    window.editor.setPlainText("She go home. Then she sleep.\n")
    card = CandidateCard(0, Target(0, 12, "She go home."))
    qtbot.addWidget(card)
    card.finish(Candidate(0, 1, "She goes home.", "She goes home.", score=0.9, scores={}))
    assert window.assist.cards.accept(card)
    assert window.editor.toPlainText() == "She goes home. Then she sleep.\n"
    versions = _settled(qtbot, window, 2)
    assert versions[0].reason == "suggestion"
    window.closing = True
    window.close()  # quit without saving: the text before the suggestion is still kept
    opened = HistoryLibrary().open(doc, None, create=False)
    assert opened is not None
    kept = {v.reason: opened.store.text(v.id) for v in opened.store.versions()}
    assert kept["suggestion"] == "She go home. Then she sleep.\n"  # before it landed
    assert kept["writing"] == "She goes home. Then she sleep.\n"  # what was not saved


def test_counts_goal_and_words_per_day(qtbot, plain_window, tmp_path, wordloom_home):
    doc = tmp_path / "novel.md"
    doc.write_text("他们是我的朋友们。\n\nThey are my friends.\n", encoding="utf-8")
    window = plain_window()
    window.documents.open(doc)
    _settled(qtbot, window, 1)
    qtbot.waitUntil(lambda: window.status.counts.text().startswith("12 words"), timeout=5000)
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(4, cursor.MoveMode.KeepAnchor)
    window.editor.setTextCursor(cursor)
    qtbot.waitUntil(lambda: window.status.counts.text().startswith("4 of 12 words"),
                    timeout=5000)
    assert "CJK characters: 8" in window.status.counts.toolTip()
    window.docks["stats"].show()
    panel = window.stats_panel
    qtbot.waitUntil(lambda: panel.chart is not None, timeout=10000)
    assert panel.document[0].text() == "12" and panel.selection[0].text() == "4"
    window.history.set_goal(Goal(words=112))
    qtbot.waitUntil(lambda: window.history.snapshot.goal is not None, timeout=10000)
    cursor.clearSelection()
    window.editor.setTextCursor(cursor)
    window.editor.moveCursor(cursor.MoveOperation.End)
    window.editor.insertPlainText(" Five more words right here.")
    qtbot.waitUntil(lambda: panel.goal_bar.isVisible() and panel.goal_bar.value() == 17,
                    timeout=5000)
    assert panel.goal_bar.maximum() == 112 and "17 of 112 words" in panel.goal_line.text()
    assert "this session: +5 words" in panel.progress_line.text()
    days = panel.chart.days
    assert len(days) == 30 and days[-1] == (dt.date.today(), 5)  # opened today with 12


def test_a_damaged_history_is_named_and_the_document_still_opens(qtbot, plain_window, tmp_path,
                                                                 wordloom_home):
    doc = tmp_path / "story.md"
    doc.write_text("Once.\n", encoding="utf-8")
    opened = HistoryLibrary().open(doc, "Once.\n")
    assert opened is not None
    opened.store.record("Once.\n", "save")
    opened.store.close()
    opened.store.path.write_bytes(b"garbage" * 500)
    window = plain_window()
    messages: list[str] = []
    window.history.message.connect(messages.append)
    window.documents.open(doc)
    _settled(qtbot, window, 1)
    assert window.editor.toPlainText() == "Once.\n"
    assert any("damaged" in m for m in messages)
    window.editor.setPlainText("Once upon a time.\n")
    assert window.files.save()
    assert [v.reason for v in _settled(qtbot, window, 2)] == ["save", "import"]
