"""Proofread Document in the real window (the starter model judging, Harper checking):
changes pending in the text, the Review dock and its menu, edits while it runs."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction, QKeySequence

TEXT = ("She go home yesterday and buyed three apple.\n\n"
        "The weather were nice, we walks to the park.\n\n"
        "I has a dog. It run fast.")


def _proofread(qtbot, window, text: str = TEXT) -> list:
    window.editor.setPlainText(text)
    window.proofread_document()
    qtbot.waitUntil(lambda: not window.review.running, timeout=300000)  # a slow machine
    return list(window.review.review.changes)


@pytest.mark.model
def test_proofread_document_leaves_the_text_alone_until_a_change_is_accepted(qtbot,
                                                                           open_window):
    window = open_window()
    changes = _proofread(qtbot, window)
    assert len(changes) >= 3
    assert window.editor.toPlainText() == TEXT  # nothing changed yet
    for change in changes:
        assert TEXT[change.start:change.end] == change.old
    panel = window.review_panel
    assert panel.list.count() == len(changes) and window.docks["review"].isVisible()
    assert len(window.editor.extraSelections()) == len(changes)  # each one shown in the text
    everything = window.review.review.accepted_text()
    panel.list.setCurrentRow(0)
    first = window.review.review.get(panel.current_id())
    window.review_action("accept")
    assert window.editor.toPlainText() == TEXT[:first.start] + first.new + TEXT[first.end:]
    assert panel.list.count() == len(changes) - 1
    window.editor.undo()  # one undo step
    assert window.editor.toPlainText() == TEXT
    window.review.review.changes.clear()
    changes = _proofread(qtbot, window)
    window.review_action("reject_all")
    assert window.editor.toPlainText() == TEXT and panel.list.count() == 0
    changes = _proofread(qtbot, window)
    action = window.findChild(QAction, "acceptall")
    assert action.shortcut() == QKeySequence("Ctrl+Alt+Shift+Return")
    action.trigger()
    assert window.editor.toPlainText() == everything
    window.editor.undo()  # accept all: one undo step too
    assert window.editor.toPlainText() == TEXT


@pytest.mark.model
def test_code_blocks_are_left_as_they_are(qtbot, open_window):
    text = ("She go home yesterday.\n\n```\nshe go home # teh code\n\nit were fine\n```\n\n"
            "The weather were nice.")
    window = open_window()
    changes = _proofread(qtbot, window, text)
    code = (text.index("```"), text.rindex("```") + 3)
    assert {c.old for c in changes} >= {"go", "were"}  # the prose around it is checked
    assert all(c.end <= code[0] or c.start >= code[1] for c in changes), changes
    assert window.review_margin.isVisible()  # the new words beside the text


@pytest.mark.model
def test_the_writers_edits_move_or_drop_pending_changes(qtbot, open_window):
    window = open_window()
    changes = _proofread(qtbot, window)
    last = next(c for c in reversed(changes) if c.old.strip())  # one with words of its own
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    cursor.insertText("Yes. ")  # before every change: they all move
    review = window.review.review
    assert [c.start for c in review.changes] == [c.start + 5 for c in changes]
    for change in review.changes:
        assert review.text[change.start:change.end] == change.old
    start, end = window.review.span16(review.get(last.id))
    cursor.setPosition(start)
    cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
    cursor.insertText("sprints")  # the writer rewrote the words of a change: it goes
    assert last.id not in [c.id for c in review.changes]
    assert review.notes and "dropped" in review.notes[-1]
    assert "dropped" in window.review_panel.notes.text()


@pytest.mark.model
def test_a_paragraph_edited_while_it_waits_is_checked_as_it_is_now(qtbot, open_window):
    window = open_window()
    host = window.assist.model.owner
    real = host.proofread
    sent: list[str] = []  # what the model's lane was asked to check (the real work is done)
    host.proofread = lambda text, cancel=None: (sent.append(text), real(text, cancel))[1]
    window.editor.setPlainText(TEXT)
    window.proofread_document()  # the first paragraph is in flight, the others wait
    cursor = window.editor.textCursor()
    third = window.editor.toPlainText().index("I has a dog.")
    cursor.setPosition(third)
    cursor.setPosition(third + len("I has a dog."), cursor.MoveMode.KeepAnchor)
    cursor.insertText("I love my dog.")
    qtbot.waitUntil(lambda: not window.review.running, timeout=120000)
    assert "I love my dog. It run fast." in sent and "I has a dog. It run fast." not in sent
    review = window.review.review
    assert review.text == window.editor.toPlainText()
    for change in review.changes:
        assert review.text[change.start:change.end] == change.old
    assert not any(c.old == "has" for c in review.changes)  # the old words are gone


@pytest.mark.model
def test_cancel_keeps_what_was_found(qtbot, open_window):
    window = open_window()
    paragraphs = [f"Paragraph {n}: she go home and buyed a apple." for n in range(12)]
    window.editor.setPlainText("\n\n".join(paragraphs))
    done: list[int] = []
    window.review.progress.connect(lambda d, _t, _l: done.append(d))
    window.proofread_document()
    qtbot.waitUntil(lambda: bool(done) and done[-1] >= 1, timeout=120000)
    window.review.cancel()
    assert not window.review.running
    kept = list(window.review.review.changes)
    assert kept and window.review_panel.list.count() == len(kept)
    qtbot.wait(300)
    assert window.review.review.changes == kept  # nothing more arrives after Cancel
    assert max(done) < 12


@pytest.mark.model
def test_hostile_texts_proofread_and_the_window_keeps_up(qtbot, open_window):
    import random

    window = open_window()
    host = window.assist.model.owner
    real = host.proofread
    sent: list[str] = []
    host.proofread = lambda text, cancel=None: (sent.append(text), real(text, cancel))[1]
    rng = random.Random(3)
    words = "the cat go home and she walk to school with her friend because it rain".split()
    endless = " ".join(rng.choice(words) for _ in range(800))  # no full stop anywhere
    text = "\n\n".join(["... !!! ?? ,,, ;;", "我今天去了商店 and she buy milk. 他们是我的朋友们。",
                        endless])
    changes = _proofread(qtbot, window, text)
    assert window.review.done == window.review.total == 3
    assert max(len(piece.split()) for piece in sent) <= 60  # the endless one, in parts
    assert "".join(piece for piece in sent if piece in endless).replace(" ", "") == \
        endless.replace(" ", "")
    for change in changes:
        assert text[change.start:change.end] == change.old

    novel = "\n\n".join(f"Chapter {n}. " + " ".join(rng.choice(words) for _ in range(100)) +
                        "." for n in range(3000))  # 300,000 words
    window.editor.setPlainText(novel)
    window.proofread_document()
    assert window.review.running
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    cursor.insertText("Prologue. ")  # typing goes on while it works
    assert window.review.review.text == window.editor.toPlainText()
    window.review.cancel()
    assert not window.review.running
    for change in window.review.review.changes:
        assert window.review.review.text[change.start:change.end] == change.old
