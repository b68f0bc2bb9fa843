"""The app on a real X server (Xvfb, the ``xcb`` platform), not only offscreen: Qt's X11
plugin loads with the libraries the set-up installs, and a screenshot of the real window
shows the editor and its panels."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from conftest import REPO


@pytest.fixture
def display() -> str:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise pytest.UsageError("Xvfb is missing: run 'make setup' (packaging/sysdeps.sh)")
    read, write = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write), "-screen", "0", "1600x1000x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    assert number, "Xvfb did not start"
    yield f":{number}"
    server.terminate()
    server.wait(10)


def test_app_runs_on_a_real_x_server(display, tmp_path):
    shot = tmp_path / "x11.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display}
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "--smoke", "--screenshot",
                           str(shot)], env=env, capture_output=True, text=True, timeout=600)
    assert "could not load the Qt platform plugin" not in done.stderr, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert done.returncode == 0 and summary["ok"], summary
    assert summary["platform"] == "xcb"
    image = QImage(str(shot))
    assert image.width() >= 1000 and image.height() >= 700
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    assert len(colours) > 50, "the screenshot is blank"


def test_the_review_keys_on_a_real_x_server(display, tmp_path):
    """Real X key and mouse events (xdotool): next change, accept it, reject the one after,
    undo the reject, then click the last change's new words beside the text."""
    xdotool = shutil.which("xdotool")
    if xdotool is None:
        raise pytest.UsageError("xdotool is missing: run 'make setup' (packaging/sysdeps.sh)")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display,
           "WORDLOOM_HOME": str(tmp_path / "home")}
    out, trigger = tmp_path / "state.json", tmp_path / "go"
    app = subprocess.Popen([sys.executable, str(REPO / "tests" / "x11_review.py"), str(out),
                            str(trigger)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = app.stdout.readline().split()  # "ready X Y MX MY"
        assert line and line[0] == "ready", line
        x, y, margin_x, margin_y = line[1:5]

        def xdo(*args: str) -> None:
            subprocess.run([xdotool, *args], env=env, check=True, timeout=30)

        xdo("mousemove", x, y, "click", "1")  # focus the editor, as a writer would
        for keys in ("ctrl+alt+Down", "ctrl+alt+Return", "ctrl+alt+BackSpace", "ctrl+z"):
            xdo("key", "--delay", "150", keys)
        xdo("mousemove", margin_x, margin_y, "click", "1")
        subprocess.run([xdotool, "sleep", "0.5"], env=env, timeout=30)
        trigger.touch()
        app.wait(60)
    finally:
        if app.poll() is None:
            app.kill()
    state = json.loads(out.read_text())
    assert state["platform"] == "xcb"
    # "go → went" accepted, " the → (removed)" rejected and the reject undone
    assert state["text"] == "She went home.\n\nThe cat sat on the the mat.\n\nIt rain today."
    assert state["pending"] == [[" the", ""], ["rain", "rains"]] and state["rows"] == 2
    # the click beside the text chose "rain → rains" and showed its words
    assert state["chosen"] == 2 and state["selected"] == "rain"


def test_a_project_searched_replaced_and_built_on_a_real_x_server(display, tmp_path,
                                                                  epubcheck):
    """Real X events type the query and the replacement and press Replace… and Replace
    Ticked; the book is then built through File → Build's dialog, and its words are the
    documents' words."""
    import re
    import zipfile

    xdotool = shutil.which("xdotool")
    if xdotool is None:
        raise pytest.UsageError("xdotool is missing: run 'make setup' (packaging/sysdeps.sh)")
    book = tmp_path / "book"
    (book / "Part One").mkdir(parents=True)
    (book / "Part One" / "01.md").write_text("# Arrival\n\nMr. Darcy came.\n")
    (book / "Part One" / "02.md").write_text("# The Ball\n\nDarcy's pride. 杭州.\n")
    done = subprocess.run([sys.executable, str(REPO / "main.py"), "project", "init",
                           str(book), "--title", "Pride"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display,
           "WORDLOOM_HOME": str(tmp_path / "home")}
    out, trigger, epub = tmp_path / "state.json", tmp_path / "go", tmp_path / "Pride.epub"
    app = subprocess.Popen([sys.executable, str(REPO / "tests" / "x11_project.py"), str(out),
                            str(trigger), str(book), str(epub)], env=env,
                           stdout=subprocess.PIPE, text=True)
    try:
        line = app.stdout.readline().split()
        assert line and line[0] == "ready", line
        query, replacement, preview, apply = (line[1:3], line[3:5], line[5:7], line[7:9])

        def xdo(*args: str) -> None:
            subprocess.run([xdotool, *args], env=env, check=True, timeout=30)

        xdo("mousemove", *query, "click", "1")
        xdo("type", "--delay", "40", "Darcy")
        xdo("key", "Return")
        xdo("mousemove", *replacement, "click", "1")
        xdo("type", "--delay", "40", "Bingley")
        xdo("mousemove", *preview, "click", "1")
        assert app.stdout.readline().strip() == "previewed"  # the hits are listed, ticked
        xdo("mousemove", *apply, "click", "1")
        xdo("sleep", "1")
        trigger.touch()
        app.wait(60)
    finally:
        if app.poll() is None:
            app.kill()
    state = json.loads(out.read_text())
    assert state["platform"] == "xcb"
    assert (state["query"], state["replacement"]) == ("Darcy", "Bingley")
    assert "Replaced in 2 document(s)" in state["summary"], state
    assert (book / "Part One" / "02.md").read_text() == "# The Ball\n\nBingley's pride. 杭州.\n"
    with zipfile.ZipFile(epub) as built:
        pages = sorted(n for n in built.namelist() if "chapter-" in n)
        text = " ".join(re.sub(r"<[^>]+>", " ", built.read(n).decode()) for n in pages)
    for doc in ("01.md", "02.md"):
        assert all(word in text for word in
                   re.findall(r"\w+", (book / "Part One" / doc).read_text())), doc
    assert "0 fatals / 0 errors" in epubcheck(epub)
