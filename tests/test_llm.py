import os
import threading
import time

import pytest

from conftest import MODEL
from engine.config import Settings
from engine.errors import BusyError, ContextOverflowError, ModelError
from engine.model.gguf import read_metadata
from engine.model.llm import (
    GenerationParams,
    GenerationStats,
    LlamaRunner,
    default_threads,
    resolve_gpu_layers,
)

ASK = [{"role": "user", "content": "Write two sentences about autumn in Hangzhou."}]


@pytest.mark.skipif(os.environ.get("WORDLOOM_LLAMA_BUILD") != "portable",
                    reason="make test-portable sets it: this run is on the native build")
def test_the_portable_run_is_on_the_portable_build():
    """make test-portable puts the GGML_NATIVE=OFF wheel first on the path: AVX2 code, no
    AVX-512, whatever this CPU has."""
    import llama_cpp

    info = llama_cpp.llama_print_system_info().decode()
    assert "portable-site" in llama_cpp.__file__
    assert "AVX2 = 1" in info and "AVX512 = 1" not in info, info


@pytest.mark.model
def test_threads_default_to_all_cores():
    assert default_threads() == os.cpu_count()
    runner = LlamaRunner(read_metadata(MODEL))
    assert runner.threads == os.cpu_count()


@pytest.mark.model
def test_context_is_the_trained_length_capped_by_the_setting():
    info = read_metadata(MODEL)
    assert LlamaRunner(info).n_ctx == 8192
    assert LlamaRunner(info, context_size=2048).n_ctx == 2048
    assert LlamaRunner(info, context_size=100_000).n_ctx == 8192


@pytest.mark.parametrize("requested, supported, expected", [
    ("auto", True, -1), ("auto", False, 0), (20, True, 20), (20, False, 0), (0, True, 0),
])
def test_gpu_layer_resolution(requested, supported, expected):
    assert resolve_gpu_layers(requested, supported) == expected


def test_cpu_build_reports_cpu(runner):
    assert runner.gpu_layers == 0
    assert runner.device_label == "CPU"


def test_generation_streams_text_then_stats(runner):
    chunks = list(runner.stream(ASK, GenerationParams(max_tokens=40, seed=7)))
    stats = chunks[-1]
    assert isinstance(stats, GenerationStats)
    text = "".join(chunks[:-1])
    assert len(text.split()) >= 3
    assert all(isinstance(c, str) for c in chunks[:-1])
    assert stats.prompt_tokens > 5
    assert 1 <= stats.completion_tokens <= 40
    assert stats.tokens_per_s > 0 and stats.ttft_s > 0
    assert stats.finish_reason in ("stop", "length")


CHINESE = [{"role": "user", "content": "Translate to Chinese: I love my family and my friends "
             "very much. 请用中文回答。"}]


@pytest.mark.parametrize("limit", range(1, 13))
def test_an_answer_that_reaches_the_limit_counts_exactly_the_limit(runner, limit):
    """llama-cpp-python checks max_tokens only when the text so far ends in whole UTF-8
    characters: in Chinese (three bytes a character, split across tokens) it ran past the
    limit (max 4 gave 5 tokens, max 6 gave 8). The answer stops at the limit, and the
    count is the tokens handed out."""
    text, stats = runner.generate(CHINESE, GenerationParams(max_tokens=limit, temperature=0.0,
                                                            seed=1))
    assert stats.finish_reason == "length"
    assert stats.completion_tokens == limit
    assert runner.count_tokens(text) <= limit  # a cut character is not shown, never more


def test_seed_makes_generation_repeatable(runner):
    params = GenerationParams(max_tokens=30, temperature=0.9, seed=1234)
    first, _ = runner.generate(ASK, params)
    second, _ = runner.generate(ASK, params)
    other, _ = runner.generate(ASK, GenerationParams(max_tokens=30, temperature=0.9, seed=99))
    assert first == second
    assert first != other


@pytest.mark.parametrize("temperature", [0.0, 0.8])
def test_same_request_same_text_whatever_ran_before(runner, temperature):
    count = [{"role": "user", "content": "Count from 1 to 20, separated by commas."}]
    poem = [{"role": "user", "content": "Write a short poem about the sea."}]
    params = GenerationParams(max_tokens=48, temperature=temperature, seed=11,
                              repeat_penalty=1.15)
    first, _ = runner.generate(count, params)
    runner.generate(poem, params)  # another request in between
    again, _ = runner.generate(count, params)
    once_more, _ = runner.generate(count, params)
    assert first == again == once_more


def test_stop_sequence_stops(runner):
    ask = [{"role": "user", "content": "Count from 1 to 20, separated by commas."}]
    free, _ = runner.generate(ask, GenerationParams(max_tokens=60, temperature=0, seed=1))
    assert "7" in free
    cut, stats = runner.generate(ask, GenerationParams(max_tokens=60, temperature=0, seed=1,
                                                       stop=["7"]))
    assert "7" not in cut
    assert free.startswith(cut)
    assert stats.finish_reason == "stop"


def test_cancel_during_decode_then_work_normally(runner):
    cancel = threading.Event()
    got: list[str] = []
    stats = None
    for item in runner.stream(ASK, GenerationParams(max_tokens=200, seed=3), cancel):
        if isinstance(item, GenerationStats):
            stats = item
        else:
            got.append(item)
            if len(got) == 3:
                cancel.set()
    assert stats is not None and stats.finish_reason == "cancelled"
    assert stats.completion_tokens <= 4
    text, after = runner.generate(ASK, GenerationParams(max_tokens=20, seed=3))
    assert text and after.finish_reason in ("stop", "length")


def test_cancel_during_a_long_prompt(runner):
    long_text = "The quick brown fox jumps over the lazy dog. " * 250
    ask = [{"role": "user", "content": "Summarize: " + long_text}]
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    started = time.monotonic()
    text, stats = runner.generate(ask, GenerationParams(max_tokens=10), cancel)
    elapsed = time.monotonic() - started
    # ~2,500 prompt tokens take many seconds here; the abort callback stops them early
    assert stats.prompt_tokens > 2000
    assert stats.finish_reason == "cancelled" and text == ""
    assert elapsed < 3.0
    again, after = runner.generate(ASK, GenerationParams(max_tokens=15, seed=5))
    assert again and after.finish_reason in ("stop", "length")


def test_context_overflow_gives_both_numbers(runner):
    ask = [{"role": "user", "content": "word " * 3000}]
    with pytest.raises(ContextOverflowError) as err:
        runner.generate(ask, GenerationParams(max_tokens=2000))
    message = str(err.value)
    assert "2000" in message and str(runner.n_ctx) in message
    assert err.value.needed > err.value.available == runner.n_ctx


def test_second_request_while_running_is_refused(runner):
    stream = runner.stream(ASK, GenerationParams(max_tokens=50, seed=1))
    next(stream)
    try:
        with pytest.raises(BusyError):
            runner.generate(ASK, GenerationParams(max_tokens=5))
    finally:
        stream.close()
    text, _ = runner.generate(ASK, GenerationParams(max_tokens=5, seed=1))
    assert text


def test_corrupt_model_is_a_clear_error(tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF\x03\x00\x00\x00" + b"\xff" * 32)
    with pytest.raises(ModelError, match=r"broken\.gguf"):
        LlamaRunner.from_settings(Settings(model=str(bad)))


def test_count_tokens(runner):
    assert runner.count_tokens("") == 0
    assert 0 < runner.count_tokens("Hello world") < runner.count_tokens("Hello world " * 10)


def test_a_view_of_the_file_kept_elsewhere_does_not_fail_the_load(monkeypatch):
    """A sampling profiler or a kept traceback can hold the parser's frame, and with it a
    view of the mapped file, past the parse: the model still loads (it once failed with
    "BufferError: cannot close exported pointers exist" and the app never loaded it)."""
    from engine.model import gguf

    kept = []
    take = gguf._Reader.take

    def keep(self, n):
        view = take(self, n)
        kept.append(view)
        return view

    monkeypatch.setattr(gguf._Reader, "take", keep)
    info = read_metadata(MODEL)
    assert kept and info.context_length > 0 and info.architecture == "llama"
    kept.clear()
