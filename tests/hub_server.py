"""A model hub on 127.0.0.1 for the download tests and the bench: real HTTP, real bytes.

``/{owner}/{repo}/resolve/{revision}/{file}`` answers the way the hub does: HEAD and GET
with ``X-Repo-Commit``, ``ETag``/``X-Linked-Etag`` (the file's SHA-256), sizes, Range
requests (206) and, with ``cdn=True``, a 302 to a second origin that serves the bytes
(the hub's client then stops following on HEAD and reads the linked headers).
``/files/{file}`` is a plain web server for pasted links.

Faults a test switches on: ``truncate_at`` (close the connection at that offset, every
time or ``truncate_once``), ``stall_at`` (send nothing more from that offset), ``html``
(a web page in the file's place), ``no_length``, ``redirect_loop``, ``wrong_sha`` (advertise another
hash), ``ignore_range`` (answer 200 to a Range request), ``rate`` (bytes per second).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"
HTML = b"<!DOCTYPE html><html><body><h1>Sign in to continue</h1></body></html>\n" * 40


@dataclass
class Faults:
    truncate_at: int | None = None
    truncate_once: bool = False
    stall_at: int | None = None
    html: bool = False
    redirect_loop: bool = False
    wrong_sha: bool = False
    ignore_range: bool = False
    rate: int = 0  # bytes per second; 0: as fast as it goes
    no_length: bool = False  # no Content-Length: the body ends when the connection closes


@dataclass
class Request:
    method: str
    path: str
    range: str | None


@dataclass
class Hub:
    files: dict[str, bytes]  # file name -> bytes, the same under every repository
    cdn: bool = False
    faults: Faults = field(default_factory=Faults)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sha = {name: hashlib.sha256(data).hexdigest() for name, data in self.files.items()}
        self.stop_event = threading.Event()
        self._truncated = False
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.cdn_server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.cdn_server.daemon_threads = True
        for server in (self.server, self.cdn_server):
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                             daemon=True).start()  # stop() waits one poll for each

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def cdn_base(self) -> str:
        return f"http://127.0.0.1:{self.cdn_server.server_address[1]}"

    def url(self, name: str) -> str:
        return f"{self.endpoint}/files/{name}"

    def stop(self) -> None:
        self.stop_event.set()
        for server in (self.server, self.cdn_server):
            server.shutdown()
            server.server_close()

    def gets(self) -> list[Request]:
        return [r for r in self.requests if r.method == "GET"]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hub = self

        class Handle(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_HEAD(self) -> None:
                hub.requests.append(Request("HEAD", self.path, self.headers.get("Range")))
                self._answer(body=False)

            def do_GET(self) -> None:
                hub.requests.append(Request("GET", self.path, self.headers.get("Range")))
                self._answer(body=True)

            def log_message(self, *_args: object) -> None:
                return

            def _answer(self, body: bool) -> None:
                parts = self.path.split("?")[0].strip("/").split("/")
                if len(parts) == 5 and parts[2] == "resolve":
                    self._resolve(parts[4], body)
                elif len(parts) == 2 and parts[0] in ("files", "cdn"):
                    self._file(parts[1], body, hub_headers=parts[0] == "cdn")
                else:
                    self._status(404, "RepoNotFound")

            def _resolve(self, name: str, body: bool) -> None:
                if hub.faults.redirect_loop:
                    self.send_response(302)
                    self.send_header("Location", self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if name not in hub.files:
                    self._status(404, "EntryNotFound")
                    return
                if hub.cdn:
                    self.send_response(302)
                    self.send_header("Location", f"{hub.cdn_base}/cdn/{name}")
                    self.send_header("X-Repo-Commit", COMMIT)
                    self.send_header("X-Linked-Etag", f'"{self._sha(name)}"')
                    self.send_header("X-Linked-Size", str(len(hub.files[name])))
                    self.send_header("ETag", '"w-redirect"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._file(name, body, hub_headers=True)

            def _sha(self, name: str) -> str:
                return "f" * 64 if hub.faults.wrong_sha else hub.sha[name]

            def _status(self, code: int, error: str) -> None:
                text = f"{code} {error}\n".encode()
                self.send_response(code)
                self.send_header("X-Error-Code", error)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(text)

            def _file(self, name: str, body: bool, hub_headers: bool) -> None:
                if name not in hub.files:
                    self._status(404, "EntryNotFound")
                    return
                data = HTML if hub.faults.html else hub.files[name]
                start = 0
                wanted = self.headers.get("Range")
                if wanted and not hub.faults.ignore_range and wanted.startswith("bytes="):
                    start = int(wanted[6:].split("-")[0] or 0)
                if start >= len(data) and start:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range",
                                     f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.send_header("Content-Type", "text/html" if hub.faults.html
                                 else "application/octet-stream")
                self.send_header("Accept-Ranges", "bytes")
                if hub.faults.no_length:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(data) - start))
                if hub_headers and not hub.faults.html:
                    self.send_header("X-Repo-Commit", COMMIT)
                    self.send_header("ETag", f'"{self._sha(name)}"')
                self.end_headers()
                if body:
                    self._send(data, start)

            def _send(self, data: bytes, start: int) -> None:
                faults = hub.faults
                end = len(data)
                cut = faults.truncate_at is not None and not (
                    faults.truncate_once and hub._truncated)
                if cut and faults.truncate_at is not None:
                    end = max(start, min(end, faults.truncate_at))
                    hub._truncated = True
                stall = faults.stall_at
                pos = start
                chunk = 64 << 10
                while pos < end:
                    if stall is not None and pos >= stall:
                        hub.stop_event.wait(30)  # a server that stops sending
                        return
                    piece = data[pos:min(end, pos + chunk, stall if stall and stall > pos
                                         else end)]
                    try:
                        self.wfile.write(piece)
                    except OSError:
                        return
                    pos += len(piece)
                    if faults.rate:
                        time.sleep(len(piece) / faults.rate)
                if end < len(data):
                    self.close_connection = True
                    self.wfile.flush()
                    self.connection.shutdown(2)

        return Handle
