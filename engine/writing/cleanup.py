"""Clean a model's answer down to the text the writer asked for.

Small models wrap answers in preambles ("Sure! Here is the rewritten paragraph:"),
quotes, code fences, echoed delimiters and closing chatter ("I hope this helps!").
Paragraph breaks are kept.
"""

from __future__ import annotations

import re

from engine.text.split import paragraph_texts

_FENCE = re.compile(r"```[\w-]*[ \t]*\n(.*?)\n?```", re.S)
_TAGS = re.compile(r"</?(?:text|context|sample)>", re.I)
_OPENERS = r"(?:sure|certainly|of course|absolutely|okay|ok|great|alright|gladly)"
_LEAD_WORDS = (r"(?:version|text|paragraph|rewrite|summary|translation|revision|answer|"
               r"result|output|draft|headlines?|points?|list)")
_PREAMBLE_LINE = re.compile(  # a whole line that only introduces the answer
    rf"^\s*(?:(?:{_OPENERS}\b[^\n]*|here(?:'s| is| are)\b[^\n]*|below is\b[^\n]*|"
    rf"this is\b[^\n]*|(?:the |a |your |my )?(?:[\w-]+ ){{0,3}}{_LEAD_WORDS}[^\n]*):"
    rf"|{_OPENERS}[!.,]?\s*(?:[\w']+\s+){{0,6}}?(?:help|happy|glad|here you go|do that|"
    r"do it)\b[^\n:]{0,40}[.!])\s*$",
    re.I)
_PREAMBLE_PREFIX = re.compile(  # the same, in front of the answer on one line
    rf"^\s*(?:{_OPENERS}[!.,]\s+)?(?:(?:here(?:'s| is| are)|below is)[^:\n]{{0,80}}:|"
    rf"(?:the |a |your )?(?:[\w-]+ ){{0,3}}{_LEAD_WORDS}\s*:|{_OPENERS}[!.,])\s*", re.I)
_OPENER_ONLY = re.compile(rf"^\s*{_OPENERS}[!.,]?\s*$", re.I)
_CHATTER = re.compile(
    r"^\s*\(?(?:i hope|hope this|let me know|feel free|note:|please note|if you(?:'d| would)? "
    r"(?:like|want|need)|this (?:version|rewrite|revision|text) |i (?:have|'ve) (?:made|kept|"
    r"changed|rewritten|corrected)|i made|in this (?:version|rewrite)|changes made|"
    r"explanation:)", re.I)
_QUOTES = {'"': '"', "“": "”", "'": "'", "«": "»", "「": "」", "‘": "’"}


def _strip_quotes(text: str) -> str:
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] == _QUOTES[text[0]]:
        inner = text[1:-1]
        if text[0] not in inner and _QUOTES[text[0]] not in inner:
            return inner.strip()
    return text


def clean_output(raw: str) -> str:
    """The answer without preamble, wrapping, delimiters or trailing chatter."""
    text = raw.replace("\r\n", "\n").strip()
    fenced = _FENCE.search(text)  # a fenced block is the answer; the rest is wrapping
    if fenced and fenced.group(1).strip():
        text = fenced.group(1).strip()
    echo = re.search(r"<text>", text, re.I)
    if echo and text[:echo.start()].strip() and not _PREAMBLE_LINE.match(
            text[:echo.start()].strip().split("\n")[-1]):
        text = text[:echo.start()]  # what follows is the model echoing the input
    text = _TAGS.sub("", text).strip()
    lines = text.split("\n")
    while lines and (_PREAMBLE_LINE.match(lines[0]) or _OPENER_ONLY.match(lines[0])
                     or not lines[0].strip()):
        lines.pop(0)
    paragraphs = paragraph_texts("\n".join(lines).strip())
    while len(paragraphs) > 1 and _CHATTER.match(paragraphs[-1]):
        paragraphs.pop()
    if paragraphs:
        kept = [line for line in paragraphs[-1].split("\n")]
        while len(kept) > 1 and _CHATTER.match(kept[-1]):
            kept.pop()
        paragraphs[-1] = "\n".join(kept)
    text = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    text = _PREAMBLE_PREFIX.sub("", text, count=1) if _PREAMBLE_PREFIX.match(text) else text
    text = _strip_quotes(text.strip())
    if _CHATTER.match(text):
        return ""
    return re.sub(r"\n{3,}", "\n\n", text).strip()
