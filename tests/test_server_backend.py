"""The server backend against real servers on 127.0.0.1 (llama-cpp-python's and llama.cpp's
own llama-server), and a loopback stub for the failures a real server does not produce on
demand."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import pytest

from conftest import MODEL, base_settings
from engine.config import Settings, save_settings
from engine.errors import ModelError
from engine.model import keys
from engine.model.backend import open_backend
from engine.model.llm import GenerationParams
from engine.model.server import ServerRunner, api_base, leaves_machine
from engine.writing.assistant import Assistant, AssistRequest
from engine.writing.evaluate import Evaluator
from engine.writing.optimize import suggest
from engine.writing.templates import TemplateLibrary
from helpers import assert_user_error, wordloom
from servers import LlamaServer, Stub, models_reply

KEY = "sesame-1234"
SAY = [{"role": "user", "content": "Write three sentences about the sea."}]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["llama_cpp.server", "llama-server"])
def server(request: pytest.FixtureRequest) -> Iterator[LlamaServer]:
    """Both servers writers run: llama-cpp-python's and llama.cpp's own."""
    running = LlamaServer(MODEL, api_key=KEY, kind=request.param).wait_ready()
    yield running
    running.stop()


def test_an_answer_cut_at_the_limit_counts_exactly_the_limit(server):
    remote = connect(server)
    remote.load()
    count = [{"role": "user", "content": "Count from one to fifty in words, separated by "
              "commas."}]
    text, stats = remote.generate(count, GenerationParams(max_tokens=6, seed=3,
                                                          temperature=0.0))
    assert stats.finish_reason == "length" and stats.completion_tokens == 6, (text, stats)
    remote.close()


def connect(server: LlamaServer, **kwargs: object) -> ServerRunner:
    options: dict[str, object] = {"api_key": KEY, "timeout": 60.0, **kwargs}
    return ServerRunner(server.url, **options)  # type: ignore[arg-type]


def test_streams_a_chat_answer_with_the_servers_own_token_counts(server, runner):
    remote = connect(server)
    remote.load()
    assert remote.model in remote.models and remote.backend_label == \
        f"server: {server.url} {remote.model}"
    assert not remote.tokens_estimated
    sentence = "Proofreading needs a tokenizer that counts like the model's."
    assert remote.count_tokens(sentence) == runner.count_tokens(sentence)  # same tokenizer
    pieces: list[str] = []
    text, stats = remote.generate(SAY, GenerationParams(max_tokens=40, seed=3),
                                  on_text=pieces.append)
    assert len(pieces) > 3 and "".join(pieces) == text and text.strip()
    assert stats.completion_tokens > 3 and stats.finish_reason in ("stop", "length")
    assert stats.ttft_s > 0 and stats.tokens_per_s > 0
    remote.close()


def test_the_assistant_and_optimizer_run_unchanged_on_the_server(server):
    settings = base_settings(backend="server", server_url=server.url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(keys.ENV, KEY)
        backend = open_backend(settings)
    assert isinstance(backend, ServerRunner)
    backend.load()
    assistant = Assistant(backend, TemplateLibrary())
    request = AssistRequest(template="concise", candidates=2, seed=5,
                            selection="The meeting, which had been planned for many weeks "
                                      "by the whole team, finally took place on Monday.")
    outcome = suggest(assistant, Evaluator(), request, max_rounds=1)
    assert outcome.candidates and any(c.text for c in outcome.candidates)
    assert outcome.prompt.total_tokens > 20 and not outcome.prompt.estimated
    backend.close()


def test_cancel_mid_stream_stops_the_answer_and_the_server_serves_the_next(server):
    remote = connect(server)
    cancel = threading.Event()
    pieces: list[str] = []

    def cancel_after_three(text: str) -> None:
        pieces.append(text)
        if len(pieces) == 3:
            cancel.set()

    _text, stats = remote.generate(SAY, GenerationParams(max_tokens=400, seed=1), cancel,
                                  cancel_after_three)
    assert stats.finish_reason == "cancelled" and len(pieces) == 3
    # the server is free again: a new request gets its answer
    again, stats = remote.generate(SAY, GenerationParams(max_tokens=8, seed=1))
    assert again.strip() and stats.finish_reason != "cancelled"
    remote.close()


def test_a_server_killed_mid_stream_is_one_clear_error():
    doomed = LlamaServer(MODEL).wait_ready()
    remote = ServerRunner(doomed.url)
    killed = threading.Event()

    def kill_on_first(_text: str) -> None:
        if not killed.is_set():
            killed.set()
            doomed.process.kill()

    with pytest.raises(ModelError, match="closed the connection in the middle"):
        remote.generate(SAY, GenerationParams(max_tokens=400), on_text=kill_on_first)
    doomed.stop()
    remote.close()


def test_wrong_address_key_and_model_are_clear_errors(server):
    nothing = ServerRunner("http://127.0.0.1:9/v1", timeout=5)
    with pytest.raises(ModelError, match="cannot reach the model server"):
        nothing.load()
    with pytest.raises(ModelError, match=r"refused the API key \(HTTP 401\)"):
        connect(server, api_key="wrong").load()
    with pytest.raises(ModelError, match=r"has no model 'gpt-9' \(it has: "):
        connect(server, model="gpt-9").load()
    with pytest.raises(ModelError, match="not a server address"):
        ServerRunner("127.0.0.1:8080")


def test_a_stalling_server_times_out():
    stub = Stub({"/v1/models": lambda _p, _b: None})
    started = time.monotonic()
    with pytest.raises(ModelError, match="did not answer within 1 s"):
        ServerRunner(stub.url, timeout=1).load()
    assert time.monotonic() - started < 10
    stub.stop()


@pytest.mark.parametrize(("routes", "message"), [
    ({"/v1/models": lambda _p, _b: (200, "application/json", b"<html>")}, "not JSON"),
    ({"/v1/models": lambda _p, _b: (200, "application/json", b'{"data": 5}')}, "/models"),
    ({"/v1/models": lambda _p, _b: (404, "text/plain", b"no")}, "ends in /v1"),
    ({"/v1/chat/completions": lambda _p, _b: (200, "text/event-stream",
                                              b"data: {not json\n\n")}, "not JSON"),
    ({"/v1/chat/completions": lambda _p, _b: (200, "application/json", b"{}")},
     "malformed response"),
    ({"/v1/chat/completions": lambda _p, _b: (200, "text/event-stream",
                                              b'data: {"error": {"message": "out of '
                                              b'memory"}}\n\n')}, "out of memory"),
    ({"/v1/chat/completions": lambda _p, _b: (500, "application/json",
                                              b'{"error": {"message": "boom"}}')},
     "HTTP 500 to /chat/completions: boom"),
])
def test_malformed_answers_are_clear_errors(routes, message):
    stub = Stub({"/v1/models": models_reply("stub-model"), **routes})
    remote = ServerRunner(stub.url, timeout=5)
    with pytest.raises(ModelError, match=message):
        remote.load()
        remote.generate(SAY, GenerationParams(max_tokens=5))
    stub.stop()


def test_a_server_without_a_tokenizer_gives_marked_estimates():
    event = {"choices": [{"delta": {"content": "Calm seas."}, "finish_reason": "stop"}]}
    stream = f"data: {json.dumps(event)}\n\ndata: [DONE]\n\n".encode()
    stub = Stub({"/v1/models": models_reply("stub-model"),
                 "/v1/chat/completions": lambda _p, _b: (200, "text/event-stream", stream)})
    remote = ServerRunner(stub.url, timeout=5)
    remote.load()
    assert remote.tokens_estimated and remote.count_tokens("x" * 41) == 11
    text, stats = remote.generate(SAY)
    assert text == "Calm seas." and stats.finish_reason == "stop"
    stub.stop()


def test_which_urls_leave_the_machine():
    assert leaves_machine("http://10.0.0.5:8080/v1")
    assert leaves_machine("http://gpu-box.lan:8000/v1")
    assert not leaves_machine("http://127.0.0.1:8080/v1")
    assert not leaves_machine("http://localhost:11434/v1")
    assert not leaves_machine("http://[::1]:8080/v1")
    assert not leaves_machine("https://gpu-box.lan/v1")
    assert api_base("http://h:1") == api_base("http://h:1/v1/") == "http://h:1/v1"


def test_the_key_never_reaches_the_settings_file(wordloom_home, monkeypatch):
    monkeypatch.delenv(keys.ENV, raising=False)
    url = "http://127.0.0.1:8080/v1"
    in_keyring = keys.save_key(url, "hunter2-secret")
    assert in_keyring == keys.keyring_available()
    assert keys.load_key(url) == "hunter2-secret"
    path = save_settings(Settings(backend="server", server_url=url))
    assert "hunter2" not in path.read_text(encoding="utf-8")
    keys.save_key(url, "")
    assert keys.load_key(url) == ""


def test_command_line_generate_and_models_on_the_server(server):
    env = {keys.ENV: KEY}
    done = wordloom("generate", "--backend", "server", "--server-url", server.url, "--json",
                    "--max-tokens", "12", "--seed", "2", "Name a colour.", env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["backend"].startswith(f"server: {server.url} ") and data["text"].strip()
    done = wordloom("models", "--server-url", server.url, "--json", env=env)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert listed["backend"].startswith("server: ") and listed["models"]
    assert listed["token_counts"] == "server"
    done = wordloom("rewrite", "--template", "concise", "--server-url", server.url,
                    "--server-model", "nope", "-", stdin="A long sentence to shorten.",
                    env=env)
    assert_user_error(done, "has no model 'nope'")
    assert_user_error(wordloom("generate", "--backend", "server", "Hi."), "--server-url")
    assert_user_error(wordloom("generate", "--server-url", server.url, "Hi.",
                               env={keys.ENV: "wrong"}), "refused the API key")
