from pathlib import Path

import pytest

from engine.config import Settings, load_settings, save_settings
from engine.paths import HOME_ENV, app_paths


def test_wordloom_home_moves_every_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "elsewhere"))
    paths = app_paths()
    for folder in (paths.config, paths.data, paths.cache, paths.logs, paths.models):
        assert folder.is_relative_to(tmp_path / "elsewhere")
    assert paths.models.parent == paths.data


def test_default_folders_come_from_platformdirs(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(HOME_ENV)
    paths = app_paths()
    assert "wordloom" in str(paths.config).lower()
    assert paths.config != paths.data


def test_settings_round_trip(tmp_path: Path):
    path = tmp_path / "s.toml"
    original = Settings(threads=3, gpu_layers=12, temperature=0.2, picky=True,
                        model_dirs=["/a", "/b"], theme="dark")
    save_settings(original, path)
    loaded, problems = load_settings(path)
    assert problems == []
    assert loaded == original


def test_a_bad_value_names_its_key_and_the_rest_loads(tmp_path: Path):
    path = tmp_path / "s.toml"
    path.write_text('threads = "many"\ntemperature = 0.3\ntheme = "purple"\n'
                    'gpu_layers = "lots"\nnonsense = 1\nlanguage = "de-DE"\n')
    loaded, problems = load_settings(path)
    assert loaded.temperature == 0.3 and loaded.language == "de-DE"
    assert loaded.threads == Settings().threads and loaded.theme == "system"
    assert loaded.gpu_layers == "auto"
    text = "\n".join(problems)
    for key in ("threads", "theme", "gpu_layers", "nonsense"):
        assert f"'{key}'" in text
    assert len(problems) == 4


def test_broken_toml_gives_defaults_and_a_reason(tmp_path: Path):
    path = tmp_path / "s.toml"
    path.write_text("threads = = 3\n")
    loaded, problems = load_settings(path)
    assert loaded == Settings()
    assert len(problems) == 1 and "not valid TOML" in problems[0]
