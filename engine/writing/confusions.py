"""Words writers confuse, and the other forms of a word: the edits a proofreader tries.

Confusion sets (articles, prepositions, auxiliaries, homophones and near-homophones) are
kept here; noun number and verb forms come from lemminflect's offline lexicon (its
lemmatiser and inflection tables, built from the Automatically Generated Inflection
Database, no model and no network). Every alternative keeps the word's capitalisation.
"""

from __future__ import annotations

from functools import cache

from engine.writing.lexicon import install

ARTICLES = ("a", "an", "the")
PREPOSITIONS = ("in", "on", "at", "to", "for", "of", "with", "from", "about", "by", "into")
# words that can usually be dropped without a replacement (a learner's extra article or
# preposition); the scorer decides, with its own margin for deletions
DELETABLE = frozenset(ARTICLES + PREPOSITIONS)
SETS: tuple[tuple[str, ...], ...] = (
    ("is", "are", "was", "were", "be", "been"),
    ("has", "have", "had"),
    ("do", "does", "did"),
    ("this", "these"), ("that", "those"),
    ("much", "many"), ("few", "little"), ("less", "fewer"),
    ("their", "there", "they're"), ("its", "it's"), ("your", "you're"),
    ("whose", "who's"), ("then", "than"), ("to", "too"), ("lose", "loose"),
    ("affect", "effect"), ("accept", "except"), ("were", "where"), ("quite", "quiet"),
    ("advice", "advise"), ("lead", "led"), ("passed", "past"), ("weather", "whether"),
    ("though", "through", "thorough"), ("every", "each"), ("other", "another"),
    ("some", "any"), ("no", "not"), ("will", "would"), ("can", "could"),
    ("a lot", "alot"), ("more", "most"),
)
_BY_WORD: dict[str, set[str]] = {}
for _group in (*SETS, PREPOSITIONS):
    for _word in _group:
        _BY_WORD.setdefault(_word, set()).update(w for w in _group if w != _word)
VOWEL_SOUND_EXCEPTIONS = ("hour", "honest", "honour", "honor", "heir")
CONSONANT_SOUND_EXCEPTIONS = ("uni", "use", "usu", "uti", "eu", "one", "once", "ewe")


def an_or_a(next_word: str) -> str:
    """The indefinite article for the word after it (by its spelling's usual sound)."""
    low = next_word.lower()
    if low.startswith(VOWEL_SOUND_EXCEPTIONS):
        return "an"
    if low.startswith(CONSONANT_SOUND_EXCEPTIONS):
        return "a"
    return "an" if low[:1] in "aeiou" else "a"


def same_case(word: str, like: str) -> str:
    """``word`` capitalised the way ``like`` is."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def alternatives(word: str, next_word: str = "") -> list[tuple[str, str]]:
    """Other words the writer may have meant, as (text, kind): kind is "confusion" or
    "inflection"; an empty text deletes the word."""
    low = word.lower()
    out: dict[str, str] = {}
    if low in ARTICLES:
        for other in ("the", an_or_a(next_word) if next_word else "a"):
            out.setdefault(other, "confusion")
    for other in sorted(_BY_WORD.get(low, ())):
        if " " not in other:
            out.setdefault(other, "confusion")
    if low in DELETABLE:
        out.setdefault("", "confusion")
    for form in inflections(low):
        out.setdefault(form, "inflection")
    out.pop(low, None)
    return [(same_case(text, word) if text else "", kind) for text, kind in out.items()]


@cache
def inflections(word: str) -> tuple[str, ...]:
    """Noun number and verb forms of ``word`` (lemminflect), itself left out."""
    if not word.isalpha() or word in _BY_WORD or len(word) < 2:
        return ()
    from lemminflect import getAllInflections, getAllLemmas

    install()
    forms: list[str] = []
    for upos, lemmas in getAllLemmas(word).items():
        if upos not in ("NOUN", "VERB"):
            continue
        for lemma in lemmas:
            for tag, words in getAllInflections(lemma, upos=upos).items():
                if upos == "VERB" and tag == "VBP":
                    continue  # the same as VB
                forms += [w for w in words if w != word and w not in forms]
    return tuple(forms)


_PAST = frozenset({"was", "were", "had", "did", "could", "would", "might", "should"})
_PRESENT = frozenset({"is", "are", "am", "has", "have", "do", "does", "can", "will", "may",
                      "shall"})


@cache
def _lemmas(low: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's lemmas of a lower-case word, by part of speech ({} for a non-word)."""
    if not low.isalpha():
        return {}
    from lemminflect import getAllLemmas

    install()
    return dict(getAllLemmas(low))


def parts_of_speech(word: str) -> frozenset[str]:
    """The parts of speech lemminflect knows ``word`` as ("NOUN", "VERB", "ADJ", ...)."""
    return frozenset(_lemmas(word.lower()))


def plural_noun(word: str) -> bool:
    """A noun lemminflect knows only as the plural of another ("cars", "children")."""
    low = word.lower()
    lemmas = _lemmas(low)
    return bool(lemmas.get("NOUN")) and low not in lemmas["NOUN"] and "ADJ" not in lemmas


def superlative(word: str) -> bool:
    """An adjective's "-est" form ("largest"; not "honest")."""
    low = word.lower()
    return low.endswith("est") and any(lemma != low for lemma in _lemmas(low).get("ADJ", ()))


@cache
def verb_tags(low: str) -> frozenset[str]:
    """The Penn tags ("VBD", "VBG", ...) lemminflect gives a lower-case word as a verb."""
    from lemminflect import getAllInflections

    install()
    tags: set[str] = set()
    for lemma in _lemmas(low).get("VERB", ()):
        tags.update(tag for tag, forms in getAllInflections(lemma, upos="VERB").items()
                    if low in forms)
    return frozenset(tags)


@cache
def aspect(word: str) -> str | None:
    """"ongoing" for a present participle ("turning"), "done" for a form that can only be
    a past participle or past tense ("turned"), else None."""
    low = word.lower()
    if not low.isalpha() or low in _PAST or low in _PRESENT:
        return None
    tags = verb_tags(low)
    if tags == {"VBG"}:
        return "ongoing"
    if tags and tags <= {"VBD", "VBN"}:
        return "done"
    return None


@cache
def tense(word: str) -> str | None:
    """"past" or "present" for a verb form that is only one of them (lemminflect's tags;
    the auxiliaries by list), else None ("put", "read", a noun)."""
    low = word.lower()
    if low in _PAST or low in _PRESENT:
        return "past" if low in _PAST else "present"
    if not low.isalpha():
        return None
    tags = verb_tags(low)
    present = bool(tags & {"VBP", "VBZ"})
    if "VBD" in tags and not present and "VB" not in tags:
        return "past"
    if present and "VBD" not in tags:
        return "present"
    return None
