"""A suggestion taken change by change (engine.review.changes and the cards)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt, QUrl

from engine.review.changes import apply_changes, changes_between, review_html

WORDS = st.sampled_from(["the", "a", "cat", "dog", "sat", " ", "  ", ",", ".", "\n", "我",
                         "😀", "don't", "e\u0301"])


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=25).map("".join), st.lists(WORDS, max_size=25).map("".join),
       st.data())
def test_any_choice_of_changes_gives_the_original_with_just_those_made(original, suggestion,
                                                                        data):
    changes = changes_between(original, suggestion)
    everything = set(range(len(changes)))
    assert apply_changes(original, changes, everything) == suggestion
    assert apply_changes(original, changes, set()) == original
    for change in changes:
        assert original[change.start:change.end] == change.old and change.old != change.new
    chosen = data.draw(st.sets(st.sampled_from(sorted(everything)) if everything
                               else st.nothing()))
    partial = apply_changes(original, changes, chosen)
    left = [c for i, c in enumerate(changes) if i not in chosen]
    # what was left out is still the original's, and taking the rest gives the suggestion
    assert apply_changes(partial, changes_between(partial, suggestion),
                         set(range(len(changes_between(partial, suggestion))))) == suggestion
    assert all(c.old in original for c in left)
    review_html(original, changes, chosen)  # draws any choice


def test_each_word_change_is_its_own_change():
    changes = changes_between("The cat sat on the mat.", "A dog sat on a mat, quietly.")
    assert [(c.old, c.new) for c in changes] == [("The", "A"), ("cat", "dog"), ("the", "a"),
                                                 ("", ", quietly")]
    assert [c.label for c in changes] == ["The → A", "cat → dog", "the → a", "+ , quietly"]
    assert apply_changes("The cat sat on the mat.", changes, {1, 3}) == \
        "The dog sat on the mat, quietly."


def test_a_card_takes_some_changes_and_leaves_the_rest(qtbot, ontology_window):
    from engine.writing.assistant import Candidate
    from gui.assist.candidate_card import CandidateCard
    from gui.assist.target import Target

    window = ontology_window()
    original = "The cat sat on the mat."
    window.editor.setPlainText(f"{original}\n\nNext paragraph.")
    card = CandidateCard(0, Target(0, len(original), original))
    qtbot.addWidget(card)
    card.show()
    card.finish(Candidate(0, 1, "A dog sat on a mat, quietly.", "A dog sat on a mat, quietly.",
                          score=0.8, scores={}))
    assert len(card.changes) == 4 and card.taken == {0, 1, 2, 3}
    card.body.anchorClicked.emit(QUrl("change:0"))  # a click on "The → A": left out
    card.body.anchorClicked.emit(QUrl("change:2"))
    assert card.taken == {1, 3} and "2 of 4 changes" in card.title.text()
    assert card.chosen_text() == "The dog sat on the mat, quietly."
    card.body.anchorClicked.emit(QUrl("change:2"))  # taken again
    assert card.chosen_text() == "The dog sat on a mat, quietly."
    assert window.assist.cards.accept(card)
    assert window.editor.toPlainText() == "The dog sat on a mat, quietly.\n\nNext paragraph."
    window.editor.undo()  # one undo step
    assert window.editor.toPlainText() == f"{original}\n\nNext paragraph."


def test_changes_can_be_left_out_from_the_keyboard(qtbot):
    from engine.writing.assistant import Candidate
    from gui.assist.candidate_card import CandidateCard
    from gui.assist.target import Target

    card = CandidateCard(0, Target(0, 12, "She go home."))
    qtbot.addWidget(card)
    card.show()
    card.finish(Candidate(0, 1, "She goes home now.", "She goes home now.", score=0.8,
                          scores={}))
    assert [c.label for c in card.changes] == ["go → goes", "+ now"]
    card.body.setFocus()
    qtbot.keyClick(card.body, Qt.Key.Key_Tab)  # the first change
    qtbot.keyClick(card.body, Qt.Key.Key_Tab)  # the second
    qtbot.keyClick(card.body, Qt.Key.Key_Return)
    assert card.taken == {0}
    assert card.chosen_text() == "She goes home."
