"""One way to cut a text into paragraphs (blank lines between them) and sentences, for the
checkers, proofreading and the cleaning of a model's answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

# one blank line or more; a "\r" before the first "\n" belongs to the break too (see
# _split: a pattern that starts with "\r?" is scanned ten times slower than one starting
# with a plain character, which the regex engine looks for with a fast search)
PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\r?\n)+")
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’)\]]))(?<!\bDr\.)(?<!\bMr\.)(?<!\bMrs\.)(?<!\bMs\.)"
    r"(?<!\bSt\.)(?<!\bNo\.)(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Paragraph:
    start: int
    text: str


def split_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs that hold more than spaces, with their start positions."""
    return [Paragraph(start, text[start:end]) for start, end in _split(text, PARAGRAPH_BREAK,
                                                                       (0, len(text)))
            if text[start:end].strip()]


def paragraph_texts(text: str) -> list[str]:
    """The paragraphs' texts, stripped, blank ones left out."""
    return [p.text.strip() for p in split_paragraphs(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` (paragraph breaks end one too), spaces left out."""
    spans: list[tuple[int, int]] = []
    for block in _split(text, PARAGRAPH_BREAK, (0, len(text))):
        spans += _split(text, _SENTENCE_END, block)
    out = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            out.append((start + lead, start + trail))
    return out


def _split(text: str, pattern: re.Pattern[str], span: tuple[int, int]) -> list[tuple[int, int]]:
    out, pos = [], span[0]
    for found in pattern.finditer(text, span[0], span[1]):
        end = found.start()
        if pattern is PARAGRAPH_BREAK and end > pos and text[end - 1] == "\r":
            end -= 1
        out.append((pos, end))
        pos = found.end()
    out.append((pos, span[1]))
    return out
