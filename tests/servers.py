"""Real HTTP servers on 127.0.0.1 for the server backend's tests and benches.

``LlamaServer`` runs llama-cpp-python's own OpenAI-compatible server on the starter model.
``Stub`` is a small loopback server that answers each path with what a test tells it to,
for the failures a real server will not produce on demand (stalls, malformed answers).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def llama_server_binary() -> Path:
    """llama.cpp's own server, built once into the cache by ``make llama-server``."""
    env = {k: v for k, v in os.environ.items() if k != "WORDLOOM_HOME"}  # the real cache
    done = subprocess.run(["bash", str(REPO / "packaging" / "llama_server.sh")], env=env,
                          capture_output=True, text=True, check=True, timeout=60)
    return Path(done.stdout.strip())


class LlamaServer:
    """``python -m llama_cpp.server`` on 127.0.0.1, with ``api_key`` when given; or, with
    ``kind="llama-server"``, llama.cpp's own ``llama-server`` on the same model."""

    def __init__(self, model: Path, api_key: str = "", n_ctx: int = 4096,
                 threads: int = 0, kind: str = "llama_cpp.server") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.api_key = api_key
        self.kind = kind
        if kind == "llama-server":
            command = [str(llama_server_binary()), "--model", str(model), "--host",
                       "127.0.0.1", "--port", str(self.port), "--ctx-size", str(n_ctx),
                       "--log-disable"]
            if threads:
                command += ["--threads", str(threads), "--threads-batch", str(threads)]
            if api_key:
                command += ["--api-key", api_key]
        else:
            command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
                       "--host", "127.0.0.1", "--port", str(self.port), "--n_ctx", str(n_ctx),
                       "--verbose", "False"]
            if threads:
                command += ["--n_threads", str(threads), "--n_threads_batch", str(threads)]
            if api_key:
                command += ["--api_key", api_key]
        # its log is long (a pipe would fill and stall it): a file, read when it fails
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.log)

    def wait_ready(self, timeout: float = 120.0) -> LlamaServer:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                err = self.log.read().decode(errors="replace")
                raise RuntimeError(f"{self.kind} exited: {err[-2000:]}")
            try:
                if httpx.get(self.url + "/models", headers=headers, timeout=2).status_code \
                        == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.kind} did not start in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.log.close()


Reply = tuple[int, str, bytes]  # status, content type, body
Handler = Callable[[str, bytes], Reply | None]  # path, request body → reply (None: stall)


class Stub:
    """A loopback HTTP server whose answers a test sets per path."""

    def __init__(self, routes: dict[str, Handler]) -> None:
        self.routes = routes
        self.release = threading.Event()  # ends stalls
        stub = self

        class Handle(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                route = stub.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                reply = route(self.path, body)
                if reply is None:
                    stub.release.wait(30)
                    return
                status, kind, data = reply
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def models_reply(*names: str) -> Handler:
    import json

    body = json.dumps({"object": "list", "data": [{"id": n, "object": "model"}
                                                  for n in names]}).encode()
    return lambda _path, _body: (200, "application/json", body)
