"""Politeness for batch runs: per-host concurrency and delay, conditional requests.

robots.txt lives in newskit.net.robots.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any


class HostGate:
    """Per-host politeness: at most `per_host` requests at once, `delay` between starts.

    `slot()` blocks until the host allows a start; a scheduler holding `lock` can instead
    ask `ready_at()` and `begin()` without blocking, and must call `end()` after.
    """

    def __init__(
        self,
        per_host: int,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_host, self.delay, self.clock, self.sleep = max(1, per_host), delay, clock, sleep
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.watchers: list[threading.Condition] = []  # also told when a slot frees
        self.hosts: dict[str, list[Any]] = {}  # host → [requests running, next start, delay]

    def _host(self, host: str) -> list[Any]:
        if host not in self.hosts:
            self.hosts[host] = [0, 0.0, self.delay]
        return self.hosts[host]

    def ready_at(self, host: str) -> float | None:
        """When the host allows its next start (caller holds `lock`); None: no free slot."""
        entry = self._host(host)
        return None if entry[0] >= self.per_host else float(entry[1])

    def begin(self, host: str) -> float:
        """Take a slot and reserve the next start (caller holds `lock`); returns the start."""
        entry = self._host(host)
        entry[0] += 1
        start = max(self.clock(), entry[1])
        entry[1] = start + entry[2]
        return float(start)

    def running(self, host: str) -> int:
        """How many requests to the host hold a slot (caller holds `lock`)."""
        return int(self._host(host)[0])

    def end(self, host: str, start: float | None = None) -> None:
        """Give the slot back; with the `start` begin() returned, as if it never began."""
        with self.cond:
            entry = self._host(host)
            entry[0] -= 1
            if start is not None and entry[1] == start + entry[2]:  # no later start reserved
                entry[1] = start
            self.cond.notify_all()
            for watcher in self.watchers:
                watcher.notify()

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's slots, starting no sooner than its delay allows."""
        with self.cond:
            while self.ready_at(host) is None:
                self.cond.wait()
            start = self.begin(host)
            now = self.clock()
        try:
            if start > now:
                self.sleep(start - now)
            yield
        finally:
            self.end(host)

    def defer(self, host: str, seconds: float) -> None:
        """Push the host's next request back (Retry-After)."""
        with self.cond:
            entry = self._host(host)
            entry[1] = max(entry[1], self.clock() + seconds)

    def slow_down(self, host: str, delay: float) -> None:
        """Raise the host's delay (robots.txt Crawl-delay), never lower it."""
        with self.cond:
            entry = self._host(host)
            entry[2] = max(entry[2], delay)


def conditional(etag: str | None, modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since headers from stored validators."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return headers
