"""Calls for the worker-pool tests, importable by the worker processes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

# Set by the parent test at run time: a forked worker would see the new value.
MARK = "as imported"


def double(x: int) -> int:
    """A well-behaved call."""
    time.sleep(0.005)
    return x * 2


def kill_self(log: str) -> None:
    """Note the attempt, then die by SIGKILL as an out-of-memory kill would."""
    with Path(log).open("a") as out:
        out.write(f"{os.getpid()}\n")
    os.kill(os.getpid(), signal.SIGKILL)


def spin() -> None:
    """Hold the worker in a busy loop that no signal handler ever gets to interrupt."""
    while True:
        pass


def mark() -> str:
    """The module's MARK as the worker sees it."""
    return MARK


def fail() -> None:
    """A call that raises an ordinary error."""
    raise ValueError("bad input")
