"""One program writes a project at a time: a lock file names the machine and process.

The lock is ``.wordloom-project.lock`` in the project's folder (hidden; gone when the
project closes), made with O_EXCL so two programs cannot both take it. A lock whose
process is gone on this machine is stale: it is taken over, with a note. A live one, or
one from another machine (whose process cannot be checked from here), leaves the project
open read-only, with a message naming who holds it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import psutil

LOCK_NAME = ".wordloom-project.lock"


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"Wordloom on {self.host} (process {self.pid}, since {self.since})"


@dataclass
class LockResult:
    held: bool  # this process holds the lock
    holder: Holder | None = None  # who does, when another live process
    note: str = ""  # one line for the writer, when there is something to say


def _me() -> Holder:
    return Holder(socket.gethostname(), os.getpid(),
                  dt.datetime.now().astimezone().isoformat(timespec="seconds"))


def read_holder(folder: Path) -> Holder | None:
    try:
        data = json.loads((Path(folder) / LOCK_NAME).read_text(encoding="utf-8"))
        return Holder(str(data["host"]), int(data["pid"]), str(data.get("since", "")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return Holder("?", 0, "")  # unreadable (half-written by a killed process): stale


def _alive(holder: Holder) -> bool:
    if holder.host != socket.gethostname():
        return True  # another machine: it cannot be checked, so it is respected
    if holder.pid == os.getpid():
        return False
    return holder.pid > 0 and psutil.pid_exists(holder.pid)


def acquire(folder: Path) -> LockResult:
    path = Path(folder) / LOCK_NAME
    note = ""
    for _attempt in range(3):
        me = _me()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = read_holder(folder)
            if holder is None:
                continue  # released meanwhile
            if holder.host == me.host and holder.pid == me.pid:
                return LockResult(True)
            if _alive(holder):
                return LockResult(False, holder, f"{folder.name} is open in "
                                  f"{holder.describe()}; opened read-only")
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            who = holder.describe() if holder.pid else "an unreadable lock"
            note = f"took over a stale lock on {folder.name} left by {who}"
            continue
        except OSError as exc:
            return LockResult(False, None, f"{folder.name}: cannot lock the project "
                              f"({exc.strerror}); opened read-only")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"host": me.host, "pid": me.pid, "since": me.since}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        return LockResult(True, None, note)
    return LockResult(False, read_holder(folder), f"{folder.name}: the lock keeps changing "
                      "hands; opened read-only")


def release(folder: Path) -> None:
    holder = read_holder(folder)
    if holder is not None and holder.host == socket.gethostname() and holder.pid == os.getpid():
        with contextlib.suppress(OSError):
            (Path(folder) / LOCK_NAME).unlink()
