"""Clusters of copies: when two texts are the same story, and which member is the original.

Two records are one story when their fingerprints are within NEAR_BITS bits, or when most of
the shorter one's sample is in the longer one (a copy with another template, credit line or a
few edits; a first half; a teaser), provided the shorter is not a small part of the longer
(a digest quoting several stories joins none of them). A record joins the cluster of its
best match and clusters never merge, so one roundup cannot chain two stories together.

The original is the earliest `published` among the members that do not credit another
member: a copy whose `source` names another member's outlet (its `site_name`, compared by
stem: 新华社, 新华网 and 新华 agree) points at that member.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from newskit.clusters.fingerprint import Sketch, overlap
from newskit.clusters.words import OUTLET_SUFFIXES

Record = dict[str, Any]

NEAR_BITS = 3
# Share of the shorter text's sample that must be in the longer one.
CONTAINED = 0.6
# Fewest sampled shingles for a containment match (about 50 tokens of text).
LEAST_SAMPLE = 6
# A shorter text (3-5 sampled shingles) matches only when all of them are in the longer one
# and the fingerprints are nearer than chance (unrelated texts differ in about 32 bits).
FEWEST_SAMPLE = 3
SHORT_NEAR_BITS = 20
# The shorter text must be at least this share of the longer one.
LEAST_SHARE = 0.2


def match(a: Sketch, b: Sketch, known: set[int] | None = None) -> float | None:
    """How alike two sketches are when they are one story (see `overlap`), else None.

    `known` may hold `a`'s sample as a set already (a query compared with many).
    """
    if (a.simhash ^ b.simhash).bit_count() <= NEAR_BITS:
        return overlap(a, b, known)
    small, large = (a, b) if len(a.sample) <= len(b.sample) else (b, a)
    if len(small.sample) < FEWEST_SAMPLE or small.shingles < LEAST_SHARE * large.shingles:
        return None
    score = overlap(a, b, known)
    if len(small.sample) < LEAST_SAMPLE:
        near = (a.simhash ^ b.simhash).bit_count() <= SHORT_NEAR_BITS
        return score if score == 1.0 and near else None
    return score if score >= CONTAINED else None


def outlet_stem(name: Any) -> str | None:
    """An outlet's name without its kind (人民日报 → 人民, 新華社 → 新华), for comparing credits."""
    return _stem(name) if isinstance(name, str) and name else None


@functools.lru_cache(maxsize=4096)
def _stem(name: str) -> str | None:
    from newskit.text.scripts import conversion

    stem = conversion("t2s")("".join(unicodedata.normalize("NFKC", name).casefold().split()))
    for _ in range(2):
        suffix = next((s for s in OUTLET_SUFFIXES if stem.endswith(s) and stem != s), None)
        if suffix is None:
            break
        stem = stem[: -len(suffix)]
    return stem or None


@dataclass(eq=False, slots=True)
class Member:
    """One record in a cluster, with what choosing the original needs."""

    seq: int
    time: float
    dated: bool
    sketch: Sketch
    url: str | None
    outlet: str | None
    credit: str | None
    record: Record | None
    cluster: Cluster


@dataclass(eq=False, slots=True)
class Cluster:
    """Copies of one story; `live` counts members still in the window's index."""

    id: str
    members: list[Member] = field(default_factory=list)
    live: int = 0
    closed: bool = False
    original: Member | None = None


def _order(member: Member) -> tuple[bool, float, int]:
    return (not member.dated, member.time, member.seq)


def original(members: list[Member]) -> Member:
    """The earliest published member that does not credit another member's outlet."""
    outlets = {m.outlet for m in members if m.outlet}
    own = [m for m in members if m.credit not in outlets or m.credit == m.outlet] or members
    return min(own, key=_order)


def annotate(cluster: Cluster) -> None:
    """Choose the original; write `cluster`, `duplicate_of` and `similarity` into the records."""
    first = cluster.original = original(cluster.members)
    by_outlet: dict[str, Member] = {}
    for member in sorted(cluster.members, key=_order):
        if member.outlet:
            by_outlet.setdefault(member.outlet, member)
    for member in cluster.members:
        if member.record is None:
            continue
        target = None if member is first else first
        if target is not None and member.credit and member.credit != member.outlet:
            target = by_outlet.get(member.credit, first)
        member.record["cluster"] = cluster.id
        member.record["duplicate_of"] = target.url if target else None
        member.record["similarity"] = (
            round(overlap(member.sketch, target.sketch), 3) if target else None
        )
