"""Names of ontology entities: readable local names and text normalization for matching."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse

_NOT_NAME = re.compile(r"[^0-9A-Za-z_]+")
_SEPARATORS = re.compile(r"[_\s]+")
_DASHES = "-‐‑‒–—―"


def local_name(iri: str) -> str:
    """The part of an IRI after the last '#' or '/'."""
    for sep in ("#", "/", ":"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def readable(iri_or_name: str) -> str:
    """``BondiBeach`` -> "Bondi Beach", ``Tea_Garden`` -> "Tea Garden", %-escapes decoded."""
    name = urllib.parse.unquote(local_name(iri_or_name))
    name = _split_camel(_SEPARATORS.sub(" ", name))
    words = name.split()
    if words and words[0][:1].islower():  # camelCase property: "has topping"
        words = [words[0]] + [w.lower() if not w.isupper() else w for w in words[1:]]
    return " ".join(words)


def _split_camel(name: str) -> str:
    """Spaces at lower->Upper and at ACRONYMWord boundaries, for any script's letters."""
    out: list[str] = []
    for i, ch in enumerate(name):
        if i and ch.isupper():
            before = name[i - 1]
            after = name[i + 1] if i + 1 < len(name) else ""
            if before.islower() or before.isdigit() or (before.isupper() and after.islower()):
                out.append(" ")
        out.append(ch)
    return "".join(out)


def fold_char(ch: str) -> str:
    """One character folded for matching: NFKC, no accents, case folded, dashes as spaces."""
    if ch in _DASHES or ch in "_":
        return " "
    out = []
    for part in unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", ch)):
        if not unicodedata.combining(part):
            out.append(part)
    return "".join(out).casefold()


def fold(text: str) -> str:
    """A string folded for matching, with runs of whitespace collapsed."""
    return " ".join("".join(fold_char(c) for c in text).split())


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index it came from.

    Whitespace runs collapse to one space so names match across line breaks.
    """
    chars: list[str] = []
    where: list[int] = []
    last_space = True
    for index, ch in enumerate(text):
        folded = fold_char(ch)
        for out in folded:
            if out.isspace():
                if last_space:
                    continue
                out = " "
                last_space = True
            else:
                last_space = False
            chars.append(out)
            where.append(index)
    return "".join(chars), where


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF
            or 0xF900 <= code <= 0xFAFF or 0xAC00 <= code <= 0xD7AF
            or 0x20000 <= code <= 0x2FA1F)


def plural_forms(name: str) -> list[str]:
    """Simple English plurals of a folded name (its last word changes)."""
    if not name or is_cjk(name[-1]) or not name[-1].isalpha():
        return []
    if name.endswith(("s", "x", "z", "ch", "sh")):
        return [name + "es"]
    if name.endswith("y") and len(name) > 1 and name[-2] not in "aeiou":
        return [name[:-1] + "ies", name + "s"]
    return [name + "s"]


def iri_name(label: str) -> str:
    """``West Lake`` -> ``WestLake``; non-Latin labels fall back to an escaped form."""
    parts = [p for p in _NOT_NAME.split(label) if p]
    if parts:
        return "".join(p[:1].upper() + p[1:] for p in parts)
    return "".join(f"u{ord(c):04X}" for c in label.strip()) or "Unnamed"


def camel(text: str) -> str:
    """``located in`` -> ``locatedIn``: a new property's local name."""
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", text) if p]
    if not parts:
        return iri_name(text)
    return parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:]
                                                         for p in parts[1:])
