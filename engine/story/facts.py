"""Short facts about an entry drawn from the text, each kept with its source: "lives at
Longbourn" (chapter 1, line 3), "of Netherfield", "married Charlotte Lucas". Only a few
plain patterns, so that what is drawn is what the text says; the writer asks for them
entry by entry and can edit them after."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from engine.story.bible import Entity

LIVES = {"lived": "lives", "lives": "lives", "living": "lives", "live": "lives",
         "resides": "lives", "resided": "lives", "residing": "lives",
         "stayed": "stays", "staying": "stays", "stays": "stays", "settled": "settled"}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


@dataclass(frozen=True)
class TextFact:
    text: str  # "lives at Longbourn"
    path: str
    line: int

    def described(self) -> str:
        return f"{self.text} ({self.path}, line {self.line})"


def facts_about(entity: Entity, texts: dict[str, str], others: list[Entity],
                limit: int = 5) -> list[TextFact]:
    """Up to ``limit`` different facts, in the order the text gives them (about people
    and organisations: a place's facts are its people's)."""
    if entity.kind == "place":
        return []
    names = sorted(entity.names, key=len, reverse=True)
    me = "|".join(re.escape(n) for n in names)
    places = [n for e in others if e.kind == "place" and e is not entity for n in e.names]
    people = [e.name for e in others if e.kind == "person" and e is not entity]
    place = "|".join(re.escape(n) for n in sorted(places, key=len, reverse=True)) or "(?!)"
    person = "|".join(re.escape(n) for n in sorted(people, key=len, reverse=True)) or "(?!)"
    patterns: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
        (re.compile(rf"\b(?:{me})\b(?:['’]s)?[^.!?]{{0,40}}?\b({'|'.join(LIVES)})\s+(at|in|near)"
                    rf"\s+({place})\b"), lambda m: f"{LIVES[m.group(1)]} {m.group(2)} "
                                                    f"{m.group(3)}"),
        (re.compile(rf"\b(?:{me}),?\s+of\s+({place})\b"), lambda m: f"of {m.group(1)}"),
        (re.compile(rf"\b({place}),?\s+(?:the\s+)?(seat|home|house|residence|estate|parish)"
                    rf"\s+of\s+(?:{me})\b"), lambda m: f"{m.group(2)} at {m.group(1)}"),
        (re.compile(rf"\b(?:{me})['’]s\s+(seat|home|house|residence|estate|parish|living)"
                    rf"\s+(?:at|in|of|near)\s+({place})\b"),
         lambda m: f"{m.group(1)} at {m.group(2)}"),
        (re.compile(rf"\b(?:{me})\b[^.!?]{{0,30}}?\b(?:married|marries|marry)\s+({person})\b"),
         lambda m: f"married {m.group(1)}"),
    ]
    found: list[TextFact] = []
    seen: set[str] = set()
    wanted = {m.path for m in entity.mentions}
    for path, text in texts.items():
        if path not in wanted:
            continue
        for number, line in enumerate(text.split("\n"), 1):
            for sentence in _SENTENCE.findall(line):
                for pattern, describe in patterns:
                    for match in pattern.finditer(sentence):
                        fact = describe(match)
                        if fact not in seen:
                            seen.add(fact)
                            found.append(TextFact(fact, path, number))
                            if len(found) >= limit:
                                return found
    return found
