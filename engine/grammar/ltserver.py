"""A local LanguageTool server that Wordloom starts, watches and stops.

The server is assembled by ``make setup`` (packaging/provision_languagetool.py) into the
cache folder; the packaged app carries the same one among its resources. It listens on
127.0.0.1 only, with a bounded heap. If it dies it is started again on the next check; on
exit it is stopped, and on Linux it is also tied to the life of the thread that started it
(``setpriv --pdeathsig``), so a crash of Wordloom leaves no JVM behind.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from engine.config import Settings
from engine.paths import app_paths, resource_dir

log = logging.getLogger("wordloom.languagetool")
MAIN_CLASS = "org.languagetool.server.HTTPServer"
StateCallback = Callable[[str], None]


def java_version() -> int | None:
    """The major version of ``java`` on PATH, or None when there is none."""
    java = shutil.which("java")
    if not java:
        return None
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def languagetool_home(settings: Settings) -> Path:
    """Where the server's jars are: the folder the settings name, else the one ``make
    setup`` assembles in the cache folder, else the one the packaged app carries."""
    if settings.languagetool_dir:
        return Path(settings.languagetool_dir).expanduser()
    assembled = app_paths().languagetool
    bundled = resource_dir() / "languagetool"
    if installed_version(assembled) is None and installed_version(bundled) is not None:
        return bundled
    return assembled


def installed_version(home: Path) -> str | None:
    marker = home / "installed.json"
    if not marker.exists() or not any((home / "lib").glob("languagetool-server-*.jar")):
        return None
    try:
        return str(json.loads(marker.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LanguageToolServer:
    """One JVM running LanguageTool's HTTP server on a free loopback port."""

    def __init__(self, home: Path, heap_mb: int = 512,
                 on_state: StateCallback | None = None) -> None:
        self.home = Path(home)
        self.heap_mb = heap_mb
        self.on_state = on_state
        self.state = "stopped"
        self.port = 0
        self.restarts = 0
        self.started_at = 0.0
        self.ready_after_s = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.RLock()
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _set_state(self, state: str) -> None:
        self.state = state
        log.info("LanguageTool: %s", state)
        if self.on_state:
            self.on_state(state)

    def problem(self) -> str | None:
        """Why the server cannot start here, or None."""
        if installed_version(self.home) is None:
            return f"no LanguageTool server in {self.home} (run 'make setup')"
        java = java_version()
        if java is None:
            return "Java is not installed"
        if java < 17:
            return f"Java {java} is too old (LanguageTool needs 17 or newer)"
        return None

    def command(self) -> list[str]:
        config = self.home / "server.properties"
        if not config.exists():  # a packaged server's folder is read-only: use the cache
            config = app_paths().cache / "languagetool-server.properties"
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text("cacheSize=2000\n")
        cmd = [
            # C1 only: HotSpot's C2 compiler otherwise goes on compiling for 100-180 ms of
            # CPU after each check has been answered (measured after 80 checks), time taken
            # from the model's threads on a small machine (bench/proofread.py prints it);
            # a sentence's check takes as long either way (bench/grammar.py)
            shutil.which("java") or "java", f"-Xmx{self.heap_mb}m", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Djava.awt.headless=true", "-cp", str(self.home / "lib" / "*"), MAIN_CLASS,
            "--port", str(self.port), "--config", str(config),
        ]
        setpriv = shutil.which("setpriv")
        if setpriv and os.name == "posix":
            cmd = [setpriv, "--pdeathsig", "TERM", *cmd]
        return cmd

    def start(self) -> None:
        """Start the JVM without waiting for it; see ``wait_ready``."""
        with self._lock:
            if self.alive():
                return
            problem = self.problem()
            if problem:
                self._set_state(f"failed: {problem}")
                return
            self.port = free_port()
            logs = app_paths().logs
            logs.mkdir(parents=True, exist_ok=True)
            with open(logs / "languagetool.log", "ab") as out:
                self._proc = subprocess.Popen(
                    self.command(), stdin=subprocess.DEVNULL, stdout=out,
                    stderr=subprocess.STDOUT, start_new_session=False)
            self.started_at = time.monotonic()
            self._set_state("starting")

    def wait_ready(self, timeout: float = 180.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                proc = self._proc
            if proc is None:
                return False
            if proc.poll() is not None:
                self._set_state(f"failed: the server exited with code {proc.returncode} "
                                f"(see {app_paths().logs / 'languagetool.log'})")
                return False
            if self._answers():
                self.ready_after_s = time.monotonic() - self.started_at
                self._set_state("ready")
                return True
            time.sleep(0.25)
        self._set_state(f"failed: not ready after {timeout:.0f} s")
        return False

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "v2/languages", timeout=2) as resp:
                return bool(resp.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def ensure_running(self, timeout: float = 180.0) -> bool:
        """Start, or restart a server that died, and wait until it answers."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is not None:
                log.warning("LanguageTool server died (code %s); restarting",
                            self._proc.returncode)
                self._proc = None
                self.restarts += 1
            if self._proc is None:
                self.start()
            if self._proc is None:
                return False
        if self.state == "ready" and self.alive():
            return True
        return self.wait_ready(timeout)

    def stop(self) -> None:
        with self._lock:
            proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
        self._set_state("stopped")
