"""Multi-page stories joined through the API, against a loopback site built like real portals."""

from __future__ import annotations

import pytest
from fetch_servers import serve
from paged_site import STORIES, Site

import newskit
from newskit.article.paging import PageOptions, follow_pages
from newskit.core.errors import UsageError
from newskit.core.models import Article

BY_NAME = {story.name: story for story in STORIES}


@pytest.fixture
def site():
    """The loopback site: (base URL, Site with its request counts)."""
    pages = Site(STORIES)
    with serve(pages) as base:
        yield base, pages


def first_page(base: str, name: str) -> Article:
    fetched = newskit.fetch(base + BY_NAME[name].url(1))
    return newskit.extract(fetched.content, fetched.final_url, http_charset=fetched.charset)


@pytest.mark.parametrize("name", ["riverside", "heating", "trees", "school", "harbour", "walk"])
def test_joined_text_is_every_page_once_in_order(site, name):
    base, _ = site
    story = BY_NAME[name]
    article = follow_pages(first_page(base, name))
    assert article.text == story.story_text()
    assert article.pages == [base + story.url(n) for n in range(1, story.pages + 1)]
    assert article.pages_missing == []
    assert article.next_page is None
    for word in ("下一页", "下一篇", "上一篇", "共", "Next"):
        assert word not in article.text


def test_metadata_comes_from_the_first_page_and_counts_from_the_whole(site):
    base, _ = site
    article = follow_pages(first_page(base, "heating"))
    assert article.title == "老城区供暖改造纪实"
    assert article.source == "示例日报"
    assert article.chars == len(article.text)
    assert article.url == base + BY_NAME["heating"].url(1)


def test_figures_of_later_pages_join_in_order(site):
    base, _ = site
    article = follow_pages(first_page(base, "riverside"))
    assert [(f.url, f.caption, f.paragraph) for f in article.figures] == [
        (base + "/pics/riverside-2.jpg", "图为江边改造工程进展的施工现场。", 4)
    ]
    assert article.image == base + "/pics/riverside-2.jpg"
    # after page 1's lead box and three paragraphs: page 2's picture stands first there
    assert article.text.split("\n")[4].startswith("江边改造工程进展第2页第1段")


def test_a_dead_page_is_noted_and_the_rest_kept(site):
    base, _ = site
    story = BY_NAME["lakeside"]
    article = follow_pages(first_page(base, "lakeside"))
    assert article.text == story.story_text()
    assert article.pages == [base + story.url(n) for n in (1, 2, 4)]
    assert article.pages_missing == [{"url": base + story.url(3), "error": "HTTP 404 Not Found"}]


def test_a_pager_that_loops_back_is_read_once(site):
    base, pages = site
    story = BY_NAME["nightmarket"]
    article = follow_pages(first_page(base, "nightmarket"))
    assert article.text == story.story_text()
    assert article.pages == [base + story.url(n) for n in (1, 2, 3)]
    assert all(pages.hits[story.url(n)] == 1 for n in (1, 2, 3))


def test_max_pages_stops_and_leaves_the_next_page(site):
    base, pages = site
    story = BY_NAME["heating"]
    article = follow_pages(first_page(base, "heating"), pages=PageOptions(max_pages=2))
    assert article.pages == [base + story.url(1), base + story.url(2)]
    assert article.next_page == base + story.url(3)
    assert article.text == "\n".join(story.paragraphs(1) + story.paragraphs(2))
    assert story.url(3) not in pages.hits


def test_follow_off_keeps_the_first_page(site):
    base, pages = site
    story = BY_NAME["riverside"]
    article = follow_pages(first_page(base, "riverside"), pages=PageOptions(follow=False))
    assert article.pages == [base + story.url(1)]
    assert article.next_page == base + story.url(2)
    assert story.url(2) not in pages.hits


def test_an_injected_fetcher_gets_every_later_page(site):
    base, _ = site
    asked: list[str] = []

    def fetcher(url: str):
        asked.append(url)
        return newskit.fetch(url)

    story = BY_NAME["trees"]
    follow_pages(first_page(base, "trees"), fetcher=fetcher)
    assert asked == [base + story.url(2)]


def test_bad_max_pages_is_a_usage_error():
    with pytest.raises(UsageError):
        PageOptions(max_pages=0)


def test_a_later_page_that_redirects_to_another_site_is_missing():
    story = BY_NAME["trees"]
    site = Site(STORIES)

    def handler(request, stop):
        if request.path == story.url(2):  # page 2 moved to another host name (same server)
            port = request.server.server_address[1]
            request.send_response(302)
            request.send_header("Location", f"http://localhost:{port}{story.url(1)}")
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        site(request, stop)

    with serve(handler) as base:
        article = follow_pages(first_page(base, "trees"))
    assert article.pages == [base + story.url(1)]
    assert article.pages_missing == [
        {
            "url": base + story.url(2),
            "error": f"redirected to another site (http://localhost:{base.rsplit(':', 1)[1]}"
            f"{story.url(1)})",
        }
    ]
