"""Batch runs over multi-page stories: joined records, polite later fetches, partial exit code."""

from __future__ import annotations

import json

import orjson
import pytest
from fetch_servers import serve
from paged_site import STORIES, Site

from newskit.article.paging import PageOptions
from newskit.cli import app
from newskit.crawl.runner import batch
from newskit.crawl.types import BatchOptions
from newskit.net.options import FetchOptions

BY_NAME = {story.name: story for story in STORIES}
FAST = {"delay": 0.0, "per_host": 2, "procs": 1, "jobs": 4, "fetch": FetchOptions(retries=0)}


@pytest.fixture
def site():
    pages = Site(STORIES)
    with serve(pages) as base:
        yield base, pages


def _run(tmp_path, base, names, **options):
    listing = tmp_path / "urls.txt"
    listing.write_text("".join(f"{base}{BY_NAME[n].url(1)}\n" for n in names))
    opts = BatchOptions(**{**FAST, **options})
    out = tmp_path / "out.jsonl"
    report = batch([str(listing)], str(out), str(tmp_path / "state.sqlite"), opts)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return report, {r["url"]: r for r in records}


def test_batch_joins_each_story_once(tmp_path, site):
    base, pages = site
    names = ["riverside", "heating", "trees", "school", "nightmarket"]
    report, records = _run(tmp_path, base, names, robots=False)
    assert (report.done, report.failed, report.partial) == (5, 0, 0)
    assert report.exit_code() == 0
    for name in names:
        story = BY_NAME[name]
        record = records[base + story.url(1)]
        assert record["text"] == story.story_text()
        assert record["pages"] == [base + story.url(n) for n in range(1, story.pages + 1)]
    # every page fetched once: later pages are never queued as articles of their own
    assert all(count == 1 for path, count in pages.hits.items())


def test_batch_dead_page_is_partial(tmp_path, site):
    base, _ = site
    story = BY_NAME["lakeside"]
    report, records = _run(tmp_path, base, ["lakeside", "trees"], robots=False)
    record = records[base + story.url(1)]
    assert record["pages_missing"] == [{"url": base + story.url(3), "error": "HTTP 404 Not Found"}]
    assert record["text"] == story.story_text()
    assert (report.done, report.failed, report.partial) == (2, 0, 1)
    assert report.exit_code() == 6
    assert report.to_dict()["partial"] == 1
    assert "1 written with a page of the story missing" in report.paragraph()


def test_batch_no_follow_keeps_next_page(tmp_path, site):
    base, pages = site
    story = BY_NAME["heating"]
    _, records = _run(tmp_path, base, ["heating"], robots=False, pages=PageOptions(follow=False))
    record = records[base + story.url(1)]
    assert record["next_page"] == base + story.url(2)
    assert record["pages"] == [base + story.url(1)]
    assert story.url(2) not in pages.hits


def test_batch_later_pages_ask_robots_txt(tmp_path):
    story = BY_NAME["heating"]
    barred = story.url(3)
    pages = Site(STORIES, robots=f"User-agent: *\nDisallow: {barred}\n")
    with serve(pages) as base:
        report, records = _run(tmp_path, base, ["heating"], robots=True)
    record = records[base + story.url(1)]
    assert record["pages"] == [base + story.url(n) for n in (1, 2, 4, 5)]
    assert [m["url"] for m in record["pages_missing"]] == [base + barred]
    assert barred not in pages.hits
    assert report.partial == 1


def test_batch_cli_max_pages_and_exit_code(runner, tmp_path, site):
    base, _ = site
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{base}{BY_NAME['lakeside'].url(1)}\n")
    args = ["batch", str(listing), "--state", str(tmp_path / "s.sqlite"), "--procs", "1"]
    result = runner.invoke(app, [*args, "--delay", "0", "--ignore-robots", "--max-pages", "2"])
    assert result.exit_code == 0, result.stderr
    record = orjson.loads(result.stdout)
    assert len(record["pages"]) == 2
    assert record["next_page"] == base + BY_NAME["lakeside"].url(3)
