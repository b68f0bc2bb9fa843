"""Changes still to review are not lost: they go into the recovery journal with the text,
come back after a crash, are named when quitting, and export as Word tracked changes."""

from __future__ import annotations

from engine.documents.journal import Journal
from engine.documents.tracked_reader import read_tracked_docx
from engine.review.pending import Pending, Review
from gui.review import commands as review_commands

TEXT = "She go home.\n\nThe cat sat on the the mat."


def _pending() -> dict:
    the = TEXT.index(" the the") + 4
    return Review(TEXT, [Pending(0, 4, 6, "go", "went", "harper", 1.5),
                         Pending(1, the, the + 4, " the", "", "repetition")]).to_json()


def test_pending_changes_go_into_the_journal_and_come_back(qtbot, plain_window, wordloom_home):
    window = plain_window()
    window.editor.setPlainText(TEXT)
    window.editor.document().setModified(False)  # the text itself is saved
    window.documents.review_restored.emit(_pending())  # as after a crash
    assert len(window.review.review.changes) == 2
    assert len(window.editor.extraSelections()) == 2  # struck in the text
    assert window.review_panel.list.count() == 2
    window.documents.write_journal()
    entry = Journal().read(window.documents.doc_id)
    assert entry is not None and entry.text == TEXT
    assert [c["new"] for c in entry.review["changes"]] == ["went", ""]

    again = plain_window()  # the next start restores the text and the changes
    again.editor.setPlainText(entry.text)
    again.documents.review_restored.emit(entry.review)
    assert [(c.old, c.new) for c in again.review.review.changes] == [("go", "went"),
                                                                   (" the", "")]
    again.review_action("accept_all")
    assert again.editor.toPlainText() == "She went home.\n\nThe cat sat on the mat."


def test_changes_that_no_longer_fit_are_left_out_with_a_note(qtbot, plain_window, wordloom_home):
    window = plain_window()
    window.editor.setPlainText("Someone rewrote this text meanwhile.")
    said: list[str] = []
    window.review.message.connect(said.append)
    window.documents.review_restored.emit(_pending())
    assert window.review.review.changes == [] and "no longer fit" in said[-1]


def test_quitting_names_the_changes_and_can_keep_them_in_a_word_file(qtbot, plain_window,
                                                                      wordloom_home, tmp_path,
                                                                      monkeypatch):
    from gui.documents import export_dialog

    window = plain_window()
    window.editor.setPlainText(TEXT)
    window.documents.review_restored.emit(_pending())
    items = window.unsaved_work()
    assert any("2 proofreading change(s) still to review" in i.what for i in items)
    target = tmp_path / "kept.docx"

    def run_dialog(dialog) -> int:  # the writer presses Export in the dialog
        assert dialog.tracked.isChecked() and dialog.format.currentText() == "Word (.docx)"
        dialog.path.setText(str(target))
        dialog.export()
        qtbot.waitUntil(lambda: dialog.exported is not None, timeout=10000)
        return 1

    monkeypatch.setattr(export_dialog.ExportDialog, "exec", run_dialog)
    assert review_commands.keep_in_word(window)
    read = read_tracked_docx(target)
    assert read.text == TEXT
    assert [(c.old, c.new) for c in read.changes] == [("go", "went"), (" the", "")]


def test_a_word_file_with_tracked_changes_opens_with_them_to_review(qtbot, plain_window,
                                                                    wordloom_home, tmp_path):
    from engine.documents.tracked import write_tracked_docx

    path = tmp_path / "edited.docx"
    write_tracked_docx(path, TEXT, [Pending(0, 4, 6, "go", "went", "harper", author="Ann")])
    window = plain_window()
    warnings: list[str] = []
    window.documents.warning.connect(warnings.append)
    window.documents.open_now(path)
    assert window.editor.toPlainText() == TEXT  # as it was before the change
    assert [(c.old, c.new, c.source) for c in window.review.review.changes] == \
        [("go", "went", "word: Ann")]
    assert any("1 tracked change(s) by Ann" in w for w in warnings)
    assert window.docks["review"].isVisible()  # shown, to review them
    window.review_action("accept_all")
    assert window.editor.toPlainText().startswith("She went home.")


def _menu_action(window, name: str):
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, name)
    assert action is not None, name
    return action


def test_each_accept_and_reject_is_one_undo_step_that_brings_the_change_back(qtbot,
                                                                            plain_window):
    from PySide6.QtCore import Qt

    window = plain_window()
    editor, review = window.editor, window.review
    editor.setPlainText(TEXT)
    editor.document().setModified(False)
    window.documents.review_restored.emit(_pending())
    pending = [(c.old, c.new) for c in review.review.changes]
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "Yes. ")  # the writer's own words, before any decision
    typed = editor.toPlainText()

    window.review_panel.select(0)
    window.review_action("accept")  # "go" → "went"
    assert editor.toPlainText() == "Yes. She went home.\n\nThe cat sat on the the mat."
    window.review_panel.select(1)
    window.review_action("reject")  # " the" stays
    assert editor.toPlainText() == "Yes. She went home.\n\nThe cat sat on the the mat."
    assert review.review.changes == [] and not editor.extraSelections()

    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the reject
    assert [(c.old, c.new) for c in review.review.changes] == [(" the", "")]
    assert window.review_panel.current_id() == 1  # chosen again in the dock
    assert len(editor.extraSelections()) == 1  # struck again in the text
    _menu_action(window, "undo").trigger()  # the accept, from the Edit menu
    assert editor.toPlainText() == typed
    assert [(c.old, c.new) for c in review.review.changes] == pending
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # my typing
    assert editor.toPlainText() == TEXT and len(review.review.changes) == 2

    _menu_action(window, "redo").trigger()  # my typing again, then the accept
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier |
                   Qt.KeyboardModifier.ShiftModifier)
    assert editor.toPlainText() == "Yes. She went home.\n\nThe cat sat on the the mat."
    assert [c.old for c in review.review.changes] == [" the"]
    _menu_action(window, "redo").trigger()  # and the reject
    assert review.review.changes == [] and not review.decisions.redos

    # a new edit after undoing ends what can be redone, as in any editor
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(review.review.changes) == 1
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, " End.")
    _menu_action(window, "redo").trigger()
    assert len(review.review.changes) == 1 and editor.toPlainText().endswith("mat. End.")


def test_accept_all_and_reject_all_are_one_undo_step_each(qtbot, plain_window):
    window = plain_window()
    editor, review = window.editor, window.review
    editor.setPlainText(TEXT)
    editor.document().setModified(False)
    window.documents.review_restored.emit(_pending())
    before = list(review.review.changes)
    window.review_action("reject_all")
    assert not editor.document().isModified()  # no words changed: nothing to save
    editor.undo_step()
    assert review.review.changes == before
    window.review_action("accept_all")
    assert editor.toPlainText() == "She went home.\n\nThe cat sat on the mat."
    editor.undo_step()
    assert editor.toPlainText() == TEXT and review.review.changes == before
    # the context menu's Undo is the same Undo
    window.review_action("accept_all")
    menu = editor.context_menu(editor.rect().center())
    undo = [a for a in menu.actions() if a.objectName() == "edit-undo"]
    assert undo and undo[0].isEnabled()
    undo[0].trigger()
    assert editor.toPlainText() == TEXT and review.review.changes == before


def test_new_words_show_beside_their_line_and_a_click_chooses_the_change(qtbot, plain_window):
    from PySide6.QtCore import QPoint, Qt

    window = plain_window()
    editor, margin = window.editor, window.review_margin
    editor.setPlainText(TEXT)
    assert margin.isHidden() and editor.viewportMargins().right() == 0
    window.documents.review_restored.emit(_pending())
    assert margin.isVisible()
    assert editor.viewportMargins().right() == margin.width() > 0  # the text makes room
    assert margin.geometry().left() > editor.viewport().geometry().right()
    lines = {change.id: rect for rect, change in margin.lines()}
    assert [change.new for _rect, change in margin.lines()] == ["went", ""]
    # each line is level with its change's words: the second paragraph is lower
    cursor = editor.textCursor()
    for change in window.review.review.changes:
        cursor.setPosition(window.review.span16(change)[0])
        assert abs(lines[change.id].top() - editor.cursorRect(cursor).top()) <= 1
    assert lines[1].top() > lines[0].bottom()
    qtbot.mouseClick(margin, Qt.MouseButton.LeftButton, pos=lines[1].center())
    assert window.review_panel.current_id() == 1
    assert editor.textCursor().selectedText() == " the"  # the change, shown in the text
    # changes on one line of text sit side by side while they fit, then on rows below;
    # none covers another
    editor.setPlainText("a b c d")
    long = "a much longer replacement for it"
    window.documents.review_restored.emit(Review("a b c d", [
        Pending(0, 0, 1, "a", "A", "harper"), Pending(1, 2, 3, "b", "B", "harper"),
        Pending(2, 4, 5, "c", long, "harper"), Pending(3, 6, 7, "d", long, "harper")]
    ).to_json())
    rects = [rect for rect, _change in margin.lines()]
    assert rects[0].top() == rects[1].top() and rects[1].left() > rects[0].right()
    assert rects[2].top() > rects[0].bottom() and rects[3].top() > rects[2].bottom()
    assert all(rect.right() < margin.width() for rect in rects)
    assert margin.change_at(QPoint(rects[1].center())).new == "B"
    size = margin.font().pointSizeF()
    editor.zoom(4)  # the new words grow with the text
    assert margin.font().pointSizeF() > size
    window.review_action("accept_all")  # nothing pending: the margin goes
    assert margin.isHidden() and editor.viewportMargins().right() == 0
