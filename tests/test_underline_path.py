"""The path from a typing pause to the underlines on screen: Harper reads early in the
pause, repainting underlines is not an edit, and a long queue of blocks is repainted in
turns that leave the window free (real Harper, LanguageTool off)."""

from __future__ import annotations

from conftest import base_settings
from engine.grammar.checker import GrammarChecker

TEXT = "He go home after school.\n\nShe recieved the letter yesterday."


def _find(issues, text):
    return [i for i in issues if i.text == text]


def test_harper_reads_early_and_the_check_finds_its_answers():
    checker = GrammarChecker(base_settings(), engines=("harper",))
    assert checker.prefetch(TEXT) == 2
    assert checker.prefetch(TEXT) == 0, "read once"
    result = checker.check(TEXT)
    assert result.sent == {}, "nothing left for Harper at the end of the pause"
    fresh = GrammarChecker(base_settings(), engines=("harper",)).check(TEXT)
    assert result.issues == fresh.issues and _find(result.issues, "recieved")
    edited = TEXT.replace("He go", "He goes")
    assert checker.prefetch(edited) == 1, "only the edited paragraph"


def test_a_hidden_issue_stays_hidden_in_every_later_check():
    checker = GrammarChecker(base_settings(), engines=("harper",))
    (issue,) = _find(checker.check(TEXT).issues, "recieved")
    checker.ignore_once(issue)
    moved = "A new first paragraph.\n\n" + TEXT  # the same paragraph, further down
    assert not _find(checker.check(moved).issues, "recieved")
    checker.add_to_dictionary("recieved")
    assert not _find(checker.check("Also recieved.").issues, "recieved")


def test_underlines_are_no_edit_and_the_pause_check_reads_nothing_new(qtbot):
    from gui.editor.editor import Editor
    from gui.grammar.controller import GrammarController
    from gui.window.changes import Changes

    editor = Editor()
    grammar = GrammarController(editor, base_settings(languagetool_mode="off"), Changes())
    try:
        edits: list[int] = []
        editor.text_edited.connect(lambda: edits.append(1))
        editor.setPlainText(TEXT)
        qtbot.waitUntil(lambda: grammar.last is not None and
                        bool(_find(grammar.last.issues, "recieved")), timeout=20000)
        loaded = grammar.revision
        assert loaded == len(edits) >= 1
        qtbot.waitUntil(lambda: not editor.highlighter._queue, timeout=5000)
        assert len(edits) == grammar.revision == loaded, "repainting is not an edit"
        assert not grammar.timer.isActive(), "so no check is queued by it"

        cursor = editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(" Thay was late.")
        assert len(edits) == grammar.revision == loaded + 1
        qtbot.waitUntil(lambda: grammar.last.revision == loaded + 1 and
                        bool(_find(grammar.last.issues, "Thay")), timeout=20000)
        assert grammar.last.sent == {}, "Harper read the paragraph early in the pause"
    finally:
        grammar.stop()


def test_a_long_queue_is_repainted_in_turns(qtbot):
    from gui.editor.editor import Editor

    editor = Editor()
    lines = [f"Line {n} has teh typo." for n in range(6000)]
    text = "\n".join(lines)
    editor.setPlainText(text)
    issues = GrammarChecker(base_settings(), engines=("harper",)).check(
        "\n\n".join(lines[:1])).issues
    (typo,) = _find(issues, "teh")
    offset = lines[0].index("teh")
    placed, pos = [], 0
    for line in lines:
        placed.append(typo._replace(start=pos + offset, end=pos + offset + 3,
                                    start16=pos + offset, end16=pos + offset + 3))
        pos += len(line) + 1
    editor.set_issues(placed, text)
    assert editor.highlighter._queue, "6,000 blocks are not all repainted in one turn"
    qtbot.waitUntil(lambda: not editor.highlighter._queue, timeout=60000)
    for number in (0, 2999, 5999):
        formats = editor.document().findBlockByNumber(number).layout().formats()
        assert any(r.start == offset and r.length == 3 for r in formats), number
