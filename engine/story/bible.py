"""Proposals for a project's story bible: the people and places it names again and again,
each with its other names (aliases), how often and where it appears, and a guess at its
kind (person, place, organisation, thing).

Names come from ``engine.story.names`` (a word is a name when the writing capitalises it
mid-sentence and almost never writes it in lower case). They are grouped the way a
reader would: "Miss Elizabeth Bennet" is "Elizabeth Bennet" with a title; "Elizabeth" is
her first name when one full name starts with it; "Lizzy" and "Eliza" are her nicknames
(the curated ``nicknames`` data); "Darcy" alone is "Mr. Darcy" (a man called by his
surname); "Netherfield Park" is "Netherfield". A title's sex keeps "Mr. Bennet" and
"Mrs. Bennet" apart. :class:`StoryBible` keeps each document's reading by its hash, so
an update after one chapter is saved reads only that chapter.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from engine.story.aliases import (
    GIVEN_TITLES,
    group,
    is_cjk,
    is_given_name,
    split_title,
)
from engine.story.names import (
    CJK_PLACE_CUES,
    CJK_SAID,
    CONNECTORS,
    HONORIFICS,
    NOT_NAMES,
    PLACE_BEFORE,
    PLACE_SUFFIXES,
    SAID,
    DocNames,
    Run,
    digest,
    read_names,
)

KINDS = ("person", "place", "organisation", "thing")
ORGANISATIONS = ("company", "society", "regiment", "militia", "bank", "club", "army",
                 "navy", "college", "school", "university", "council", "parliament")
STRONG_PLACE = {"at", "in", "from", "near", "into", "towards", "toward", "through",
                "leave", "leaving", "left", "reached", "visit", "visiting", "visited", "在"}


@dataclass(frozen=True)
class Mention:
    path: str
    line: int
    column: int
    text: str

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "column": self.column, "text": self.text}


@dataclass
class Entity:
    name: str
    kind: str
    aliases: list[str]
    mentions: list[Mention] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "kind": self.kind, "aliases": self.aliases,
                "mentions": len(self.mentions),
                "first": {"path": self.first.path, "line": self.first.line}}


class StoryBible:
    """The names of every document of a project, and the proposals made from them."""

    def __init__(self) -> None:
        self.docs: dict[str, DocNames] = {}
        self.order: list[str] = []
        # every document's counts added up, kept as documents come and go
        self.mid: Counter[str] = Counter()
        self.first: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()

    def update(self, path: str, text: str) -> bool:
        """Read a document again when its text changed; False when it had not."""
        known = self.docs.get(path)
        if known is not None and known.digest == digest(text):
            return False
        if known is not None:
            self._count(known, -1)
        self.docs[path] = read_names(text)
        self._count(self.docs[path], 1)
        if path not in self.order:
            self.order.append(path)
        return True

    def remove(self, path: str) -> None:
        known = self.docs.pop(path, None)
        if known is not None:
            self._count(known, -1)
        if path in self.order:
            self.order.remove(path)

    def _count(self, doc: DocNames, sign: int) -> None:
        for total, part in ((self.mid, doc.mid), (self.first, doc.first),
                            (self.lower, doc.lower)):
            if sign > 0:
                total.update(part)
            else:
                total.subtract(part)
                for key in [k for k in part if total[k] <= 0]:
                    del total[key]

    @property
    def words(self) -> int:
        return sum(d.words for d in self.docs.values())

    # -- proposals -------------------------------------------------------------------------

    def _every_han_use(self, forms: dict[str, list[tuple[str, Run]]]) -> None:
        """A Chinese name found after a cue ("去杭州") is then found wherever it is used."""
        han = [f for f in forms if is_cjk(f)]
        for name in han:
            uses = []
            for path in self.order:
                for number, line in self.docs[path].han:
                    at = line.find(name)
                    while at >= 0:
                        before = next((c for c in CJK_PLACE_CUES if line.endswith(c, 0, at)), "")
                        after = "said" if line.startswith(CJK_SAID, at + len(name)) else ""
                        uses.append((path, Run((name,), number, at + 1, False,
                                               "在" if before else "", after)))
                        at = line.find(name, at + len(name))
            forms[name] = uses

    def name_words(self) -> set[str]:
        first, lower = self.first, self.lower
        return {w for w, n in self.mid.items()
                if w not in NOT_NAMES and w not in HONORIFICS and len(w.rstrip(".")) > 1
                and lower[w] <= 0.1 * (n + first[w])}

    def proposals(self, min_mentions: int = 3, dismissed: set[str] | frozenset[str] =
                  frozenset()) -> list[Entity]:
        names = self.name_words()
        forms: dict[str, list[tuple[str, Run]]] = defaultdict(list)
        for path in self.order:
            for run in self.docs[path].runs:
                form = _trim(run, names)
                if form:
                    forms[form].append((path, run))
        _split_chance_runs(forms)
        self._every_han_use(forms)
        groups = group(forms)
        place = {path: n for n, path in enumerate(self.order)}
        out = []
        for members in groups:
            mentions = sorted(
                (Mention(path, run.line, run.column, form) for form in members
                 for path, run in forms[form]),
                key=lambda m: (place[m.path], m.line, m.column))
            if len(mentions) < min_mentions:
                continue
            name = _display(members, forms)
            aliases = sorted((f for f in members if f != name),
                             key=lambda f: (-len(forms[f]), f))
            if name in dismissed or any(a in dismissed for a in aliases):
                continue
            runs = [run for form in members for _path, run in forms[form]]
            out.append(Entity(name, _kind(members, runs), aliases, mentions))
        out.sort(key=lambda e: (-len(e.mentions), e.name))
        return out


def _split_chance_runs(forms: dict[str, list[tuple[str, Run]]]) -> None:
    """Two names side by side once ("from London Lydia came"): each word is a name used
    often on its own, the pair is not; its mentions go to each."""
    families: Counter[str] = Counter()  # "Bennet" in "Mr. Bennet" and "Jane Bennet"
    for f in forms:
        title, rest = f.partition(" ")[0].lower(), split_title(f)[1].split()
        if len(rest) >= 2 or (title in HONORIFICS and title not in GIVEN_TITLES):
            families[rest[-1]] += 1
    for form in [f for f in forms if " " in f and len(forms[f]) < 2]:
        words = form.split()
        if split_title(form)[0] or any(w.lower() in CONNECTORS for w in words) or \
                families[words[-1]] > 1:  # "Lydia Bennet": a name and a family
            continue
        if all(len(forms.get(w, ())) >= 3 for w in words):
            for path, run in forms.pop(form):
                for n, word in enumerate(words):
                    forms[word].append((path, Run((word,), run.line, run.column + sum(
                        len(w) + 1 for w in words[:n]), run.start and n == 0, run.before,
                        run.after, run.pronoun)))


def _trim(run: Run, names: set[str]) -> str:
    """The run's name as written, without what is not part of a name ("" if nothing)."""
    words = list(run.words)
    if len(words) == 1 and is_cjk(words[0]):
        return words[0]
    title = words[0] if words[0].lower() in HONORIFICS else ""
    rest = words[1:] if title else words
    if title and rest and rest[0].lower() in CONNECTORS and len(rest) > 1:
        rest = rest[1:]  # "Miss de Bourgh": the particle goes back below
        rest[0] = f"{words[1]} {rest[0]}"
    while rest and rest[0].split()[-1].lower() not in names and not (
            title and _titled_name(rest[0])):
        rest = rest[1:]  # (after a title, a capitalised word is a name: "Mrs. Long")
        title = ""  # "Then Lady Catherine": the title is not where the name starts
    kept: list[str] = []
    for word in rest:
        key = word.split()[-1].lower()
        if key in names or (title and not kept and _titled_name(word)) or \
                (kept and key in CONNECTORS) or (kept and key.endswith(PLACE_SUFFIXES)):
            kept.append(word)
        else:
            break
    while kept and kept[-1].lower() in CONNECTORS:
        kept.pop()
    if not kept:
        return ""
    return " ".join([title, *kept] if title else kept)


def _titled_name(word: str) -> bool:
    """A capitalised word after a title, taken as a name ("Mrs. Long"), unless it is a
    letter ("Colonel F.") or no name at all ("Sir, I")."""
    key = word.split()[-1].lower()
    return key not in NOT_NAMES and len(key.rstrip(".")) > 1


def _display(members: list[str], forms: dict[str, list[tuple[str, Run]]]) -> str:
    """The entry's name: its fullest untitled name, else its most used form."""
    full = [f for f in members if not split_title(f)[0] and len(f.split()) >= 2
            and not f.split()[-1].lower().endswith(PLACE_SUFFIXES)]
    if full:
        return max(full, key=lambda f: (len(forms[f]), len(f)))
    return max(members, key=lambda f: (len(forms[f]), -len(f)))


def _kind(members: list[str], runs: list[Run]) -> str:
    person = place = organisation = 0.0
    for form in members:
        words = form.split()
        if split_title(form)[0]:
            person += 3 * len([r for r in runs if " ".join(r.words).endswith(form)]) or 3
        if words[-1].lower().endswith(ORGANISATIONS):
            organisation += 5
        elif words[-1].lower().endswith(PLACE_SUFFIXES) and len(words) > 1:
            place += 5
        if is_given_name(words[0]):
            person += 2
    for run in runs:
        if run.before in SAID or run.after in SAID:
            person += 2
        if run.before in STRONG_PLACE:
            place += 1
        elif run.before in PLACE_BEFORE:
            place += 0.3
    if organisation > max(person, place):
        return "organisation"
    if person == place == 0:
        return "thing"
    return "person" if person >= place else "place"
