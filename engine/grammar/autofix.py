"""The grammar checkers' own fixes, applied: a proofreading baseline that needs no model."""

from __future__ import annotations

from collections.abc import Iterable

from engine.grammar.issues import Issue

FIXABLE = frozenset({"spelling", "grammar", "punctuation", "typography", "capitalization",
                     "repetition"})


def choose_fixes(issues: Iterable[Issue]) -> list[Issue]:
    """The issues whose first replacement auto-fix applies, in text order: no style
    advice, no overlaps, no names."""
    chosen: list[Issue] = []
    last_end = -1
    for issue in sorted(issues, key=lambda i: (i.start, i.end)):
        if issue.category not in FIXABLE or not issue.replacements or issue.start < last_end:
            continue
        if looks_like_a_name(issue):
            continue
        chosen.append(issue)
        last_end = issue.end
    return chosen


def apply_fixes(text: str, issues: Iterable[Issue]) -> str:
    """``text`` with each issue's first replacement, skipping style advice and overlaps."""
    for issue in reversed(choose_fixes(issues)):
        text = text[:issue.start] + issue.replacements[0] + text[issue.end:]
    return text


def looks_like_a_name(issue: Issue) -> bool:
    """A capitalised "misspelling" is usually a name the dictionary lacks: leave it, unless
    the fix only changes letter case."""
    word = issue.text.strip()
    return (issue.category == "spelling" and word[:1].isupper()
            and issue.replacements[0].lower() != word.lower())
