"""Markdown that is not prose, blanked out for a grammar checker that reads plain text.

Code blocks, inline code, URLs, link targets, images' addresses, footnote marks and HTML
tags become
spaces of the same length, so every offset LanguageTool reports still points at the
writer's text. (Harper reads Markdown itself.)
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^[ ]{0,3}(```|~~~)", re.M)  # a fence line
_INLINE = [
    re.compile(r"`+[^`\n]*`+"),  # inline code
    re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),  # a link's or image's target
    re.compile(r"<[^>\n]{1,200}>"),  # HTML tags and <autolinks>
    re.compile(r"\bhttps?://[^\s)>\]]+|\bwww\.[^\s)>\]]+"),  # bare URLs
    re.compile(r"\[\^[^\]\s]+\]:?"),  # footnote marks ("[^1]", "[^1]:")
]


def fenced_spans(text: str) -> list[tuple[int, int]]:
    """Where the fenced code blocks of a Markdown text are (code points, fence lines
    included); one left open runs to the end of the text, as CommonMark reads it."""
    spans: list[tuple[int, int]] = []
    opened: tuple[int, str] | None = None
    for found in _FENCE.finditer(text):
        if opened is None:
            opened = (found.start(), found.group(1))
        elif found.group(1) == opened[1]:
            end = text.find("\n", found.end())
            spans.append((opened[0], len(text) if end < 0 else end))
            opened = None
    if opened is not None:
        spans.append((opened[0], len(text)))
    return spans


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask(paragraph: str) -> str:
    """``paragraph`` with its non-prose parts turned into spaces (same length)."""
    if _FENCE.match(paragraph.lstrip()) or all(
            line.startswith(("    ", "\t")) for line in paragraph.split("\n") if line.strip()):
        return re.sub(r"[^\n]", " ", paragraph)  # a code block
    for pattern in _INLINE:
        paragraph = pattern.sub(_blank, paragraph)
    return paragraph
