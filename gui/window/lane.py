"""One way to run work off the window's thread, in the spirit of Anki's ``QueryOp``.

A ``Lane`` is a thread that owns one thing (the model, the grammar checker, the ontology)
and is the only thread that touches it. Work is a function ``fn(owner, ctx)`` that runs on
that thread; its result goes to ``on_done``, a failure (as a plain sentence) to
``on_failed`` and anything it reports through ``ctx.progress`` to ``on_progress``. All
three callbacks run on the window's thread, so they may touch widgets; ``fn`` must touch
only its owner and its arguments. ``ctx.cancel`` is the operation's cancel token.

Every lane's thread runs at a lower CPU priority than the window's (``yield_to_window``):
on a two-core laptop the model's threads, Harper's and the LanguageTool server it starts
would otherwise keep the window's thread waiting for a core for 50 ms and more.

``Lane.run`` may be called from any thread (the ontology lane hands a request with its
facts straight to the model lane). ``Lane.query`` waits for the answer instead: for one
worker thread asking another's owner (candidate scoring asks the one grammar checker).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from engine.errors import CancelledError, WordloomError

log = logging.getLogger("wordloom.gui")

BACKGROUND_NICE = 5  # Linux: weight 335 against the window thread's 1024 (and other programs')
HOLD_LIMIT_S = 1.0  # the longest a lane's work waits for the window's first frame

_OPEN = threading.Event()  # cleared while a new window draws its first frame
_OPEN.set()


def hold_work() -> None:
    """Lanes made from now on start their work once ``release_work`` is called (or after
    HOLD_LIMIT_S): the window's first frame calls Python a hundred times, and each call
    waits for a worker's turn with the GIL (first frames of 130-170 ms instead of 20)."""
    _OPEN.clear()


def release_work() -> None:
    _OPEN.set()

O = TypeVar("O")  # the owner  # noqa: E741
R = TypeVar("R")  # an operation's result
Callback = Callable[[object], None]


def plain_error(exc: BaseException) -> str:
    """A failure as the writer reads it; the traceback of a bug goes to the log."""
    if isinstance(exc, WordloomError):
        return str(exc)
    log.error("unexpected error in a worker:\n%s", "".join(traceback.format_exception(exc)))
    return f"something went wrong ({type(exc).__name__}: {exc}); details are in the log"


def yield_to_window(nice: int = BACKGROUND_NICE) -> bool:
    """Lower the calling thread's CPU priority; the threads and processes it starts later
    (llama.cpp's OpenMP pool, Harper's, the LanguageTool JVM) inherit it. Linux nice
    values are per thread; elsewhere Qt's thread priority does it. True when lowered."""
    if sys.platform.startswith("linux"):
        tid = threading.get_native_id()
        try:
            os.setpriority(os.PRIO_PROCESS, tid,
                           min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
        except OSError:  # a sandbox that forbids it: run at the window's priority
            return False
        return True
    thread = QThread.currentThread()
    thread.setPriority(QThread.Priority.LowPriority)
    return thread.priority() == QThread.Priority.LowPriority


def _first_job() -> None:
    yield_to_window()  # so all the lane's work yields
    _OPEN.wait(HOLD_LIMIT_S)


@dataclass
class OpContext:
    """What an operation's function gets besides its owner."""

    cancel: threading.Event = field(default_factory=threading.Event)
    _progress: Callable[[object], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def progress(self, value: object) -> None:
        """Hand ``value`` to the operation's ``on_progress`` on the window's thread."""
        if self._progress is not None:
            self._progress(value)


class _Courier(QObject):
    """Lives on the window's thread; runs the callbacks it is sent there."""

    deliver = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def _deliver(self, callback: Callback, value: object) -> None:
        callback(value)


class _Executor(QObject):
    """Lives on the lane's thread; runs the operations it is sent there."""

    @Slot(object)
    def execute(self, job: Callable[[], None]) -> None:
        job()


class _Submitter(QObject):
    submit = Signal(object)


_THREADS: weakref.WeakSet[QThread] = weakref.WeakSet()


@atexit.register
def _stop_threads() -> None:
    """A window that was never closed must not leave running threads to the interpreter's
    teardown (Qt aborts when a running QThread is destroyed)."""
    for thread in list(_THREADS):
        with contextlib.suppress(RuntimeError):
            thread.quit()
            thread.wait(3000)


class Lane(Generic[O]):
    """A named thread, the one owner it serves, and the queue of operations on it."""

    def __init__(self, name: str, owner: O, on_failed: Callable[[str], None] | None = None):
        """Create on the window's thread (the callbacks are delivered to it)."""
        self.name = name
        self.owner = owner
        self.default_failed = on_failed
        self.courier = _Courier()
        self.executor = _Executor()
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.executor.moveToThread(self.thread)
        self.submitter = _Submitter()
        self.submitter.submit.connect(self.executor.execute, Qt.ConnectionType.QueuedConnection)
        self.thread.start()
        self.submitter.submit.emit(_first_job)  # before any work
        _THREADS.add(self.thread)

    def on_gui(self, callback: Callable[[R], None]) -> Callable[[R], None]:
        """``callback`` made callable from any thread: it then runs on the window's."""
        def deliver(value: R) -> None:
            self.courier.deliver.emit(callback, value)
        return deliver

    def run(self, fn: Callable[[O, OpContext], R],
            on_done: Callable[[R], None] | None = None,
            on_failed: Callable[[str], None] | None = None,
            on_progress: Callable[[object], None] | None = None,
            cancel: threading.Event | None = None) -> threading.Event:
        """Queue ``fn`` on this lane; returns its cancel token."""
        ctx = OpContext(cancel or threading.Event(),
                        self.on_gui(on_progress) if on_progress is not None else None)
        failed = on_failed or self.default_failed

        def job() -> None:
            try:
                result = fn(self.owner, ctx)
            except Exception as exc:
                message = plain_error(exc)
                if failed is not None:
                    self.courier.deliver.emit(failed, message)
                return
            if on_done is not None:
                self.courier.deliver.emit(on_done, result)

        self.submitter.submit.emit(job)
        return ctx.cancel

    def query(self, fn: Callable[[O, OpContext], R], timeout: float = 60.0,
              cancel: threading.Event | None = None) -> R:
        """Run ``fn`` on this lane and wait for its result (from another worker thread, or a
        test). Its exceptions are raised here; on the lane's own thread it runs at once.
        Setting ``cancel`` stops the waiting (CancelledError) and tells ``fn`` so."""
        if QThread.currentThread() is self.thread:
            return fn(self.owner, OpContext())
        future: Future[R] = Future()
        ctx = OpContext(cancel or threading.Event())

        def job() -> None:
            if ctx.cancelled:
                future.cancel()
                return
            try:
                future.set_result(fn(self.owner, ctx))
            except BaseException as exc:
                future.set_exception(exc)

        self.submitter.submit.emit(job)
        if cancel is None:
            return future.result(timeout)
        deadline = time.monotonic() + timeout
        while True:  # in slices, so a cancelled wait ends at once
            try:
                return future.result(min(0.2, max(0.0, deadline - time.monotonic())))
            except FutureTimeout:
                if cancel.is_set():
                    raise CancelledError("cancelled") from None
                if time.monotonic() >= deadline:
                    raise

    def stop(self, close: Callable[[O], None] | None = None, wait_ms: int = 3000) -> None:
        """Close the owner on its own thread after the queued work, then end the thread."""
        if close is not None and self.thread.isRunning():
            closed = threading.Event()

            def job() -> None:
                try:
                    close(self.owner)
                finally:
                    closed.set()

            self.submitter.submit.emit(job)
            closed.wait(wait_ms / 1000)
        self.thread.quit()
        self.thread.wait(wait_ms)

    @property
    def running(self) -> bool:
        return self.thread.isRunning()
