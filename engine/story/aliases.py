"""Which names are one person or place: "Miss Elizabeth Bennet" is "Elizabeth Bennet"
with a title; "Elizabeth" is her first name when one full name starts with it; "Lizzy"
and "Eliza" are her nicknames (the curated ``nicknames`` data); "Darcy" alone is "Mr.
Darcy" (a man called by his surname); "Netherfield Park" is "Netherfield"; "the Bingleys"
is the Bingleys' name. A title's sex keeps "Mr. Bennet" and "Mrs. Bennet" apart, and a
name that could be more than one person ("Miss Bennet": which sister?) is left alone."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache

from engine.story.names import HONORIFICS, PLACE_SUFFIXES, Run

GIVEN_TITLES = {"miss", "lady", "sir", "dame", "lord"}  # titles used with a given name
RANKS = {"lady", "sir", "dame", "lord"}  # whose bearers no one calls by a nickname
Forms = dict[str, list[tuple[str, Run]]]  # a name as written: its uses (path, run)


@cache
def _nicknames() -> object:
    from nicknames import NickNamer

    return NickNamer()


def given_names_of(word: str) -> set[str]:
    """The full given names a nickname stands for ("lizzy" → {"elizabeth"})."""
    namer = _nicknames()
    key = word.lower()
    found = set(namer.canonicals_of(key))  # type: ignore[attr-defined]
    if key.endswith("y"):
        found |= set(namer.canonicals_of(key[:-1] + "ie"))  # type: ignore[attr-defined]
    return found


def is_given_name(word: str) -> bool:
    namer = _nicknames()
    key = word.lower()
    return bool(namer.nicknames_of(key) or namer.canonicals_of(key))  # type: ignore[attr-defined]


def is_cjk(word: str) -> bool:
    return "\u3400" <= word[:1] <= "\u9fff"


def split_title(form: str) -> tuple[str, str]:
    """(sex of its title: "male", "female", "none" or "" when it has none, the rest)."""
    head, _, rest = form.partition(" ")
    sex = HONORIFICS.get(head.lower())
    return (sex, rest) if sex is not None and rest else ("", form)


def group(forms: Forms) -> list[list[str]]:
    parent = {f: f for f in forms}

    def find(f: str) -> str:
        while parent[f] != f:
            parent[f] = parent[parent[f]]
            f = parent[f]
        return f

    def join(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    size = {f: len(runs) for f, runs in forms.items()}
    bare = [f for f in forms if not split_title(f)[0]]
    full = [f for f in bare if len(f.split()) >= 2 and not is_cjk(f)]
    titled = {split_title(f): f for f in forms if split_title(f)[0]}
    sex_of_given: dict[str, set[str]] = defaultdict(set)  # "catherine": {"female"}
    for (sex, rest), _form in titled.items():
        sex_of_given[rest.split()[0].lower()].add(sex)
    for f in bare:  # "Caroline ... she": the pronouns that follow a given name
        said = Counter(run.pronoun for _path, run in forms[f] if run.pronoun)
        if " " not in f and sum(said.values()) >= 3:
            sex, count = said.most_common(1)[0]
            if count >= 0.75 * sum(said.values()):
                sex_of_given[f.lower()].add(sex)
    # a title before a full name: the same person ("Miss Elizabeth Bennet")
    for (_sex, rest), form in titled.items():
        if rest in forms and len(rest.split()) >= 2:
            join(form, rest)
    # a full name with a nickname for its given name ("Miss Eliza Bennet")
    for f in forms:
        rest = split_title(f)[1]
        if " " not in rest or is_cjk(rest):
            continue
        given, _, family = rest.partition(" ")
        for other in full:
            if other != rest and other.endswith(" " + family) and \
                    other.split()[0].lower() in given_names_of(given):
                join(f, other)
    # a place's name with and without its kind ("Netherfield Park", "Netherfield")
    family_names = {g.split()[-1] for g in forms if len(split_title(g)[1].split()) >= 2} | \
        {rest for (_sex, rest) in titled}
    for f in full:
        head, _, last = f.rpartition(" ")
        if last.lower().endswith(PLACE_SUFFIXES) and head in forms and \
                head not in family_names:  # "Lucas Lodge" is not "Lucas"
            join(head, f)
    # a full name and its bearer's title with the family name ("Mr. Darcy"), when no
    # other full name of that family and sex could be meant ("Miss Bennet": which one?)
    def sex_of(f: str) -> str:
        sexes = sex_of_given.get(f.split()[0].lower(), set()) - {"none"}
        return next(iter(sexes)) if len(sexes) == 1 else ""

    bearers: Counter[tuple[str, str]] = Counter((sex_of(f), f.split()[-1]) for f in full)
    for f in full:
        family, sex = f.split()[-1], sex_of(f)
        candidates = [s for s in ("male", "female") if (s, family) in titled]
        if sex and (sex, family) in titled and bearers[(sex, family)] == 1:
            join(f, titled[(sex, family)])
        elif not sex and len(candidates) == 1 and \
                bearers[(candidates[0], family)] + bearers[("", family)] == 1:
            join(f, titled[(candidates[0], family)])
    # a family in the plural ("the Bingleys", "the Lucases") is the name's
    for f in forms:
        for cut in ("es", "s"):
            if f.endswith(cut) and f[:-len(cut)] in forms and parent[f] == f:
                join(f, f[:-len(cut)])
                break
    # a title used with a given name ("Lady Catherine", "Miss Eliza", "Sir William")
    for (_sex, rest), form in titled.items():
        if " " in rest or form.split()[0].lower() not in GIVEN_TITLES:
            continue
        wider = [g for g in forms if g != form and len(split_title(g)[1].split()) >= 2 and
                 not g.lower().endswith(PLACE_SUFFIXES) and
                 (split_title(g)[1].split()[0] == rest or
                  split_title(g)[1].split()[0].lower() in given_names_of(rest))]
        if wider:
            join(form, max(wider, key=lambda g: size[g]))
    # one word alone: a given name, a nickname, or a man's family name
    for f in bare:
        if " " in f or is_cjk(f):
            continue
        by_given = [g for g in full if g.split()[0] == f]
        by_nick = [g for g in full if g.split()[0].lower() in given_names_of(f)
                   and not any(split_title(t)[1] == g.split()[0] for t in forms
                               if t.split()[0].lower() in RANKS)]  # no "Lady Kitty"
        if len(by_given) == 1:
            join(f, by_given[0])
        elif by_nick and not by_given:
            join(f, max(by_nick, key=lambda g: size[g]))
        elif ("male", f) in titled:
            join(f, titled[("male", f)])
        else:
            bearers_of = [g for g in full if g.split()[-1] == f]
            if len(bearers_of) == 1:
                join(f, bearers_of[0])
    groups: dict[str, list[str]] = defaultdict(list)
    for f in forms:
        groups[find(f)].append(f)
    return list(groups.values())


