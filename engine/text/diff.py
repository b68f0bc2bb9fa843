"""Word-level differences between an original and a suggestion."""

from __future__ import annotations

import difflib
import html
import re

_TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces: op is "=", "-" (only in old) or "+" (only in new)."""
    a, b = tokens(old), tokens(new)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(("-", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("+", "".join(b[j1:j2])))
    return out


def diff_html(old: str, new: str, removed: str = "#c0392b", added: str = "#1e8449") -> str:
    """The suggestion as HTML: removed words struck through, added words underlined."""
    parts = []
    for op, text in word_diff(old, new):
        safe = html.escape(text).replace("\n", "<br>")
        if op == "=":
            parts.append(safe)
        elif op == "-":
            if text.strip():
                parts.append(f'<s style="color:{removed}">{safe}</s>')
        else:
            parts.append(f'<u style="color:{added}">{safe}</u>')
    return "".join(parts)
