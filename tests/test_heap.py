"""Freed memory goes back to the system after big loads (glibc's malloc_trim)."""

from __future__ import annotations

import ctypes
import sys

import pytest

from engine.heap import give_back_freed, resident_mb


def _rss() -> float:
    now = resident_mb()
    assert now is not None, "no VmRSS in /proc/self/status"
    return now


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator only")
def test_freed_buffers_leave_the_resident_set() -> None:
    libc = ctypes.CDLL("libc.so.6")
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    m_trim_threshold = -1
    libc.mallopt(m_trim_threshold, 1 << 30)  # free() itself gives nothing back meanwhile
    try:
        chunks = []
        for _ in range(3000):  # 3000 x 32 KiB, below the mmap threshold: heap memory
            pointer = libc.malloc(32 * 1024)
            ctypes.memset(pointer, 1, 32 * 1024)
            chunks.append(pointer)
        loaded = _rss()
        for pointer in chunks:
            libc.free(pointer)
        freed = _rss()
        assert give_back_freed()
        trimmed = _rss()
    finally:
        libc.mallopt(m_trim_threshold, 128 * 1024)  # glibc's default again
    assert loaded - freed < 20 < 60 < freed - trimmed, (loaded, freed, trimmed)


class _Entry:
    def __init__(self, n: int) -> None:
        self.n = n


def test_a_load_leaves_its_objects_out_of_the_collectors_sight() -> None:
    """What a load builds is frozen before the collector runs again, so no collection
    walks it (holding the GIL); it is still freed when its last reference goes."""
    import gc
    import weakref

    from gui.window.loads import no_gc_pauses

    before = gc.get_freeze_count()
    with no_gc_pauses():
        assert not gc.isenabled()
        table = {n: _Entry(n) for n in range(50_000)}
    assert gc.isenabled()
    assert gc.get_freeze_count() >= before + 50_000
    assert gc.get_count()[0] < 100, "the young generation starts empty"
    probe = weakref.ref(table[7])
    del table
    assert probe() is None


def test_big_loads_take_turns() -> None:
    import threading
    import time

    from gui.window.loads import one_load_at_a_time

    order: list[str] = []
    second_waiting = threading.Event()

    def first() -> None:
        with one_load_at_a_time():
            order.append("first in")
            second_waiting.wait(10)
            time.sleep(0.3)  # the second had this long to get in beside it
            order.append("first out")

    def second() -> None:
        second_waiting.set()
        with one_load_at_a_time():
            order.append("second in")

    one = threading.Thread(target=first)
    one.start()
    while not order:
        time.sleep(0.01)
    two = threading.Thread(target=second)
    two.start()
    one.join(15)
    two.join(15)
    assert order == ["first in", "first out", "second in"]
