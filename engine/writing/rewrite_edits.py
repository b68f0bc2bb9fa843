"""The checked fixes with the model's own rewrites' clear edits made, sentence by sentence.

The command line's ``proofread --rewrite`` and ``bench/quality.py``'s "checked + rewrite"
row: each sentence is rewritten by the model with the Proofread template, and the word
changes of its rewrites that the judge finds clearly better on the checked text are made
(engine/writing/borrow.py). The app does the same for a whole selection with the
rewrites it writes anyway (engine/writing/optimize.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from engine.text.split import sentences
from engine.writing.assistant import Assistant, AssistRequest
from engine.writing.borrow import Offer, adopt, borrowed_edits
from engine.writing.proofread import Edit, Margins, Proofread, apply_edits
from engine.writing.sources import JudgesText

REWRITES = 2  # the Proofread template's own number of candidates
Writer = Callable[[str, int], list[str]]  # (sentence, its number) -> the model's rewrites


def model_writer(assistant: Assistant, candidates: int = REWRITES, seed: int = 1) -> Writer:
    """The model's rewrites of a sentence with the Proofread template; sentence ``n`` gets
    seed ``seed + n``, so the same text gets the same rewrites."""
    def write(sentence: str, n: int) -> list[str]:
        request = AssistRequest(template="proofread", selection=sentence, seed=seed + n,
                                candidates=candidates)
        return [c.text for c in assistant.generate(request) if c.text]
    return write


def with_rewrites(checked: Proofread, write: Writer, scorer: JudgesText,
                  margins: Margins | None = None, cancel: threading.Event | None = None,
                  skip: Sequence[tuple[int, int]] = (), first: int = 0
                  ) -> tuple[Proofread, list[Offer]]:
    """``checked`` (the checked fixes of ``checked.source``) with the clear edits of the
    model's rewrites of each sentence made, and the edits it offers besides. Sentences
    that touch a ``skip`` span (a Markdown text's code) are not rewritten, nor any after
    ``cancel`` is set. ``first`` numbers the first sentence (for its seed)."""
    margins = margins or Margins()
    text = checked.source
    edits: list[Edit] = []
    offers: list[Offer] = []
    placed: set[int] = set()
    for n, (start, end) in enumerate(sentences(text)):
        inside = [e for e in checked.edits if start <= e.start and e.end <= end]
        placed.update(id(e) for e in inside)
        if (cancel is not None and cancel.is_set()) or \
                any(lo < end and start < hi for lo, hi in skip):
            edits += inside
            continue
        sentence = text[start:end]
        moved = [replace(e, start=e.start - start, end=e.end - start) for e in inside]
        found = [o for o in borrowed_edits(sentence, moved, write(sentence, first + n),
                                           scorer, limit=None)
                 if not any(e.start <= o.end + start and o.start + start <= e.end
                            for e in checked.edits if e.start < start or end < e.end)]
        made, left = adopt(moved, found, margins.rewrite)
        edits += [replace(e, start=e.start + start, end=e.end + start) for e in made]
        offers += [replace(o, start=o.start + start, end=o.end + start) for o in left]
    edits += [e for e in checked.edits if id(e) not in placed]  # across sentences
    edits.sort(key=lambda e: e.start)
    result = Proofread(text, apply_edits(text, edits), edits, checked.rounds,
                       checked.variants, checked.per_word)
    return result, offers

