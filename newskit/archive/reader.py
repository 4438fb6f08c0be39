"""Reading web archives: the HTML responses of WARC and ARC files, broken records skipped.

warcio parses each record (WARC or ARC, plain or gzipped per record) and undoes the
content and transfer encodings; this module walks the file around it, so that a record it
cannot parse is reported with its offset and the walk goes on from the next record start.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from newskit.core.errors import InputError, UsageError

# Media types taken by default: the two an HTML page is served as.
HTML_TYPES = ("text/html", "application/xhtml+xml")
# How far the resync looks for the next record after a broken one, per step.
_SCAN = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"
# A WARC record starts with its version line; an ARC record with its URL line.
_PLAIN_START = re.compile(rb"\n(WARC/1\.[01]\r?\n|(?:https?|dns|ftp)://\S+ \S+ \d{14} )")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class ArchiveOptions:
    """Which records to take from an archive; built once by the CLI."""

    url_globs: tuple[str, ...] = ()
    mimes: tuple[str, ...] = HTML_TYPES
    max_bytes: int = 20_000_000

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise UsageError(f"bad archive option max_bytes={self.max_bytes!r}")

    def wants_url(self, url: str) -> bool:
        """True when no --url-glob is given or the URL matches one."""
        return not self.url_globs or any(fnmatch.fnmatchcase(url, g) for g in self.url_globs)

    def wants_mime(self, mime: str) -> bool:
        """True when the media type matches one of --mime (globs like text/*)."""
        return any(fnmatch.fnmatchcase(mime, pattern.lower()) for pattern in self.mimes)


@dataclass
class Capture:
    """One HTML response kept in an archive: where it sits, when it was fetched, its body."""

    file: str
    offset: int
    url: str
    fetched: str | None
    content: bytes
    charset: str | None = None
    mime: str = ""


@dataclass
class Broken:
    """A record that could not be read: the error names the file and the offset."""

    file: str
    offset: int
    error: InputError


class _Misframed(Exception):
    """A record's Content-Length does not end where the next record starts."""


_DAMAGE = (_Misframed, zlib.error, EOFError, ValueError, AttributeError, IndexError, KeyError)


def _iterator_class() -> type[Any]:
    """warcio's ArchiveIterator, quiet: a misframed record raises instead of printing."""
    from warcio.archiveiterator import ArchiveIterator

    class QuietIterator(ArchiveIterator):  # type: ignore[misc]
        def _consume_blanklines(self) -> tuple[bytes | None, int]:
            empty = 0
            while True:
                line = self.reader.readline()
                if not line:
                    return None, empty
                if line.rstrip():
                    # ARC records may follow each other without a blank line; WARC ones not
                    if empty == 0 and getattr(self.record, "format", "") == "warc":
                        raise _Misframed("record does not end where its Content-Length says")
                    return line, empty
                empty += len(line)

    return QuietIterator


def seekable(stream: BinaryIO) -> BinaryIO:
    """The stream itself when it can seek, else a temporary copy of it (stdin, pipes)."""
    try:
        stream.seek(stream.tell())
        return stream
    except (OSError, ValueError, AttributeError):
        copy = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115 (returned)
        shutil.copyfileobj(stream, copy, 1 << 20)
        copy.seek(0)
        return copy  # type: ignore[return-value]


def _gzipped(stream: BinaryIO, start: int) -> bool:
    stream.seek(start)
    return stream.read(2) == _GZIP_MAGIC[:2]


def next_start(stream: BinaryIO, pos: int, gzipped: bool) -> int | None:
    """The offset of the first record that starts at or after `pos`, or None at the end."""
    while True:
        stream.seek(pos)
        block = stream.read(_SCAN + 64)
        if not block:
            return None
        if gzipped:
            found = _next_member(block, pos)
        else:
            match = _PLAIN_START.search(block)
            found = None if match is None else pos + match.start(1)
        if found is not None:
            return found
        if len(block) <= 64:
            return None
        pos += _SCAN


def _next_member(block: bytes, pos: int) -> int | None:
    """The first gzip member in the block whose first bytes inflate to a record header."""
    at = block.find(_GZIP_MAGIC)
    while at >= 0:
        try:
            head = zlib.decompressobj(31).decompress(block[at : at + 4096], 64)
        except zlib.error:
            head = b""
        if head.startswith(b"WARC/1.") or re.match(rb"(?:https?|dns|ftp|filedesc)://", head):
            return pos + at
        at = block.find(_GZIP_MAGIC, at + 1)
    return None


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1).lower() if match else None


def _fetched(value: str | None) -> str | None:
    """WARC-Date as ISO 8601 (ARC dates, 14 digits, are turned into one by warcio)."""
    if not value:
        return None
    return value.strip() or None


def _read_capped(record: Any, limit: int) -> bytes | None:
    """The decoded payload, or None when it is over the size cap."""
    data = record.content_stream().read(limit + 1)
    return None if len(data) > limit else bytes(data)


def read_records(
    stream: BinaryIO, name: str, options: ArchiveOptions | None = None, start: int = 0
) -> Iterator[Capture | Broken]:
    """Every wanted HTML response of an archive from `start` on, and every broken record.

    A truncated final record ends the walk with a Broken; a record that cannot be parsed
    is reported and the walk resumes at the next record start.
    """
    opts = options or ArchiveOptions()
    data = seekable(stream)
    gzipped = _gzipped(data, start)
    pos: int | None = start
    while pos is not None:
        data.seek(pos)
        iterator = _iterator_class()(data, arc2warc=True)
        offset = pos
        try:
            for record in iterator:
                offset = iterator.offset
                item = _take(record, name, offset, opts)
                iterator.read_to_end()
                if record.raw_stream.limit > 0:
                    message = f"truncated record ({record.length - record.raw_stream.limit} of {record.length} bytes)"
                    yield Broken(name, offset, _error(name, offset, message))
                    return
                if item is not None:
                    yield item
            return
        except Exception as err:
            # warcio's ArchiveLoadFailed and what a damaged header or gzip member raises
            if not isinstance(err, _DAMAGE) and not type(err).__module__.startswith("warcio"):
                raise
            offset = iterator.offset  # the record being read when it failed
            yield Broken(name, offset, _error(name, offset, _reason(err)))
        pos = next_start(data, offset + 1, gzipped)


def _reason(err: BaseException) -> str:
    """A short, printable reason for a broken record."""
    text = str(err)
    if text.startswith("Unknown archive format"):
        return "not a WARC or ARC record (damaged header or gzip data)"
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())[:100]
    kind = type(err).__name__.lstrip("_")
    return f"unreadable record ({kind}: {text})" if text else f"unreadable record ({kind})"


def _error(name: str, offset: int, message: str) -> InputError:
    return InputError(message, source=f"{name}@{offset}")


def _take(record: Any, name: str, offset: int, opts: ArchiveOptions) -> Capture | Broken | None:
    """The record as a Capture when it is a wanted HTML response, else None."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    if not (status or "").isdigit() or not 200 <= int(status) <= 299:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    content_type = record.http_headers.get_header("Content-Type")
    mime = _mime(content_type)
    if not opts.wants_mime(mime or "text/html") or not opts.wants_url(url):
        return None
    content = _read_capped(record, opts.max_bytes)
    if content is None:
        message = f"{url}: body over the size cap of {opts.max_bytes} bytes"
        return Broken(name, offset, _error(name, offset, message))
    fetched = _fetched(record.rec_headers.get_header("WARC-Date"))
    return Capture(name, offset, url, fetched, content, _charset(content_type), mime)
