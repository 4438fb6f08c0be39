"""Dedup against a SQLite state that outlives the run: `newskit batch --dedup` across days.

Records are annotated as they are written, so the decision is final at write time: the first
record of a cluster written is its original, and a later one a copy of it, or of the member
its `source` names; a later record whose outlet an earlier member credits becomes the
original for the copies after it (the records already written keep what they said). Each record's sketch and its keys (the
smallest sampled shingles and the simhash bands, as in the in-memory index) live in two
tables of the state database; rows older than the window before the newest record go.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from collections.abc import Callable
from typing import Any

from newskit.clusters.fingerprint import Sketch, overlap, sketch
from newskit.clusters.grouping import match, outlet_stem
from newskit.clusters.index import BOTTOM, LEAST_HITS, MOST_CANDIDATES, SHORT_SAMPLE, band_keys
from newskit.clusters.stream import DAY, timestamp

Record = dict[str, Any]

SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup_records (
    id INTEGER PRIMARY KEY,
    url TEXT,
    time REAL NOT NULL,
    fingerprint TEXT NOT NULL,
    sample BLOB NOT NULL,
    shingles INTEGER NOT NULL,
    outlet TEXT,
    credit TEXT,
    cluster TEXT NOT NULL,
    original TEXT
);
CREATE INDEX IF NOT EXISTS dedup_records_time ON dedup_records (time);
CREATE INDEX IF NOT EXISTS dedup_records_cluster ON dedup_records (cluster, outlet);
CREATE TABLE IF NOT EXISTS dedup_keys (key INTEGER NOT NULL, record INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS dedup_keys_key ON dedup_keys (key);
"""
# Old rows are pruned once every this many records.
PRUNE_EVERY = 500
# Keys looked up per query (SQLite's oldest limit on parameters is 999).
_CHUNK = 900


def _shape(row: sqlite3.Row) -> Sketch:
    sample = array("I")
    sample.frombytes(row["sample"])
    return Sketch(int(row["fingerprint"], 16), sample, row["shingles"])


class StateDedup:
    """Annotate records with `cluster`, `duplicate_of` and `similarity` against a state file."""

    def __init__(
        self,
        path: str,
        window: float = 2 * DAY,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.window = window
        self.clock = clock
        self.db = sqlite3.connect(path, timeout=30)
        self.db.row_factory = sqlite3.Row
        with self.db:
            self.db.executescript(SCHEMA)
        self._added = 0

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()

    def annotate(self, record: Record) -> Record:
        """Add the dedup fields to a record (in place) and remember it; others pass as they are."""
        text = record.get("text")
        if "error" in record or not isinstance(text, str) or not text.strip():
            return record
        shape = sketch(text)
        self._forget(
            record.get("url")
        )  # a page fetched again (changed, resumed) is no copy of itself
        when = timestamp(record.get("published"))
        moment = when if when is not None else self.clock()
        best = self._best(shape, moment)
        record["fingerprint"] = shape.fingerprint
        if best is None:
            cluster, original = shape.fingerprint, record.get("url")
            record.update(cluster=cluster, duplicate_of=None, similarity=None)
        elif self._is_credited(best["cluster"], record):
            # The outlet an earlier copy credits: the original, for every later copy.
            cluster, original = best["cluster"], record.get("url")
            record.update(cluster=cluster, duplicate_of=None, similarity=None)
            with self.db:
                self.db.execute(
                    "UPDATE dedup_records SET original=? WHERE cluster=?", (original, cluster)
                )
        else:
            cluster, original = best["cluster"], best["original"]
            credited = self._credited(cluster, record)
            target = credited or self._member(cluster, original) or best
            record.update(
                cluster=cluster,
                duplicate_of=credited["url"] if credited else original,
                similarity=round(overlap(shape, _shape(target)), 3),
            )
        self._remember(record, shape, moment, cluster, original)
        return record

    def _best(self, shape: Sketch, moment: float) -> sqlite3.Row | None:
        """The remembered record within the window most like this one, when one matches."""
        keys = [*shape.sample, *band_keys(shape.simhash)]
        hits: dict[int, int] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for record, count in self.db.execute(
                f"SELECT record, COUNT(*) FROM dedup_keys WHERE key IN ({marks}) GROUP BY record",
                chunk,
            ):
                hits[record] = hits.get(record, 0) + count
        least = LEAST_HITS if len(shape.sample) >= SHORT_SAMPLE else 1
        ranked = sorted((r for r in hits if hits[r] >= least), key=hits.__getitem__, reverse=True)
        ids = ranked[:MOST_CANDIDATES]
        rows = self.db.execute(
            f"SELECT * FROM dedup_records WHERE id IN ({','.join('?' * len(ids))}) "
            "AND time BETWEEN ? AND ?",
            (*ids, moment - self.window, moment + self.window),
        ).fetchall()
        known = set(shape.sample)
        scored = [(match(shape, _shape(row), known), row) for row in rows]
        found = [(score, row) for score, row in scored if score is not None]
        return max(found, key=lambda pair: pair[0])[1] if found else None

    def _credited(self, cluster: str, record: Record) -> sqlite3.Row | None:
        """The member whose outlet the record's `source` names, when it is not its own."""
        credit = outlet_stem(record.get("source"))
        if not credit or credit == outlet_stem(record.get("site_name")):
            return None
        row: sqlite3.Row | None = self.db.execute(
            "SELECT * FROM dedup_records WHERE cluster=? AND outlet=? ORDER BY time LIMIT 1",
            (cluster, credit),
        ).fetchone()
        return row

    def _is_credited(self, cluster: str, record: Record) -> bool:
        """Whether a member of the cluster credits this record's outlet as its source."""
        outlet = outlet_stem(record.get("site_name"))
        if not outlet:
            return False
        row = self.db.execute(
            "SELECT 1 FROM dedup_records WHERE cluster=? AND credit=? AND outlet IS NOT ? LIMIT 1",
            (cluster, outlet, outlet),
        ).fetchone()
        return row is not None

    def _member(self, cluster: str, url: str | None) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.db.execute(
            "SELECT * FROM dedup_records WHERE cluster=? AND url IS ? LIMIT 1", (cluster, url)
        ).fetchone()
        return row

    def _remember(
        self, record: Record, shape: Sketch, moment: float, cluster: str, original: str | None
    ) -> None:
        with self.db:
            cur = self.db.execute(
                "INSERT INTO dedup_records (url, time, fingerprint, sample, shingles, outlet, "
                "credit, cluster, original) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.get("url"),
                    moment,
                    shape.fingerprint,
                    shape.sample.tobytes(),
                    shape.shingles,
                    outlet_stem(record.get("site_name")),
                    outlet_stem(record.get("source")),
                    cluster,
                    original,
                ),
            )
            keys = [*shape.sample[:BOTTOM], *band_keys(shape.simhash)]
            self.db.executemany(
                "INSERT INTO dedup_keys (key, record) VALUES (?, ?)",
                [(key, cur.lastrowid) for key in keys],
            )
        self._added += 1
        if self._added % PRUNE_EVERY == 0:
            self.prune()

    def _forget(self, url: Any) -> None:
        if not isinstance(url, str):
            return
        with self.db:
            self.db.execute(
                "DELETE FROM dedup_keys WHERE record IN (SELECT id FROM dedup_records WHERE url=?)",
                (url,),
            )
            self.db.execute("DELETE FROM dedup_records WHERE url=?", (url,))

    def prune(self) -> None:
        """Forget records more than the window older than the newest one."""
        newest = self.db.execute("SELECT MAX(time) FROM dedup_records").fetchone()[0]
        if newest is None:
            return
        before = newest - self.window
        with self.db:
            self.db.execute(
                "DELETE FROM dedup_keys WHERE record IN "
                "(SELECT id FROM dedup_records WHERE time < ?)",
                (before,),
            )
            self.db.execute("DELETE FROM dedup_records WHERE time < ?", (before,))
