"""The model's own rewrites turned into edits: the clear ones made in the checked fixes,
the others offered (engine/writing/borrow.py, engine/writing/rewrite_edits.py)."""

from __future__ import annotations

import pytest

from engine.grammar.checker import GrammarChecker
from engine.model.scorer import LogProbScorer
from engine.writing.borrow import Offer, adopt, borrowed_edits, touches
from engine.writing.proofread import Edit, Margins, apply_edits, proofread_text
from engine.writing.rewrite_edits import with_rewrites
from helpers import assert_user_error, wordloom, wordloom_json

# two sentences: in the first the checked fixes make "have went" "have gone", where the
# model's rewrite has "went" (after "Last year"); the second's rewrite makes a word worse
TEXT = ("Last year I have went to London for see my friends. My brother told me that the "
        "tickets was the most expensive he ever seen.")


def _rewrites(text: str) -> list[str]:
    """Two rewrites of ``TEXT`` or of one of its sentences, as the model might write them."""
    return [text.replace("have went", "went").replace("for see", "to see"),
            text.replace("tickets was", "tickets were").replace("expensive", "expansive")]


def test_the_clear_gains_are_made_best_first_and_none_touches_another() -> None:
    text = "She go to school by foot every days."
    checked = [Edit(text.index("days"), text.index("days") + 4, "days", "day", "harper", 0.0)]
    go, by = text.index("go"), text.index("by")
    offers = [Offer(go, go + 2, "go", "goes", 5.0),
              Offer(go, go + 2 + 10, "go to school", "walks to school", 7.5),
              Offer(by, by + 2, "by", "on", 4.0),
              Offer(by, by + 7, "by foot", "on foot", 2.0),
              Offer(0, 3, "She", "He", 0.5)]
    made, left = adopt(checked, offers, margin=3.5)
    # the best (7.5) first; "go -> goes" touches it, "by -> on" does not
    assert [(e.old, e.new, e.source) for e in made] == [
        ("go to school", "walks to school", "rewrite"), ("by", "on", "rewrite"),
        ("days", "day", "harper")]
    assert all(e.gain > 3.5 for e in made if e.source == "rewrite")
    # "by foot" touches a made edit: not offered; the rest are, best first
    assert [(o.old, o.gain) for o in left] == [("She", 0.5)]
    assert apply_edits(text, made) == "She walks to school on foot every day."
    nothing, kept = adopt(checked, offers, margin=99.0)
    assert nothing == checked and [o.gain for o in kept] == [7.5, 5.0, 4.0, 2.0, 0.5]


@pytest.mark.numeric
def test_each_sentences_rewrite_gives_the_edits_the_judge_vouches_for(
        gemma: LogProbScorer, checker: GrammarChecker) -> None:
    checked = proofread_text(TEXT, checker.check(TEXT).issues, gemma)
    asked: list[tuple[str, int]] = []

    def write(sentence: str, n: int) -> list[str]:
        asked.append((sentence, n))
        return _rewrites(sentence)

    result, offers = with_rewrites(checked, write, gemma, first=10)
    assert [n for _s, n in asked] == [10, 11]  # one call a sentence, numbered for its seed
    made = [e for e in result.edits if e.source == "rewrite"]
    # the rewrite's "went" takes the place of the checked fixes' "gone"
    assert ("went", "gone") in {(e.old, e.new) for e in checked.edits}
    assert [(e.old, e.new) for e in made] == [("have went", "went")], result.edits
    assert result.text.startswith("Last year I went to London to see my friends.")
    assert all(e.gain > Margins().rewrite for e in made)
    # the other checked fixes stand as they were; no two edits touch
    assert [e for e in result.edits if e.source != "rewrite"] == \
        [e for e in checked.edits if e.old != "went"]
    assert not any(touches(a, b) for a in result.edits for b in result.edits if a is not b)
    assert result.text == apply_edits(TEXT, result.edits)
    # what gains less is offered, touching no edit; a change for the worse is neither
    assert all(1.0 < o.gain <= Margins().rewrite for o in offers)
    assert not any(touches(o, e) for o in offers for e in result.edits)
    assert "expansive" not in result.text and all(o.new != "expansive" for o in offers)
    # no sentence is rewritten once cancelled, nor one inside a skipped span
    import threading

    stop = threading.Event()
    stop.set()
    asked.clear()
    same, _ = with_rewrites(checked, write, gemma, cancel=stop)
    assert asked == [] and same.edits == checked.edits
    part, _ = with_rewrites(checked, write, gemma, skip=[(0, 5)])
    assert [n for _s, n in asked] == [1]
    assert all(e.start > TEXT.index("My") - 1 for e in part.edits if e.source == "rewrite")


@pytest.mark.model
@pytest.mark.languagetool
def test_the_command_line_makes_the_rewrites_clear_edits() -> None:
    # the starter model's rewrite of the second sentence has "we walked" (and of TEXT's
    # first it drops "Last year", which is never an edit)
    text = TEXT + " The willows along the lake were turning green, and we walks slowly home."
    plain = wordloom_json("proofread", "-", stdin=text)
    data = wordloom_json("proofread", "-", "--rewrite", stdin=text)
    rewrite = [e for e in data["edits"] if e["source"] == "rewrite"]
    # the checked fixes stand, but for those a rewrite edit takes the place of
    assert [e for e in data["edits"] if e["source"] != "rewrite"] == [
        e for e in plain["edits"]
        if not any(r["start"] <= e["start"] and e["end"] <= r["end"] for r in rewrite)]
    assert rewrite or data["offers"], data  # the model's rewrites differ from the checked
    assert all(e["gain"] > Margins().rewrite for e in rewrite)
    assert all(1.0 < o["gain"] <= Margins().rewrite for o in data["offers"])
    edits = [Edit.from_json(e) for e in data["edits"]]
    assert data["text"] == apply_edits(text, edits)
    assert "Last year" in data["text"]
    again = wordloom_json("proofread", "-", "--rewrite", stdin=text)
    assert again == data  # each sentence's seed is its number: the same text, the same


def test_rewrite_without_the_model_is_one_line() -> None:
    assert_user_error(wordloom("proofread", "-", "--rewrite", "--no-model", stdin=TEXT),
                      "--rewrite needs the model")


@pytest.mark.numeric
def test_the_checked_card_takes_the_written_cards_clear_edits(
        gemma: LogProbScorer, checker: GrammarChecker, runner: object) -> None:
    """Once the model has written, the checked fixes' card makes the clear edits of the
    written cards, is scored again and says so; the rest stay offers under Also:."""
    from engine.writing.assistant import Assistant, AssistRequest, Candidate
    from engine.writing.evaluate import Evaluator
    from engine.writing.optimize import adopt_borrowed, baselines
    from engine.writing.templates import TemplateLibrary

    assistant = Assistant(runner, TemplateLibrary())
    request = AssistRequest(template="proofread", selection=TEXT, seed=1)
    built = assistant.build(request)
    evaluator = Evaluator(checker, scorer=gemma)
    extra = baselines(evaluator, request, built, first_index=100)
    card = next(c for c in extra if c.pinned)
    before = (card.text, list(card.edits), card.score)
    written = [Candidate(n, n, text, text) for n, text in enumerate(_rewrites(TEXT))]
    adopt_borrowed(evaluator, request, built, extra, written)
    made = [e for e in card.edits if e["source"] == "rewrite"]
    assert [(e["old"], e["new"]) for e in made] == [("have went", "went")]
    assert card.text != before[0] and card.text.startswith("Last year I went to London")
    assert [e for e in card.edits if e["source"] != "rewrite"] == \
        [e for e in before[1] if e["old"] != "went"]
    assert card.text == apply_edits(TEXT, [Edit.from_json(e) for e in card.edits])
    assert card.note.endswith(f"({len(made)} from its rewrite)"), card.note
    assert any("(rewrite; the model gains" in r for r in card.reasons)
    assert card.score != before[2]  # scored again as the text it now holds
    assert all(o["gain"] <= Margins().rewrite for o in card.offers)


@pytest.mark.numeric
def test_a_rewrite_that_runs_into_markup_gives_no_edit(gemma: LogProbScorer) -> None:
    """The model once answered "-Learn !" with "Learn!" and, on a new line, a video's
    <script> element; the judge liked it (JFLEG dev, checked + rewrite, session 20)."""
    original = "-Learn ! "
    script = ('Learn!\n    <script src="https://www.example.com/embed?id=1" '
              'frameborder="true"></script> ')
    spans = borrowed_edits(original, [], [script, "Learn! {x}"], gemma, margin=-99.0,
                           limit=None)
    assert not any("<" in o.new or "\n" in o.new or "{" in o.new for o in spans), spans
    # a plain change of the same rewrite is still judged
    assert borrowed_edits(original, [], ["Learn! "], gemma, margin=-99.0, limit=None)


@pytest.mark.numeric
def test_a_rewrite_never_changes_a_name(gemma: LogProbScorer) -> None:
    """The package's smoke run once took "Leifeng Pagoda" → "Leilao Pagoda" from the
    starter model's rewrite: a capitalized word inside a sentence is a name, and a change
    must keep it (the slot search never changes one either)."""
    original = "The boats drifted past Leifeng Pagoda in the mist, and we was tired."
    rewrite = "The boats drifted past Leilao Pagoda in the mist, and we were tired."
    found = borrowed_edits(original, [], [rewrite], gemma, margin=-99.0, limit=None)
    assert [(o.old, o.new) for o in found] == [("was", "were")], found
    # a name kept, the words around it changed, is still an edit
    moved = borrowed_edits(original, [], [original.replace("past Leifeng", "by Leifeng")],
                           gemma, margin=-99.0, limit=None)
    assert [(o.old, o.new) for o in moved] == [("past", "by")]


@pytest.mark.numeric
def test_a_rewrite_keeps_numbers_and_a_sentences_opening_words(gemma: LogProbScorer
                                                                 ) -> None:
    """Rewrites on JFLEG dev made "5 0 years" "5 years" and "Therefore, we" "We", and the
    judge vouched for both: a number is the writer's fact, and the judge has no context
    for a sentence's first words, so every word dropped there looks like a gain. Here
    Gemma gains about 6 nats on "5 0" → "4" and 3.5 on dropping "Therefore,"."""
    original = "We waited for 5 0 minutes at the station. Therefore, we was late for the concert."
    rewrites = ["We waited for 4 minutes at the station. We was late for the concert.",
                "I waited for 50 minutes at the station. Therefore, we were late for the "
                "concert."]
    found = borrowed_edits(original, [], rewrites, gemma, margin=-99.0, limit=None)
    assert sorted((o.old, o.new) for o in found) == [
        ("5 0", "50"), ("We", "I"), ("was", "were")], found  # digits kept; as many words
    made, _left = adopt([], found, Margins().rewrite)
    assert apply_edits(original, made) == original.replace("5 0", "50").replace(
        "we was", "we were")
