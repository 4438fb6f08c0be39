"""Where batch records go: JSON Lines (stdout or an appended file) or one file per article.

Every sink writes a record in one piece and can tell, after a kill, whether given bytes
arrived (see the protocol in newskit.crawl.state). A write error is an OutputError: fatal
when the output as a whole is broken (full disk, closed pipe), the record's own when only
its generated path cannot be made, so the run goes on with the others.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

from newskit.core.errors import InputError, OutputError, UsageError
from newskit.crawl.state import Emit, digest
from newskit.records.files import create_file, output_error, replace_file, target_stat

# OS errors that break an output as a whole: the run stops (exit 7) instead of failing
# every remaining URL one by one.
FATAL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EPIPE})
# A generated file-name part is at most this many bytes (file systems allow 255).
NAME_BYTES = 240


class Sink(Protocol):
    """Where records go: render, write in one piece, and tell after a kill what arrived."""

    def start(self) -> None:
        """Take the output for this run and clean what a kill left (the state is held)."""

    def render(self, record: dict[str, Any], url: str) -> tuple[Emit, bytes]:
        """Where a record of a URL goes and the exact bytes to write there."""

    def write(self, emit: Emit, data: bytes) -> None:
        """Write the bytes in one piece (durably); OutputError when it cannot."""

    def written(self, emit: Emit) -> bool:
        """True when these exact bytes are already where `emit` says."""

    def default_state(self) -> Path | None:
        """The state file a run keeps by default for this output (None: there is none)."""

    def close(self) -> None:
        """Flush and close."""


def default_state_path(sink: Sink) -> Path:
    """The state a batch keeps by default: beside `-o FILE`, inside `--out-dir`.

    A stream (stdout, a device, a FIFO) has no place for one: UsageError, give a state path.
    """
    path = sink.default_state()
    if path is None:
        raise UsageError(
            "a batch writing to stdout, a device or a FIFO needs --state FILE"
            " (the state remembers what was written; give each job its own)"
        )
    return path


def _jsonl(record: dict[str, Any]) -> bytes:
    from newskit.records.writers import render_jsonl

    return render_jsonl(record)


def _flock(fd: int, name: str) -> None:
    """An exclusive lock on an output, so two runs never write into one."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no guard
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise InputError(f"another batch run is writing to {name}") from None


class StreamSink:
    """JSON Lines to a stream (stdout): flushed per line; cannot look back after a kill."""

    def __init__(self, stream: BinaryIO, name: str = "stdout") -> None:
        self.stream = stream
        self.name = name

    def start(self) -> None:
        """Nothing to take or clean."""

    def render(self, record: dict[str, Any], url: str) -> tuple[Emit, bytes]:
        """One JSON line."""
        data = _jsonl(record)
        return Emit("-", digest(data)), data

    def write(self, emit: Emit, data: bytes) -> None:
        """Write and flush; a closed pipe is an OutputClosedError."""
        try:
            self.stream.write(data)
            self.stream.flush()
        except OSError as err:
            raise output_error(err, self.name) from None

    def written(self, emit: Emit) -> bool:
        """Unknowable for a stream: the URL is redone (at least once)."""
        return False

    def default_state(self) -> Path | None:
        """None: a stream has no place for a state."""
        return None

    def close(self) -> None:
        """Flush (a reader that went away is not an error any more)."""
        with contextlib.suppress(OSError):
            self.stream.flush()


class JsonlFileSink:
    """JSON Lines appended to a file: one write per full line, fsync'd; partial tails cut.

    A symlink is followed. A character device or FIFO is written into as a stream (it
    cannot be read back, so a record in flight at a kill is redone).
    """

    def __init__(self, path: str | Path, fsync: bool = True, name: str | None = None) -> None:
        self.name = name or str(path)
        self.path = Path(os.path.realpath(path))
        st = target_stat(self.path, self.name)
        self.regular = st is None or stat.S_ISREG(st.st_mode)
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT if self.regular else os.O_WRONLY
        try:
            self.fd = os.open(self.path, flags | os.O_CLOEXEC, 0o666)
        except OSError as err:
            raise output_error(err, self.name) from None
        self.fsync = fsync and self.regular

    def start(self) -> None:
        """Lock the file for this run and cut a partial last line a kill left."""
        if self.regular:
            _flock(self.fd, self.name)
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

    def render(self, record: dict[str, Any], url: str) -> tuple[Emit, bytes]:
        """One JSON line, to go at the file's current end."""
        data = _jsonl(record)
        offset = os.fstat(self.fd).st_size if self.regular else None
        return Emit(str(self.path), digest(data), offset, len(data)), data

    def write(self, emit: Emit, data: bytes) -> None:
        """Append the whole line (looping on short writes) and fsync; undo a partial line."""
        try:
            _write_all(self.fd, data)
            if self.fsync:
                os.fsync(self.fd)
        except OSError as err:
            if self.regular and emit.offset is not None:
                with contextlib.suppress(OSError):  # else the next run's repair() cuts it
                    os.ftruncate(self.fd, emit.offset)
            raise output_error(err, self.name) from None

    def written(self, emit: Emit) -> bool:
        """True when the noted bytes are in the file at the noted offset."""
        if not self.regular:
            return False
        if emit.offset is None or emit.size is None:  # a state from before offsets were kept
            return any(digest(line) == emit.digest for line in tail_lines(self.fd, 8))
        data = os.pread(self.fd, emit.size, emit.offset)
        return len(data) == emit.size and digest(data) == emit.digest

    def default_state(self) -> Path | None:
        """FILE.state.sqlite beside the (real) file; none for a device or FIFO."""
        return self.path.with_name(self.path.name + ".state.sqlite") if self.regular else None

    def close(self) -> None:
        """Close the file."""
        os.close(self.fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte, looping on short writes."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def tail_lines(fd: int, count: int, block: int = 1 << 16) -> list[bytes]:
    """The last `count` complete lines of a file (with their newlines), however long."""
    size = os.fstat(fd).st_size
    start = size
    data = b""
    while start > 0 and data.count(b"\n") <= count:
        step = min(block, start)
        start -= step
        data = os.pread(fd, step, start) + data
    lines = data.splitlines(keepends=True)
    if start > 0 and lines:
        lines = lines[1:]
    return lines[-count:]


_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(text: str, limit: int = 80, max_bytes: int = NAME_BYTES) -> str:
    """A file-name part: word characters, dots and dashes only, no leading dot.

    At most `limit` characters and `max_bytes` bytes of UTF-8; a name cut for its bytes
    ends in a hash of the whole, so two long names stay apart.
    """
    name = _UNSAFE.sub("-", unicodedata.normalize("NFKC", text)).strip("-.")
    name = name[:limit].rstrip("-.") or "_"
    raw = name.encode("utf-8")
    if len(raw) <= max_bytes:
        return name
    cut = raw[: max_bytes - 9].decode("utf-8", "ignore").rstrip("-.")
    return f"{cut}-{hashlib.sha1(raw).hexdigest()[:8]}"


def article_path(record: dict[str, Any], url: str) -> str:
    """`{site}/{date}/{slug}.json`, deterministic and sanitized; the slug ends in a URL hash."""
    parts = urlsplit(url)
    site = safe_name((parts.hostname or "unknown-site").removeprefix("www."))
    date = str(record.get("date") or record.get("published") or "")[:10]
    date = date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "undated"
    segments = [s for s in unquote(parts.path).split("/") if s]
    stem = segments[-1].rsplit(".", 1)[0] if segments else "index"
    digest8 = hashlib.sha1(url.encode()).hexdigest()[:8]
    slug = f"{safe_name(stem, 60, NAME_BYTES - len('-.json') - 8)}-{digest8}"
    return f"{site}/{date}/{slug}.json"


class DirSink:
    """One JSON file per article under a directory, each written atomically.

    Files are written under DIR/.partial/ and renamed into place; what a kill leaves
    there is swept away when the next run takes the directory.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.partial = self.root / ".partial"
        try:
            self.partial.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError as err:
            raise output_error(err, str(self.root), "cannot use") from None

    def start(self) -> None:
        """Lock the directory for this run and sweep partial files a kill left."""
        _flock(self.fd, str(self.root))
        try:
            for stale in self.partial.iterdir():
                stale.unlink(missing_ok=True)
        except OSError as err:
            raise output_error(err, str(self.root), "cannot use") from None

    def render(self, record: dict[str, Any], url: str) -> tuple[Emit, bytes]:
        """The article's path (relative to the root) and its indented JSON."""
        from newskit.records.writers import render_json

        data = render_json(record)
        return Emit(article_path(record, url), digest(data), None, len(data)), data

    def write(self, emit: Emit, data: bytes) -> None:
        """Write the file atomically (temporary file, fsync, rename).

        A file that is there already keeps its mode; a new one gets 0666 & ~umask.
        """
        path = self.root / emit.target
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                like: os.stat_result | None = os.stat(path)
            except FileNotFoundError:
                like = None
            tmp = self.partial / f"{os.urandom(6).hex()}.json"
            fd = create_file(tmp, like)
            try:
                _write_all(fd, data)
                os.fsync(fd)
            except BaseException:
                os.close(fd)
                tmp.unlink(missing_ok=True)
                raise
            os.close(fd)
            replace_file(tmp, path)
        except OSError as err:
            fatal = err.errno in FATAL_ERRNOS
            raise OutputError(f"cannot write {path}: {err.strerror or err}", fatal=fatal) from None

    def written(self, emit: Emit) -> bool:
        """True when the file is there with exactly these bytes."""
        try:
            return digest((self.root / emit.target).read_bytes()) == emit.digest
        except OSError:  # gone, or a name this system cannot hold: not written
            return False

    def default_state(self) -> Path | None:
        """DIR/.state.sqlite."""
        return self.root / ".state.sqlite"

    def close(self) -> None:
        """Let go of the directory."""
        os.close(self.fd)
