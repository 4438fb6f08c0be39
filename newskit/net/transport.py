"""One download for fetch(): attempts with retries, redirects by hand, capped streaming.

Imported on the first fetch only, since it loads urllib3.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3 import exceptions as u3

from newskit.core.errors import (
    FetchError,
    HTTPStatusError,
    NotHTMLError,
    TimeoutError,
    TooLargeError,
    TooManyRedirectsError,
)
from newskit.core.text import sniff_binary
from newskit.net import deadline as watchdog
from newskit.net.addresses import check_hop
from newskit.net.failures import Retry, failure
from newskit.net.options import (
    ACCEPT,
    CHUNK,
    FetchOptions,
    Pools,
    backoff_delay,
    charset_of,
    check_url,
    proxied,
    retry_after,
    safe_url,
    status_message,
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Headers that carry credentials: never sent on to another host by a redirect.
_PRIVATE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
# Types servers give to anything: the body itself decides (sniffed for PDF, images, NULs).
_ANY_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
# Types a gzip file (a .xml.gz sitemap) is served as, besides those.
_GZIP_TYPES = frozenset({"application/gzip", "application/x-gzip", "application/x-gzip-compressed"})


@dataclass
class Answer:
    """The last answer of a download: status, lower-cased headers, decoded body."""

    status: int
    headers: dict[str, str]
    body: bytes


def download(
    url: str,
    opts: FetchOptions,
    extra: dict[str, str],
    pools: Any,
    sleep: Callable[[float], None],
    *,
    accept_gzip: bool = False,
    referrer: str | None = None,
) -> tuple[str, Answer]:
    """Follow redirects from `url` by hand; returns the final URL and its answer.

    `accept_gzip` takes a gzip file as the body (a .xml.gz sitemap), not only gzip encoding.
    `referrer`: the page whose link `url` is, which the private-address policy judges from.
    """
    headers = request_headers(opts, extra)
    current = safe_url(url)
    visited = [current]
    origin = None if referrer is None else _hop_origin(safe_url(referrer), current, opts, pools)
    while True:
        try:
            with watchdog.hop(origin):
                answer = _with_retries(pools, current, opts, headers, sleep, accept_gzip)
        except FetchError as err:
            if len(visited) > 1:
                err.message += f" (redirected to {current})"
            raise
        if answer.status not in _REDIRECTS:
            return current, answer
        target, origin = _next_hop(current, answer, visited, opts, pools)
        if urlsplit(target).netloc.lower() != urlsplit(current).netloc.lower():
            headers = {k: v for k, v in headers.items() if k.lower() not in _PRIVATE_HEADERS}
        visited.append(target)
        current = target


def request_headers(opts: FetchOptions, extra: dict[str, str]) -> dict[str, str]:
    """Default headers, then --header ones, then per-request ones (names case-insensitive)."""
    merged: dict[str, tuple[str, str]] = {}
    defaults = (
        ("User-Agent", opts.user_agent),
        ("Accept", ACCEPT),
        ("Accept-Encoding", "gzip, deflate"),  # decompressed within bounds, see _read
    )
    for name, value in (*defaults, *opts.headers, *extra.items()):
        merged[name.lower()] = (name, value)
    return dict(merged.values())


def _hop_origin(
    origin_url: str, target: str, opts: FetchOptions, pools: Any
) -> frozenset[str] | None:
    """Check a hop before connecting; the origin's kinds of space, for the connections of
    the hop to keep to (None: no rule, with --allow-private or through a proxy)."""
    if opts.allow_private:
        return None
    resolve = watchdog.bounded_resolver(opts.connect_timeout, pools)
    origin = check_hop(origin_url, target, proxied(pools), resolve)
    return None if proxied(pools)(target) else origin


def _next_hop(
    current: str, answer: Answer, visited: list[str], opts: FetchOptions, pools: Any
) -> tuple[str, frozenset[str] | None]:
    """The URL a redirect leads to, checked, and the kinds of space it comes from."""
    location = answer.headers.get("location", "").strip()
    if not location:
        message = f"{status_message(answer.status)} without a Location header"
        raise HTTPStatusError(message, status=answer.status)
    with contextlib.suppress(UnicodeError):  # http.client reads latin-1; servers send UTF-8
        location = location.encode("latin-1").decode("utf-8")
    target = safe_url(urljoin(current, location))
    try:
        check_url(target)
        origin = _hop_origin(current, target, opts, pools)  # before any connection to it
    except FetchError as err:
        err.message = f"redirect to {target}: {err.message}"
        raise
    if target in visited:
        loop = [*visited[visited.index(target) :], target]
        raise TooManyRedirectsError("redirect loop: " + " -> ".join(loop))
    if len(visited) > opts.max_redirects:
        raise TooManyRedirectsError(f"too many redirects (more than {opts.max_redirects})")
    return target, origin


def _with_retries(
    pools: Any, url: str, opts: FetchOptions, headers: dict[str, str], sleep: Any, gz: bool
) -> Answer:
    attempt = 0
    while True:
        try:
            return _attempt(pools, url, opts, headers, gz)
        except Retry as retry:
            if attempt >= opts.retries:
                if attempt:
                    retry.error.message += f" (after {attempt + 1} attempts)"
                raise retry.error from None
            delay = retry.delay
            sleep(backoff_delay(opts.backoff, attempt) if delay is None else delay)
            attempt += 1


def _attempt(pools: Any, url: str, opts: FetchOptions, headers: dict[str, str], gz: bool) -> Answer:
    """One attempt, bounded as a whole by opts.timeout: connect, headers and body."""
    manager = pools.manager(url) if isinstance(pools, Pools) else pools
    deadline = time.monotonic() + opts.timeout
    connect = min(opts.connect_timeout, opts.timeout)
    timeout = urllib3.Timeout(total=opts.timeout, connect=connect, read=opts.timeout)
    with watchdog.attempt(deadline) as alarm:
        try:
            response = manager.urlopen(
                "GET",
                url,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                decode_content=True,
                timeout=timeout,
            )
        except (u3.HTTPError, OSError) as err:
            raise failure(err, url, opts, alarm.fired) from None
        try:
            return _answer(response, opts, deadline, gz)
        except (u3.HTTPError, OSError) as err:
            _close(response)
            raise failure(err, url, opts, alarm.fired) from None
        except BaseException:
            _close(response)
            raise


def _answer(response: Any, opts: FetchOptions, deadline: float, gz: bool) -> Answer:
    status = int(response.status)
    headers = {str(name).lower(): str(response.headers[name]) for name in response.headers}
    if status in _REDIRECTS or status == 304:
        _discard(response)
        return Answer(status, headers, b"")
    if status == 429 or 500 <= status <= 599:
        _discard(response)
        error = HTTPStatusError(status_message(status, response.reason), status=status)
        raise Retry(error, retry_after(headers.get("retry-after")))
    if not 200 <= status <= 299:
        _discard(response)
        raise HTTPStatusError(status_message(status, response.reason), status=status)
    mime = headers.get("content-type", "").split(";")[0].strip().lower()
    if not (_textual(mime) or (gz and mime in _GZIP_TYPES)):
        _discard(response)
        raise NotHTMLError(f"not HTML (Content-Type {mime})")
    length = headers.get("content-length", "").strip()
    if length.isdigit() and int(length) > opts.max_bytes:
        _discard(response)
        raise TooLargeError(_too_large(opts, f"Content-Length {length}"))
    encoded = headers.get("content-encoding", "").strip().lower() not in ("", "identity")
    welcome = _welcome(headers.get("content-type"), gz)
    body = _read(response, opts, deadline, encoded, welcome)
    response.release_conn()
    if not body.strip():
        raise NotHTMLError(f"empty body ({status_message(status, response.reason)})")
    kind = sniff_binary(body[:1024])
    if kind and kind not in welcome:
        raise NotHTMLError(f"not HTML ({kind})")
    return Answer(status, headers, body)


def _textual(mime: str) -> bool:
    """HTML, XML (feeds), any text (robots.txt), or a type that says nothing."""
    return mime.startswith("text/") or "xml" in mime or mime in _ANY_TYPES


def _welcome(content_type: str | None, gz: bool) -> frozenset[str]:
    """Binary-looking kinds this body may be: gzip for sitemaps, NULs for UTF-16/32 text."""
    kinds = {"gzip archive"} if gz else set()
    if (charset_of(content_type) or "").replace("_", "-").startswith(("utf-16", "utf-32")):
        kinds.add("binary data")
    return frozenset(kinds)


def _too_large(opts: FetchOptions, detail: str) -> str:
    return f"body over the size cap of {opts.max_bytes} bytes ({detail})"


def _read(
    response: Any, opts: FetchOptions, deadline: float, encoded: bool, welcome: frozenset[str]
) -> bytes:
    """The decoded body, refused as soon as it (or the raw stream) passes the size cap.

    urllib3 (>= 2.6) decompresses at most `CHUNK` bytes per read1, so a gzip bomb is
    stopped after max_bytes + CHUNK bytes, never inflated. A body still coming at the
    deadline is retried as a stalled read is.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Retry(TimeoutError(f"timed out after {opts.timeout:g} s"))
        sock = getattr(getattr(response, "connection", None), "sock", None)
        if sock is not None:  # the whole-read deadline bounds each socket read too
            sock.settimeout(remaining)
        chunk = response.read1(CHUNK, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        # Known file signatures end the download at once; NUL bytes are judged at the end,
        # so a bomb of zeros is refused as too large, the clearer reason.
        kind = sniff_binary(chunk) if not chunks else None
        if kind and kind != "binary data" and kind not in welcome:
            raise NotHTMLError(f"not HTML ({kind})")
        size += len(chunk)
        if size > opts.max_bytes:
            raise TooLargeError(_too_large(opts, "decompressed" if encoded else "streamed"))
        if response.tell() > opts.max_bytes:
            raise TooLargeError(_too_large(opts, "streamed"))
        chunks.append(chunk)


def _discard(response: Any) -> None:
    """Let go of a response whose body is not wanted, without ever decompressing it."""
    length = response.headers.get("content-length", "").strip()
    if length.isdigit() and int(length) <= CHUNK:
        try:
            response.read(decode_content=False)
            response.release_conn()
            return
        except (u3.HTTPError, OSError):
            pass
    _close(response)


def _close(response: Any) -> None:
    if response.connection is not None:
        response.close()
        response.release_conn()
