"""Small web archives for tests, written with warcio from the project's own fixture pages."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DATE = "2024-05-06T07:08:09Z"


@dataclass
class Entry:
    """One record to write: a response (with HTTP headers) or another WARC record type."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    kind: str = "response"
    date: str = DATE


def warc_bytes(entries: list[Entry], gzip: bool = True) -> bytes:
    """The entries as one WARC file (gzipped per record, or plain)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for entry in entries:
        http = None
        if entry.kind == "response":
            headers = [
                ("Content-Type", entry.content_type),
                ("Content-Length", str(len(entry.body))),
            ]
            http = StatusAndHeaders(entry.status, headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            entry.url,
            entry.kind,
            payload=io.BytesIO(entry.body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": entry.date},
        )
        writer.write_record(record)
    return out.getvalue()


def record_offsets(data: bytes) -> list[int]:
    """Where each record of a WARC file starts."""
    from warcio.archiveiterator import ArchiveIterator

    offsets = []
    iterator = ArchiveIterator(io.BytesIO(data))
    for _ in iterator:
        offsets.append(iterator.offset)
    return offsets


def write(path: Path, entries: list[Entry], gzip: bool = True) -> Path:
    """Write the entries as a WARC file at path; returns the path."""
    path.write_bytes(warc_bytes(entries, gzip))
    return path


def arc_bytes(url: str, body: bytes, date14: str = "20240506070809") -> bytes:
    """A one-page ARC (version 1) file, uncompressed."""
    http = (
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    meta = b"1 0 newskit-tests\nURL IP-address Archive-date Content-type Archive-length\n"
    head = f"filedesc://test.arc 0.0.0.0 {date14} text/plain {len(meta)}\n".encode()
    line = f"{url} 127.0.0.1 {date14} text/html {len(http)}\n".encode()
    return head + meta + b"\n" + line + http + b"\n"
