import shutil
from pathlib import Path

import pytest

from conftest import MODEL, base_settings
from engine.errors import ModelError
from engine.model.gguf import find_models, read_metadata, resolve_model


@pytest.mark.model
def test_default_model_metadata():
    info = read_metadata(MODEL)
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert info.chat_template is True
    assert info.size_bytes == MODEL.stat().st_size
    assert "135M" in info.name
    assert info.n_layers == 30
    assert info.estimate_memory_bytes(4096) > info.size_bytes


def _truncated(tmp_path: Path, size: int) -> Path:
    path = tmp_path / f"cut{size}.gguf"
    with open(MODEL, "rb") as src:
        path.write_bytes(src.read(size))
    return path


@pytest.mark.parametrize("case, reason", [
    ("magic", "wrong magic"),
    ("empty", "empty"),
    pytest.param("header", "truncated", marks=pytest.mark.model),  # a cut starter model
    pytest.param("weights", "truncated", marks=pytest.mark.model),
    ("folder", "folder"),
    ("missing", "no such model file"),
])
def test_broken_files_name_the_file_and_the_reason(tmp_path: Path, case: str, reason: str):
    path = {
        "magic": lambda: _write(tmp_path / "m.gguf", b"GGML" + b"\0" * 64),
        "empty": lambda: _write(tmp_path / "e.gguf", b""),
        "header": lambda: _truncated(tmp_path, 200),
        "weights": lambda: _truncated(tmp_path, 4_000_000),
        "folder": lambda: _mkdir(tmp_path / "d.gguf"),
        "missing": lambda: tmp_path / "nothing.gguf",
    }[case]()
    with pytest.raises(ModelError) as err:
        read_metadata(path)
    assert str(path) in str(err.value)
    assert reason in str(err.value)


@pytest.mark.model
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import engine.model.gguf

    path = shutil.copy(MODEL, tmp_path / "locked.gguf")

    def refuse(*_args: object, **_kw: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(engine.model.gguf, "open", refuse, raising=False)
    with pytest.raises(ModelError, match="cannot read the model file"):
        read_metadata(path)


@pytest.mark.model
def test_find_models_lists_good_files_and_reports_bad_ones(tmp_path: Path):
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "junk.gguf").write_bytes(b"not a model")
    settings = base_settings(model_dirs=[str(folder)])
    found, problems = find_models(settings)
    assert [m.path for m in found] == [str(MODEL)]
    assert len(problems) == 1 and "junk.gguf" in problems[0]


def test_missing_default_says_what_to_do():
    with pytest.raises(ModelError, match="make setup"):
        resolve_model(base_settings(model=""))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path
