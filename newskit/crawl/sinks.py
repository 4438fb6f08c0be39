"""Where batch records go: JSON Lines (stdout or an appended file) or one file per article.

Every sink writes a record in one piece and can tell, after a kill, whether given bytes
arrived (see the protocol in newskit.crawl.state).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

from newskit.core.errors import InputError
from newskit.crawl.state import digest


class Sink(Protocol):
    """Where records go: render, write in one piece, and tell after a kill what arrived."""

    def render(self, record: dict[str, Any], url: str) -> tuple[str, bytes]:
        """The target name and the exact bytes to write for a record of a URL."""

    def write(self, target: str, data: bytes) -> None:
        """Write the bytes in one piece (durably)."""

    def written(self, target: str, line_hash: str) -> bool:
        """True when bytes with this hash are already at the target."""

    def close(self) -> None:
        """Flush and close."""


def _jsonl(record: dict[str, Any]) -> bytes:
    from newskit.records.writers import render_jsonl

    return render_jsonl(record)


class StreamSink:
    """JSON Lines to a stream (stdout): flushed per line; cannot look back after a kill."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def render(self, record: dict[str, Any], url: str) -> tuple[str, bytes]:
        """One JSON line."""
        return "-", _jsonl(record)

    def write(self, target: str, data: bytes) -> None:
        """Write and flush."""
        self.stream.write(data)
        self.stream.flush()

    def written(self, target: str, line_hash: str) -> bool:
        """Unknowable for a stream: the URL is redone (at least once)."""
        return False

    def close(self) -> None:
        """Flush."""
        self.stream.flush()


class JsonlFileSink:
    """JSON Lines appended to a file: one write per full line, fsync'd; partial tails cut."""

    def __init__(self, path: str | Path, fsync: bool = True) -> None:
        self.path = Path(path)
        self.fsync = fsync
        try:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as err:
            raise InputError(f"cannot open {self.path}: {err.strerror or err}") from None
        self.repair()

    def repair(self) -> int:
        """Cut a trailing partial line left by a kill; returns how many bytes were cut."""
        size = os.fstat(self.fd).st_size
        pos = size
        while pos > 0:
            start = max(0, pos - 65536)
            chunk = os.pread(self.fd, pos - start, start)
            cut = chunk.rfind(b"\n")
            if cut >= 0:
                pos = start + cut + 1
                break
            pos = start
        if pos != size:
            os.ftruncate(self.fd, pos)
            os.fsync(self.fd)
        return size - pos

    def render(self, record: dict[str, Any], url: str) -> tuple[str, bytes]:
        """One JSON line."""
        return str(self.path), _jsonl(record)

    def write(self, target: str, data: bytes) -> None:
        """Append the whole line (looping on short writes) and fsync."""
        _write_all(self.fd, data)
        if self.fsync:
            os.fsync(self.fd)

    def written(self, target: str, line_hash: str) -> bool:
        """True when one of the last lines of the file is exactly the pending record."""
        return any(digest(line) == line_hash for line in tail_lines(self.fd, 8))

    def close(self) -> None:
        """Close the file."""
        os.close(self.fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte, looping on short writes."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def tail_lines(fd: int, count: int, block: int = 1 << 20) -> list[bytes]:
    """The last `count` complete lines of a file (with their newlines)."""
    size = os.fstat(fd).st_size
    start = max(0, size - block)
    data = os.pread(fd, size - start, start)
    lines = data.splitlines(keepends=True)
    if start > 0 and lines:
        lines = lines[1:]
    return lines[-count:]


_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(text: str, limit: int = 80) -> str:
    """A file-name part: word characters, dots and dashes only, no leading dot."""
    name = _UNSAFE.sub("-", unicodedata.normalize("NFKC", text)).strip("-.")
    return name[:limit].rstrip("-.") or "_"


def article_path(record: dict[str, Any], url: str) -> str:
    """`{site}/{date}/{slug}.json`, deterministic and sanitized; the slug ends in a URL hash."""
    parts = urlsplit(url)
    site = safe_name((parts.hostname or "unknown-site").removeprefix("www."))
    date = str(record.get("date") or record.get("published") or "")[:10]
    date = date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "undated"
    segments = [s for s in unquote(parts.path).split("/") if s]
    stem = segments[-1].rsplit(".", 1)[0] if segments else "index"
    slug = f"{safe_name(stem, 60)}-{hashlib.sha1(url.encode()).hexdigest()[:8]}"
    return f"{site}/{date}/{slug}.json"


class DirSink:
    """One JSON file per article under a directory, each written atomically.

    Files are written under DIR/.partial/ and renamed into place; what a kill leaves
    there is swept away when the next run opens the directory.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.partial = self.root / ".partial"
        try:
            self.partial.mkdir(parents=True, exist_ok=True)
            for stale in self.partial.iterdir():
                stale.unlink(missing_ok=True)
        except OSError as err:
            raise InputError(f"cannot use {self.root}: {err.strerror or err}") from None

    def render(self, record: dict[str, Any], url: str) -> tuple[str, bytes]:
        """The article's path (relative to the root) and its indented JSON."""
        from newskit.records.writers import render_json

        return article_path(record, url), render_json(record)

    def write(self, target: str, data: bytes) -> None:
        """Write the file atomically (temporary file, fsync, rename)."""
        import tempfile

        path = self.root / target
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.partial, suffix=".json")
        try:
            _write_all(fd, data)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        os.close(fd)
        os.replace(tmp, path)

    def written(self, target: str, line_hash: str) -> bool:
        """True when the file is there with exactly these bytes."""
        path = self.root / target
        return path.is_file() and digest(path.read_bytes()) == line_hash

    def close(self) -> None:
        """Nothing to close."""
