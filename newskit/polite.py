"""Politeness for batch runs: per-host concurrency and delay, robots.txt, conditional requests."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from newskit.errors import FetchError, HTTPStatusError
from newskit.models import Page


class RobotsError(FetchError):
    """robots.txt forbids the URL (or is unavailable, which forbids everything)."""

    reason = "robots.txt"


class HostGate:
    """Per-host politeness: at most `per_host` requests at once, `delay` between starts."""

    def __init__(
        self,
        per_host: int,
        delay: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_host, self.delay, self.clock, self.sleep = max(1, per_host), delay, clock, sleep
        self.lock = threading.Lock()
        self.hosts: dict[str, list[Any]] = {}  # host → [semaphore, next start, delay]

    def _host(self, host: str) -> list[Any]:
        with self.lock:
            if host not in self.hosts:
                self.hosts[host] = [threading.Semaphore(self.per_host), 0.0, self.delay]
            return self.hosts[host]

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's slots, starting no sooner than its delay allows."""
        entry = self._host(host)
        with entry[0]:
            with self.lock:
                now = self.clock()
                start = max(now, entry[1])
                entry[1] = start + entry[2]
            if start > now:
                self.sleep(start - now)
            yield

    def defer(self, host: str, seconds: float) -> None:
        """Push the host's next request back (Retry-After)."""
        entry = self._host(host)
        with self.lock:
            entry[1] = max(entry[1], self.clock() + seconds)

    def slow_down(self, host: str, delay: float) -> None:
        """Raise the host's delay (robots.txt Crawl-delay), never lower it."""
        entry = self._host(host)
        with self.lock:
            entry[2] = max(entry[2], delay)


class Robots:
    """robots.txt per host, fetched once (through the gate) and asked before each URL."""

    def __init__(self, fetch_one: Callable[[str], Page], gate: HostGate, agent: str) -> None:
        self.fetch_one, self.gate, self.agent = fetch_one, gate, agent
        self.lock = threading.Lock()
        self.rules: dict[str, Any] = {}
        self.locks: dict[str, threading.Lock] = {}

    def check(self, url: str) -> None:
        """Raise RobotsError when the host's robots.txt disallows the URL."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self.lock:
            host_lock = self.locks.setdefault(key, threading.Lock())
        with host_lock:
            if key not in self.rules:
                self.rules[key] = self._load(key, parts.hostname or "")
        rules = self.rules[key]
        if isinstance(rules, str):
            raise RobotsError(rules, source=url)
        if rules is not None and not rules.can_fetch(self.agent, url):
            raise RobotsError("disallowed by robots.txt", source=url)

    def _load(self, key: str, host: str) -> Any:
        from urllib.robotparser import RobotFileParser

        try:
            with self.gate.slot(host):
                page = self.fetch_one(f"{key}/robots.txt")
        except HTTPStatusError as err:
            if err.status >= 500:  # RFC 9309: unreachable robots.txt means disallow all
                return f"robots.txt unavailable (HTTP {err.status})"
            return None
        except FetchError:
            return None  # the page fetch will report the real reason
        parser = RobotFileParser()
        parser.parse(page.content.decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(self.agent)
        if delay:
            self.gate.slow_down(host, min(float(delay), 60.0))
        return parser


def conditional(etag: str | None, modified: str | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since headers from stored validators."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return headers
