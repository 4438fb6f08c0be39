"""Where batch URLs come from: URL lists, RSS/Atom feeds, sitemaps and sitemap indexes."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urldefrag, urljoin

from newskit.core.errors import InputError, TooLargeError
from newskit.core.models import Page
from newskit.core.text import is_url

if TYPE_CHECKING:
    from newskit.net.addresses import HopGuard

# Root elements (local names) by source kind.
_FEED_ROOTS = {"rss", "feed", "RDF", "channel"}
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}
# The longest line of a URL list, in bytes: browsers and servers stop at 8 KB URLs.
MAX_LINE = 8192
# The largest local feed or sitemap read, unless the caller says otherwise (--max-bytes).
MAX_BYTES = 20_000_000


def clean_url(url: str) -> str:
    """A URL as batch keys it: trimmed, without its #fragment."""
    return urldefrag(url.strip())[0]


def url_lines(lines: Iterable[str]) -> Iterator[str]:
    """URLs of a list: one per line, the first word; blank lines and # comments skipped."""
    for line in lines:
        word = line.strip().split(maxsplit=1)[0] if line.strip() else ""
        if word and not word.startswith("#"):
            yield clean_url(word)


def list_lines(
    stream: BinaryIO, name: str, head: bytes = b"", limit: int = MAX_LINE
) -> Iterator[str]:
    """The decoded lines of a URL list, read in linear time (whatever its line breaks).

    A line over `limit` bytes is no URL: an InputError naming the line, raised before the
    line is read into memory in full.
    """
    number = 0
    pending = head
    while True:
        start = 0
        while (end := pending.find(b"\n", start)) >= 0:
            number += 1
            if end - start > limit:
                raise _long_line(number, limit, name)
            line = pending[start:end]
            yield (line.removeprefix(_BOM) if number == 1 else line).decode("utf-8", "replace")
            start = end + 1
        pending = pending[start:]
        if len(pending) > limit:
            raise _long_line(number + 1, limit, name)
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        pending += chunk  # at most limit + 64 KB: each byte is copied a bounded number of times
    if pending:
        yield (pending.removeprefix(_BOM) if number == 0 else pending).decode("utf-8", "replace")


_BOM = b"\xef\xbb\xbf"


def _long_line(number: int, limit: int, name: str) -> InputError:
    return InputError(f"line {number} is over {limit} bytes", source=name)


def read_capped(stream: BinaryIO, name: str, max_bytes: int, head: bytes = b"") -> bytes:
    """The rest of a stream after `head`, refused (InputError) past max_bytes in all."""
    data = head + stream.read(max(max_bytes - len(head), 0) + 1)
    if len(data) > max_bytes:
        raise InputError(f"over the size cap of {max_bytes} bytes (--max-bytes)", source=name)
    return data


def gunzip(data: bytes, max_bytes: int = 200_000_000) -> bytes:
    """Decompress gzip bytes (a .xml.gz sitemap), refusing to inflate past max_bytes."""
    if data[:2] != b"\x1f\x8b":
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as err:
        raise InputError(f"broken gzip data: {err}") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise TooLargeError(f"decompressed sitemap over {max_bytes} bytes")
    return out


def sniff(data: bytes) -> str:
    """The kind of a source's bytes: "feed", "sitemap", "html" (a web page) or "list"."""
    if data[:2] == b"\x1f\x8b":
        return "sitemap"
    text = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text.startswith(b"<"):
        return "list"
    if b"<urlset" in text or b"<sitemapindex" in text:
        return "sitemap"
    if b"<rss" in text or b"<feed" in text or b"<rdf:rdf" in text:
        return "feed"
    if b"<html" in text or b"<!doctype html" in text:
        return "html"
    return "list"


def _local_name(tag: object) -> str:
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def xml_links(data: bytes, base: str | None = None) -> Iterator[tuple[str, str]]:
    """Links of a feed or sitemap as (kind, url): kind "page", or "sitemap" for an index entry.

    Streams with iterparse and clears parsed elements, so big sitemaps stay small in memory.
    """
    import xml.etree.ElementTree as ET

    data = gunzip(data)
    root_name = ""
    try:
        for event, elem in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            name = _local_name(elem.tag)
            if event == "start":
                root_name = root_name or name
                continue
            found = _link_of(name, elem, root_name)
            if found is not None:
                kind, href = found
                if href.strip():
                    yield kind, clean_url(urljoin(base or "", href.strip()))
            if name in ("item", "entry", "url", "sitemap"):
                elem.clear()
    except ET.ParseError as err:
        raise InputError(f"not a valid feed or sitemap: {err}") from None
    if root_name not in _FEED_ROOTS | _SITEMAP_ROOTS:
        raise InputError(f"not a feed or sitemap (root element <{root_name}>)")


def _link_of(name: str, elem: object, root: str) -> tuple[str, str] | None:
    """The link an element ends, if it is one: <url><loc>, <sitemap><loc>, <item><link>."""
    import xml.etree.ElementTree as ET

    assert isinstance(elem, ET.Element)
    if name in ("url", "sitemap") and root in _SITEMAP_ROOTS:
        loc = next((c.text for c in elem if _local_name(c.tag) == "loc"), None)
        return ("sitemap" if name == "sitemap" else "page", loc) if loc else None
    if name == "item":
        link = next((c.text for c in elem if _local_name(c.tag) == "link" and c.text), None)
        if link is None:
            link = next(
                (
                    c.text
                    for c in elem
                    if _local_name(c.tag) == "guid" and c.get("isPermaLink", "true") == "true"
                ),
                None,
            )
        return ("page", link) if link else None
    if name == "entry":
        links = [c for c in elem if _local_name(c.tag) == "link" and c.get("href")]
        best = next((c for c in links if c.get("rel", "alternate") == "alternate"), None)
        return ("page", str(best.get("href"))) if best is not None else None
    return None


@dataclass(frozen=True)
class Source:
    """A batch source: a URL list, feed or sitemap, by path or URL; `stream` for stdin."""

    name: str
    kind: str = "auto"  # "auto", "list", "feed" or "sitemap"
    stream: BinaryIO | None = None


def iter_urls(
    source: Source,
    fetch_source: Callable[[str], Page],
    unfinished: Callable[[str], Iterable[str]],
    remember: Callable[[str, str | None, str | None], None],
    max_depth: int = 5,
    max_bytes: int = MAX_BYTES,
    links: HopGuard | None = None,
) -> Iterator[tuple[str, str]]:
    """Stream (origin, url) pairs of a source, following sitemap indexes.

    Remote feeds and sitemaps come from `fetch_source` (which sends conditional headers);
    a 304 replays the URLs of that origin still `unfinished`. `remember` stores a remote
    source's validators only once every URL of it has been consumed, so a kill in between
    never loses URLs. A local feed or sitemap over `max_bytes`, or a list line over
    MAX_LINE bytes, is an InputError. With `links`, a sitemap an index names is fetched
    only when the private-address policy allows the hop (else PrivateAddressError).
    """
    if not is_url(source.name):
        yield from _local(source, max_bytes)
        return
    yield from _remote(
        source.name, source.kind, fetch_source, unfinished, remember, max_depth, links
    )


def _local(source: Source, max_bytes: int) -> Iterator[tuple[str, str]]:
    if source.stream is not None:
        stream: BinaryIO = source.stream
        opened = None
    else:
        try:
            opened = stream = open(source.name, "rb")  # noqa: SIM115  (closed below)
        except IsADirectoryError:
            raise InputError("is a directory", source=source.name) from None
        except OSError as err:
            raise InputError(err.strerror or str(err), source=source.name) from None
    try:
        head = stream.read(4096)
        kind = sniff(head) if source.kind == "auto" else source.kind
        if kind == "html":
            raise InputError("a web page, not a URL list, feed or sitemap", source=source.name)
        if kind == "list":
            for url in url_lines(list_lines(stream, source.name, head)):
                yield source.name, url
        else:
            data = read_capped(stream, source.name, max_bytes, head)
            for link_kind, url in xml_links(data):
                if link_kind == "page":
                    yield source.name, url
    finally:
        if opened is not None:
            opened.close()


def _remote(
    name: str,
    kind: str,
    fetch_source: Callable[[str], Page],
    unfinished: Callable[[str], Iterable[str]],
    remember: Callable[[str, str | None, str | None], None],
    depth: int,
    links: HopGuard | None = None,
) -> Iterator[tuple[str, str]]:
    page = fetch_source(name)
    if page.status == 304:
        yield from ((name, url) for url in unfinished(name))
        return
    data = page.content
    kind = sniff(data) if kind == "auto" else kind
    if kind == "html":  # a page URL given as a source: batch that page itself
        yield name, name
    elif kind == "list":
        for url in url_lines(list_lines(io.BytesIO(data), name)):
            yield name, url
    else:
        for link_kind, url in xml_links(data, page.final_url or name):
            if link_kind == "page":
                yield name, url
            elif depth > 0 and url != name:
                if links is not None and (refused := links.refusal(name, url)):
                    raise refused
                yield from _remote(
                    url, "sitemap", fetch_source, unfinished, remember, depth - 1, links
                )
    remember(name, page.headers.get("etag"), page.headers.get("last-modified"))
