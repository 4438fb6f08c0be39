"""The fetch call: one web page through the transport, and the marker line that keeps its URL."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from newskit.core.errors import FetchError
from newskit.core.models import Page
from newskit.net.options import (
    CHARSET_LABEL,
    FetchOptions,
    charset_of,
    check_url,
    safe_url,
    shared_pools,
)


def fetch(
    url: str,
    options: FetchOptions | None = None,
    *,
    headers: Mapping[str, str] | None = None,
    pool: Any | None = None,
    sleep: Callable[[float], None] = time.sleep,
    referrer: str | None = None,
    accept_gzip: bool = False,
) -> Page:
    """Download one web page; raises a FetchError subclass naming the URL and the reason.

    A 304 answer (to If-None-Match / If-Modified-Since in `headers`) is returned as
    Page(status=304, content=b""). `referrer` is the page whose link led here: from a
    public page, a link into private space is refused (FetchOptions.allow_private).
    `accept_gzip` takes a gzip file as the body, for .xml.gz sitemaps.
    """
    from newskit.net.transport import download  # loads urllib3: only on the first fetch

    opts = options or FetchOptions()
    started = time.monotonic()
    try:
        check_url(url)
        pools = pool if pool is not None else shared_pools(opts)
        extra = dict(headers or {})
        final, answer = download(
            url, opts, extra, pools, sleep, accept_gzip=accept_gzip, referrer=referrer
        )
    except FetchError as err:
        if err.source is None:
            err.source = url
        raise
    return Page(
        url=url,
        final_url=final,
        status=answer.status,
        headers=answer.headers,
        content=answer.body,
        charset=charset_of(answer.headers.get("content-type")),
        elapsed=time.monotonic() - started,
        fetched=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )


_MARKER = re.compile(
    rb'\A<!-- newskit:fetch url="([^"<>\s]*)"(?: charset="([A-Za-z0-9._:\-]+)")? -->\r?\n'
)


def marker_line(page: Page) -> bytes:
    """The line `newskit fetch` puts before a saved body: final URL and HTTP charset."""
    label = page.charset or ""
    charset = f' charset="{label}"' if CHARSET_LABEL().fullmatch(label) else ""
    return f'<!-- newskit:fetch url="{safe_url(page.final_url)}"{charset} -->\n'.encode("ascii")


def split_marker(data: bytes) -> tuple[bytes, str | None, str | None]:
    """(body, url, charset) of saved bytes; url and charset are None without a marker."""
    match = _MARKER.match(data)
    if not match:
        return data, None, None
    charset = match.group(2).decode("ascii") if match.group(2) else None
    return data[match.end() :], match.group(1).decode("ascii"), charset


def page_filename(url: str, content_type: str | None = None) -> str:
    """A safe, deterministic file name for a URL: host_path-slug_hash.html (no '/', no '..').

    At most 200 bytes, whatever the host's length (file systems take 255)."""
    parts = urlsplit(url)
    try:
        port = f"-{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    host = re.sub(r"[^A-Za-z0-9.-]+", "-", (parts.hostname or "") + port).strip("-.")[:100]
    host = host.strip("-.") or "page"
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", parts.path)
    slug = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", slug, flags=re.IGNORECASE)
    slug = slug.strip("-._")[:80].strip("-._") or "index"
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    ext = (
        ".xml" if "xml" in (content_type or "") and "html" not in (content_type or "") else ".html"
    )
    return f"{host}_{slug}_{digest}{ext}"
