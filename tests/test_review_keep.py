"""Changes still to review are not lost: they go into the recovery journal with the text,
come back after a crash, are named when quitting, and export as Word tracked changes."""

from __future__ import annotations

from engine.documents.journal import Journal
from engine.documents.tracked import read_tracked_docx
from engine.review.pending import Pending, Review
from gui import review_commands

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
    from gui.dialogs import export_dialog

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
    window.review_action("accept_all")
    assert window.editor.toPlainText().startswith("She went home.")
