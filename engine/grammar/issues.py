"""What the checkers report: one issue (a span, a message, replacements), one check's
result, and the merge of the two engines' reports of the same problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from engine.text.offsets import utf16_len


class Issue(NamedTuple):
    start: int  # code points in the whole text
    end: int
    start16: int  # the same span in UTF-16 units (Qt positions)
    end16: int
    message: str
    category: str
    rule: str
    engine: str
    replacements: tuple[str, ...]
    text: str  # the flagged text
    key: str  # identifies this issue in this paragraph, for ignore-once

    def to_json(self) -> dict[str, Any]:
        data = self._asdict()
        data["replacements"] = list(self.replacements)
        return data


Span = tuple[int, int, str]  # start and length in UTF-16 units within a line, category


@dataclass
class CheckResult:
    revision: int
    issues: list[Issue]
    engines: dict[str, str]
    sent: dict[str, int] = field(default_factory=dict)  # paragraphs sent per engine
    languages: dict[str, int] = field(default_factory=dict)  # paragraphs per language
    complete: bool = True  # False: Harper's answer, LanguageTool's still to come
    # the issues as underlines, by line text (``line_spans``): worked out by the checker's
    # thread, so the window only compares them with what it shows
    lines: dict[str, list[Span]] | None = None


def line_spans(text: str, issues: list[Issue]) -> dict[str, list[Span]]:
    """The underlines of each line of ``text`` that has issues, keyed by the line's text:
    where each issue starts within its line and how long it is, in UTF-16 units (an
    editor's positions), and its category. Lines are what an editor calls blocks."""
    lines = text.split("\n")
    spans: dict[str, list[Span]] = {}
    owner: dict[str, int] = {}  # the line a text's spans come from: the last one counts
    index, start, end = 0, 0, utf16_len(lines[0])  # the line's span; its "\n" is at end
    for issue in sorted(issues, key=lambda i: i.start16):
        while issue.start16 > end and index + 1 < len(lines):
            index += 1
            start = end + 1
            end = start + utf16_len(lines[index])
        line = lines[index]
        if owner.get(line) != index:
            owner[line] = index
            spans[line] = []
        spans[line].append((issue.start16 - start, max(1, issue.end16 - issue.start16),
                            issue.category))
    return spans


def merge_issues(issues: list[Issue]) -> list[Issue]:
    """Merge the two engines' reports of the same problem; keeps the order by position."""
    issues = sorted(issues, key=lambda i: (i.start, i.end, i.engine))
    merged: list[Issue] = []
    for issue in issues:
        index = next((i for i in range(len(merged) - 1, max(-1, len(merged) - 5), -1)
                      if _same_problem(merged[i], issue)), -1)
        if index < 0:
            merged.append(issue)
            continue
        twin = merged[index]
        lt, other = (twin, issue) if twin.engine != "harper" else (issue, twin)
        replacements = tuple(dict.fromkeys(lt.replacements + other.replacements))[:5]
        merged[index] = Issue(
            start=min(twin.start, issue.start), end=max(twin.end, issue.end),
            start16=min(twin.start16, issue.start16), end16=max(twin.end16, issue.end16),
            message=lt.message, category=lt.category, rule=lt.rule,
            engine="harper+languagetool", replacements=replacements,
            text=lt.text if lt.end - lt.start >= other.end - other.start else other.text,
            key=lt.key)
    return merged


_FAMILY = {"typography": "punctuation", "capitalization": "spelling"}


def _same_problem(a: Issue, b: Issue) -> bool:
    if a.engine == b.engine or "+" in a.engine:
        return False
    if (a.start, a.end) == (b.start, b.end):
        return True
    overlap = min(a.end, b.end) - max(a.start, b.start)
    return overlap > 0 and _FAMILY.get(a.category, a.category) == _FAMILY.get(
        b.category, b.category)
