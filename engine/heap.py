"""Handing freed memory back to the system after big loads, and the resident set as the
kernel counts it.

glibc's allocator keeps what a program frees for its next allocations. Loading the app's
parts (the language model's tables, the pronouncing dictionary, the ontology) frees tens
of megabytes of temporary buffers, which then stay resident for the whole session.
``malloc_trim`` returns the free pages at the top of each arena and, since glibc 2.8,
the free pages inside them. Elsewhere (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache
from typing import Any


@cache
def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def resident_mb(field: str = "VmRSS") -> float | None:
    """This process's resident set now (``VmRSS``) or at its peak (``VmHWM``), in MB;
    None where the system does not report it (not Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def give_back_freed() -> bool:
    """Return the allocator's free pages to the system (the GIL is released meanwhile);
    True when something was returned."""
    trim = _libc()
    return bool(trim(0)) if trim is not None else False
