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
