"""Candidate search within a window of `published`: sample keys and simhash bands, evicted by time.

Each record is filed under the BOTTOM smallest values of its sample (a bottom-k MinHash
sketch) and under the four 16-bit bands of its simhash. A query looks up every value of its
own sample, so a cut-down copy finds the longer story (about share × BOTTOM of that story's
keys are in it) and a longer story finds an earlier cut-down copy (all of its keys are), and
two fingerprints within 3 bits share a band (pigeonhole). A long query must share two keys
with a candidate: one is chance. Records leave the index once
they are more than the window older than the newest record: memory holds one window.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newskit.clusters.fingerprint import Sketch

BOTTOM = 20
BANDS = 4
BAND_BITS = 64 // BANDS
# A key filed by more records than this is common wording (a dateline, a stock phrase), not
# evidence of a copy: it is no longer filed or looked up.
CROWDED = 64
# Most candidates verified per query, best-supported first.
MOST_CANDIDATES = 32
# Keys a candidate must share with a query whose sample has at least SHORT_SAMPLE values: one
# shared key is chance for a long text; a copy shares most, a first half about half, of BOTTOM.
LEAST_HITS = 2
SHORT_SAMPLE = 16
_BAND_TAG = 1 << 40


@dataclass(eq=False, slots=True)
class Entry:
    """One indexed record: its sketch, its time (seconds) and what the caller attaches."""

    sketch: Sketch
    time: float
    payload: Any
    keys: tuple[int, ...] = ()


def band_keys(simhash: int) -> list[int]:
    """The simhash's bands, tagged so they never equal a sample value."""
    mask = (1 << BAND_BITS) - 1
    return [
        _BAND_TAG | band << BAND_BITS | (simhash >> band * BAND_BITS & mask)
        for band in range(BANDS)
    ]


class WindowIndex:
    """The records of one window of time, findable by shared sample values and simhash bands."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._postings: dict[int, list[Entry]] = {}
        self._by_time: list[tuple[float, int, Entry]] = []
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self._by_time)

    def add(self, entry: Entry) -> None:
        """File a record under its smallest sample values and its simhash bands."""
        entry.keys = (*entry.sketch.sample[:BOTTOM], *band_keys(entry.sketch.simhash))
        for key in entry.keys:
            posting = self._postings.setdefault(key, [])
            if len(posting) <= CROWDED:
                posting.append(entry)
        heapq.heappush(self._by_time, (entry.time, next(self._order), entry))

    def candidates(self, sketch: Sketch, time: float) -> list[Entry]:
        """Records within the window of `time` sharing a key with `sketch`, most shared first."""
        keys = itertools.chain(sketch.sample, band_keys(sketch.simhash))
        found = [p for p in map(self._postings.get, keys) if p and len(p) <= CROWDED]
        hits = Counter(itertools.chain.from_iterable(found))
        least = LEAST_HITS if len(sketch.sample) >= SHORT_SAMPLE else 1
        ranked = (
            entry
            for entry, count in hits.most_common()
            if count >= least and abs(entry.time - time) <= self.window
        )
        return list(itertools.islice(ranked, MOST_CANDIDATES))

    def evict(self, before: float) -> Iterator[Entry]:
        """Remove and yield the records older than `before`, oldest first."""
        while self._by_time and self._by_time[0][0] < before:
            entry = heapq.heappop(self._by_time)[2]
            for key in entry.keys:
                posting = self._postings.get(key)
                if posting is None:
                    continue
                if entry in posting:
                    posting.remove(entry)
                if not posting:
                    del self._postings[key]
            yield entry

    def drain(self) -> Iterator[Entry]:
        """Remove and yield every record, oldest first (at the end of the input)."""
        yield from self.evict(float("inf"))
