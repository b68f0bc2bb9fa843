import os
import signal
import time
from pathlib import Path

import psutil
import pytest

from conftest import base_settings
from engine.grammar.checker import GrammarChecker
from engine.grammar.engines import LanguageToolEngine
from engine.text.split import split_paragraphs

# the flagged span in [brackets], its category, the engines that must flag it
CORPUS_MARKED = [
    ("She [recieved] the letter yesterday.", "spelling", ("harper", "languagetool")),
    ("The meeting is on [monday].", "spelling", ("harper", "languagetool")),
    ("He [go] to school every day.", "grammar", ("harper", "languagetool")),
    ("They [was] happy with the results.", "grammar", ("harper", "languagetool")),
    ("We walked to [the the] park after lunch.", "repetition", ("harper", "languagetool")),
    ("This sentence has two[  ]spaces.", "typography", ("harper", "languagetool")),
    ("Where are you going[ ], friend?", "punctuation", ("harper",)),
    ("He said hello and left.[Then] he came back.", "typography", ("languagetool",)),
    ("[i] think this is fine.", "capitalization", ("harper",)),
    ("I have [a] apple in my bag.", "grammar", ("harper", "languagetool")),
]


def _unmark(marked: str) -> tuple[str, str, int]:
    start = marked.index("[")
    end = marked.index("]") - 1
    sentence = marked.replace("[", "").replace("]", "")
    return sentence, sentence[start:end], start


CORPUS = [(*_unmark(m), c, e) for m, c, e in CORPUS_MARKED]


def _find(issues, text):
    return [i for i in issues if i.text == text]


def _share(engine: str) -> list[tuple[str, str, int, str]]:
    """The corpus cases one engine must flag (no case that could assert nothing)."""
    return [(s, f, start, c) for s, f, start, c, engines in CORPUS if engine in engines]


@pytest.mark.parametrize("sentence, flagged, start, category", _share("harper"))
def test_harper_finds_its_share(sentence, flagged, start, category):
    checker = GrammarChecker(base_settings(), engines=("harper",))
    found = _find(checker.check(sentence).issues, flagged)
    assert found, f"Harper missed {flagged!r} in {sentence!r}"
    assert (found[0].start, found[0].end) == (start, start + len(flagged))
    assert found[0].category == category
    assert found[0].engine == "harper"


@pytest.mark.parametrize("sentence, flagged, start, category", _share("languagetool"))
def test_languagetool_finds_its_share(lt_engine, sentence, flagged, start, category):
    checker = GrammarChecker(base_settings(), engines=("languagetool",), lt=lt_engine)
    found = _find(checker.check(sentence).issues, flagged)
    assert found, f"LanguageTool missed {flagged!r} in {sentence!r}"
    assert found[0].engine == "languagetool"
    assert (found[0].start, found[0].end) == (start, start + len(flagged))


def test_a_word_confused_for_another_is_grammar_and_quoted_as_a_writer_reads(lt_engine):
    """"Their → There" was underlined as a misspelling, with Harper's "Did you mean
    `there`?" shown raw: a real word used for another is grammar, quotes are quotes."""
    checker = GrammarChecker(base_settings(), lt=lt_engine)
    issues = _find(checker.check("Their is a cat in the garden.").issues, "Their")
    assert issues and {e for i in issues for e in i.engine.split("+")} == {"harper",
                                                                             "languagetool"}
    assert all(i.category == "grammar" for i in issues), [(i.engine, i.category)
                                                          for i in issues]
    assert all("`" not in i.message for i in issues)
    assert any("“There”" in i.message or "“there”" in i.message for i in issues)


def test_merged_list_has_no_duplicates(lt_engine):
    checker = GrammarChecker(base_settings(), lt=lt_engine)
    text = "\n\n".join(s for s, *_ in CORPUS)
    result = checker.check(text)
    spans = [(i.start, i.end) for i in result.issues]
    assert len(spans) == len(set(spans))
    both = [i for i in result.issues if i.engine == "harper+languagetool"]
    assert len(both) >= 5
    for sentence, flagged, start, _category, engines in CORPUS:
        if len(engines) == 2:
            offset = text.index(sentence) + start
            hits = [i for i in result.issues if i.start == offset and i.text == flagged]
            assert len(hits) == 1, (sentence, result.issues)


PREFIXES = {
    "emoji": "I 😀 love 👩‍👩‍👧 it. ",
    "cjk": "我们喜欢𠀋写作。 ",
    "combining": "Cafe\u0301 and nai\u0308ve. ",
    "crlf": "First line.\r\nSecond line.\r\n",
}


@pytest.mark.parametrize("name", sorted(PREFIXES))
@pytest.mark.parametrize("engine", ["harper", "languagetool"])
def test_offsets_after_awkward_characters(lt_engine, name, engine):
    prefix = PREFIXES[name]
    text = prefix + "She recieved the letter."
    checker = GrammarChecker(base_settings(), engines=(engine,),
                             lt=lt_engine if engine == "languagetool" else None)
    (issue,) = _find(checker.check(text).issues, "recieved")
    assert text[issue.start:issue.end] == "recieved"
    utf16 = text.encode("utf-16-le")
    assert utf16[issue.start16 * 2:issue.end16 * 2].decode("utf-16-le") == "recieved"
    if name in ("emoji", "cjk"):
        assert issue.start16 > issue.start


def test_dictionary_and_ignored_rules_persist():
    text = "Wordloom is a grate editor. He go home."
    first = GrammarChecker(base_settings(), engines=("harper",))
    assert _find(first.check(text).issues, "Wordloom")
    go = _find(first.check(text).issues, "go")[0]
    first.add_to_dictionary("Wordloom")
    first.ignore_rule(go.rule)
    assert not _find(first.check(text).issues, "Wordloom")
    restarted = GrammarChecker(base_settings(), engines=("harper",))
    issues = restarted.check(text).issues
    assert not _find(issues, "Wordloom")
    assert not [i for i in issues if i.rule == go.rule]


def test_ignore_once_lasts_for_the_session_only():
    text = "She recieved it."
    checker = GrammarChecker(base_settings(), engines=("harper",))
    (issue,) = _find(checker.check(text).issues, "recieved")
    checker.ignore_once(issue)
    assert not _find(checker.check(text).issues, "recieved")
    assert _find(checker.check("Also: " + text).issues, "recieved")  # another paragraph
    fresh = GrammarChecker(base_settings(), engines=("harper",))
    assert _find(fresh.check(text).issues, "recieved")


def test_picky_mode_reports_more():
    text = "It is very good and we don't know why. There are 5 reasons."
    normal = GrammarChecker(base_settings(), engines=("harper",)).check(text).issues
    picky = GrammarChecker(base_settings(picky=True), engines=("harper",)).check(text).issues
    assert len(picky) > len(normal)


def test_non_english_turns_harper_off_and_languagetool_checks(lt_engine):
    checker = GrammarChecker(base_settings(language="de-DE"), lt=lt_engine)
    result = checker.check("Das ist ein Fehler im im Satz.")
    assert result.engines["harper"].startswith("unavailable:")
    assert "English" in result.engines["harper"]
    assert _find(result.issues, "im im")


def test_only_changed_paragraphs_are_sent(lt_engine):
    paragraphs = [f"Paragraph {n} talks about the weather in the city." for n in range(40)]
    checker = GrammarChecker(base_settings(), lt=lt_engine)
    first = checker.check("\n\n".join(paragraphs), revision=1)
    assert first.sent == {"harper": 40, "languagetool": 40}
    before = lt_engine.requests
    paragraphs[17] = "Paragraph 17 talk about the the weather."
    second = checker.check("\n\n".join(paragraphs), revision=2)
    assert second.revision == 2
    assert second.sent == {"harper": 1, "languagetool": 1}
    assert lt_engine.requests == before + 1
    assert _find(second.issues, "the the")


def test_the_server_is_idle_once_it_has_answered(lt_engine):
    """The JVM does not go on compiling after a check (HotSpot's C2 compiler did, for
    100-180 ms of CPU per check on two cores, time the model's threads lost). The server's
    CPU time is read over a quiet second that starts after the answer has been sent, so a
    busy machine delays it but does not add to it."""
    server = psutil.Process(lt_engine.server.pid)
    assert "-XX:TieredStopAtLevel=1" in server.cmdline()  # C1 only: no C2 compiling later
    spent = []
    for n in range(3):
        lt_engine.check([f"Check {n} of the {n + 3} sentences we was sending to the server "
                         f"after {n * 7} minutes."], "en-US", False)
        time.sleep(0.2)  # the answer's own tail (the reply written, the request logged)
        before = sum(server.cpu_times()[:2])
        time.sleep(1.0)
        spent.append(sum(server.cpu_times()[:2]) - before)
    assert min(spent) < 0.05, spent  # a C2 compile after each check spends 0.1-0.18 s


def test_paragraph_split_keeps_positions():
    text = "One.\n\nTwo\nlines.\r\n\r\n\n  \nThree."
    parts = split_paragraphs(text)
    assert [p.text for p in parts] == ["One.", "Two\nlines.", "Three."]
    assert all(text[p.start:p.start + len(p.text)] == p.text for p in parts)


def _jvms() -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if "org.languagetool.server.HTTPServer" in cmd:
            found.append(proc)
    return found


def test_server_killed_mid_check_is_restarted_and_shutdown_leaves_no_jvm(lt_ready):
    before = {p.pid for p in _jvms()}
    engine = LanguageToolEngine(base_settings())
    engine.start(wait=True)
    assert engine.ready
    checker = GrammarChecker(base_settings(), lt=engine)
    assert _find(checker.check("He go to school.").issues, "go")
    pid = engine.server.pid
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    result = checker.check("She recieved the letter.")
    assert [i for i in result.issues if i.engine != "harper"], result.engines
    assert engine.server.restarts == 1 and engine.server.pid != pid
    assert result.engines["languagetool"] == "ready"
    checker.close()
    deadline = time.time() + 10
    while time.time() < deadline and {p.pid for p in _jvms()} - before:
        time.sleep(0.2)
    assert not ({p.pid for p in _jvms()} - before)
    assert engine.server.state == "stopped"


@pytest.mark.languagetool
def test_no_java_means_harper_alone_with_a_reason(monkeypatch):
    monkeypatch.setattr("engine.grammar.ltserver.java_version", lambda: None)
    checker = GrammarChecker(base_settings())
    checker.start(wait=True)
    result = checker.check("He go to school.")
    assert result.engines["languagetool"] == "unavailable: Java is not installed"
    assert result.engines["harper"] == "ready"
    assert _find(result.issues, "go")


def test_a_languagetool_server_url_of_the_writers_own(lt_ready):
    from engine.grammar.ltserver import LanguageToolServer

    server = LanguageToolServer(Path(base_settings().languagetool_dir))
    server.start()
    try:
        assert server.wait_ready(120)
        settings = base_settings(languagetool_mode="server", languagetool_url=server.url)
        checker = GrammarChecker(settings, engines=("languagetool",))
        checker.start(wait=True)
        assert checker.states()["languagetool"] == "ready"
        assert _find(checker.check("He go to school.").issues, "go")
        bad = GrammarChecker(base_settings(languagetool_mode="server",
                                           languagetool_url="http://127.0.0.1:9/"),
                             engines=("languagetool",))
        bad.start(wait=True)
        assert bad.states()["languagetool"].startswith("unavailable: ")
    finally:
        server.stop()
