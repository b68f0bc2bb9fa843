"""What one document says about names: each capitalised word's use (mid-sentence, at a
sentence's start, in lower case elsewhere), and each run of capitalised words with the
words around it. Kept per document (by its text's hash), so a project's proposals are
brought up to date by reading again only the document that changed.

A word is only a name when the writing treats it as one: capitalised in the middle of
sentences, and (almost) never written in lower case. That needs no dictionary, so a
novel's invented names are found as well as real ones. Chinese has no capitals: there a
name is two to four Han characters after a word that places or introduces it (在, 到, 去,
从, 住在 …) or before 说 ("said"), seen again and again.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

HONORIFICS = {
    "mr": "male", "mr.": "male", "sir": "male", "colonel": "male", "captain": "male",
    "lord": "male", "dr": "male", "dr.": "male", "general": "male", "major": "male",
    "uncle": "male", "father": "male", "professor": "none", "doctor": "none",
    "mrs": "female", "mrs.": "female", "miss": "female", "ms": "female", "ms.": "female",
    "lady": "female", "madame": "female", "aunt": "female", "mother": "female",
    "dame": "female",
}
CONNECTORS = {"de", "van", "von", "du", "della", "le", "la", "da", "di", "ten", "ter"}
# capitalised in English but never a person or place of a story
NOT_NAMES = {w.lower() for w in (
    "I Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March "
    "April May June July August September October November December Christmas Easter "
    "Michaelmas Midsummer Lent Whitsuntide God Heaven Heavens Providence Lord Christian "
    "English French Scotch Scottish Irish Welsh British German Italian Spanish Dutch "
    "American Indian Latin Greek Roman Chinese Japanese Russian European Mr Mrs Miss Ms "
    "Sir Madam Madame Ladyship Lordship Majesty Highness Grace Honour Excellency OK TV "
    "Chapter Part Book Volume Act Scene Prologue Epilogue Mama Papa Mamma Pappa St St. "
    "Oh Ah Alas Hush Pshaw Nay Aye Ay Lo Hark Bravo Amen Dear Yes No").split()}
SAID = {"said", "cried", "replied", "asked", "answered", "returned", "added", "continued",
        "exclaimed", "whispered", "thought", "observed", "rejoined", "resumed", "says"}
PLACE_BEFORE = {"at", "in", "to", "from", "near", "into", "towards", "toward", "through",
                "of", "around", "outside", "inside", "leave", "leaving", "left", "reached",
                "visit", "visiting", "visited"}
PLACE_SUFFIXES = ("street", "park", "lodge", "hall", "house", "abbey", "castle", "court",
                  "place", "square", "lane", "road", "bridge", "church", "inn", "manor",
                  "shire", "town", "city", "river", "lake", "lakes", "forest", "wood",
                  "island", "mountain", "valley", "county", "village", "harbour")

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*\.?|[\u3400-\u9fff]+|[.!?;:]|\S")
CJK_PLACE_CUES = ("住在", "在", "到", "去", "从", "往", "离开", "来自", "回到", "于")
CJK_SAID = ("说", "问道", "答道", "笑道", "回答")
_CJK_PLACE = re.compile(rf"(?:{'|'.join(CJK_PLACE_CUES)})([\u4e00-\u9fff]{{2}})")
_CJK_PERSON = re.compile(rf"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{{2,3}})(?={'|'.join(CJK_SAID)})")


@dataclass(frozen=True)
class Run:
    """Capitalised words in a row: "Mr. Darcy", "Lady Catherine de Bourgh"."""

    words: tuple[str, ...]  # as written ("Mr.", "Darcy"); a possessive 's taken off
    line: int  # 1-based
    column: int  # 1-based, code points
    start: bool  # at a sentence's start (its capital says nothing)
    before: str  # the word before, lower case ("" at a line's start)
    after: str  # the word after, lower case
    pronoun: str = ""  # "male" or "female": the first he/she/his/her soon after it

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class DocNames:
    digest: str
    mid: Counter[str] = field(default_factory=Counter)  # capitalised, mid-sentence
    first: Counter[str] = field(default_factory=Counter)  # capitalised, at a start
    lower: Counter[str] = field(default_factory=Counter)  # written in lower case
    runs: list[Run] = field(default_factory=list)
    words: int = 0
    han: list[tuple[int, str]] = field(default_factory=list)  # lines with Chinese in them


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_names(text: str) -> DocNames:
    out = DocNames(digest(text))
    for number, line in enumerate(text.split("\n"), 1):
        _read_line(line, number, out)
    return out


def _bare(token: str) -> str:
    """A token without a possessive or a full stop (honorifics keep theirs)."""
    if token.endswith(".") and token.lower() not in HONORIFICS and token.lower() != "st.":
        token = token[:-1]
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return token.rstrip("'’-")


def _read_line(line: str, number: int, out: DocNames) -> None:
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(line)]
    start = True  # a line starts a sentence
    current: list[tuple[str, int]] = []
    current_start = False
    previous = ""
    for index, (token, at) in enumerate(tokens):
        if token in ".!?" or (token == ":" and not current):
            start = True
            _close(current, current_start, previous, "", number, out, line)
            current = []
            continue
        if not token[0].isalpha():  # a comma, a quote, a dash: no name runs across it
            _close(current, current_start, previous, "", number, out, line)
            current = []
            continue
        if "\u3400" <= token[0] <= "\u9fff":
            _close(current, current_start, previous, "", number, out, line)
            current, start = [], False
            continue
        word = _bare(token)
        if len(word) > 1 and word.isupper():
            word = word.capitalize()  # "GARDINER" signing a letter
        key = word.lower()
        out.words += 1
        is_cap = word[:1].isupper()
        if is_cap:
            (out.first if start else out.mid)[key] += 1
        else:
            out.lower[key] += 1
        joins = is_cap or (key in CONNECTORS and current and index + 1 < len(tokens)
                           and tokens[index + 1][0][:1].isupper())
        if joins:
            if not current:
                current_start = start
            current.append((word, at))
            ends = token.endswith(".") and key not in HONORIFICS and key != "st."
            if ends or token.rstrip(".").endswith(("'s", "’s")):  # "Darcy's horse"
                _close(current, current_start, previous, "", number, out, line)
                current, previous = [], key
        else:
            _close(current, current_start, previous, key, number, out, line)
            current = []
            previous = key
        start = token.endswith(".") and key not in HONORIFICS
    _close(current, current_start, previous, "", number, out, line)
    if _HAN.search(line):
        out.han.append((number, line))
    for match in _CJK_PLACE.finditer(line):
        out.runs.append(Run((match.group(1),), number, match.start(1) + 1, False, "在", ""))
    for match in _CJK_PERSON.finditer(line):
        out.runs.append(Run((match.group(1),), number, match.start(1) + 1, False, "", "said"))


_HAN = re.compile(r"[\u4e00-\u9fff]")
PRONOUNS = {"he": "male", "his": "male", "him": "male", "himself": "male",
            "she": "female", "her": "female", "hers": "female", "herself": "female"}
_PRONOUN = re.compile(r"\b(he|his|him|himself|she|her|hers|herself)\b", re.IGNORECASE)


def _close(current: list[tuple[str, int]], start: bool, before: str, after: str,
           number: int, out: DocNames, line: str = "") -> None:
    while current and current[-1][0].lower() in CONNECTORS:
        current.pop()
    if current:
        words = tuple(w for w, _ in current)
        end = current[-1][1] + len(current[-1][0])
        near = _PRONOUN.search(line, end, end + 60) if line else None
        sex = PRONOUNS[near.group(1).lower()] if near else ""
        out.runs.append(Run(words, number, current[0][1] + 1, start, before, after, sex))
