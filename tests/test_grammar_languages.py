"""Each paragraph checked in its own language, and Harper's answer before LanguageTool's."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO, base_settings
from engine.grammar.checker import GrammarChecker
from engine.grammar.language import detect

ENGLISH = "She recieved the letter yesterday and they was happy about it."
CHINESE = "我门今天去公园散步，天气非常好，大家都很开心。"
GERMAN = "Ich habe gestern einen Brief bekommen, und wir waren sehr froh darüber, dass er kam."
FRENCH = "Nous sommes allés au marché ce matin et nous avons acheté des pommes très rouges."
DOCUMENT = "\n\n".join([ENGLISH, CHINESE, GERMAN, FRENCH])


def test_paragraph_languages_are_detected_offline():
    assert detect(ENGLISH) == "en-US"
    assert detect(CHINESE) == "zh-CN"
    assert detect(GERMAN) == "de-DE"
    assert detect(FRENCH) == "fr"
    assert detect("Ok.", fallback="de-DE") == "de-DE"  # too short to tell


def test_auto_checks_each_paragraph_in_its_language(lt_engine):
    checker = GrammarChecker(base_settings(language="auto"), lt=lt_engine)
    result = checker.check(DOCUMENT)
    assert result.languages == {"en-US": 1, "zh-CN": 1, "de-DE": 1, "fr": 1}
    zh_start = DOCUMENT.index(CHINESE)
    chinese = [i for i in result.issues if zh_start <= i.start < zh_start + len(CHINESE)]
    assert any(i.text == "门" and "们" in i.replacements for i in chinese), chinese  # 我门
    assert all(i.engine == "languagetool" for i in chinese)  # Harper is English only
    de_start, fr_start = DOCUMENT.index(GERMAN), DOCUMENT.index(FRENCH)
    assert not [i for i in result.issues if i.start >= de_start and "harper" in i.engine], \
        "Harper checked German or French text"
    english = [i for i in result.issues if i.end <= len(ENGLISH)]
    assert {"recieved", "was"} <= {i.text for i in english}
    assert fr_start > de_start


def test_a_fixed_language_checks_everything_in_it(lt_engine):
    checker = GrammarChecker(base_settings(language="en-US"), lt=lt_engine)
    result = checker.check(DOCUMENT)
    assert result.languages == {"en-US": 4}
    zh_start = DOCUMENT.index(CHINESE)
    assert not [i for i in result.issues if zh_start <= i.start < zh_start + len(CHINESE)
                and i.text == "门"]


def test_harper_answers_before_languagetool(lt_engine):
    checker = GrammarChecker(base_settings(language="auto"), lt=lt_engine)
    checker.check(DOCUMENT)
    edited = DOCUMENT.replace("yesterday", "yesterdy")
    partial: list = []
    final = checker.check(edited, revision=2, on_partial=partial.append)
    assert len(partial) == 1 and not partial[0].complete and final.complete
    first = partial[0]
    assert first.revision == 2
    assert "yesterdy" in {i.text for i in first.issues if "harper" in i.engine}
    # unchanged paragraphs keep LanguageTool's issues from the cache meanwhile
    assert any(i.text == "门" for i in first.issues)
    assert final.sent == {"harper": 1, "languagetool": 1}
    assert len(final.issues) >= len(first.issues)


def test_no_partial_answer_when_nothing_waits_for_languagetool(lt_engine):
    checker = GrammarChecker(base_settings(language="auto"), lt=lt_engine)
    checker.check(ENGLISH)
    partial: list = []
    checker.check(ENGLISH, on_partial=partial.append)
    assert partial == []


def test_check_command_takes_auto(tmp_path, lt_ready):
    path = tmp_path / "mixed.txt"
    path.write_text(DOCUMENT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "check", "--language", "auto",
                           "--json", str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["languages"] == {"en-US": 1, "zh-CN": 1, "de-DE": 1, "fr": 1}
    assert any(i["text"] == "门" for i in data["issues"])


def test_a_few_chinese_words_do_not_make_an_english_paragraph_chinese():
    assert detect("我们喜欢𠀋写作。 She recieved the letter and read it twice.") == "en-US"
    assert detect("She said 你好 to everyone at the party and then went home early.") \
        == "en-US"
