"""Streaming dedup: the judged corpus, the window, what is kept, order, bounded memory."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from syndication import CHANGES, PORTALS, corpus, originals_named, pair_scores, stories

import newskit
from newskit.clusters.stream import (
    DAY,
    Deduper,
    DedupOptions,
    Keep,
    dedup,
    parse_window,
    timestamp,
)
from newskit.core.errors import UsageError

ALERT = next(s for s in stories() if s["story"] == "flood-alert")


@pytest.mark.parametrize("seed", [16, 1, 2, 3, 4])
def test_the_syndication_corpus_is_grouped_and_originals_named(seed):
    records = corpus(seed)
    out = list(newskit.dedup(records))
    assert len(out) == len(records)
    precision, recall = pair_scores(out)
    assert precision >= 0.98
    assert recall >= 0.95
    assert originals_named(out) >= 0.95


def test_the_corpus_has_what_the_issue_asks_for():
    records = corpus(16)
    by_story: dict[str, list[dict]] = {}
    for record in records:
        by_story.setdefault(record["story"], []).append(record)
    assert all(4 <= len(members) <= 11 for members in by_story.values())
    changes = {name for record in records for name in record["changes"]}
    assert (
        changes
        == set(CHANGES)
        == {*("template", "source", "editor", "rewrap", "edit", "traditional", "first-half")}
    )


def _record(text, published, url, **extra):
    return {"text": text, "published": published, "url": url, **extra}


def test_every_record_gains_the_four_fields():
    out = list(dedup([_record(ALERT["text"], "2025-07-08T07:30:00", "a")]))
    assert out == [
        {
            "text": ALERT["text"],
            "published": "2025-07-08T07:30:00",
            "url": "a",
            "fingerprint": newskit.fingerprint(ALERT["text"]),
            "cluster": newskit.fingerprint(ALERT["text"]),
            "duplicate_of": None,
            "similarity": None,
        }
    ]


def test_copies_beyond_the_window_start_a_new_cluster():
    text = ALERT["text"]
    records = [_record(text, "2025-07-01T08:00:00", "a"), _record(text, "2025-07-04T09:00:00", "b")]
    apart = list(dedup([dict(r) for r in records]))
    assert [r["duplicate_of"] for r in apart] == [None, None]
    together = list(dedup([dict(r) for r in records], window="4d"))
    assert [r["duplicate_of"] for r in together] == [None, "a"]


def test_keep_original_and_keep_first():
    records = corpus(16)
    originals = list(dedup([dict(r) for r in records], keep="original"))
    assert sorted(r["story"] for r in originals) == sorted(s["story"] for s in stories())
    assert all(not r["changes"] for r in originals)
    firsts = list(dedup([dict(r) for r in records], keep=Keep.first))
    assert sorted(r["story"] for r in firsts) == sorted(s["story"] for s in stories())
    assert all(r["duplicate_of"] is None for r in firsts)


def test_output_keeps_input_order_and_passes_records_without_text():
    records = corpus(2)
    records.insert(3, {"source": "x.html", "error": "no article found", "stage": "extraction"})
    records.insert(7, {"title": "no body", "text": ""})
    out = list(dedup([dict(r) for r in records]))
    assert [r.get("url") for r in out] == [r.get("url") for r in records]
    assert out[3] == {"source": "x.html", "error": "no article found", "stage": "extraction"}
    assert out[7] == {"title": "no body", "text": ""}


def test_undated_records_count_as_published_at_the_newest_time():
    text = ALERT["text"]
    records = [
        _record(text, "2025-07-08T07:30:00", "a"),
        _record(text, None, "b"),
        _record(text[: len(text) // 2], "2025-07-08T09:00:00", "c"),
    ]
    out = list(dedup(records))
    assert [r["duplicate_of"] for r in out] == [None, "a", "a"]


def _story(rng: random.Random, pool: str) -> str:
    return "。".join("".join(rng.choices(pool, k=rng.randint(15, 40))) for _ in range(12))


def test_memory_holds_one_window_not_the_input():
    rng = random.Random(7)
    pool = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 2000))
    deduper = Deduper(DedupOptions(window=DAY))
    start = datetime(2025, 1, 1)
    written = held = indexed = total = 0
    for day in range(20):
        for number in range(30):
            text = _story(rng, pool)
            when = start + timedelta(days=day, minutes=number * 40)
            for copy in range(2):
                record = _record(
                    text, (when + timedelta(hours=copy)).isoformat(), f"{day}-{number}"
                )
                record["site_name"] = PORTALS[copy]
                written += len(deduper.add(record))
                total += 1
                held = max(held, len(deduper._queue))
                indexed = max(indexed, len(deduper.index))
    written += len(deduper.finish())
    assert written == total == 1200
    # One window is 60 records; what is held never grows with the input.
    assert indexed <= 130
    assert held <= 130


def test_dedup_is_lazy():
    seen = []

    def records():
        for day in range(10):
            seen.append(day)
            text = f"{ALERT['text']}{day}" if day % 2 else ALERT["text"][::-1] + str(day)
            yield _record(text, f"2025-07-{day + 1:02d}T08:00:00", str(day))

    stream = dedup(records(), window="1d")
    first = next(stream)
    assert first["url"] == "0"
    assert len(seen) < 10


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("2d", 2 * DAY), ("36h", 36 * 3600.0), ("90m", 5400.0), ("1.5", 1.5 * DAY), ("30s", 30.0)],
)
def test_parse_window(value, seconds):
    assert parse_window(value) == seconds


@pytest.mark.parametrize("value", ["", "2 weeks", "-1d", "d"])
def test_parse_window_refuses_nonsense(value):
    with pytest.raises(UsageError, match="invalid window"):
        parse_window(value)


def test_timestamps_read_iso_8601_and_refuse_the_rest():
    assert timestamp("2025-07-08T08:00:00+08:00") == timestamp("2025-07-08T00:00:00Z")
    assert timestamp("2025-07-08") == timestamp("2025-07-08 00:00")
    assert timestamp("yesterday") is None
    assert timestamp(None) is None


def test_unknown_options_are_refused():
    with pytest.raises(UsageError, match="unknown dedup option"):
        list(dedup([], windw="2d"))


def test_odd_field_types_do_not_stop_the_stream():
    text = ALERT["text"]
    records = [
        {"text": text, "published": "2025-07-08T09:00", "url": "a", "site_name": ["x"]},
        {"text": text, "published": 20250708, "url": "b", "site_name": None, "source": 3},
    ]
    out = list(dedup(records))
    assert [r["duplicate_of"] for r in out] == [None, "a"]
