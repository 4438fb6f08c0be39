"""What `newskit warc --state` remembers: files done, and each record's crash-safe emit.

The protocol is batch's (see newskit.crawl.state): a record's row turns `emitting` with
the hash of the exact bytes about to be written (committed), the bytes are written in one
piece, the row turns `done`. A rerun asks the sink whether an `emitting` record's bytes
arrived, then skips every done (or failed) offset of a file it restarts, and every file
whose size and modification time are those of a finished run.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import IO, Protocol

from newskit.core.errors import InputError
from newskit.crawl.state import Emit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS warc_files (
    file TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, status TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS warc_records (
    file TEXT NOT NULL, offset INTEGER NOT NULL, status TEXT NOT NULL,
    target TEXT, digest TEXT, at INTEGER, size INTEGER, PRIMARY KEY (file, offset)
);
"""


class Written(Protocol):
    """The part of a sink the state asks after a kill."""

    def written(self, emit: Emit) -> bool:
        """True when the exact bytes `emit` describes are already where it says."""


def file_key(path: str) -> tuple[str, int, int]:
    """(absolute path, size, mtime in ns) of an archive file: what makes it the same file."""
    real = os.path.realpath(path)
    info = os.stat(real)
    return real, info.st_size, info.st_mtime_ns


class ArchiveState:
    """The SQLite state of `newskit warc` runs (WAL mode; one writer: the command)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(
                str(self.path), check_same_thread=False, isolation_level=None, timeout=30
            )
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as err:
            raise InputError(f"cannot open state {self.path}: {err}") from None
        self.lock = threading.Lock()
        self._held: IO[str] | None = None

    def hold(self) -> None:
        """Take the state for one run; InputError when another run holds it (POSIX flock)."""
        import fcntl

        held = open(f"{self.path}.lock", "a")  # noqa: SIM115  (kept open while held)
        try:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            held.close()
            raise InputError(f"another run is using the state {self.path}") from None
        self._held = held

    def close(self) -> None:
        """Close the database and let go of the run lock."""
        with self.lock:
            self.db.close()
        if self._held is not None:
            self._held.close()
            self._held = None

    def is_done(self, file: str, size: int, mtime: int) -> bool:
        """True when a run finished this file as it is now."""
        with self.lock:
            row = self.db.execute(
                "SELECT size, mtime, status FROM warc_files WHERE file=?", (file,)
            ).fetchone()
        return row is not None and tuple(row) == (size, mtime, "done")

    def start(self, file: str, size: int, mtime: int, sink: Written) -> set[int]:
        """Begin (or resume) a file; returns the offsets already settled, to skip.

        A file that changed since its rows were written starts over.
        """
        with self.lock:
            row = self.db.execute(
                "SELECT size, mtime FROM warc_files WHERE file=?", (file,)
            ).fetchone()
            if row is not None and tuple(row) != (size, mtime):
                self.db.execute("DELETE FROM warc_records WHERE file=?", (file,))
            self.db.execute(
                "INSERT OR REPLACE INTO warc_files (file, size, mtime, status)"
                " VALUES (?, ?, ?, 'running')",
                (file, size, mtime),
            )
            pending = self.db.execute(
                "SELECT offset, target, digest, at, size FROM warc_records"
                " WHERE file=? AND status='emitting'",
                (file,),
            ).fetchall()
        for offset, target, digest, at, size in pending:
            arrived = sink.written(Emit(str(target), str(digest), at, size))
            self._settle(file, int(offset), "done" if arrived else None)
        with self.lock:
            rows = self.db.execute(
                "SELECT offset FROM warc_records WHERE file=?", (file,)
            ).fetchall()
        return {int(offset) for (offset,) in rows}

    def _settle(self, file: str, offset: int, status: str | None) -> None:
        with self.lock:
            if status is None:
                self.db.execute(
                    "DELETE FROM warc_records WHERE file=? AND offset=?", (file, offset)
                )
            else:
                self.db.execute(
                    "UPDATE warc_records SET status=? WHERE file=? AND offset=?",
                    (status, file, offset),
                )

    def begin_emit(self, file: str, offset: int, emit: Emit) -> None:
        """Step 1: note where the exact bytes about to be written for this record go."""
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO warc_records (file, offset, status, target, digest, at,"
                " size) VALUES (?, ?, 'emitting', ?, ?, ?, ?)",
                (file, offset, emit.target, emit.digest, emit.offset, emit.size),
            )

    def finish_emit(self, file: str, offset: int) -> None:
        """Step 3: the record is written."""
        self._settle(file, offset, "done")

    def failed(self, file: str, offset: int) -> None:
        """A record that gave no article: not tried again when the file is resumed."""
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO warc_records (file, offset, status) VALUES (?, ?, 'failed')",
                (file, offset),
            )

    def finish(self, file: str) -> None:
        """The whole file is done: a rerun skips it; its record rows are no longer needed."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("UPDATE warc_files SET status='done' WHERE file=?", (file,))
            self.db.execute("DELETE FROM warc_records WHERE file=?", (file,))
            self.db.execute("COMMIT")
