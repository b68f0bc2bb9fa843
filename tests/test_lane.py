"""gui.window.lane: operations run on the owner's thread, callbacks on the window's."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest
from PySide6.QtCore import QThread

import gui.window.lane as lane_module
from engine.errors import WordloomError
from gui.window.lane import BACKGROUND_NICE, Lane, OpContext, hold_work, release_work


class Owner:
    def __init__(self) -> None:
        self.threads: list[QThread] = []
        self.closed_on: QThread | None = None

    def touch(self) -> QThread:
        self.threads.append(QThread.currentThread())
        return QThread.currentThread()

    def close(self) -> None:
        self.closed_on = QThread.currentThread()


@pytest.fixture
def lane(qtbot):
    lane = Lane("test", Owner())
    yield lane
    lane.stop(Owner.close)


def test_work_runs_on_the_lane_and_callbacks_on_the_window_thread(qtbot, lane):
    seen: dict[str, object] = {}

    def done(thread: object) -> None:
        seen["worked_on"], seen["delivered_on"] = thread, QThread.currentThread()

    lane.run(lambda owner, _ctx: owner.touch(), done)
    qtbot.waitUntil(lambda: "delivered_on" in seen, timeout=5000)
    assert seen["worked_on"] is lane.thread
    assert seen["delivered_on"] is QThread.currentThread() is not lane.thread


def test_operations_run_in_order_and_progress_arrives_before_done(qtbot, lane):
    events: list[object] = []

    def work(_owner: Owner, ctx: OpContext) -> str:
        for i in range(3):
            ctx.progress(i)
        return "end"

    for _ in range(2):
        lane.run(work, events.append, on_progress=events.append)
    qtbot.waitUntil(lambda: len(events) == 8, timeout=5000)
    assert events == [0, 1, 2, "end", 0, 1, 2, "end"]


def test_a_failure_is_one_plain_sentence(qtbot, lane):
    failures: list[str] = []

    def user_mistake(_owner: Owner, _ctx: OpContext) -> None:
        raise WordloomError("the file is not a GGUF model")

    def bug(_owner: Owner, _ctx: OpContext) -> None:
        raise KeyError("x")

    lane.run(user_mistake, on_failed=failures.append)
    lane.run(bug, on_failed=failures.append)
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=5000)
    assert failures[0] == "the file is not a GGUF model"
    assert "KeyError" in failures[1] and "\n" not in failures[1]


def test_the_lane_default_failure_handler_is_used(qtbot):
    failures: list[str] = []
    lane = Lane("test", Owner(), on_failed=failures.append)
    lane.run(lambda _o, _c: 1 / 0)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert "ZeroDivisionError" in failures[0]
    lane.stop()


def test_cancel_token_reaches_the_operation(qtbot, lane):
    results: list[int] = []
    cancel = threading.Event()

    def slow(_owner: Owner, ctx: OpContext) -> int:
        steps = 0
        while not ctx.cancelled and steps < 500:
            time.sleep(0.01)
            steps += 1
        return steps

    assert lane.run(slow, results.append, cancel=cancel) is cancel
    time.sleep(0.1)
    cancel.set()
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0] < 500


def test_run_from_another_lane_and_query_across_lanes(qtbot, lane):
    """The ontology lane hands work to the model lane; the model lane asks the grammar
    lane and waits for the answer."""
    other = Lane("other", Owner())
    answers: list[object] = []

    def hand_on(_owner: Owner, _ctx: OpContext) -> None:
        asked = lane.query(lambda owner, _c: owner.touch())
        lane.run(lambda owner, _c: (asked, owner.touch()), answers.append)

    other.run(hand_on)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert answers[0] == (lane.thread, lane.thread)
    with pytest.raises(KeyError):
        lane.query(lambda _o, _c: {}["missing"])
    other.stop()


def test_stop_closes_the_owner_on_its_thread_and_ends_the_thread(qtbot):
    owner = Owner()
    lane = Lane("test", owner)
    lane.run(lambda o, _c: time.sleep(0.2))
    lane.stop(Owner.close)
    assert owner.closed_on is not None and owner.closed_on is not QThread.currentThread()
    assert not lane.running


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice values are Linux's")
def test_a_lane_runs_below_the_window_threads_priority(qtbot, lane):
    """The model's, Harper's and LanguageTool's threads must not keep the window's thread
    waiting for a core: each lane's thread (and what it starts) has a higher nice value."""
    import subprocess

    def priorities(_owner: Owner, _ctx: OpContext) -> tuple[int, int]:
        child = subprocess.run(["sh", "-c", "cut -d' ' -f19 /proc/self/stat"],
                               capture_output=True, text=True, check=True)
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), \
            int(child.stdout)

    own, child = lane.query(priorities)
    window = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert own == child == min(19, window + BACKGROUND_NICE)


def test_held_work_waits_for_the_window_and_then_runs_in_order(qtbot):
    ran: list[int] = []
    hold_work()
    try:
        held = Lane("held", Owner())
        for i in range(3):
            held.run(lambda _owner, _ctx, i=i: ran.append(i))
        qtbot.wait(300)  # under HOLD_LIMIT_S
        assert ran == []
    finally:
        release_work()
    qtbot.waitUntil(lambda: ran == [0, 1, 2], timeout=5000)
    held.stop()


def test_held_work_starts_anyway_after_the_limit(qtbot, monkeypatch):
    """A window that never draws (a crash in the first frame) must not keep the model from
    loading for ever."""
    monkeypatch.setattr(lane_module, "HOLD_LIMIT_S", 0.2)
    ran: list[int] = []
    hold_work()
    try:
        held = Lane("held", Owner())
        held.run(lambda _owner, _ctx: ran.append(1))
        qtbot.waitUntil(lambda: ran == [1], timeout=5000)
    finally:
        release_work()
    held.stop()


def test_first_frame_runs_after_the_first_paint_or_at_once_when_hidden(qtbot):
    from PySide6.QtWidgets import QLabel

    from gui.window.first_frame import FirstFrame

    class Counted(QLabel):
        paints = 0

        def paintEvent(self, event) -> None:
            type(self).paints += 1
            super().paintEvent(event)

    shown, hidden = Counted("shown"), Counted("hidden")
    qtbot.addWidget(shown)
    qtbot.addWidget(hidden)
    calls: list[tuple[str, int]] = []
    FirstFrame(shown, lambda: calls.append(("shown", Counted.paints)))
    FirstFrame(hidden, lambda: calls.append(("hidden", Counted.paints)))
    shown.show()
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
    assert dict(calls)["hidden"] == 0  # nothing to wait for: at the first turn
    assert dict(calls)["shown"] >= 1  # only once its first frame was drawn
    shown.update()
    shown.repaint()  # later frames call nothing
    qtbot.wait(100)
    assert len(calls) == 2
