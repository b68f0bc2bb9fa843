"""The grammar checkers' own fixes, applied: a proofreading baseline that needs no model."""

from __future__ import annotations

from collections.abc import Iterable

from engine.grammar.checker import Issue

FIXABLE = frozenset({"spelling", "grammar", "punctuation", "typography", "capitalization",
                     "repetition"})


def apply_fixes(text: str, issues: Iterable[Issue]) -> str:
    """``text`` with each issue's first replacement, skipping style advice and overlaps."""
    chosen: list[Issue] = []
    last_end = -1
    for issue in sorted(issues, key=lambda i: (i.start, i.end)):
        if issue.category not in FIXABLE or not issue.replacements or issue.start < last_end:
            continue
        if _looks_like_a_name(issue):
            continue
        chosen.append(issue)
        last_end = issue.end
    for issue in reversed(chosen):
        text = text[:issue.start] + issue.replacements[0] + text[issue.end:]
    return text


def _looks_like_a_name(issue: Issue) -> bool:
    """A capitalised "misspelling" is usually a name the dictionary lacks: leave it, unless
    the fix only changes letter case."""
    word = issue.text.strip()
    return (issue.category == "spelling" and word[:1].isupper()
            and issue.replacements[0].lower() != word.lower())
