"""A damaged home: broken settings, a truncated journal, a models folder that is a file,
a config folder that cannot be written. Each is named in one line; the app starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import LT_HOME, MODEL, REPO
from engine.paths import app_paths
from engine.startup import start_up


def one_line_naming(problems: list[str], what: object) -> str:
    """All the lines that name ``what``, joined (one problem may be said two ways)."""
    found = [p for p in problems if str(what) in p]
    assert found, problems
    assert all("\n" not in p for p in problems)
    return " | ".join(found)


def test_broken_settings_and_a_truncated_journal_are_named(wordloom_home):
    paths = app_paths()
    paths.settings_file.write_text('theme = "dark"\nthreads = [unclosed', encoding="utf-8")
    paths.journal.mkdir(parents=True, exist_ok=True)
    damaged = paths.journal / "0123abcd.json"
    damaged.write_text('{"doc_id": "0123abcd", "path": "", "text": "Half a sen', encoding="utf-8")
    settings, problems, _orphans = start_up()
    assert "not valid TOML" in one_line_naming(problems, paths.settings_file)
    assert "damaged recovery file" in one_line_naming(problems, damaged)
    assert settings.theme == "system"  # the defaults, since the file could not be read
    assert damaged.exists()  # left for the writer to look at


def test_a_models_folder_that_is_a_file_and_a_config_folder_that_cannot_be_used(
        wordloom_home, qtbot, windows):
    import shutil

    paths = app_paths()
    shutil.rmtree(paths.models)
    paths.models.write_text("not a folder")
    shutil.rmtree(paths.config)
    paths.config.write_text("not a folder either")
    settings, problems, _orphans = start_up()
    assert "models folder is a file" in one_line_naming(problems, paths.models)
    assert "a file is in its place" in one_line_naming(problems, paths.config)
    from gui.window.main_window import MainWindow

    window = MainWindow(settings)  # no model to find, settings that cannot be saved
    window.setProperty("quiet", True)
    windows.append(window)
    window.show()
    qtbot.waitUntil(lambda: "not loaded" in window.status.model.text(), timeout=60000)
    qtbot.keyClicks(window.editor, "Still writing.")
    assert window.editor.toPlainText() == "Still writing."
    window.preferences.remember("/tmp/a.md")  # saving settings fails: said, not raised


def test_the_app_starts_on_a_damaged_home_and_says_what_it_found(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "WORDLOOM_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    paths_code = "from engine.paths import app_paths; print(app_paths().settings_file)"
    settings_file = subprocess.run([sys.executable, "-c", paths_code], env=env, cwd=REPO,
                                   capture_output=True, text=True).stdout.strip()
    config = os.path.dirname(settings_file)
    os.makedirs(config)
    with open(settings_file, "w", encoding="utf-8") as handle:
        handle.write("model = 5\n[[[")
    models = home / "data" / "models"
    models.mkdir(parents=True)
    (models / MODEL.name).symlink_to(MODEL)  # the starter model, found without settings
    (home / "cache").mkdir()
    (home / "cache" / "languagetool").symlink_to(LT_HOME)  # the provisioned server
    (home / "data" / "journal").mkdir()
    (home / "data" / "journal" / "ffff0000.json").write_bytes(b'{"doc_id": 7, "pid": "x"}')
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "--smoke"], env=env,
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["ok"], summary
    # one copy of the weights for both contexts, no nltk, the lexicon and the syllables as
    # sorted lines (bench/memory.py --smoke prints the figure: 686-694 MB on two cores; it
    # was 988 MB with the weights loaded twice, 782 MB with nltk and lemminflect's dicts)
    assert 200 < summary["peak_mb"] < 760, summary["peak_mb"]
    problems = summary["problems"]
    assert any(settings_file in p and "not valid TOML" in p for p in problems), problems
    assert any("ffff0000.json" in p and "damaged" in p for p in problems), problems
