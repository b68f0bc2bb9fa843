"""Generate, score, and retry with a prompt that names what went wrong.

When every candidate of a round breaks one of the template's hard limits, the next round
adds the failed limits as instructions ("Keep the names West Lake and Hangzhou.",
"Answer with the rewritten paragraph only.", "Use at most 60 words.") up to a set number
of rounds. Every candidate seen is kept; the best come first.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from engine.grammar.autofix import apply_fixes
from engine.text.split import sentences
from engine.writing.assistant import Assistant, AssistRequest, BuiltPrompt, Candidate, ChunkCallback
from engine.writing.borrow import adopt, borrowed_edits
from engine.writing.evaluate import Evaluator, rank
from engine.writing.proofread import Edit, Margins, apply_edits, proofread_text

MAX_ROUNDS = 3


@dataclass
class Round:
    number: int
    reason: str  # why this round ran ("" for the first)
    candidates: int
    best_score: float
    passed: int  # candidates within every hard limit

    def to_json(self) -> dict[str, Any]:
        return {"round": self.number, "reason": self.reason, "candidates": self.candidates,
                "best_score": round(self.best_score, 4), "passed": self.passed}


@dataclass
class Outcome:
    candidates: list[Candidate]
    rounds: list[Round]
    prompt: BuiltPrompt
    cancelled: bool = False


def suggest(assistant: Assistant, evaluator: Evaluator, request: AssistRequest,
            max_rounds: int = MAX_ROUNDS, on_chunk: ChunkCallback | None = None,
            cancel: threading.Event | None = None,
            on_round: Callable[[Round], None] | None = None,
            on_candidate: Callable[[Candidate], None] | None = None,
            on_stage: Callable[[str], None] | None = None) -> Outcome:
    """Candidates for ``request``, best first. ``on_stage`` hears what is being done now
    ("checking 3 sentences…", "writing 2 suggestions…"); ``on_candidate`` gets each
    candidate as soon as it is scored, the model-free ones (the checked fixes) before the
    model writes anything."""
    cancel = cancel or threading.Event()
    first_prompt = assistant.build(request)
    built = first_prompt
    seen: list[Candidate] = []
    rounds: list[Round] = []
    reason = ""
    current = request
    if on_stage is not None and "checked" in built.template.baselines:
        count = len(sentences(request.selection))
        on_stage(f"Checking {count} sentence{'s' * (count != 1)}…")
    # model-free candidates first: when one already passes, the model gets no retries
    extra = baselines(evaluator, request, built, first_index=100, cancel=cancel)
    for candidate in extra:
        if on_candidate:
            on_candidate(candidate)
    extra_passed = sum(1 for c in extra if not c.violations)
    for number in range(1, max(1, max_rounds) + 1):
        if on_stage is not None:
            count = current.candidates or built.template.candidates
            on_stage(f"Writing {count} suggestion{'s' * (count != 1)}…" if number == 1
                     else f"Round {number}: writing again because {reason}…")
        fresh = assistant.generate(current, on_chunk, cancel, built, first_index=len(seen))
        for candidate in fresh:
            candidate.round = number
            evaluator.apply(candidate, request.selection, built.template, built.length,
                            request.style, built.facts, judge=not cancel.is_set())
            if on_candidate:
                on_candidate(candidate)
        seen += fresh
        passed = sum(1 for c in fresh if not c.violations)
        best = max((c.score for c in fresh), default=0.0)
        rounds.append(Round(number, reason, len(fresh), best, passed))
        if on_round:
            on_round(rounds[-1])
        if cancel.is_set() or passed or extra_passed or not fresh or number == max_rounds:
            break
        wanted = Counter(i for c in fresh for i in c.instructions)
        instructions = [i for i, _ in wanted.most_common(3)]
        reason = "; ".join(sorted({v for c in fresh for v in c.violations}))
        seed = (current.seed if current.seed is not None else 0) + 1000 * number
        current = replace(request, extra_instructions=instructions, seed=seed)
        built = assistant.build(current)
    if not cancel.is_set():
        adopt_borrowed(evaluator, request, first_prompt, extra, seen)
    return Outcome(rank(seen + extra), rounds, first_prompt, cancel.is_set())


def adopt_borrowed(evaluator: Evaluator, request: AssistRequest, built: BuiltPrompt,
                   extra: list[Candidate], written: list[Candidate]) -> None:
    """On the checked fixes: the model's word changes they lack that the judge vouches for
    (engine/writing/borrow.py). Those clearly better (``Margins.rewrite``) are made, and
    the card scored again; the others are offered, each for the writer to take with one
    click."""
    checked = next((c for c in extra if c.pinned), None)
    original = request.selection
    others = [c.text for c in written if c.text and c.text != original]
    if checked is None or evaluator.scorer is None or not others:
        return
    edits = [Edit.from_json(e) for e in checked.edits]
    found = borrowed_edits(original, edits, others, evaluator.scorer, limit=None)
    made, left = adopt(edits, found, Margins().rewrite)
    checked.offers = [o.to_json() for o in left]
    if made == edits:
        return
    checked.text = checked.raw = apply_edits(original, made)
    checked.edits = [e.to_json() for e in made]
    checked.note = _checked_note(made)
    evaluator.apply(checked, original, built.template, built.length, request.style,
                    built.facts)
    checked.reasons = [_edit_line(e) for e in checked.edits] + checked.reasons


def baselines(evaluator: Evaluator, request: AssistRequest, built: BuiltPrompt,
              first_index: int, cancel: threading.Event | None = None) -> list[Candidate]:
    """The template's candidates besides the model's answers, scored like the others; one
    with the same text as an earlier one is left out."""
    out: list[Candidate] = []
    issues = None
    for kind in built.template.baselines:
        edits: list[dict[str, Any]] = []
        if kind in ("checked", "autofix") and evaluator.grammar is not None and issues is None:
            issues = evaluator.grammar.check(request.selection).issues
        if kind == "checked" and issues is not None and evaluator.scorer is not None:
            checked = proofread_text(request.selection, issues, evaluator.scorer,
                                     cancel=cancel)
            text, edits = checked.text, [e.to_json() for e in checked.edits]
            note = _checked_note(checked.edits)
        elif kind == "autofix" and issues is not None:
            text, note = apply_fixes(request.selection, issues), "the grammar checkers' fixes"
        elif kind == "original":
            text, note = request.selection, "your text as it is"
        else:
            continue
        if any(c.text == text for c in out):
            continue  # the same words as a card already there
        candidate = Candidate(first_index + len(out), -1, text, text, note=note, round=0,
                              pinned=kind == "checked", edits=edits)
        evaluator.apply(candidate, request.selection, built.template, built.length,
                        request.style, built.facts,
                        judge=cancel is None or not cancel.is_set())
        candidate.reasons = [_edit_line(e) for e in edits] + candidate.reasons
        out.append(candidate)
    return out


def _checked_note(edits: list[Edit]) -> str:
    """The checked fixes' card heading: how many edits, and who chose them."""
    vouched = sum(1 for e in edits if e.gain)
    rewrite = sum(1 for e in edits if e.source == "rewrite")
    note = (f"checked fixes: {len(edits)} edit{'s' if len(edits) != 1 else ''}, "
            f"{vouched} chosen by the model")
    return note + (f" ({rewrite} from its rewrite)" if rewrite else "")


def _edit_line(edit: dict[str, Any]) -> str:
    """One checked edit, for the card's explanation."""
    why = f"the model gains {edit['gain']:.1f}" if edit["gain"] else "the checkers' fix"
    if not edit["old"]:
        return f"“{edit['new'].strip()}” added ({edit['source']}; {why})"
    return f"“{edit['old']}” → “{edit['new'] or '(removed)'}” ({edit['source']}; {why})"
