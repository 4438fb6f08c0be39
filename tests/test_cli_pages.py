"""`newskit extract` on multi-page stories: joined records, notes on stderr, exit codes."""

from __future__ import annotations

import orjson
import pytest
from fetch_servers import serve
from paged_site import STORIES, Site, page_html

from newskit.cli import app

BY_NAME = {story.name: story for story in STORIES}


@pytest.fixture
def site():
    pages = Site(STORIES)
    with serve(pages) as base:
        yield base, pages


def test_extract_url_joins_every_page(runner, site):
    base, _ = site
    story = BY_NAME["heating"]
    result = runner.invoke(app, ["extract", base + story.url(1)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    record = orjson.loads(result.stdout)
    assert record["text"] == story.story_text()
    assert record["pages"] == [base + story.url(n) for n in range(1, 6)]
    assert record["pages_missing"] == []
    assert record["next_page"] is None


def test_a_dead_page_gives_the_record_a_note_and_exit_6(runner, site):
    base, _ = site
    story = BY_NAME["lakeside"]
    result = runner.invoke(app, ["extract", base + story.url(1)])
    assert result.exit_code == 6
    record = orjson.loads(result.stdout)
    assert record["text"] == story.story_text()
    dead = base + story.url(3)
    assert record["pages_missing"] == [{"url": dead, "error": "HTTP 404 Not Found"}]
    assert result.stderr == (
        f"newskit: {base + story.url(1)}: 3 page(s) read, 1 missing: {dead} (HTTP 404 Not Found)\n"
    )


def test_partial_story_among_several_sources_streams_every_record(runner, site):
    base, _ = site
    urls = [base + BY_NAME[name].url(1) for name in ("lakeside", "trees")]
    result = runner.invoke(app, ["extract", *urls])
    assert result.exit_code == 6
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [r["title"] for r in records] == ["湖畔公园开放记", "春季植树活动专题"]
    assert all("error" not in r for r in records)
    assert result.stderr.count("\n") == 1


def test_no_follow_pages_reads_the_first_page_only(runner, site):
    base, pages = site
    story = BY_NAME["riverside"]
    result = runner.invoke(app, ["extract", "--no-follow-pages", base + story.url(1)])
    assert result.exit_code == 0
    record = orjson.loads(result.stdout)
    assert record["pages"] == [base + story.url(1)]
    assert record["next_page"] == base + story.url(2)
    assert list(pages.hits) == [story.url(1)]


def test_max_pages_caps_the_fetches(runner, site):
    base, pages = site
    story = BY_NAME["heating"]
    result = runner.invoke(app, ["extract", "--max-pages", "3", base + story.url(1)])
    assert result.exit_code == 0
    record = orjson.loads(result.stdout)
    assert len(record["pages"]) == 3
    assert record["next_page"] == base + story.url(4)
    assert sorted(pages.hits) == sorted(story.url(n) for n in (1, 2, 3))


def test_max_pages_below_one_is_a_usage_error(runner, site):
    base, _ = site
    result = runner.invoke(app, ["extract", "--max-pages", "0", base + "/x"])
    assert result.exit_code == 2


def test_stdin_is_not_followed_and_names_the_next_page(runner, site):
    base, pages = site
    story = BY_NAME["riverside"]
    url = base + story.url(1)
    result = runner.invoke(app, ["extract", "--url", url, "-"], input=page_html(story, 1))
    assert result.exit_code == 0
    record = orjson.loads(result.stdout)
    assert record["pages"] == [url]
    assert record["next_page"] == base + story.url(2)
    assert record["text"] == "\n".join([story.lead or "", *story.paragraphs(1)])
    assert pages.hits == {}


def test_markdown_puts_figures_between_paragraphs(runner, site):
    base, _ = site
    story = BY_NAME["school"]
    result = runner.invoke(app, ["extract", "-f", "markdown", base + story.url(1)])
    assert result.exit_code == 0
    picture = f"![图为{story.title}的施工现场。]({base}/pics/school-2.jpg)"
    body = result.stdout.split("\n\n")
    at = body.index(picture)
    assert body[at - 1] == story.paragraphs(1)[-1]
    assert body[at + 1] == story.paragraphs(2)[0]
