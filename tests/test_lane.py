"""gui.lane: operations run on the owner's thread, callbacks on the window's."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from engine.errors import WordloomError
from gui.lane import Lane, OpContext


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
