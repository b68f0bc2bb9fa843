"""A proofreading judge of its own: the judge setting, its file in the judges folder, and
the real Gemma 3 270M judge (installed by ``make setup``) deciding the checked fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import JUDGE, MODEL, base_settings
from engine.config import save_settings, settings_from_dict
from engine.grammar.checker import GrammarChecker
from engine.model.judge_choice import find_judge
from engine.model.scorer import LogProbScorer
from engine.paths import app_paths
from engine.writing.proofread import proofread_text
from helpers import assert_user_error, wordloom, wordloom_json

# mistakes the starter model judges wrongly and the Gemma judge rightly (the starter
# model leaves "concentrate", drops the "of" of "kind of" and puts a comma after the
# subject "Reading many books")
VERB = "He mostly concetrate on the questions his teacher asks in class."
KIND = "I like to take part in kind of activities that bring people together."
SUBJECT = "Reading many books help them to understand the world better."


def test_a_judge_is_a_path_or_a_file_in_the_judges_folder(tmp_path: Path) -> None:
    assert find_judge("") is None and find_judge("  ") is None  # the loaded model judges
    assert find_judge("gemma.gguf") == "gemma.gguf"  # in neither place: named as given
    installed = app_paths().judges / "gemma.gguf"
    installed.parent.mkdir(parents=True, exist_ok=True)
    installed.write_bytes(b"GGUF")
    assert find_judge(" gemma.gguf ") == str(installed)
    own = tmp_path / "gemma.gguf"
    assert find_judge(str(own)) == str(own)  # a path is a path, there or not
    assert find_judge("~/j.gguf") == str(Path("~/j.gguf").expanduser())
    settings, problems = settings_from_dict({"judge": 3})
    assert settings.judge == "" and problems == ["settings: setting 'judge': expected str, "
                                                 "got 3; using the default"]


@pytest.mark.numeric
def test_the_gemma_judge_decides_where_the_starter_model_goes_wrong(
        gemma: LogProbScorer, checker: GrammarChecker) -> None:
    def fixed(text: str) -> str:
        return proofread_text(text, checker.check(text).issues, gemma).text

    assert fixed(VERB) == "He mostly concentrates on the questions his teacher asks in class."
    assert fixed(KIND) == KIND
    assert fixed(SUBJECT) == SUBJECT  # no comma after the subject
    # and it still makes the fixes the starter model makes
    assert fixed("My father have worked in this factory for twenty years.") == \
        "My father has worked in this factory for twenty years."


@pytest.mark.model
@pytest.mark.languagetool
def test_the_command_line_proofreads_with_the_judge_setting(tmp_path: Path) -> None:
    save_settings(base_settings(model=str(MODEL), judge=str(JUDGE)))
    data = wordloom_json("proofread", "-", stdin=VERB)
    assert data["text"] == "He mostly concentrates on the questions his teacher asks in class."
    assert data["judge"] == str(JUDGE)
    missing = tmp_path / "nowhere.gguf"
    save_settings(base_settings(model=str(MODEL), judge=str(missing)))
    assert_user_error(wordloom("proofread", "-", stdin=VERB), "nowhere.gguf",
                      "no such model file")
    # --model names the judge for one run, over the setting
    done = wordloom("proofread", "-", "--model", str(MODEL), stdin=VERB)
    assert done.returncode == 0 and f"judge: {MODEL}" in done.stderr, done.stderr


@pytest.mark.model
def test_the_app_judges_with_the_judge_setting_and_passes_over_a_missing_one(
        tmp_path: Path) -> None:
    from gui.window.hosts import ModelHost

    host = ModelHost(None, None)
    try:
        info = host.load(base_settings(model=str(MODEL), judge=str(JUDGE)))
        assert host.scorer is not None and host.scorer.model_path == str(JUDGE)
        assert (info.judge, info.judge_problem) == (JUDGE.stem, "")
        assert info.state.endswith(f" · context {info.n_ctx} · judge {JUDGE.stem}")
        assert host.proofread("My father have worked here for twenty years.").text == \
            "My father has worked here for twenty years."  # the judge's edit, no checkers
        gone = tmp_path / "gone.gguf"
        info = host.load(base_settings(model=str(MODEL), judge=str(gone)))
        assert host.scorer is not None and host.scorer.model_path == str(MODEL)
        assert info.judge == "" and info.judge_problem == f"{gone}: no such model file"
        assert info.state.endswith(f" · context {info.n_ctx}")
    finally:
        host.close()
