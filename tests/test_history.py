"""Local history (engine.history) and its command line: versions kept whole and compactly,
thinned by age, found again after a move, salvaged after damage."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import HistoryError
from engine.history.codec import Version
from engine.history.compare import changes_html, hunks, lines, unified
from engine.history.daily import Goal, baseline, written_per_day
from engine.history.library import HistoryLibrary
from engine.history.store import HistoryStore
from engine.history.thinning import Aged, to_drop
from engine.text.stats import CountCache, count
from helpers import assert_user_error, wordloom, wordloom_json

DAY = 86400.0
WORDS = ("the of and to in a is that was he for it with as his on be at by had not are but "
         "from or have an they which one you were all her she there would their we him "
         "been has when who will more no if out so said what up its about into than them "
         "can only other new some could time these two may then do first any my now such "
         "like our over man me even most made after also did many before must through").split()


def novel(rng: random.Random, paragraphs: int, words: int = 100) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."
            for _ in range(paragraphs)]


def joined(paras: list[str]) -> str:
    return "\n\n".join(paras) + "\n"


# -- the store ---------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) |
                        st.sampled_from(["\n", "\r\n", "\n\n", "😀", "他们", "e\u0301",
                                         "\u2028"]), max_size=8).map("".join),
                min_size=1, max_size=6))
def test_every_version_reads_back_exactly(tmp_path_factory, texts):
    store = HistoryStore(tmp_path_factory.mktemp("h") / "s.sqlite3")
    recorded: dict[int, str] = {}
    for text in texts:
        version = store.record(text, "save")
        if version is not None:
            recorded[version.id] = text
    for version_id, text in recorded.items():
        assert store.text(version_id) == text
    assert len(store.versions()) == len(recorded)
    store.close()


def test_an_unchanged_text_is_not_kept_twice_but_can_be_named(tmp_path):
    store = HistoryStore(tmp_path / "s.sqlite3")
    first = store.record("One.\n", "save")
    assert first is not None
    assert store.record("One.\n", "save") is None
    assert store.record("One.\n", "snapshot", "sent to editor") is None
    assert [v.name for v in store.versions()] == ["sent to editor"]


def test_words_added_and_removed_are_counted_by_paragraph_then_word(tmp_path):
    store = HistoryStore(tmp_path / "s.sqlite3")
    first = store.record("The cat sat.\n\nIt was warm.\n", "save")
    assert first is not None and (first.words, first.added, first.removed) == (6, 6, 0)
    second = store.record("The dog sat down.\n\nIt was warm.\n", "save")
    assert second is not None and (second.words, second.added, second.removed) == (7, 2, 1)
    moved = store.record("It was warm.\n\nThe dog sat down.\n", "save")
    assert moved is not None and (moved.added, moved.removed) == (0, 0)


def test_a_version_that_changes_one_paragraph_costs_that_paragraph(tmp_path):
    rng = random.Random(5)
    paras = novel(rng, 400)  # 40,000 words
    store = HistoryStore(tmp_path / "s.sqlite3")
    store.record(joined(paras), "save")
    first = store.size_bytes()
    for _ in range(100):
        index = rng.randrange(len(paras))
        paras[index] = paras[index][:-1] + " and then some more."
        store.record(joined(paras), "save")
    per_version = (store.size_bytes() - first) / 100
    assert per_version < 2500, per_version  # a paragraph is ~600 bytes; a full copy ~240 KB
    assert store.text(store.versions()[0].id) == joined(paras)


def test_a_damaged_version_is_named_not_returned(tmp_path):
    store = HistoryStore(tmp_path / "s.sqlite3")
    version = store.record("First paragraph here.\n\nSecond one.\n", "save")
    assert version is not None
    store.db.execute("UPDATE lines SET data=? WHERE id=(SELECT max(id) FROM lines)",
                     (b"\x00garbage",))
    with pytest.raises(HistoryError, match=f"version {version.id} is damaged"):
        store.text(version.id)


# -- thinning -----------------------------------------------------------------------------------

def test_thinning_keeps_today_a_day_a_month_a_week_after_and_every_named(tmp_path):
    now = time.mktime((2026, 12, 3, 18, 0, 0, 0, 0, -1))
    versions = []
    vid = 0
    for days_ago in range(0, 120):
        for hour in (9, 13, 17):  # three a day
            vid += 1
            when = now - days_ago * DAY - (18 - hour) * 3600
            versions.append(Aged(vid, when, named=(days_ago == 100 and hour == 9)))
    dropped = set(to_drop(versions, now))
    kept = [v for v in versions if v.id not in dropped]
    today = dt.date.fromtimestamp(now)
    by_day: dict[dt.date, list[Aged]] = {}
    for version in kept:
        by_day.setdefault(dt.date.fromtimestamp(version.time), []).append(version)
    assert len(by_day[today]) == 3  # all of today
    for back in range(1, 31):
        day = today - dt.timedelta(days=back)
        assert len(by_day[day]) == 1 and by_day[day][0].time == max(
            v.time for v in versions if dt.date.fromtimestamp(v.time) == day)
    weeks: dict[tuple[int, int], int] = {}
    for version in kept:
        day = dt.date.fromtimestamp(version.time)
        if (today - day).days > 30 and not version.named:
            key = tuple(day.isocalendar())[:2]
            weeks[key] = weeks.get(key, 0) + 1
    assert weeks and all(n == 1 for n in weeks.values())
    assert any(v.named for v in kept)


def test_thinning_in_the_store_lets_unused_paragraphs_go(tmp_path):
    rng = random.Random(3)
    store = HistoryStore(tmp_path / "s.sqlite3")
    start = time.time() - 10 * DAY
    texts = {}
    for n in range(30):  # three versions a day for ten days, each with new paragraphs
        text = joined(novel(rng, 20))
        version = store.record(text, "save", when=start + n * DAY / 3)
        assert version is not None
        texts[version.id] = text
    store.tidy()
    kept = store.versions()
    assert len(kept) <= 12
    lines_left = store.db.execute("SELECT count(*) FROM lines").fetchone()[0]
    assert lines_left <= len(kept) * 21 + 1  # only the kept versions' paragraphs remain
    for version in kept:
        assert store.text(version.id) == texts[version.id]


def test_over_its_cap_the_oldest_unnamed_versions_go_first(tmp_path):
    rng = random.Random(4)
    store = HistoryStore(tmp_path / "s.sqlite3", cap_bytes=400_000)
    named = store.record(joined(novel(rng, 50)), "snapshot", "first draft")
    assert named is not None
    for _ in range(40):
        store.record(joined(novel(rng, 50)), "save")
    store.tidy()  # recording checks the cap every 20 versions; this checks it now
    versions = store.versions()
    assert store.size_bytes() <= 400_000
    assert named.id in {v.id for v in versions}
    assert len(versions) < 41
    assert versions[0].id == max(v.id for v in versions)  # the newest stays


# -- finding a document's history --------------------------------------------------------------

def test_a_moved_file_finds_its_history_by_its_text_and_a_copy_starts_afresh(tmp_path):
    library = HistoryLibrary(tmp_path / "history")
    doc = tmp_path / "draft.md"
    doc.write_text("Chapter one.\n")
    opened = library.open(doc, "Chapter one.\n")
    assert opened is not None
    opened.store.record("Chapter one.\n", "save")
    opened.store.close()
    moved = tmp_path / "renamed.md"
    doc.rename(moved)
    again = library.open(moved, "Chapter one.\n")
    assert again is not None and len(again.store.versions()) == 1
    assert any("found by its text" in note for note in again.notes)
    again.store.close()
    copy = tmp_path / "copy.md"
    copy.write_text("Chapter one.\n")
    other = library.open(copy, "Chapter one.\n")
    assert other is not None and other.store.versions() == []  # renamed.md is still there


def test_a_lost_index_is_rebuilt_from_the_stores(tmp_path):
    library = HistoryLibrary(tmp_path / "history")
    doc = tmp_path / "a.md"
    opened = library.open(doc, "x")
    assert opened is not None
    opened.store.record("x", "save")
    opened.store.close()
    (tmp_path / "history" / "index.json").write_text("{not json")
    again = library.open(doc, None, create=False)
    assert again is not None and len(again.store.versions()) == 1


def _store_with_versions(tmp_path: Path, count_: int) -> tuple[HistoryLibrary, Path, Path]:
    library = HistoryLibrary(tmp_path / "history")
    doc = tmp_path / "book.md"
    opened = library.open(doc, None)
    assert opened is not None
    rng = random.Random(9)
    for _ in range(count_):
        opened.store.record(joined(novel(rng, 30)), "save")
    opened.store.close()
    return library, doc, opened.store.path


def test_a_store_that_is_not_a_database_is_named_and_a_new_one_begins(tmp_path):
    library, doc, store_file = _store_with_versions(tmp_path, 3)
    store_file.write_bytes(b"this is not SQLite" * 100)
    opened = library.open(doc, None)
    assert opened is not None and opened.store.versions() == []
    assert len(opened.notes) == 1 and "damaged" in opened.notes[0]
    assert "0 of 0" in opened.notes[0]
    assert list(store_file.parent.glob("*.damaged-*"))
    opened.store.record("new text", "save")  # and it works again


def test_a_truncated_store_keeps_the_versions_that_can_still_be_read(tmp_path):
    library, doc, store_file = _store_with_versions(tmp_path, 40)
    data = store_file.read_bytes()
    store_file.write_bytes(data[:len(data) * 85 // 100])  # a copy cut short
    opened = library.open(doc, None)
    assert opened is not None
    assert len(opened.notes) == 1 and "damaged" in opened.notes[0]
    kept = opened.store.versions()
    assert 0 < len(kept) < 40  # the oldest versions were in the pages still there
    rng = random.Random(9)
    written = [joined(novel(rng, 30)) for _ in range(40)]
    for version in kept:
        assert opened.store.text(version.id) in written  # each one whole
    assert f"{len(kept)} of " in opened.notes[0]
    print(f"\n{opened.notes[0]}")


# -- comparing -------------------------------------------------------------------------------

def test_changes_are_shown_by_paragraph_then_word():
    old = lines("Intro.\n\nThe cat sat.\n\nEnd.\n")
    new = lines("Intro.\n\nThe dog sat.\n\nEnd.\nCoda.\n")
    found = list(hunks(old, new))
    assert [(h.old, h.new) for h in found] == [
        (("The cat sat.\n",), ("The dog sat.\n",)), ((), ("Coda.\n",))]
    assert ("-", "cat") in found[0].pieces() and ("+", "dog") in found[0].pieces()
    html = changes_html(old, new)
    assert "<s" in html and "cat" in html and "dog" in html and "Intro." in html
    assert "No differences" in changes_html(old, old)
    patch = unified(old, new, "a", "b")
    assert "-The cat sat." in patch and "+The dog sat." in patch


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a\n", "b\n", "\n", "c d\n", "e"]), max_size=30),
       st.lists(st.sampled_from(["a\n", "b\n", "\n", "c x\n", "e"]), max_size=30))
def test_the_changes_found_turn_one_version_into_the_other(old, new):
    from engine.text.diff import word_diff

    result = list(old)
    for hunk in reversed(list(hunks(old, new))):
        assert list(hunk.old) == old[hunk.old_start:hunk.old_start + len(hunk.old)]
        result[hunk.old_start:hunk.old_start + len(hunk.old)] = hunk.new
        pieces = word_diff("".join(hunk.old), "".join(hunk.new))
        assert "".join(t for op, t in pieces if op != "+") == "".join(hunk.old)
        assert "".join(t for op, t in pieces if op != "-") == "".join(hunk.new)
    assert result == new


# -- counts ------------------------------------------------------------------------------------

def test_counts_of_mixed_chinese_and_english():
    counts = count("我今天去了商店。你呢？ And milk. Then bread!\n\nA new one.")
    assert counts.cjk_characters == 9
    assert counts.words == 9 + 7
    assert counts.sentences == 5
    assert counts.paragraphs == 2
    assert count("").words == 0 and count("...!?").words == 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from([*list("ab .!?\n\t我。X"), "Dr.", "\n\n"]),
                        max_size=30).map("".join), max_size=8))
def test_counting_by_remembered_paragraphs_equals_counting_the_whole(pieces):
    cache = CountCache()
    for text in pieces:
        assert cache.count(text) == count(text)
    assert cache.count("".join(pieces)) == count("".join(pieces))


def test_a_long_new_text_is_counted_in_slices_that_end_with_the_same_counts():
    text = "\n\n".join(f"Paragraph {i} has a few words. And a second sentence here."
                       for i in range(300))
    cache = CountCache()
    slices = 1
    while not cache.learn(text, until=0.0, syllables=True):  # the deadline long passed
        slices += 1
    assert slices == 301  # one paragraph (its words and syllables) per slice, then done
    assert cache.learn(text, until=0.0, syllables=True)  # nothing left: no work, True
    assert cache.count(text) == count(text)
    fresh = CountCache()
    assert cache.reading_ease(text) == fresh.reading_ease(text)
    small = CountCache(limit=10)  # more paragraphs than it keeps: one piece, as before
    assert small.learn(text, until=0.0) and small.count(text) == count(text)


def test_words_written_today_start_from_yesterdays_last_version():
    today = dt.date.today()
    noon = time.mktime((today.year, today.month, today.day, 12, 0, 0, 0, 0, -1))
    versions = [Version(1, noon - 2 * DAY, "import", "", 1000, 1000, 0),
                Version(2, noon - DAY, "save", "", 1500, 500, 0),
                Version(3, noon, "save", "", 1700, 200, 0)]
    assert baseline(versions, today) == 1500
    days = written_per_day(versions, today, 1800, days=3)
    assert days == [(today - dt.timedelta(days=2), 0), (today - dt.timedelta(days=1), 500),
                    (today, 300)]
    goal = Goal(words=2800, deadline=today + dt.timedelta(days=9))
    assert goal.progress(1800, 300, today)[2].endswith("10 day(s) left, 100 words a day")
    assert Goal(per_day=500).progress(1800, 300, today) == (300, 500, "300 of 500 words today")
    assert Goal.from_json(goal.to_json()) == goal
    with pytest.raises(HistoryError):
        Goal.from_json('{"words": "many"}')


# -- the command line ------------------------------------------------------------------------

def test_history_on_the_command_line(tmp_path, wordloom_home):
    doc = tmp_path / "story.md"
    doc.write_text("It was a dark night.\n\nThe end.\n", encoding="utf-8")
    assert wordloom_json("history", str(doc)) == {"versions": []}
    first = wordloom_json("history", str(doc), "--snapshot", "--name", "first draft")
    assert first["recorded"] and first["version"]["name"] == "first draft"
    doc.write_text("It was a bright morning.\n\nThe end.\n", encoding="utf-8")
    assert wordloom_json("history", str(doc), "--snapshot")["recorded"]
    listed = wordloom_json("history", str(doc))["versions"]
    assert [v["id"] for v in listed] == [2, 1]
    assert set(listed[0]) == {"id", "time", "words", "added", "removed", "reason", "name"}
    assert (listed[0]["added"], listed[0]["removed"]) == (2, 2)
    shown = wordloom("history", str(doc), "--show", "1")
    assert shown.returncode == 0 and shown.stdout == "It was a dark night.\n\nThe end.\n"
    diff = wordloom("history", str(doc), "--diff", "1")
    assert "-It was a dark night." in diff.stdout and "+It was a bright morning." in diff.stdout
    restored = wordloom("history", str(doc), "--restore", "1")
    assert restored.returncode == 0, restored.stderr
    assert doc.read_text(encoding="utf-8") == "It was a dark night.\n\nThe end.\n"
    reasons = [v["reason"] for v in wordloom_json("history", str(doc))["versions"]]
    assert reasons[0] == "restore"  # the bright morning was kept before: version 2


def test_history_mistakes_are_one_line(tmp_path, wordloom_home):
    doc = tmp_path / "story.md"
    doc.write_text("Words.\n")
    assert_user_error(wordloom("history", str(doc), "--show", "7"), "no version 7")
    assert_user_error(wordloom("history", str(tmp_path / "missing.md")), "no such file")
    assert_user_error(wordloom("history", str(doc), "--name", "x"), "--snapshot")
    assert_user_error(wordloom("history", str(doc), "--restore", "3"), "no version 3")
    assert doc.read_text() == "Words.\n"  # a failed restore writes nothing


def test_stats_on_the_command_line(tmp_path):
    doc = tmp_path / "mixed.md"
    doc.write_text("他们是我的朋友们。\n\nThey are my friends. Truly!\n", encoding="utf-8")
    counts = wordloom_json("stats", str(doc))
    assert counts == {"words": 13, "characters": 36, "cjk_characters": 8, "sentences": 3,
                      "paragraphs": 2, "reading_minutes": 0.0}
    piped = wordloom("stats", "-", stdin="One two three.")
    assert piped.returncode == 0 and "words            3" in piped.stdout
    assert_user_error(wordloom("stats", str(tmp_path / "none.txt")), "no such file")
    binary = tmp_path / "b.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    assert_user_error(wordloom("stats", str(binary)), "binary")
    assert json.loads(json.dumps(counts)) == counts
    assert sqlite3.sqlite_version  # the store's engine is the standard library's
