"""The story bible on small texts the tests write: aliases, a name at a sentence's start,
places after "at" and "in", dismissed names, planted misspellings against real rare
words, Chinese names; and the command line over a project."""

from __future__ import annotations

import json
from pathlib import Path

from engine.story.bible import StoryBible
from engine.story.continuity import suspects
from engine.text.readability import syllable_table
from helpers import STORY, wordloom, wordloom_json, write


def bible_of(*texts: str) -> StoryBible:
    bible = StoryBible()
    for n, text in enumerate(texts):
        bible.update(f"{n:02d}.md", text)
    return bible


def known(word: str) -> bool:
    return bool(syllable_table().lines(word.lower()))


def entity(bible: StoryBible, name: str, **kwargs: object):
    found = [e for e in bible.proposals(**kwargs) if name in e.names]  # type: ignore[arg-type]
    assert len(found) == 1, [e.names for e in bible.proposals()]
    return found[0]


def test_aliases_come_out_as_one_entry() -> None:
    elizabeth = entity(bible_of(STORY), "Elizabeth")
    assert elizabeth.name == "Elizabeth Bennet"
    assert set(elizabeth.aliases) >= {"Elizabeth", "Miss Elizabeth Bennet", "Lizzy", "Eliza"}
    assert elizabeth.kind == "person"
    assert (elizabeth.first.path, elizabeth.first.line) == ("00.md", 3)
    darcy = entity(bible_of(STORY), "Quarrington")
    assert set(darcy.names) == {"Mr. Quarrington", "Quarrington"}  # a man by his surname


def test_a_word_at_a_sentences_start_is_not_a_name_and_a_name_there_still_counts() -> None:
    bible = bible_of(STORY)
    names = {n for e in bible.proposals() for n in e.names}
    assert "However" not in names and "They" not in names and "Later" not in names
    quarrington = entity(bible, "Quarrington")
    starts = [m for m in quarrington.mentions if m.column == 1]
    assert starts  # "Quarrington bowed." at a line's start is one of its mentions
    assert len(quarrington.mentions) == 4


def test_places_after_at_and_in() -> None:
    bible = bible_of(STORY)
    assert entity(bible, "Brackenford").kind == "place"
    assert entity(bible, "Ostmere").kind == "place"


def test_a_dismissed_name_stays_dismissed() -> None:
    bible = bible_of(STORY)
    assert "Ostmere" not in {e.name for e in bible.proposals(dismissed={"Ostmere"})}
    bible.update("01.md", "Ostmere again. They rode to Ostmere and in Ostmere stayed.\n")
    assert "Ostmere" not in {e.name for e in bible.proposals(dismissed={"Ostmere"})}


def test_a_planted_misspelling_is_found_and_a_real_rare_word_is_not() -> None:
    text = STORY * 3 + "Then Mr. Quarington left, and Elizabth wept. Martin, a real name, " \
        "came once.\nThe Marten family of Ostmere.\n"
    bible = bible_of(text)
    found = {s.word: s for s in suspects(bible, bible.proposals(), known)}
    assert set(found) == {"Quarington", "Elizabth"}
    assert found["Quarington"].suggestions[0] == "Quarrington"
    assert found["Elizabth"].suggestions[0] == "Elizabeth"
    place = found["Elizabth"].places[0]
    assert text.split("\n")[place.line - 1][place.column - 1:].startswith("Elizabth")


def test_chinese_names_work_as_well() -> None:
    text = ("我们去杭州玩。他住在杭州。从杭州回来，我在西湖看书。我到西湖了。\n"
            "王明说好。王明说他去西湖。王明说再见。\n")
    bible = bible_of(text)
    assert entity(bible, "杭州").kind == "place"
    assert entity(bible, "西湖").kind == "place"
    assert entity(bible, "王明").kind == "person"


def test_an_update_reads_only_the_changed_document() -> None:
    bible = bible_of(STORY, "Quarrington rode to Ostmere.\n")
    kept = bible.docs["00.md"]
    assert not bible.update("00.md", STORY)
    assert bible.update("01.md", "Quarrington rode to Ostmere twice.\n")
    assert bible.docs["00.md"] is kept


def test_the_command_line(tmp_path: Path) -> None:
    book = tmp_path / "book"
    write(book / "01.md", STORY)
    write(book / "02.md", STORY.replace("Mr. Quarrington came", "Mr. Quarington came"))
    wordloom_json("project", "init", str(book))
    listed = wordloom_json("project", "entities", str(book))["entities"]
    first = next(e for e in listed if e["name"] == "Elizabeth Bennet")
    assert first["kind"] == "person" and first["first"] == {"path": "01.md", "line": 3}
    assert "Lizzy" in first["aliases"] and first["mentions"] >= 10
    found = wordloom_json("project", "continuity", str(book))
    assert [(s["word"], s["suggestions"][0]) for s in found["suspects"]] == [
        ("Quarington", "Quarrington")]
    assert found["suspects"][0]["places"] == [
        {"path": "02.md", "line": 5, "column": 5, "text": "Quarington"}]
    done = wordloom("project", "entities", str(book), "--dismiss", "Ostmere", "--json")
    assert done.returncode == 0, done.stderr
    assert "Ostmere" not in {e["name"] for e in json.loads(done.stdout)["entities"]}
    again = wordloom_json("project", "entities", str(book))["entities"]
    assert "Ostmere" not in {e["name"] for e in again}  # kept in the project file


def test_facts_drawn_from_the_text_keep_their_source() -> None:
    from engine.story.facts import facts_about

    text = STORY + "Mr. Quarrington of Ostmere married Elizabeth Bennet in the spring.\n"
    bible = bible_of(text)
    found = bible.proposals()
    quarrington = next(e for e in found if "Quarrington" in e.names)
    facts = [f.described() for f in facts_about(quarrington, {"00.md": text}, found)]
    assert facts == ["of Ostmere (00.md, line 9)", "married Elizabeth Bennet (00.md, line 9)"]
    place = next(e for e in found if e.name == "Ostmere")
    assert facts_about(place, {"00.md": text}, found) == []  # a place's facts are its people's
