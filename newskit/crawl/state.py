"""Batch state in SQLite: one row per URL, the crash-safety protocol of batch output.

The "never lost, never twice" protocol (explained for users in docs/recipes.md):

1. before a record is written, its URL row turns `emitting`, holding the record's content
   fingerprint, its target, where in the target it goes (the byte offset in a JSON Lines
   file) and the hash and length of the exact bytes about to be written (committed);
2. the record is written in one piece (one `write` of a full line + fsync, or an atomic
   rename of a whole file);
3. the row turns `done` (committed).

A kill between 1 and 3 leaves an `emitting` row. The next run first asks the sink whether
those exact bytes are there (at the noted offset of the JSON Lines file, however long the
record; the file under `--out-dir`): if so the row turns `done`, else back to `pending`
and the URL is redone. A write that fails (step 2) takes the row back the same way.

One run at a time holds a state: `hold()` takes an exclusive flock on the database file
itself, so the same state reached through a symlink or a hard link is refused too. Errors
of SQLite itself (a full disk) become OutputErrors naming the state file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newskit.core.errors import InputError, OutputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    stage TEXT, reason TEXT, error TEXT,
    etag TEXT, last_modified TEXT,
    fingerprint TEXT, pending_fp TEXT, target TEXT, line_hash TEXT,
    origin TEXT, run TEXT, updated REAL, out_offset INTEGER, out_size INTEGER
);
CREATE INDEX IF NOT EXISTS urls_status ON urls (status);
CREATE TABLE IF NOT EXISTS fingerprints (fingerprint TEXT PRIMARY KEY, url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, updated REAL
);
"""


# The most the write-ahead log keeps on disk between checkpoints (bytes).
WAL_BYTES = 1 << 20
# Columns added since the first schema: (name, type), added to older state files on open.
_ADDED = (("out_offset", "INTEGER"), ("out_size", "INTEGER"))


def fingerprint(text: str) -> str:
    """A content fingerprint: hash of the text, NFKC-normalized, lower-cased, spaces dropped."""
    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


def digest(data: bytes) -> str:
    """Hash of the exact bytes a sink writes."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Emit:
    """What step 1 notes about a record about to be written (see the module docstring)."""

    target: str
    digest: str
    offset: int | None = None  # where the bytes start in a JSON Lines file
    size: int | None = None


@dataclass(frozen=True)
class Claim:
    """A URL a run will work on, with what the state knows about it."""

    url: str
    action: str  # "new", "retry" or "recheck"
    etag: str | None = None
    last_modified: str | None = None
    fingerprint: str | None = None


class Store:
    """The SQLite state of batch runs (WAL mode; safe to share between threads)."""

    def __init__(
        self, path: str | Path, clock: Callable[[], float] = time.time, *, hold: bool = False
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.real = real = Path(os.path.realpath(self.path))  # SQLite's -wal beside the file
        self.lock = threading.Lock()
        self._held: int | None = None  # the database file's descriptor, flocked by hold()
        if hold:  # before SQLite opens it: a second name of a held state is refused cleanly
            self.hold()
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(
                str(real), check_same_thread=False, isolation_level=None, timeout=30
            )
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            # The write-ahead log shrinks back after each checkpoint, and what a run killed
            # by a full disk left in it is folded in first, so a rerun gets that space back.
            self.db.execute(f"PRAGMA journal_size_limit={WAL_BYTES}")
            self.db.execute(f"PRAGMA wal_autocheckpoint={WAL_BYTES // 4096}")
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.executescript(_SCHEMA)
            have = {row[1] for row in self.db.execute("PRAGMA table_info(urls)")}
            for name, kind in _ADDED:
                if name not in have:
                    self.db.execute(f"ALTER TABLE urls ADD COLUMN {name} {kind}")
        except (OSError, sqlite3.Error) as err:
            self._release()
            raise InputError(f"cannot open state {self.path}: {err}") from None

    def hold(self) -> None:
        """Take the state for one run; InputError when another run holds it.

        The lock is an exclusive flock on the database file itself (not on a name), so a
        symlink or a hard link to the same state cannot get around it. It is kept open
        until close(): closing another descriptor of the file earlier would drop SQLite's
        own POSIX locks on it.
        """
        try:
            import fcntl
        except ImportError:  # not POSIX: no guard
            return
        if self._held is not None:
            return
        try:
            self.real.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.real, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError as err:
            raise InputError(f"cannot open state {self.path}: {err.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise InputError(f"another batch run is using the state {self.path}") from None
        self._held = fd

    def close(self) -> None:
        """Close the database, then let go of the run lock."""
        with self.lock, contextlib.suppress(sqlite3.Error):
            self.db.close()
        self._release()

    def _release(self) -> None:
        if self._held is not None:
            os.close(self._held)
            self._held = None

    @contextlib.contextmanager
    def _using(self) -> Iterator[None]:
        """Hold the connection; an SQLite failure (a full disk) is an OutputError naming the file."""
        with self.lock:
            try:
                yield
            except sqlite3.Error as err:
                raise OutputError(f"cannot write the state: {err}", source=str(self.path)) from None

    def _row(self, url: str) -> sqlite3.Row | None:
        cur = self.db.execute(
            "SELECT status, attempts, etag, last_modified, fingerprint, run, updated"
            " FROM urls WHERE url=?",
            (url,),
        )
        return cur.fetchone()  # type: ignore[no-any-return]

    def claim(
        self,
        url: str,
        run: str,
        origin: str,
        *,
        max_attempts: int = 3,
        recheck: float | None = None,
    ) -> Claim | str:
        """Take a URL for this run, or say why it is skipped ("done", "seen", "gave-up").

        A done page is rechecked only when `recheck` is set and its last check is at least
        that many seconds old (0: every run).
        """
        with self._using():
            row = self._row(url)
            now = self.clock()
            if row is None:
                self.db.execute(
                    "INSERT INTO urls (url, origin, run, updated) VALUES (?, ?, ?, ?)",
                    (url, origin, run, now),
                )
                return Claim(url, "new")
            status, attempts, etag, last_modified, fp, last_run, updated = row
            if last_run == run:
                return "seen"
            due = recheck is not None and now - (updated or 0) >= recheck
            if status == "duplicate" or (status == "done" and not due):
                return "done"
            if status == "gave-up" or (status == "failed" and attempts >= max_attempts):
                return "gave-up"
            self.db.execute("UPDATE urls SET run=?, updated=? WHERE url=?", (run, now, url))
            if status == "done":
                return Claim(url, "recheck", etag, last_modified, fp)
            return Claim(url, "retry" if attempts else "new")

    def fail(
        self, url: str, stage: str, reason: str, message: str, *, give_up: bool = False
    ) -> None:
        """Count a failed attempt; `give_up` marks the URL never to be tried again."""
        failed = "gave-up" if give_up else "failed"
        with self._using():
            self.db.execute(
                "UPDATE urls SET status=CASE status WHEN 'done' THEN 'done' ELSE ? END,"
                " attempts=attempts+1, stage=?, reason=?, error=?, updated=? WHERE url=?",
                (failed, stage, reason, message, self.clock(), url),
            )

    def unchanged(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> None:
        """A rechecked page is as it was (304, or the same fingerprint)."""
        with self._using():
            self.db.execute(
                "UPDATE urls SET etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified),"
                " updated=? WHERE url=?",
                (etag, last_modified, self.clock(), url),
            )

    def owner(self, fp: str) -> str | None:
        """The URL already emitted with this fingerprint, if any."""
        with self._using():
            row = self.db.execute(
                "SELECT url FROM fingerprints WHERE fingerprint=?", (fp,)
            ).fetchone()
            return str(row[0]) if row else None

    def duplicate(self, url: str, fp: str, of: str) -> None:
        """Mark a URL whose article was already emitted under another URL."""
        with self._using():
            self.db.execute(
                "UPDATE urls SET status='duplicate', fingerprint=?, error=?, updated=? WHERE url=?",
                (fp, f"same article as {of}", self.clock(), url),
            )

    def begin_emit(self, url: str, fp: str, emit: Emit) -> bool:
        """Step 1: claim the fingerprint and note what is about to be written, and where.

        Returns False when another URL already owns the fingerprint (nothing to write).
        """
        with self._using():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                row = self.db.execute(
                    "SELECT url FROM fingerprints WHERE fingerprint=?", (fp,)
                ).fetchone()
                if row is not None and row[0] != url:
                    self.db.execute("ROLLBACK")
                    return False
                self.db.execute(
                    "INSERT OR IGNORE INTO fingerprints (fingerprint, url) VALUES (?, ?)", (fp, url)
                )
                self.db.execute(
                    "UPDATE urls SET status='emitting', pending_fp=?, target=?, line_hash=?,"
                    " out_offset=?, out_size=?, updated=? WHERE url=?",
                    (fp, emit.target, emit.digest, emit.offset, emit.size, self.clock(), url),
                )
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:  # a failed COMMIT (disk full) has rolled back
                    self.db.execute("ROLLBACK")
                raise
            return True

    def finish_emit(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Step 3: the record is written; the URL is done."""
        with self._using():
            self.db.execute(
                "UPDATE urls SET status='done', fingerprint=pending_fp, pending_fp=NULL,"
                " etag=?, last_modified=?, stage=NULL, reason=NULL, error=NULL, updated=?"
                " WHERE url=?",
                (etag, last_modified, self.clock(), url),
            )

    def emitting(self) -> list[tuple[str, Emit]]:
        """Rows a killed run left between steps 1 and 3, with what they were writing."""
        with self._using():
            rows = self.db.execute(
                "SELECT url, target, line_hash, out_offset, out_size FROM urls"
                " WHERE status='emitting'"
            ).fetchall()
        return [(str(u), Emit(str(t), str(h), o, n)) for u, t, h, o, n in rows]

    def resolve_emit(self, url: str, written: bool) -> None:
        """After a kill or a failed write: done if the record reached the output, else redo."""
        if written:
            self.finish_emit_keep(url)
            return
        with self._using():
            self.db.execute(
                "DELETE FROM fingerprints WHERE url=? AND fingerprint="
                "(SELECT pending_fp FROM urls WHERE url=?)"
                " AND fingerprint IS NOT (SELECT fingerprint FROM urls WHERE url=?)",
                (url, url, url),
            )
            self.db.execute(
                "UPDATE urls SET status=CASE WHEN fingerprint IS NULL THEN 'pending' ELSE 'done'"
                " END, pending_fp=NULL, run=NULL, updated=? WHERE url=?",
                (self.clock(), url),
            )

    def finish_emit_keep(self, url: str) -> None:
        """Mark an `emitting` row done, keeping its stored validators."""
        with self._using():
            self.db.execute(
                "UPDATE urls SET status='done', fingerprint=pending_fp, pending_fp=NULL,"
                " updated=? WHERE url=?",
                (self.clock(), url),
            )

    def unfinished(self, origin: str, max_attempts: int) -> Iterator[str]:
        """URLs of a source still to do (for a feed that answered 304), in chunks."""
        last = 0
        while True:
            with self._using():
                rows = self.db.execute(
                    "SELECT rowid, url FROM urls WHERE origin=? AND rowid>? AND"
                    " (status='pending' OR (status='failed' AND attempts<?))"
                    " ORDER BY rowid LIMIT 500",
                    (origin, last, max_attempts),
                ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from (str(url) for _, url in rows)

    def source_validators(self, name: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified last seen for a feed or sitemap."""
        with self._using():
            row = self.db.execute(
                "SELECT etag, last_modified FROM sources WHERE name=?", (name,)
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def set_source_validators(self, name: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a feed's or sitemap's validators for the next run's conditional request."""
        with self._using():
            self.db.execute(
                "INSERT OR REPLACE INTO sources (name, etag, last_modified, updated)"
                " VALUES (?, ?, ?, ?)",
                (name, etag, last_modified, self.clock()),
            )

    def status(self, url: str) -> dict[str, Any] | None:
        """One URL's row as a dict (for tests and debugging)."""
        with self._using():
            cur = self.db.execute("SELECT * FROM urls WHERE url=?", (url,))
            row = cur.fetchone()
            names = [d[0] for d in cur.description]
        return dict(zip(names, row, strict=True)) if row else None
