"""What every user of llama.cpp in this process shares, whichever model it loads: its log
messages (sent to logging, never to stderr) and the number of threads it computes on.
The generating model (``llm.py``), the judge's copy (``judge.py``) and the scorer
(``scorer.py``) all use these; none of them imports another for it."""

from __future__ import annotations

import ctypes
import logging
import os
from typing import Any

log = logging.getLogger("wordloom.llama")
_LOG_CALLBACK: Any = None


def quiet_llama_logs() -> None:
    """Send llama.cpp's own messages to logging: errors only, never straight to stderr."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return
    import llama_cpp

    @llama_cpp.llama_log_callback  # type: ignore[untyped-decorator]  # ctypes, untyped
    def forward(level: int, text: bytes, _user: Any) -> None:
        message = text.decode("utf-8", errors="replace").rstrip()
        if level == 3 and "removing memory module entries" not in message:  # an abort's echo
            log.error(message)

    _LOG_CALLBACK = forward
    llama_cpp.llama_log_set(forward, ctypes.c_void_p(0))


def default_threads() -> int:
    """All the machine's cores (llama-cpp-python's own default is half of them)."""
    return max(1, os.cpu_count() or 1)


def gpu_offload_supported() -> bool:
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())
