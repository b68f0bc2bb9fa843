"""A model on an OpenAI-compatible server: llama-server, Ollama, vLLM, LM Studio,
llama-cpp-python's own server.

Chat completions stream as server-sent events (httpx for HTTP, httpx-sse for the event
stream); a cancel closes the stream, which these servers take as the end of the request.
Token counts come from the server's tokenize endpoint where it has one (llama-cpp-python
``/extras/tokenize``, llama-server and vLLM ``/tokenize``), else from an estimate that is
marked as one. Every failure is a ``ModelError`` with one plain sentence.
"""

from __future__ import annotations

import ipaddress
import json
import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import httpx
from httpx_sse import SSEError, connect_sse

from engine.config import Settings
from engine.errors import ModelError
from engine.model.keys import load_key
from engine.model.llm import GenerationParams, GenerationStats, Message, collect

CHARS_PER_TOKEN = 4.0  # the estimate when the server cannot count (English prose)
MESSAGE_OVERHEAD = 4  # role markers and separators per chat message
COUNT_CACHE = 512  # texts whose token counts are kept


def api_base(url: str) -> str:
    """``http://host:8080``, ``…/v1`` or ``…/v1/`` → ``http://host:8080/v1``."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ModelError(f"'{url}' is not a server address; expected something like "
                         "http://127.0.0.1:8080/v1")
    return url if url.endswith("/v1") else url + "/v1"


def leaves_machine(url: str) -> bool:
    """True for plain http to another machine: the text would cross the network unencrypted."""
    parts = urlsplit(url.strip())
    if parts.scheme != "http":
        return False
    host = (parts.hostname or "").lower()
    if host in ("localhost", "") or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name: another machine as far as we can tell


class ServerRunner:
    """The ``ModelBackend`` for a server (see engine.model.backend)."""

    def __init__(self, url: str, model: str = "", api_key: str = "", timeout: float = 60.0,
                 context_size: int = 4096) -> None:
        self.base = api_base(url)
        self.root = self.base[: -len("/v1")]
        self.model = model
        self.n_ctx = context_size
        self.timeout = timeout
        self.rtt_ms = 0.0  # the last request's round trip to the response headers
        self.models: list[str] = []
        self._tokenize: Callable[[str], int] | None = None
        self._counts: dict[str, int] = {}
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # Building a TLS context reads the CA bundle for ~80 ms with the GIL held (a
        # stall in the window): only https needs one, plain http never uses it.
        secure = self.base.startswith("https:")
        self._client = httpx.Client(headers=headers, timeout=httpx.Timeout(
            timeout, connect=min(timeout, 10.0)), trust_env=False, verify=secure)
        self._loaded = False

    @classmethod
    def from_settings(cls, settings: Settings, model: str | None = None) -> ServerRunner:
        if not settings.server_url:
            raise ModelError("the server backend needs a server address (server_url, or "
                             "--server-url on the command line)")
        return cls(settings.server_url, model or settings.server_model,
                   load_key(api_base(settings.server_url)), float(settings.server_timeout),
                   settings.context_size or 4096)

    # -- what the writer sees ------------------------------------------------------------

    @property
    def display_name(self) -> str:
        return self.model

    @property
    def device_label(self) -> str:
        where = urlsplit(self.base).netloc
        return f"server {where}" + (f" · {self.rtt_ms:.0f} ms" if self.rtt_ms else "")

    @property
    def backend_label(self) -> str:
        return f"server: {self.base} {self.model}".rstrip()

    @property
    def tokens_estimated(self) -> bool:
        return self._tokenize is None

    # -- connecting ----------------------------------------------------------------------

    def load(self) -> None:
        """Ask the server for its models, pick ours and find how it counts tokens."""
        if self._loaded:
            return
        data = self._json("GET", "/models")
        try:
            entries = data["data"]
            self.models = [str(m["id"]) for m in entries]
        except (KeyError, TypeError) as exc:
            raise self._malformed("/models", exc) from exc
        if not self.models:
            raise ModelError(f"the server at {self.base} has no models loaded")
        if not self.model:
            self.model = self.models[0]
        elif self.model not in self.models:
            raise ModelError(f"the server at {self.base} has no model '{self.model}' "
                             f"(it has: {', '.join(self.models)})")
        entry = entries[self.models.index(self.model)]
        if isinstance(entry.get("max_model_len"), int):  # vLLM says how long its context is
            self.n_ctx = entry["max_model_len"]
        self._context_from_props()
        self._tokenize = self._find_tokenizer()
        self._loaded = True

    def list_models(self) -> list[str]:
        self.load()
        return list(self.models)

    def close(self) -> None:
        self._client.close()

    def _context_from_props(self) -> None:
        """llama-server reports the context it was started with under /props."""
        try:
            response = self._client.get(self.root + "/props")
            props = response.json()
            n_ctx = props.get("default_generation_settings", {}).get("n_ctx") or \
                props.get("n_ctx")
        except (httpx.HTTPError, ValueError, AttributeError):
            return
        if response.status_code == 200 and isinstance(n_ctx, int) and n_ctx > 0:
            self.n_ctx = n_ctx

    def _find_tokenizer(self) -> Callable[[str], int] | None:
        probes: list[tuple[str, Callable[[str], dict[str, Any]]]] = [
            ("/extras/tokenize", lambda t: {"input": t, "model": self.model}),  # llama-cpp-py
            ("/tokenize", lambda t: {"content": t, "prompt": t, "model": self.model}),
        ]
        for path, body in probes:
            try:
                response = self._client.post(self.root + path, json=body("probe"))
                tokens = response.json().get("tokens") if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError, AttributeError):
                continue
            if isinstance(tokens, list):
                return partial(self._count, path, body)
        return None

    def _count(self, path: str, body: Callable[[str], dict[str, Any]], text: str) -> int:
        data = self._json("POST", path, body(text), root=True)
        tokens = data.get("tokens") if isinstance(data, dict) else None
        if not isinstance(tokens, list):
            raise self._malformed(path, "no token list")
        return len(tokens)

    # -- tokens --------------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        if not text:
            return 0
        self.load()
        if self._tokenize is None:
            return max(1, math.ceil(len(text) / CHARS_PER_TOKEN))
        if text not in self._counts:  # building a prompt counts the same parts again and
            if len(self._counts) >= COUNT_CACHE:  # again: one round trip each, not each time
                self._counts.clear()
            self._counts[text] = self._tokenize(text)
        return self._counts[text]

    def count_chat_tokens(self, messages: Sequence[Message]) -> int:
        """The messages' tokens plus a few per message for the chat template's markers."""
        return sum(self.count_tokens(m.get("content", "")) + MESSAGE_OVERHEAD
                   for m in messages)

    # -- generation ----------------------------------------------------------------------

    def generate(self, messages: Sequence[Message], params: GenerationParams | None = None,
                 cancel: threading.Event | None = None,
                 on_text: Callable[[str], None] | None = None,
                 ) -> tuple[str, GenerationStats]:
        return collect(self.stream(messages, params, cancel), on_text)

    def stream(self, messages: Sequence[Message], params: GenerationParams | None = None,
               cancel: threading.Event | None = None) -> Iterator[str | GenerationStats]:
        """Yield text as the server sends it, then one ``GenerationStats``."""
        self.load()
        params = params or GenerationParams()
        cancel = cancel or threading.Event()
        body: dict[str, Any] = {
            "model": self.model, "messages": list(messages), "stream": True,
            "max_tokens": params.max_tokens, "temperature": params.temperature,
            "top_p": params.top_p, "seed": params.seed,
            "repeat_penalty": params.repeat_penalty,  # llama.cpp servers
            "stream_options": {"include_usage": True},
        }
        if params.stop:
            body["stop"] = params.stop
        start = time.perf_counter()
        first: float | None = None
        finish, chunks = "length", 0
        usage: dict[str, Any] = {}
        done = threading.Event()
        try:
            with connect_sse(self._client, "POST", self.base + "/chat/completions",
                             json=body) as source:
                response = source.response
                self.rtt_ms = (time.perf_counter() - start) * 1000
                if response.status_code >= 400:
                    response.read()
                    raise self._status_error(response, "/chat/completions")
                watcher = threading.Thread(target=self._close_on_cancel,
                                           args=(cancel, done, response), daemon=True)
                watcher.start()
                for event in source.iter_sse():
                    if cancel.is_set():
                        break
                    if event.data.strip() == "[DONE]":
                        break
                    chunk = self._decode(event.data)
                    if isinstance(chunk.get("usage"), dict):
                        usage = chunk["usage"]
                    for text, reason in self._pieces(chunk):
                        if text:
                            first = first or time.perf_counter()
                            chunks += 1
                            yield text
                        if reason:
                            finish = reason
        except ModelError:
            raise
        except httpx.TimeoutException as exc:
            if not cancel.is_set():
                raise ModelError(f"the server at {self.base} did not answer within "
                                 f"{self.timeout:.0f} s") from exc
        except SSEError as exc:
            raise self._malformed("/chat/completions", exc) from exc
        except httpx.ConnectError as exc:
            raise ModelError(f"cannot reach the model server at {self.base} ({exc})") from exc
        except (httpx.HTTPError, httpx.StreamError) as exc:
            if not cancel.is_set():
                raise ModelError(f"the server at {self.base} closed the connection in the "
                                 f"middle of the answer ({type(exc).__name__})") from exc
        finally:
            done.set()
        end = time.perf_counter()
        if cancel.is_set():
            finish = "cancelled"
        first = first or end
        counted = usage.get("completion_tokens")
        n_out = counted if isinstance(counted, int) and counted >= 0 else chunks
        decode = end - first
        yield GenerationStats(
            prompt_tokens=_whole(usage.get("prompt_tokens")), completion_tokens=n_out,
            ttft_s=first - start, tokens_per_s=(n_out - 1) / decode if n_out > 1 and decode
            else 0.0, total_s=end - start, finish_reason=finish, gpu_layers=0)

    @staticmethod
    def _close_on_cancel(cancel: threading.Event, done: threading.Event,
                         response: httpx.Response) -> None:
        """A cancel closes the stream at once, even while the server is still reading
        the prompt and sends nothing."""
        while not done.wait(0.05):
            if cancel.is_set():
                response.close()
                return

    # -- plumbing ------------------------------------------------------------------------

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None,
              root: bool = False) -> Any:
        url = (self.root if root else self.base) + path
        start = time.perf_counter()
        try:
            response = self._client.request(method, url, json=body)
        except httpx.ConnectError as exc:
            raise ModelError(f"cannot reach the model server at {self.base} ({exc})") from exc
        except httpx.TimeoutException as exc:
            raise ModelError(f"the server at {self.base} did not answer within "
                             f"{self.timeout:.0f} s") from exc
        except httpx.HTTPError as exc:
            raise ModelError(f"the model server at {self.base} failed: {exc}") from exc
        self.rtt_ms = (time.perf_counter() - start) * 1000
        if response.status_code >= 400:
            raise self._status_error(response, path)
        try:
            return response.json()
        except ValueError as exc:
            raise self._malformed(path, "not JSON") from exc

    def _decode(self, data: str) -> dict[str, Any]:
        try:
            chunk = json.loads(data)
        except ValueError as exc:
            raise self._malformed("/chat/completions", "an event that is not JSON") from exc
        if not isinstance(chunk, dict):
            raise self._malformed("/chat/completions", "an event that is not an object")
        if "error" in chunk:
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else error
            raise ModelError(f"the model server reported an error: {message}")
        return chunk

    def _pieces(self, chunk: dict[str, Any]) -> list[tuple[str, str]]:
        """(text, finish reason) of each choice in a streamed chunk, shapes checked."""
        choices = chunk.get("choices") or []
        if not isinstance(choices, list):
            raise self._malformed("/chat/completions", "choices that are not a list")
        out = []
        for choice in choices:
            delta = choice.get("delta") if isinstance(choice, dict) else None
            if not isinstance(delta, dict | None):
                raise self._malformed("/chat/completions", "a choice without a delta")
            text = (delta or {}).get("content") or ""
            reason = choice.get("finish_reason") if isinstance(choice, dict) else None
            if not isinstance(text, str) or not isinstance(reason, str | None):
                raise self._malformed("/chat/completions", "text that is not a string")
            out.append((text, reason or ""))
        return out

    def _status_error(self, response: httpx.Response, path: str) -> ModelError:
        code = response.status_code
        if code in (401, 403):
            return ModelError(f"the server at {self.base} refused the API key (HTTP {code}); "
                              "set the right key in Settings → Model")
        if code == 404 and path == "/models":
            return ModelError(f"no OpenAI-compatible API at {self.base} (HTTP 404); the "
                              "address usually ends in /v1")
        try:
            detail = response.json()
            detail = detail.get("error", detail) if isinstance(detail, dict) else detail
            detail = detail.get("message", detail) if isinstance(detail, dict) else detail
        except ValueError:
            detail = response.text[:200]
        return ModelError(f"the server at {self.base} answered HTTP {code} to {path}: "
                          f"{str(detail).strip()[:200]}")

    def _malformed(self, path: str, what: object) -> ModelError:
        return ModelError(f"the server at {self.base} sent a malformed response to {path} "
                          f"({what})")


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0
