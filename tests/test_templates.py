import os
import time
from pathlib import Path

import pytest

from engine.errors import TemplateError
from engine.paths import app_paths
from engine.writing.templates import TemplateLibrary, parse_template
from helpers import wordloom_json

GOOD = '''name = "shout"
title = "Shout"
category = "edit"
prompt = """
Make this louder:
<text>
{{ input_text }}
</text>
"""
'''


def write_user(name: str, text: str) -> Path:
    folder = app_paths().user_templates
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_at_least_fifteen_builtins_in_every_category():
    library = TemplateLibrary()
    names = {t.name for t in library.all()}
    assert library.errors == []
    assert len(names) >= 15
    for wanted in ("proofread", "rewrite", "formal", "friendly", "concise", "expand",
                   "simplify", "academic", "persuasive", "journalistic", "continue",
                   "summarize", "key-points", "headlines", "travel"):
        assert wanted in names
    assert {t.category for t in library.all()} == {"edit", "transform", "generate", "analyze"}


@pytest.mark.parametrize("body, needle", [
    ("{{ input_text.__class__.__mro__ }}", "__mro__"),
    ("{{ input_text['__class__'] }}", "__class__"),
    ("{{ lipsum.__globals__ }}", "__globals__"),
])
def test_sandbox_escapes_are_rejected_with_file_and_line(tmp_path, body, needle):
    text = GOOD.replace("{{ input_text }}", body)
    with pytest.raises(TemplateError) as err:
        parse_template(text, tmp_path / "evil.toml")
    message = str(err.value)
    assert "evil.toml:" in message and needle in message
    line = int(message.split("evil.toml:")[1].split(":")[0])
    assert needle in text.splitlines()[line - 1]


def test_syntax_errors_and_undeclared_variables_name_the_line(tmp_path):
    broken = GOOD.replace("{{ input_text }}", "{% if input_text %}unclosed")
    with pytest.raises(TemplateError, match=r"broken\.toml:\d+: syntax error"):
        parse_template(broken, tmp_path / "broken.toml")
    undeclared = GOOD.replace("{{ input_text }}", "{{ input_text }} for {{ audience }}")
    with pytest.raises(TemplateError) as err:
        parse_template(undeclared, tmp_path / "vars.toml")
    assert "undeclared variable 'audience'" in str(err.value)
    assert "vars.toml:7" in str(err.value)
    declared = undeclared + '\n[variables]\naudience = "children"\n'
    assert "children" in parse_template(declared, tmp_path / "ok.toml").render(
        {"input_text": "hi"})


def test_user_templates_override_builtins_and_are_reread():
    library = TemplateLibrary()
    assert library.get("formal").source == "built-in"
    write_user("my-formal", GOOD.replace('"shout"', '"formal"').replace("louder", "stiffer"))
    assert library.get("formal").source == "user"
    assert "stiffer" in library.get("formal").render({"input_text": "x"})
    path = write_user("extra", GOOD)
    assert library.get("shout").title == "Shout"
    time.sleep(0.01)
    path.write_text(GOOD.replace('title = "Shout"', 'title = "Yell"'))
    os.utime(path, (time.time() + 5, time.time() + 5))
    assert library.get("shout").title == "Yell"
    path.unlink()
    with pytest.raises(TemplateError, match="no template named 'shout'"):
        library.get("shout")


def test_a_broken_user_template_is_reported_and_skipped():
    write_user("bad", 'name = "bad"\ntitle = "Bad"\ncategory = "edit"\n'
                      'prompt = "{{ x.__class__ }}"\n')
    library = TemplateLibrary()
    assert "bad" not in {t.name for t in library.all()}
    assert any("bad.toml" in e for e in library.errors)


def test_templates_json_lists_sources():
    write_user("extra", GOOD)
    data = wordloom_json("templates")
    by_name = {t["name"]: t for t in data["templates"]}
    assert by_name["shout"]["source"] == "user"
    assert by_name["proofread"]["source"] == "built-in"
    assert set(by_name["proofread"]) == {"name", "title", "category", "description", "source"}
