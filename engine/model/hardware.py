"""What this machine has for models: its RAM, and graphics memory where a GPU is found.

Read locally (psutil; ``nvidia-smi`` where it exists), never over the network.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

import psutil


@functools.cache
def total_ram_bytes() -> int:
    return int(psutil.virtual_memory().total)


@functools.cache
def gpu_memory_bytes() -> int:
    """The largest NVIDIA GPU's memory, or 0 where none (or no driver tool) is found."""
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return 0
    try:
        out = subprocess.run([tool, "--query-gpu=memory.total", "--format=csv,noheader,nounits"],
                             capture_output=True, text=True, timeout=3, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return 0
    sizes = [int(line.strip()) for line in out.splitlines() if line.strip().isdigit()]
    return max(sizes, default=0) * (1 << 20)
