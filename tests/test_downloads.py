"""Model downloads against a real HTTP server on 127.0.0.1 serving the starter model: the
hub's client resolves and transfers, Wordloom resumes, checks and places the file."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hub_server import Faults, Hub

from conftest import MODEL, REPO
from engine.model.download import (
    DownloadCancelled,
    DownloadError,
    Progress,
    Source,
    download,
    partial_bytes,
    partial_path,
    staging_dir,
)
from engine.model.gguf import read_metadata
from engine.paths import app_paths

NAME = "starter.gguf"
DATA = MODEL.read_bytes()
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub({NAME: DATA}, cdn=True)
    yield server
    server.stop()


@pytest.fixture
def plain_hub() -> Iterator[Hub]:
    """The file straight from the resolve address (no redirect to a second origin)."""
    server = Hub({NAME: DATA}, cdn=False)
    yield server
    server.stop()


def source(hub: Hub, name: str = NAME) -> Source:
    return Source(repo="wordloom/starter-GGUF", file=name, endpoint=hub.endpoint)


def models_left() -> list[str]:
    return sorted(p.name for p in app_paths().models.iterdir())


def staged() -> list[str]:
    folder = staging_dir()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_catalogue_download_is_checked_and_placed(hub):
    seen: list[Progress] = []
    result = download(source(hub), catalogue_sha256=SHA, progress=seen.append)
    assert result.path == app_paths().models / NAME
    assert result.path.read_bytes() == DATA
    assert (result.sha256, result.size_bytes, result.checked_against) == \
        (SHA, len(DATA), "catalogue")
    assert read_metadata(result.path).architecture == "llama"
    assert staged() == []  # the partial and its note are gone
    # the hub's way: HEAD the resolve address, then GET the second origin it points to
    assert [(r.method, r.path.split("/")[1]) for r in hub.requests] == \
        [("HEAD", "wordloom"), ("GET", "cdn")]
    downloading = [p.done for p in seen if p.phase == "downloading"]
    assert downloading == sorted(downloading) and downloading[-1] == len(DATA)
    assert seen[0].phase == "connecting" and seen[-1].phase == "downloading"


def test_the_hubs_hash_is_checked_when_the_catalogue_has_none(plain_hub):
    result = download(source(plain_hub))
    assert result.checked_against == "hub" and result.sha256 == SHA


def test_a_dropped_connection_resumes_with_a_range_request(hub):
    hub.faults = Faults(truncate_at=len(DATA) // 3, truncate_once=True)
    result = download(source(hub), catalogue_sha256=SHA)
    assert result.path.read_bytes() == DATA
    ranges = [r.range for r in hub.gets()]
    assert ranges[0] is None and len(ranges) == 2
    resumed_at = int(ranges[1].removeprefix("bytes=").rstrip("-"))
    assert 0 < resumed_at <= len(DATA) // 3  # whole chunks kept; the rest fetched again


def test_pause_keeps_the_bytes_and_the_next_try_resumes(hub):
    cancel = threading.Event()
    hub.faults = Faults(rate=40_000_000)

    def stop_halfway(p: Progress) -> None:
        if p.phase == "downloading" and p.done > len(DATA) // 2:
            cancel.set()

    with pytest.raises(DownloadCancelled):
        download(source(hub), catalogue_sha256=SHA, progress=stop_halfway, cancel=cancel)
    kept = partial_bytes(NAME)
    assert len(DATA) // 2 < kept < len(DATA)
    assert models_left() == []
    assert partial_path(NAME).read_bytes() == DATA[:kept]

    hub.faults = Faults()
    result = download(source(hub), catalogue_sha256=SHA)
    assert result.resumed_from == kept
    assert hub.gets()[-1].range == f"bytes={kept}-"
    assert result.path.read_bytes() == DATA
    assert staged() == []


def test_a_server_that_ignores_range_sends_it_all_again(hub):
    cancel = threading.Event()
    hub.faults = Faults(rate=40_000_000)
    with pytest.raises(DownloadCancelled):
        download(source(hub), progress=lambda p: p.done > 1 << 20 and cancel.set(),
                 cancel=cancel)
    assert partial_bytes(NAME) > 0
    hub.faults = Faults(ignore_range=True)
    result = download(source(hub), catalogue_sha256=SHA)
    assert result.path.read_bytes() == DATA and result.sha256 == SHA


def test_a_partial_of_another_file_is_not_resumed(hub, plain_hub):
    folder = staging_dir()
    folder.mkdir(parents=True)
    partial_path(NAME).write_bytes(b"GGUF" + b"\0" * 1000)  # no note: unknown origin
    result = download(source(hub), catalogue_sha256=SHA)
    assert result.resumed_from == 0 and result.path.read_bytes() == DATA


@pytest.mark.parametrize("when", ["before", "transfer", "verifying"])
def test_cancel_at_any_moment_leaves_nothing(hub, when):
    cancel = threading.Event()
    hub.faults = Faults(rate=60_000_000)
    if when == "before":
        cancel.set()
    if when == "verifying":  # a resumed download first reads back what it kept
        pause = threading.Event()
        with pytest.raises(DownloadCancelled):
            download(source(hub), progress=lambda p: p.done > 8 << 20 and pause.set(),
                     cancel=pause)

    def watch(p: Progress) -> None:
        if (when == "transfer" and p.phase == "downloading" and p.done > 1 << 20) or \
                (when == "verifying" and p.phase == "verifying"):
            cancel.set()

    with pytest.raises(DownloadCancelled):
        download(source(hub), catalogue_sha256=SHA, progress=watch, cancel=cancel,
                 keep_partial=False)
    assert models_left() == [] and staged() == []


def test_not_found_on_the_hub_and_at_a_link(hub):
    with pytest.raises(DownloadError, match=r"has no file 'missing\.gguf'"):
        download(source(hub, "missing.gguf"))
    with pytest.raises(DownloadError, match=r"not found \(404\)"):
        download(Source(url=hub.url("missing.gguf")))
    assert models_left() == [] and staged() == []


def test_a_web_page_instead_of_a_model_is_refused(plain_hub):
    plain_hub.faults = Faults(html=True)
    with pytest.raises(DownloadError, match="sent a web page, not a GGUF model") as info:
        download(Source(url=plain_hub.url(NAME)))
    assert "\n" not in str(info.value)
    assert models_left() == [] and staged() == []


def test_a_file_that_is_not_gguf_is_refused(plain_hub):
    plain_hub.files[NAME] = b"\x00" * 4096
    plain_hub.sha[NAME] = hashlib.sha256(plain_hub.files[NAME]).hexdigest()
    with pytest.raises(DownloadError, match="not a usable GGUF model"):
        download(source(plain_hub))
    assert models_left() == [] and staged() == []


def test_a_wrong_hash_discards_the_file(hub):
    with pytest.raises(DownloadError, match="does not match the catalogue"):
        download(source(hub), catalogue_sha256="0" * 64)
    assert models_left() == [] and staged() == []
    with pytest.raises(DownloadError, match="does not match the one given"):
        download(Source(url=hub.url(NAME)), sha256="1" * 64)
    hub.faults = Faults(wrong_sha=True)
    with pytest.raises(DownloadError, match="does not match the hub's"):
        download(source(hub))
    assert models_left() == [] and staged() == []


def test_a_transfer_that_keeps_ending_early_fails_and_keeps_the_bytes(hub):
    hub.faults = Faults(truncate_at=len(DATA) // 2)
    with pytest.raises(DownloadError, match="closed the connection before the end") as info:
        download(source(hub), catalogue_sha256=SHA)
    assert "kept and the next try resumes" in str(info.value)
    kept = partial_bytes(NAME)
    assert 0 < kept <= len(DATA) // 2 and models_left() == []
    assert partial_path(NAME).read_bytes() == DATA[:kept]


def test_a_server_that_stalls_times_out(hub):
    from huggingface_hub import constants

    hub.faults = Faults(stall_at=len(DATA) // 4)
    writers_own = constants.HF_HUB_DOWNLOAD_TIMEOUT
    with pytest.raises(DownloadError, match="stopped answering") as info:
        download(source(hub), catalogue_sha256=SHA, timeout=1)
    assert writers_own == constants.HF_HUB_DOWNLOAD_TIMEOUT  # set for the transfer only
    assert "kept" in str(info.value)
    kept = partial_bytes(NAME)
    assert 0 < kept <= len(DATA) // 4 and models_left() == []


def test_a_redirect_loop_is_named(hub):
    hub.faults = Faults(redirect_loop=True)
    with pytest.raises(DownloadError, match="too many redirects"):
        download(source(hub))
    assert models_left() == [] and staged() == []


def test_a_models_folder_that_cannot_be_written(hub):
    models = app_paths().models
    shutil.rmtree(models)
    models.write_text("not a folder")  # root ignores permissions: a file in its place
    with pytest.raises(DownloadError, match="cannot write to the models folder"):
        download(source(hub))
    assert hub.requests == []  # refused before anything was fetched


def test_bad_links_and_hashes_are_refused_before_connecting(hub):
    with pytest.raises(DownloadError, match=r"not a \.gguf file name"):
        download(Source(url=hub.endpoint + "/files/page.html"))
    with pytest.raises(DownloadError, match="only http:// and https://"):
        download(Source(url="ftp://127.0.0.1/m.gguf"))
    with pytest.raises(DownloadError, match="64 hexadecimal digits"):
        download(Source(url=hub.url(NAME)), sha256="abc")
    assert hub.requests == []


def test_a_model_already_there_is_not_fetched_again(hub):
    first = download(source(hub), catalogue_sha256=SHA)
    hub.requests.clear()
    again = download(source(hub), catalogue_sha256=SHA)
    assert again.already_there and again.path == first.path and hub.requests == []
    with pytest.raises(DownloadError, match="already in the models folder but is a different"):
        download(source(hub), catalogue_sha256="2" * 64)


# --- the command line -------------------------------------------------------------------

def cli(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ), **kw)  # type: ignore


def write_user_catalogue(hub: Hub, sha: str = SHA) -> None:
    (app_paths().config / "models.toml").write_text(
        "[[model]]\n"
        'name = "starter-test"\n'
        'display_name = "Starter (test)"\n'
        'repo = "wordloom/starter-GGUF"\n'
        f'file = "{NAME}"\n'
        'quantization = "Q4_1"\n'
        f"size_bytes = {len(DATA)}\n"
        f'sha256 = "{sha}"\n'
        'license = "Apache-2.0"\n'
        "context_length = 8192\n"
        'languages = ["en"]\n'
        "\n[[model]]\n"
        'name = "broken"\n'
        'repo = "not a repo"\n', encoding="utf-8")


def test_models_catalog_json_lists_the_shipped_and_the_writers_models(hub):
    write_user_catalogue(hub)
    out = cli("models", "catalog", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    names = [m["name"] for m in data["models"]]
    assert len(names) >= 11 and "starter-test" in names
    assert "broken" not in names and any("broken" in p for p in data["problems"])
    keys = {"name", "repo", "file", "size_bytes", "sha256", "license", "context_length",
            "languages", "ram_gb", "fits"}
    assert all(keys <= set(m) for m in data["models"])
    chinese = [m["name"] for m in data["models"] if "zh" in m["languages"]]
    assert len(chinese) >= 2
    big = max(data["models"], key=lambda m: m["size_bytes"])
    small = min(data["models"], key=lambda m: m["size_bytes"])
    assert big["ram_gb"] > big["size_bytes"] / 1e9 and small["ram_gb"] < big["ram_gb"]
    # fits follows this machine's memory
    assert small["fits"] is (small["ram_gb"] * 1e9 <= data["ram_bytes"] - (2 << 30))


def test_models_download_by_name_through_a_mirror_endpoint(hub):
    write_user_catalogue(hub)
    out = cli("models", "download", "starter-test", "--endpoint", hub.endpoint, "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["sha256"] == SHA and data["size_bytes"] == len(DATA)
    assert Path(data["path"]).read_bytes() == DATA
    assert "MB" in out.stderr  # progress goes to stderr
    listed = json.loads(cli("models", "--json").stdout)
    assert any(m["path"] == data["path"] for m in listed["models"])


def test_models_download_errors_are_one_line(hub):
    write_user_catalogue(hub, sha="3" * 64)
    for args, message in [
        (("starter-test", "--endpoint", hub.endpoint), "does not match the catalogue"),
        (("--url", hub.url("missing.gguf")), "not found (404)"),
        (("--url", hub.url(NAME), "--sha256", "4" * 64), "does not match the one given"),
        (("nosuch",), "no model 'nosuch' in the catalogue"),
        (("--repo", "a/b"), "--repo needs --file"),
    ]:
        out = cli("models", "download", *args)
        assert out.returncode == 1, (args, out.stderr)
        errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and message in errors[0], out.stderr
        assert "Traceback" not in out.stderr
    assert models_left() == []


def test_a_download_killed_mid_way_resumes_in_the_next_process(hub):
    hub.faults = Faults(rate=20_000_000)
    proc = subprocess.Popen([sys.executable, str(REPO / "main.py"), "models", "download",
                             "--url", hub.url(NAME), "--sha256", SHA],
                            stderr=subprocess.PIPE, env=dict(os.environ))
    deadline = time.monotonic() + 60
    while partial_bytes(NAME) < len(DATA) // 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    kept = partial_bytes(NAME)
    assert 0 < kept < len(DATA) and models_left() == []
    hub.faults = Faults()
    out = cli("models", "download", "--url", hub.url(NAME), "--sha256", SHA, "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["resumed_from"] == kept
    assert hub.gets()[-1].range == f"bytes={kept}-"
    assert (app_paths().models / NAME).read_bytes() == DATA


def _in_small_filesystem(size_mb: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``models download`` with the data folder on a tmpfs of ``size_mb`` (a private mount
    namespace: as root, or a user namespace otherwise)."""
    data = app_paths().data
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else \
        ["unshare", "--mount", "--map-root-user"]
    script = (f'mount -t tmpfs -o size={size_mb}m tmpfs "{data}" && exec "$@"')
    return subprocess.run([*unshare, "sh", "-c", script, "sh", sys.executable,
                           str(REPO / "main.py"), "models", "download", *args],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))


def test_a_read_only_models_folder_is_refused_before_fetching(hub):
    models = app_paths().models
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else \
        ["unshare", "--mount", "--map-root-user"]
    script = (f'mount --bind "{models}" "{models}" && '
              f'mount -o remount,ro,bind "{models}" && exec "$@"')
    out = subprocess.run([*unshare, "sh", "-c", script, "sh", sys.executable,
                          str(REPO / "main.py"), "models", "download", "--url", hub.url(NAME)],
                         capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert out.returncode == 1, out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot write to the models folder" in errors[0]
    assert "Read-only file system" in errors[0] and hub.requests == []


def test_not_enough_disk_space_is_found_before_starting(hub):
    out = _in_small_filesystem(16, "--url", hub.url(NAME))
    assert out.returncode == 1, out.stderr
    assert "not enough disk space" in out.stderr and "Traceback" not in out.stderr
    assert [r.method for r in hub.requests] == ["HEAD"]  # nothing was transferred


def test_the_disk_filling_up_mid_download_is_one_line(hub):
    hub.files["nolength.gguf"] = DATA  # the server does not say how big: no early check
    hub.faults = Faults(no_length=True)
    out = _in_small_filesystem(16, "--url", hub.url("nolength.gguf"))
    assert out.returncode == 1, out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "the disk filled up while downloading" in errors[0]
    assert models_left() == []  # the tmpfs is gone with its namespace; the real folder
    # never saw the file either


def test_listing_the_catalogue_contacts_nothing_and_loads_no_hub_client():
    code = (
        "import socket, sys\n"
        "attempts = []\n"
        "def refuse(self, address):\n"
        "    attempts.append(address)\n"
        "    raise OSError(101, 'refused')\n"
        "socket.socket.connect = refuse\n"
        "from cli import run\n"
        "assert run(['models', 'catalog', '--json']) == 0\n"
        "assert run(['models', '--json']) == 0\n"
        "print('CONNECTS', attempts, 'HUB' if 'huggingface_hub' in sys.modules else 'NOHUB',"
        " file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, cwd=REPO, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert "CONNECTS [] NOHUB" in out.stderr
