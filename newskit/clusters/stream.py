"""Dedup of a record stream in bounded memory: one window of records held, the rest written.

Records are expected roughly in `published` order (a crawl's or a batch's output). A record
is compared with the held records within the window of its `published`; a record without a
date counts as published at the newest time seen so far. A cluster is settled (its original
chosen, its members annotated) once its newest member is more than the window older than the
newest record: no later record can join it. Records come out in input order, each once its
cluster is settled, so what is held is at most about one window of records (`keep=first`
holds none: it writes the first record of a cluster at once and drops the later copies).
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from newskit.clusters.fingerprint import Sketch, sketch
from newskit.clusters.grouping import Cluster, Member, annotate, match, outlet_stem
from newskit.clusters.index import Entry, WindowIndex
from newskit.core.errors import UsageError
from newskit.core.models import options_from

Record = dict[str, Any]

DAY = 86400.0
_UNITS = {"d": DAY, "h": 3600.0, "m": 60.0, "s": 1.0}
_WINDOW = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([dhms]?)\s*", re.IGNORECASE)


class Keep(str, Enum):
    """Which records dedup writes."""

    all = "all"
    original = "original"
    first = "first"


@dataclass(frozen=True)
class DedupOptions:
    """How dedup groups and what it writes; built once by the CLI, passed to the API."""

    window: float = 2 * DAY
    keep: Keep = Keep.all

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> DedupOptions:
        """Build options from keyword arguments (window as seconds or '2d'), refusing unknown names."""
        if isinstance(kwargs.get("window"), str):
            kwargs["window"] = parse_window(kwargs["window"])
        if "keep" in kwargs:
            kwargs["keep"] = Keep(kwargs["keep"])
        return options_from(cls, kwargs, "dedup")


def parse_window(value: str) -> float:
    """'2d', '36h', '90m', '3600s' or a number of days, in seconds."""
    found = _WINDOW.fullmatch(value)
    if not found:
        raise UsageError(f"invalid window {value!r} (try 2d, 36h or 90m)")
    return float(found.group(1)) * _UNITS[found.group(2).lower() or "d"]


def timestamp(published: Any) -> float | None:
    """Seconds since the epoch of an ISO 8601 time (a naive one read as UTC), or None."""
    if not isinstance(published, str) or not published.strip():
        return None
    text = published.strip().replace("Z", "+00:00").replace(" ", "T", 1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


class Deduper:
    """Feed records with `add`, then `finish`; each returns the records ready to write."""

    def __init__(self, options: DedupOptions | None = None) -> None:
        self.options = options or DedupOptions()
        self.index = WindowIndex(self.options.window)
        self.newest: float | None = None
        self._queue: deque[Member | Record] = deque()
        self._seq = itertools.count()

    def add(self, record: Record) -> list[Record]:
        """Group one record; returns the records now settled, in input order."""
        text = record.get("text")
        if "error" in record or not isinstance(text, str) or not text.strip():
            return self._pass(record)
        member = self._member(record, text)
        if self.options.keep is Keep.first:
            return self._first(member)
        self._queue.append(member)
        self._settle(self._evict())
        return self._ready()

    def finish(self) -> list[Record]:
        """Settle every cluster still open: the end of the input."""
        self._settle(self.index.drain())
        return self._ready()

    def _pass(self, record: Record) -> list[Record]:
        """Records with nothing to compare (errors, no text) keep their place in the output."""
        if self.options.keep is Keep.first:
            return [record]
        self._queue.append(record)
        return self._ready()

    def _member(self, record: Record, text: str) -> Member:
        shape = sketch(text)
        record["fingerprint"] = shape.fingerprint
        when = timestamp(record.get("published"))
        if when is not None:
            self.newest = when if self.newest is None else max(self.newest, when)
        time = when if when is not None else (self.newest or 0.0)
        best = self._best(shape, time)
        cluster = best.cluster if best else Cluster(shape.fingerprint)
        member = Member(
            seq=next(self._seq),
            time=time,
            dated=when is not None,
            sketch=shape,
            url=record.get("url"),
            outlet=outlet_stem(record.get("site_name")),
            credit=outlet_stem(record.get("source")),
            # keep=first writes only a cluster's first record: later ones need not be held.
            record=None if best and self.options.keep is Keep.first else record,
            cluster=cluster,
        )
        cluster.members.append(member)
        cluster.live += 1
        self.index.add(Entry(shape, time, member))
        return member

    def _best(self, shape: Sketch, time: float) -> Member | None:
        """The held record most like this one, when one is the same story."""
        best: Member | None = None
        top = -1.0
        known = set(shape.sample)
        for entry in self.index.candidates(shape, time):
            score = match(shape, entry.sketch, known)
            if score is not None and score > top:
                best, top = entry.payload, score
        return best

    def _first(self, member: Member) -> list[Record]:
        """keep=first: the first record of a cluster goes out now, later copies never."""
        self._settle(self._evict())
        if member.record is None or member.cluster.members[0] is not member:
            return []
        record = member.record
        member.record = None
        record.update(cluster=member.cluster.id, duplicate_of=None, similarity=None)
        return [record]

    def _evict(self) -> Iterator[Entry]:
        if self.newest is None:
            return iter(())
        return self.index.evict(self.newest - self.options.window)

    def _settle(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            cluster = entry.payload.cluster
            cluster.live -= 1
            if cluster.live == 0:
                cluster.closed = True
                if self.options.keep is not Keep.first:
                    annotate(cluster)

    def _ready(self) -> list[Record]:
        out: list[Record] = []
        queue = self._queue
        while queue:
            head = queue[0]
            if isinstance(head, Member):
                if not head.cluster.closed:
                    break
                if self.options.keep is Keep.all or head is head.cluster.original:
                    out.append(head.record or {})
                head.record = None
            else:
                out.append(head)
            queue.popleft()
        return out


def dedup(
    records: Iterable[Record], options: DedupOptions | None = None, **kwargs: Any
) -> Iterator[Record]:
    """Group syndicated copies in a stream of article records (lazily, one window held).

    Every record with text gains `fingerprint`, `cluster`, `duplicate_of` and `similarity`;
    `keep` chooses which records come out (all; the original of each cluster; the first).
    """
    deduper = Deduper(options or DedupOptions.from_kwargs(**kwargs))
    for record in records:
        yield from deduper.add(record)
    yield from deduper.finish()
