import pytest

from conftest import MODEL
from helpers import assert_user_error, wordloom, wordloom_json


@pytest.mark.model
def test_models_json():
    data = wordloom_json("models")
    assert data["default"] == str(MODEL)
    assert data["gpu_offload"] is False
    (model,) = data["models"]
    assert set(model) == {"path", "name", "architecture", "size_bytes", "quantization",
                          "context_length", "chat_template"}
    assert model["quantization"] == "Q4_1" and model["chat_template"] is True


@pytest.mark.model
def test_generate_json_is_repeatable_with_a_seed():
    args = ("generate", "--seed", "11", "--max-tokens", "24", "Name three colours.")
    first = wordloom_json(*args)
    second = wordloom_json(*args)
    assert first["text"] and first["text"] == second["text"]
    assert set(first) >= {"text", "prompt_tokens", "completion_tokens", "ttft_s",
                          "tokens_per_s", "gpu_layers"}
    assert 0 < first["completion_tokens"] <= 24
    assert first["gpu_layers"] == 0


@pytest.mark.model
def test_generate_json_counts_an_answer_cut_at_the_limit():
    """The model's answer is longer than 6 tokens: it ends at the limit, and says so."""
    done = wordloom_json("generate", "--seed", "3", "--temperature", "0", "--max-tokens", "6",
                         "Count from one to fifty in words, separated by commas.")
    assert done["finish_reason"] == "length" and done["completion_tokens"] == 6


@pytest.mark.model
def test_generate_streams_plain_text_from_stdin():
    done = wordloom("generate", "--seed", "2", "--max-tokens", "12", "-", stdin="Say hello.")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


@pytest.mark.model
def test_user_mistakes_exit_1_with_one_line(tmp_path):
    junk = tmp_path / "junk.gguf"
    junk.write_text("hello")
    assert_user_error(wordloom("generate", "--model", str(junk), "hi"), "junk.gguf",
                      "not a GGUF")
    assert_user_error(wordloom("generate", "--model", str(tmp_path / "no.gguf"), "hi"),
                      "no such model file")
    assert_user_error(wordloom("generate", "--max-tokens", "9000", "hi"), "9000", "4096")
    assert_user_error(wordloom("generate", "   "), "empty")


def test_bad_arguments_exit_2():
    done = wordloom("generate", "--max-tokens", "lots", "hi")
    assert done.returncode == 2
