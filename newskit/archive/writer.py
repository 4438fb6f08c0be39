"""Writing web archives: each fetched page as a WARC request and response record.

Files are gzipped per record (so standard tools seek in them), start with a warcinfo
record, and rotate once they pass a size limit. A file is written under a `.open` name and
renamed when it is full or the run ends, so a finished name is always a whole archive.
The body is stored as newskit received it after undoing Content-Encoding, so the stored
response drops Content-Encoding and Transfer-Encoding and gives the true Content-Length.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable, Mapping
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from newskit import __version__
from newskit.core.errors import InputError, UsageError
from newskit.core.models import Page
from newskit.net.options import FetchOptions

DEFAULT_MAX_SIZE = 1_000_000_000
# Headers that describe the bytes on the wire, not the stored (decoded) body.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def warc_date(epoch: float | None = None) -> str:
    """A WARC-Date (ISO 8601, UTC, seconds): the form of every `fetched` field."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if epoch is None else epoch))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class WarcWriter:
    """Appends request/response record pairs to rotating .warc.gz files (thread-safe).

    `target` is a directory (files named newskit-TIME-PID-NNNNN.warc.gz in it) or, with
    `directory=False`, a file name (later files insert -NNNNN before .warc.gz).
    """

    def __init__(
        self, target: str | Path, *, directory: bool, max_size: int = DEFAULT_MAX_SIZE
    ) -> None:
        if max_size <= 0:
            raise UsageError(f"bad --warc-max-size {max_size!r}")
        self.target = Path(target)
        self.directory = directory
        self.max_size = max_size
        self.lock = threading.Lock()
        self.serial = 0
        self.stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        self.paths: list[Path] = []
        self._stream: BinaryIO | None = None
        self._writer: Any = None
        self._path: Path | None = None
        try:
            (self.target if directory else self.target.parent).mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise InputError(f"cannot create {self.target}: {err.strerror or err}") from None

    def _name(self) -> Path:
        if self.directory:
            return self.target / f"newskit-{self.stamp}-{os.getpid()}-{self.serial:05d}.warc.gz"
        if self.serial == 0:
            return self.target
        name = self.target.name
        stem = name[: -len(".warc.gz")] if name.endswith(".warc.gz") else name
        return self.target.with_name(f"{stem}-{self.serial:05d}.warc.gz")

    def _open(self) -> Any:
        from warcio.warcwriter import WARCWriter

        if self._writer is not None and self._stream is not None:
            if self._stream.tell() < self.max_size:
                return self._writer
            self._close_file()
        path = self._name()
        self.serial += 1
        try:
            self._stream = open(f"{path}.open", "wb")  # noqa: SIM115  (closed on rotation)
        except OSError as err:
            raise InputError(f"cannot write {path}: {err.strerror or err}") from None
        self._path = path
        self._writer = WARCWriter(self._stream, gzip=True)
        info = {"software": f"newskit/{__version__}", "format": "WARC File Format 1.0"}
        self._writer.write_record(self._writer.create_warcinfo_record(path.name, info))
        return self._writer

    def write(self, page: Page, request_headers: Mapping[str, str] | None = None) -> None:
        """Archive one fetched page: its response record, then the request that asked for it."""
        from warcio.statusandheaders import StatusAndHeaders

        if page.status == 304 or page.fetched is None:
            return
        headers = [(k, v) for k, v in page.headers.items() if k.lower() not in _WIRE_HEADERS]
        headers.append(("Content-Length", str(len(page.content))))
        status = f"{page.status} {_phrase(page.status)}".rstrip()
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        url = page.final_url or page.url
        date = {"WARC-Date": page.fetched}
        with self.lock:
            writer = self._open()
            response = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(page.content),
                http_headers=http,
                warc_headers_dict=date,
            )
            writer.write_record(response)
            parts = urlsplit(url)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            sent = [("Host", parts.netloc), *(request_headers or {}).items()]
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {path} HTTP/1.1", sent, is_http_request=True),
                warc_headers_dict={
                    **date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            writer.write_record(request)
            assert self._stream is not None
            self._stream.flush()

    def _close_file(self) -> None:
        if self._stream is None or self._path is None:
            return
        self._stream.flush()
        os.fsync(self._stream.fileno())
        self._stream.close()
        os.replace(f"{self._path}.open", self._path)
        self.paths.append(self._path)
        self._stream = self._writer = self._path = None

    def close(self) -> None:
        """Finish the current file (rename it to its final name)."""
        with self.lock:
            self._close_file()

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def archiving(fetcher: Callable[..., Page], writer: WarcWriter) -> Callable[..., Page]:
    """A fetcher (newskit.fetch's signature) that archives every page it returns."""

    def fetch_and_keep(
        url: str,
        options: FetchOptions | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> Page:
        from newskit.net.transport import request_headers

        page = fetcher(url, options, headers=headers, **kwargs)
        sent = request_headers(options or FetchOptions(), dict(headers or {}))
        writer.write(page, sent)
        return page

    return fetch_and_keep
