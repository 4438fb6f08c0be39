"""Grouping: when two sketches are one story, outlet stems, choosing the original, the index."""

from __future__ import annotations

import pytest
from syndication import stories

from newskit.clusters.fingerprint import sketch
from newskit.clusters.grouping import Cluster, Member, annotate, match, original, outlet_stem
from newskit.clusters.index import CROWDED, Entry, WindowIndex

STORIES = {story["story"]: story["text"] for story in stories()}
ALERT = STORIES["flood-alert"]


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("人民日报", "人民"),
        ("人民网", "人民"),
        ("新華社", "新华"),
        ("新华网", "新华"),
        ("中国新闻网", "中国"),
        ("  Harbor City Times ", "harborcitytimes"),
        ("网", "网"),
        (None, None),
        ("", None),
    ],
)
def test_outlet_stem_drops_the_kind_of_outlet(name, stem):
    assert outlet_stem(name) == stem


def test_copies_and_cut_down_copies_match():
    whole = sketch(ALERT)
    assert match(whole, sketch(ALERT + "\n（完）")) == pytest.approx(1.0, abs=0.05)
    assert match(sketch(ALERT[: len(ALERT) // 2]), whole) == 1.0


def test_different_stories_do_not_match():
    assert match(sketch(ALERT), sketch(STORIES["flood-alert-radio"])) is None
    assert match(sketch(ALERT), sketch(STORIES["flood-levee"])) is None


def test_a_digest_quoting_a_story_does_not_join_it():
    digest = "\n".join(STORIES[name] for name in sorted(STORIES))
    assert match(sketch(ALERT), sketch(digest)) is None


def _member(seq, time, outlet=None, credit=None, url=None, dated=True, text=ALERT):
    cluster = Cluster("c")
    record = {"url": url}
    member = Member(seq, time, dated, sketch(text), url, outlet, credit, record, cluster)
    return member


def test_original_is_the_earliest_that_credits_no_member():
    agency = _member(0, 100.0, outlet="青禾", url="a")
    early_copy = _member(1, 50.0, outlet="北岸", credit="青禾", url="b")
    late_copy = _member(2, 200.0, outlet="东川", url="c")
    assert original([agency, early_copy, late_copy]) is agency
    assert original([early_copy, late_copy]) is early_copy


def test_undated_members_come_after_dated_ones():
    undated = _member(0, 10.0, dated=False, url="a")
    dated = _member(1, 500.0, url="b")
    assert original([undated, dated]) is dated


def test_a_copy_points_at_the_member_its_source_names():
    cluster = Cluster("c1")
    agency = _member(0, 0.0, outlet="青禾", url="agency")
    portal = _member(1, 60.0, outlet="北岸", credit="青禾", url="portal")
    second = _member(2, 120.0, outlet="东川", credit="北岸", url="second")
    plain = _member(3, 180.0, outlet="南屏", url="plain")
    cluster.members = [agency, portal, second, plain]
    annotate(cluster)
    got = {m.url: (m.record["cluster"], m.record["duplicate_of"]) for m in cluster.members}
    assert got == {
        "agency": ("c1", None),
        "portal": ("c1", "agency"),
        "second": ("c1", "portal"),
        "plain": ("c1", "agency"),
    }
    assert agency.record["similarity"] is None
    assert portal.record["similarity"] == 1.0


def test_index_finds_within_the_window_and_forgets_by_time():
    index = WindowIndex(window=100.0)
    shape = sketch(ALERT)
    index.add(Entry(shape, 0.0, "old"))
    index.add(Entry(shape, 150.0, "new"))
    assert [e.payload for e in index.candidates(shape, 90.0)] == ["old", "new"]
    assert [e.payload for e in index.candidates(shape, 250.0)] == ["new"]
    assert [e.payload for e in index.evict(before=100.0)] == ["old"]
    assert len(index) == 1
    assert [e.payload for e in index.candidates(shape, 120.0)] == ["new"]
    assert [e.payload for e in index.drain()] == ["new"]
    assert len(index) == 0 and not index._postings


def test_index_finds_a_longer_story_from_its_first_half():
    index = WindowIndex(window=100.0)
    index.add(Entry(sketch(ALERT), 0.0, "whole"))
    index.add(Entry(sketch(STORIES["flood-levee"]), 0.0, "other"))
    found = index.candidates(sketch(ALERT[: len(ALERT) // 2]), 10.0)
    assert found[0].payload == "whole"


def test_crowded_keys_are_not_evidence():
    index = WindowIndex(window=100.0)
    shape = sketch(ALERT)
    for number in range(CROWDED + 1):
        index.add(Entry(shape, 0.0, number))
    assert index.candidates(shape, 0.0) == []
