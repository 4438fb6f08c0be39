"""Dedup against a state file: a story seen in one run groups with its copy in the next."""

from __future__ import annotations

import sqlite3

from syndication import corpus, pair_scores, stories

import newskit
from newskit.clusters.store import StateDedup

STORIES = {story["story"]: story for story in stories()}
ALERT = STORIES["flood-alert"]


def _record(text, published, url, site_name=None, source=None):
    return {
        "text": text,
        "published": published,
        "url": url,
        "site_name": site_name,
        "source": source,
    }


def test_a_copy_in_the_next_run_joins_yesterdays_story(tmp_path):
    state = str(tmp_path / "state.sqlite")
    first = StateDedup(state)
    story = first.annotate(_record(ALERT["text"], "2025-07-08T07:30:00", "a", "青禾日报"))
    first.close()
    assert (story["duplicate_of"], story["similarity"]) == (None, None)
    second = StateDedup(state)
    half = ALERT["text"][: len(ALERT["text"]) // 2]
    copy = second.annotate(_record(half, "2025-07-09T10:00:00", "b", "北岸网"))
    other = second.annotate(_record(STORIES["flood-levee"]["text"], "2025-07-09T11:00", "c"))
    second.close()
    assert copy["cluster"] == story["cluster"] == newskit.fingerprint(ALERT["text"])
    assert (copy["duplicate_of"], copy["similarity"]) == ("a", 1.0)
    assert other["cluster"] != story["cluster"] and other["duplicate_of"] is None


def test_copies_point_at_the_member_their_source_names(tmp_path):
    dedup = StateDedup(str(tmp_path / "state.sqlite"))
    text = ALERT["text"]
    dedup.annotate(_record(text, "2025-07-08T07:30:00", "agency", "青禾日报"))
    portal = dedup.annotate(_record(text, "2025-07-08T08:00:00", "portal", "北岸网", "青禾日报社"))
    second = dedup.annotate(_record(text, "2025-07-08T09:00:00", "second", "东川网", "北岸网"))
    plain = dedup.annotate(_record(text + "\n（完）", "2025-07-08T09:30", "plain", "南屏网"))
    assert [r["duplicate_of"] for r in (portal, second, plain)] == ["agency", "portal", "agency"]


def test_records_beyond_the_window_are_not_compared_and_are_pruned(tmp_path):
    path = str(tmp_path / "state.sqlite")
    dedup = StateDedup(path, window=86400.0)
    dedup.annotate(_record(ALERT["text"], "2025-07-01T08:00:00", "old"))
    late = dedup.annotate(_record(ALERT["text"], "2025-07-05T08:00:00", "new"))
    assert late["duplicate_of"] is None
    dedup.prune()
    dedup.close()
    with sqlite3.connect(path) as db:
        urls = [row[0] for row in db.execute("SELECT url FROM dedup_records")]
        keys = db.execute("SELECT COUNT(DISTINCT record) FROM dedup_keys").fetchone()[0]
    assert (urls, keys) == (["new"], 1)


def test_undated_records_use_the_clock_and_errors_pass(tmp_path):
    dedup = StateDedup(str(tmp_path / "state.sqlite"), clock=lambda: 1751961600.0)
    error = {"source": "x", "error": "no article found", "stage": "extraction"}
    assert dedup.annotate(dict(error)) == error
    first = dedup.annotate(_record(ALERT["text"], None, "a"))
    copy = dedup.annotate(_record(ALERT["text"], "2025-07-08T09:00:00", "b"))
    assert (first["duplicate_of"], copy["duplicate_of"]) == (None, "a")


def test_the_syndication_corpus_through_the_state(tmp_path):
    dedup = StateDedup(str(tmp_path / "state.sqlite"))
    out = [dedup.annotate(dict(record)) for record in corpus(16)]
    precision, recall = pair_scores(out)
    assert precision >= 0.98 and recall >= 0.95
    # Decided at write time: a copy published before its original (crediting it) was written
    # as an original; everything after the original points at it.
    heads = {r["story"] for r in out if r["duplicate_of"] is None and not r["changes"]}
    assert heads == set(STORIES)
    for record in out:
        first = STORIES[record["story"]]
        if record["changes"] and record["published"] > first["published"]:
            assert record["duplicate_of"] == first["url"], record["url"]


def test_a_page_annotated_again_is_no_copy_of_itself(tmp_path):
    dedup = StateDedup(str(tmp_path / "state.sqlite"))
    first = dedup.annotate(_record(ALERT["text"], "2025-07-08T07:30:00", "a"))
    again = dedup.annotate(_record(ALERT["text"] + "\n更新", "2025-07-08T07:30:00", "a"))
    assert (first["duplicate_of"], again["duplicate_of"]) == (None, None)
    copy = dedup.annotate(_record(ALERT["text"], "2025-07-08T09:00:00", "b"))
    assert copy["duplicate_of"] == "a"
