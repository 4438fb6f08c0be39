"""Batch state in SQLite: one row per URL, the crash-safety protocol of batch output.

The "never lost, never twice" protocol (explained for users in docs/recipes.md):

1. before a record is written, its URL row turns `emitting`, holding the record's content
   fingerprint, its target and the hash of the exact bytes about to be written (committed);
2. the record is written in one piece (one `write` of a full line + fsync, or an atomic
   rename of a whole file);
3. the row turns `done` (committed).

A kill between 1 and 3 leaves an `emitting` row. The next run first asks the sink whether
those exact bytes are there (the last lines of the JSON Lines file, the file under
`--out-dir`): if so the row turns `done`, else back to `pending` and the URL is redone.
"""

from __future__ import annotations

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
from typing import IO, Any

from newskit.core.errors import InputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    stage TEXT, reason TEXT, error TEXT,
    etag TEXT, last_modified TEXT,
    fingerprint TEXT, pending_fp TEXT, target TEXT, line_hash TEXT,
    origin TEXT, run TEXT, updated REAL
);
CREATE INDEX IF NOT EXISTS urls_status ON urls (status);
CREATE TABLE IF NOT EXISTS fingerprints (fingerprint TEXT PRIMARY KEY, url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, updated REAL
);
"""


def default_state_path(environ: dict[str, str] | None = None) -> Path:
    """$XDG_STATE_HOME/newskit/batch.sqlite, else ~/.local/state/newskit/batch.sqlite."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "newskit" / "batch.sqlite"


def fingerprint(text: str) -> str:
    """A content fingerprint: hash of the text, NFKC-normalized, lower-cased, spaces dropped."""
    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


def digest(data: bytes) -> str:
    """Hash of the exact bytes a sink writes."""
    return hashlib.sha256(data).hexdigest()


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

    def __init__(self, path: str | Path, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.clock = clock
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
        self._held: IO[str] | None = None  # the run lock's file, once hold() took it

    def hold(self) -> None:
        """Take the state for one run; InputError when another run holds it (POSIX flock)."""
        try:
            import fcntl
        except ImportError:  # not POSIX: no guard
            return
        if self._held is not None:
            return
        held = open(f"{self.path}.lock", "a")  # noqa: SIM115  (kept open while held)
        try:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            held.close()
            raise InputError(f"another batch run is using the state {self.path}") from None
        self._held = held

    def held_fds(self) -> tuple[int, ...]:
        """File descriptors of the run lock (forked workers close them)."""
        return (self._held.fileno(),) if self._held is not None else ()

    def close(self) -> None:
        """Close the database (and let go of the run lock)."""
        with self.lock:
            self.db.close()
        if self._held is not None:
            self._held.close()

    def _row(self, url: str) -> sqlite3.Row | None:
        cur = self.db.execute(
            "SELECT status, attempts, etag, last_modified, fingerprint, run FROM urls WHERE url=?",
            (url,),
        )
        return cur.fetchone()  # type: ignore[no-any-return]

    def claim(
        self, url: str, run: str, origin: str, *, max_attempts: int = 3, recheck: bool = True
    ) -> Claim | str:
        """Take a URL for this run, or say why it is skipped ("done", "seen", "gave-up")."""
        with self.lock:
            row = self._row(url)
            now = self.clock()
            if row is None:
                self.db.execute(
                    "INSERT INTO urls (url, origin, run, updated) VALUES (?, ?, ?, ?)",
                    (url, origin, run, now),
                )
                return Claim(url, "new")
            status, attempts, etag, last_modified, fp, last_run = row
            if last_run == run:
                return "seen"
            if status == "duplicate" or (
                status == "done" and not (recheck and (etag or last_modified))
            ):
                return "done"
            if status == "failed" and attempts >= max_attempts:
                return "gave-up"
            self.db.execute("UPDATE urls SET run=?, updated=? WHERE url=?", (run, now, url))
            if status == "done":
                return Claim(url, "recheck", etag, last_modified, fp)
            return Claim(url, "retry" if attempts else "new")

    def fail(self, url: str, stage: str, reason: str, message: str) -> None:
        """Count a failed attempt."""
        with self.lock:
            self.db.execute(
                "UPDATE urls SET status=CASE status WHEN 'done' THEN 'done' ELSE 'failed' END,"
                " attempts=attempts+1, stage=?, reason=?, error=?, updated=? WHERE url=?",
                (stage, reason, message, self.clock(), url),
            )

    def unchanged(
        self, url: str, etag: str | None = None, last_modified: str | None = None
    ) -> None:
        """A rechecked page is as it was (304, or the same fingerprint)."""
        with self.lock:
            self.db.execute(
                "UPDATE urls SET etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified),"
                " updated=? WHERE url=?",
                (etag, last_modified, self.clock(), url),
            )

    def owner(self, fp: str) -> str | None:
        """The URL already emitted with this fingerprint, if any."""
        with self.lock:
            row = self.db.execute(
                "SELECT url FROM fingerprints WHERE fingerprint=?", (fp,)
            ).fetchone()
            return str(row[0]) if row else None

    def duplicate(self, url: str, fp: str, of: str) -> None:
        """Mark a URL whose article was already emitted under another URL."""
        with self.lock:
            self.db.execute(
                "UPDATE urls SET status='duplicate', fingerprint=?, error=?, updated=? WHERE url=?",
                (fp, f"same article as {of}", self.clock(), url),
            )

    def begin_emit(self, url: str, fp: str, target: str, line_hash: str) -> bool:
        """Step 1: claim the fingerprint and note what is about to be written.

        Returns False when another URL already owns the fingerprint (nothing to write).
        """
        with self.lock:
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
                    " updated=? WHERE url=?",
                    (fp, target, line_hash, self.clock(), url),
                )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            return True

    def finish_emit(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Step 3: the record is written; the URL is done."""
        with self.lock:
            self.db.execute(
                "UPDATE urls SET status='done', fingerprint=pending_fp, pending_fp=NULL,"
                " etag=?, last_modified=?, stage=NULL, reason=NULL, error=NULL, updated=?"
                " WHERE url=?",
                (etag, last_modified, self.clock(), url),
            )

    def emitting(self) -> list[tuple[str, str, str]]:
        """Rows a killed run left between steps 1 and 3: (url, target, line_hash)."""
        with self.lock:
            rows = self.db.execute(
                "SELECT url, target, line_hash FROM urls WHERE status='emitting'"
            ).fetchall()
        return [(str(u), str(t), str(h)) for u, t, h in rows]

    def resolve_emit(self, url: str, written: bool) -> None:
        """After a kill: done if the record reached the output, else redo the URL."""
        if written:
            self.finish_emit_keep(url)
            return
        with self.lock:
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
        with self.lock:
            self.db.execute(
                "UPDATE urls SET status='done', fingerprint=pending_fp, pending_fp=NULL,"
                " updated=? WHERE url=?",
                (self.clock(), url),
            )

    def unfinished(self, origin: str, max_attempts: int) -> Iterator[str]:
        """URLs of a source still to do (for a feed that answered 304), in chunks."""
        last = 0
        while True:
            with self.lock:
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
        with self.lock:
            row = self.db.execute(
                "SELECT etag, last_modified FROM sources WHERE name=?", (name,)
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def set_source_validators(self, name: str, etag: str | None, last_modified: str | None) -> None:
        """Remember a feed's or sitemap's validators for the next run's conditional request."""
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO sources (name, etag, last_modified, updated)"
                " VALUES (?, ?, ?, ?)",
                (name, etag, last_modified, self.clock()),
            )

    def status(self, url: str) -> dict[str, Any] | None:
        """One URL's row as a dict (for tests and debugging)."""
        with self.lock:
            cur = self.db.execute("SELECT * FROM urls WHERE url=?", (url,))
            row = cur.fetchone()
            names = [d[0] for d in cur.description]
        return dict(zip(names, row, strict=True)) if row else None
