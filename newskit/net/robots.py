"""robots.txt by RFC 9309 (protego): fetched once per site, asked before each URL.

Unreachable (a network error, a timeout, 429 or 5xx) means "disallow everything" for the
run, as RFC 9309 section 2.3.1.4 says; unavailable (any other 4xx) means "allow everything".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit

from newskit.core.errors import (
    ConnectError,
    DNSError,
    FetchError,
    HTTPStatusError,
    TimeoutError,
    TLSError,
)
from newskit.core.models import Page

# The longest Crawl-delay honoured, in seconds.
MAX_CRAWL_DELAY = 60.0
# Errors that leave robots.txt unreachable (RFC 9309: assume complete disallow).
_UNREACHABLE = (DNSError, ConnectError, TimeoutError, TLSError)


class RobotsError(FetchError):
    """robots.txt forbids the URL (or is unreachable, which forbids everything)."""

    reason = "robots.txt"


class Gate(Protocol):
    """What robots.txt tells the host's politeness gate: a Crawl-delay."""

    def slow_down(self, host: str, delay: float) -> None: ...


class Robots:
    """robots.txt per site, fetched once and asked before each URL.

    A run schedules `load()` once per site (`first()` says when), holding a slot of the
    host's gate, before any URL of that site is fetched.
    """

    def __init__(self, fetch_one: Callable[[str], Page], gate: Gate, agent: str) -> None:
        self.fetch_one, self.gate, self.agent = fetch_one, gate, agent
        self.lock = threading.Lock()
        self.rules: dict[str, Any] = {}
        self.seen: set[str] = set()

    @staticmethod
    def key(url: str) -> str:
        """The site a robots.txt covers: scheme://host:port."""
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def first(self, url: str) -> str | None:
        """The URL's site when it was never seen before (its robots.txt is to load), else None."""
        try:
            key = self.key(url)
        except ValueError:  # a broken URL: its fetch reports it
            return None
        with self.lock:
            if key in self.seen:
                return None
            self.seen.add(key)
            return key

    def load(self, key: str, host: str) -> None:
        """Fetch and keep the site's robots.txt (the caller holds a slot of the host)."""
        rules = self._load(key, host)
        with self.lock:
            self.seen.add(key)
            self.rules.setdefault(key, rules)

    def check(self, url: str) -> None:
        """Raise RobotsError when the site's robots.txt disallows the URL."""
        key = self.key(url)
        with self.lock:
            known = key in self.rules
        if not known:  # never scheduled (a direct caller): load it now, in the caller's slot
            self.load(key, urlsplit(url).hostname or "")
        rules = self.rules[key]
        if isinstance(rules, str):
            raise RobotsError(rules, source=url)
        if rules is not None and not rules.can_fetch(url, self.agent):
            raise RobotsError("disallowed by robots.txt", source=url)

    def _load(self, key: str, host: str) -> Any:
        """The parsed rules; a string saying why everything is disallowed; None: allow all."""
        try:
            page = self.fetch_one(f"{key}/robots.txt")
        except HTTPStatusError as err:
            if err.status >= 500 or err.status == 429:
                return f"robots.txt unreachable (HTTP {err.status}), site not fetched"
            return None  # 4xx: no robots.txt, everything allowed
        except _UNREACHABLE as err:
            return f"robots.txt unreachable ({err.message}), site not fetched"
        except FetchError:
            return None  # reached, but not a usable file (not text, too large): no rules
        return self.parse(page.content, host)

    def parse(self, content: bytes, host: str) -> Any:
        """Rules from a robots.txt body; its Crawl-delay slows the host down."""
        from protego import Protego

        try:
            rules = Protego.parse(content.decode("utf-8", "replace"))
        except Exception:  # a parser crash on a broken file must not stop the run
            return None
        delay = rules.crawl_delay(self.agent)
        if delay:
            self.gate.slow_down(host, min(float(delay), MAX_CRAWL_DELAY))
        return rules
