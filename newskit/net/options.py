"""Fetch options and the helpers both the fetch call and the transport use: pools, URLs, retry timing."""

from __future__ import annotations

import email.utils
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import timezone
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit, urlunsplit

from newskit import __version__
from newskit.core.errors import ConnectError, FetchError, UsageError
from newskit.core.patterns import lazy_compile

if TYPE_CHECKING:
    from newskit.net.deadline import Lookup

DEFAULT_USER_AGENT = f"newskit/{__version__} (+https://github.com/newskit)"
# The longest Retry-After newskit waits; a longer one is shortened to this.
MAX_RETRY_AFTER = 60.0
CHUNK = 65536
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_CHARSET = lazy_compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
CHARSET_LABEL = lazy_compile(r"[A-Za-z0-9._:\-]+")
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]^_`{|}~"
_SIZE = lazy_compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?)b?\s*$", re.IGNORECASE)


def parse_size(value: str) -> int:
    """`20000000`, `500k`, `20M`, `1G` (decimal units) → bytes; UsageError when unreadable."""
    match = _SIZE().match(value)
    if not match:
        raise UsageError(f"bad size {value!r} (expected bytes, e.g. 5000000, 500k, 20M)")
    factor = {"": 1, "k": 1000, "m": 1000**2, "g": 1000**3}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def parse_header(value: str) -> tuple[str, str]:
    """`'Name: value'` → ('Name', 'value'); UsageError when malformed."""
    name, sep, rest = value.partition(":")
    name = name.strip()
    if not sep or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name) or "\n" in rest:
        raise UsageError(f"bad header {value!r} (expected 'Name: value')")
    return name, rest.strip()


def _parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("", "0", "false", "no", "off"):
        return False
    raise ValueError(value)


# Environment variable and parser of each option that has one.
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "timeout": ("NEWSKIT_TIMEOUT", float),
    "connect_timeout": ("NEWSKIT_CONNECT_TIMEOUT", float),
    "retries": ("NEWSKIT_RETRIES", int),
    "backoff": ("NEWSKIT_BACKOFF", float),
    "max_bytes": ("NEWSKIT_MAX_BYTES", parse_size),
    "max_redirects": ("NEWSKIT_MAX_REDIRECTS", int),
    "user_agent": ("NEWSKIT_USER_AGENT", str),
    "insecure": ("NEWSKIT_INSECURE", _parse_bool),
    "allow_private": ("NEWSKIT_ALLOW_PRIVATE", _parse_bool),
}


@dataclass(frozen=True)
class FetchOptions:
    """How to download: timeouts, retries, size and redirect caps, request headers."""

    timeout: float = 30.0  # one attempt in all (DNS, connect, wait, download), seconds
    connect_timeout: float = 10.0  # the host name's lookup and the connection
    retries: int = 2
    backoff: float = 0.5  # base of exponential backoff, seconds
    max_bytes: int = 20_000_000
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    headers: tuple[tuple[str, str], ...] = ()
    insecure: bool = False
    # Let redirects and followed links lead from public hosts into private space (addresses.py).
    allow_private: bool = False

    def __post_init__(self) -> None:
        checks = (
            ("timeout", self.timeout > 0),
            ("connect_timeout", self.connect_timeout > 0),
            ("retries", self.retries >= 0),
            ("backoff", self.backoff >= 0),
            ("max_bytes", self.max_bytes > 0),
            ("max_redirects", self.max_redirects >= 0),
        )
        for name, ok in checks:
            if not ok:
                raise UsageError(f"bad fetch option {name}={getattr(self, name)!r}")
        object.__setattr__(self, "headers", tuple((str(k), str(v)) for k, v in self.headers))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> FetchOptions:
        """Defaults, then NEWSKIT_* variables, then overrides (None means 'not given')."""
        import os

        env = os.environ if environ is None else environ
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise UsageError(f"unknown fetch option(s): {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, (variable, parse) in ENVIRONMENT.items():
            raw = env.get(variable)
            if raw is None or raw.strip() == "":
                continue
            try:
                values[name] = parse(raw)
            except (ValueError, UsageError):
                raise UsageError(f"bad value for {variable}: {raw!r}") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def getproxies() -> dict[str, str]:
    """The proxies the environment names (urllib.request, imported only when fetching)."""
    from urllib.request import getproxies as environment_proxies

    found: dict[str, str] = environment_proxies()
    return found


def _bypass(host: str, proxies: dict[str, str]) -> bool:
    """NO_PROXY matching as urllib does it (undocumented but stable since Python 2)."""
    from urllib.request import proxy_bypass_environment  # type: ignore[attr-defined]

    return bool(proxy_bypass_environment(host, proxies))


class Pools:
    """Connection pools, direct or through the proxy the environment names for a URL.

    Thread-safe; one per run, so connections to a host are reused.
    """

    def __init__(
        self,
        options: FetchOptions,
        maxsize: int = 10,
        proxies: Mapping[str, str] | None = None,
        lookup: Lookup = socket.getaddrinfo,
    ) -> None:
        self.options = options
        self.maxsize = maxsize
        self.proxies = dict(getproxies() if proxies is None else proxies)
        self.lookup = lookup  # the resolver of host names (getaddrinfo; tests inject one)
        self._managers: dict[str | None, Any] = {}
        self._lock = threading.Lock()

    def proxy_for(self, url: str) -> str | None:
        """The proxy URL to use for `url`, or None for a direct connection (NO_PROXY)."""
        parts = urlsplit(url)
        proxy = self.proxies.get(parts.scheme.lower())
        if not proxy or _bypass(parts.netloc.rpartition("@")[2], self.proxies):
            return None
        return proxy if "://" in proxy else f"http://{proxy}"

    def manager(self, url: str) -> Any:
        """The urllib3 PoolManager (or ProxyManager) for this URL."""
        proxy = self.proxy_for(url)
        with self._lock:
            if proxy not in self._managers:
                self._managers[proxy] = self._make(proxy)
            return self._managers[proxy]

    def _make(self, proxy: str | None) -> Any:
        """A manager whose connections keep the deadline of each attempt (net/deadline.py)."""
        from newskit.net.deadline import guard

        socks = proxy is not None and proxy.lower().startswith("socks")
        return guard(self._manager(proxy), None if socks else self.lookup)  # SOCKS: its own DNS

    def _manager(self, proxy: str | None) -> Any:
        import urllib3

        kwargs: dict[str, Any] = {"num_pools": 20, "maxsize": self.maxsize, "retries": False}
        if self.options.insecure:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
            kwargs.update(cert_reqs="CERT_NONE", assert_hostname=False)
        if proxy is None:
            return urllib3.PoolManager(**kwargs)
        if proxy.lower().startswith("socks"):
            try:
                from urllib3.contrib.socks import SOCKSProxyManager
            except ImportError:
                raise ConnectError(f"SOCKS proxy {proxy} needs PySocks installed") from None
            return SOCKSProxyManager(proxy, **kwargs)
        auth = urlsplit(proxy)
        headers = None
        if auth.username:
            from urllib.parse import unquote

            basic = f"{unquote(auth.username)}:{unquote(auth.password or '')}"
            headers = urllib3.make_headers(proxy_basic_auth=basic)
        return urllib3.ProxyManager(proxy, proxy_headers=headers, **kwargs)

    def clear(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            for manager in self._managers.values():
                manager.clear()
            self._managers.clear()


def proxied(pools: Any) -> Callable[[str], bool]:
    """Whether a URL goes through a proxy of `pools` (which resolves its host, not newskit)."""
    if isinstance(pools, Pools):
        return lambda url: pools.proxy_for(url) is not None
    return lambda url: False


def make_pool(options: FetchOptions, maxsize: int = 10, **kwargs: Any) -> Any:
    """A reusable, thread-safe set of connection pools for fetch(..., pool=)."""
    return Pools(options, maxsize, **kwargs)


_shared: dict[tuple[Any, ...], Pools] = {}
_shared_lock = threading.Lock()


def shared_pools(options: FetchOptions) -> Pools:
    """The process-wide pools for these options and this proxy environment."""
    proxies = getproxies()
    key = (options, tuple(sorted(proxies.items())))
    with _shared_lock:
        if key not in _shared:
            if len(_shared) >= 16:  # many distinct options: forget the oldest pools
                del _shared[next(iter(_shared))]
            _shared[key] = Pools(options, proxies=proxies)
        return _shared[key]


def safe_url(url: str) -> str:
    """The URL with an IDNA host (例子.测试 → xn--fsqu00a.xn--0zwm56d) and spaces, quotes,
    <, > and other non-ASCII percent-encoded (idempotent)."""
    if not url.isascii():
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None
        if parts is not None and not parts.netloc.isascii():
            url = urlunsplit(parts._replace(netloc=idna_netloc(parts.netloc)))
    return quote(url, safe=_URL_SAFE)


def idna_netloc(netloc: str) -> str:
    """A URL's user@host:port with the host IDNA-encoded (unchanged when it cannot be)."""
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.partition(":")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return netloc  # percent-encoded by safe_url; the fetch reports the host
    return f"{userinfo}{at}{ascii_host}{colon}{port}"


def check_url(url: str) -> None:
    """Refuse anything but an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as err:
        raise FetchError(f"invalid URL: {err}") from None
    if parts.scheme.lower() not in ("http", "https"):
        if not parts.scheme or "://" not in url:
            raise FetchError("not an http(s) URL")
        raise FetchError(f"unsupported URL scheme {parts.scheme!r} (only http and https)")
    if not parts.hostname:
        raise FetchError("invalid URL: no host")
    if not parts.hostname.isascii():
        try:
            parts.hostname.encode("idna")
        except UnicodeError:
            raise FetchError(f"invalid URL: {parts.hostname!r} is no valid host name") from None


def retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds a Retry-After header asks for (delta or HTTP-date), within 0..MAX_RETRY_AFTER."""
    if not value or not value.strip():
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - now()
    if seconds != seconds:  # NaN
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def backoff_delay(base: float, attempt: int, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: base·2^attempt·[0.5, 1.5), at most MAX_RETRY_AFTER."""
    return float(min(base * 2**attempt * (0.5 + rand()), MAX_RETRY_AFTER))


def status_message(status: int, reason: str | None = None) -> str:
    """`HTTP 404 Not Found`."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = reason or ""
    return f"HTTP {status} {phrase}".rstrip()


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, lower-cased."""
    match = _CHARSET().search(content_type or "")
    return match.group(1).lower() if match else None
