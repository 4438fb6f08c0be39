"""Next-page detection: pager styles, sibling URLs, and the links that are never pages."""

from __future__ import annotations

import pytest
from conftest import page

from newskit.article.extraction import ExtractOptions, parse, to_text
from newskit.article.pager import (
    drop_pager_lines,
    find_next,
    is_pager_line,
    later_pages,
    page_step,
)


def tree_of(name: str):
    return parse(to_text(page(name), ExtractOptions())[0])


@pytest.mark.parametrize(
    ("name", "url", "expected"),
    [
        (
            "zh-pager-xiayiye.html",
            "http://www.example.cn/news/2024/0612/c88-4521.html",
            "http://www.example.cn/news/2024/0612/c88-4521_2.html",
        ),
        (
            "zh-pager-gongye.html",
            "http://www.example.cn/society/7731.shtml",
            "http://www.example.cn/society/7731-2.shtml",
        ),
        (
            "zh-pager-index.html",
            "http://www.example.cn/zt/open-day/index.html",
            "http://www.example.cn/zt/open-day/index_1.html",
        ),
        (
            "zh-pager-query.html",
            "http://www.example.tw/news/show.php?id=902",
            "http://www.example.tw/news/show.php?id=902&page=2",
        ),
        (
            "en-pager-relnext.html",
            "https://news.example.com/2024/06/harbour-rebuilt/",
            "https://news.example.com/2024/06/harbour-rebuilt/2/",
        ),
        # no address given: the canonical link is the page's own
        (
            "zh-pager-canonical.html",
            None,
            "https://www.example.cn/news/2024/0612/c88-6001_2.html",
        ),
    ],
)
def test_each_pager_style_finds_the_next_page(name, url, expected):
    assert find_next(tree_of(name), url) == expected


def test_next_article_links_rel_next_and_comment_pagers_are_not_pages():
    tree = tree_of("zh-pager-next-article.html")
    assert find_next(tree, "http://www.example.cn/news/2024/0612/c88-5100.html") is None


def test_numbered_pager_lists_every_later_page_nearest_first():
    tree = tree_of("zh-pager-gongye.html")
    assert later_pages(tree, "http://www.example.cn/society/7731.shtml") == [
        "http://www.example.cn/society/7731-2.shtml",
        "http://www.example.cn/society/7731-3.shtml",
        "http://www.example.cn/society/7731-4.shtml",
    ]


def test_from_a_later_page_only_later_pages_count():
    tree = tree_of("zh-pager-gongye.html")
    # read as if it were page 3: pages 1 and 2 lie behind, page 4 ahead
    assert later_pages(tree, "http://www.example.cn/society/7731-3.shtml") == [
        "http://www.example.cn/society/7731-4.shtml"
    ]


def test_another_host_is_never_a_page():
    tree = parse(
        '<html><body><p>text</p><a href="http://other.example.net/a_2.html">下一页</a></body></html>'
    )
    assert find_next(tree, "http://www.example.cn/a.html") is None


@pytest.mark.parametrize(
    ("base", "candidate", "step"),
    [
        ("http://a.cn/n/20240101_123.html", "http://a.cn/n/20240101_123_2.html", (0, 2)),
        ("http://a.cn/n/20240101_123_2.html", "http://a.cn/n/20240101_123_3.html", (2, 3)),
        ("http://a.cn/n/index.html", "http://a.cn/n/index_1.html", (0, 1)),
        ("http://a.cn/a.php?id=5", "http://a.cn/a.php?id=5&page=2", (0, 2)),
        ("http://a.cn/2024/s/", "http://a.cn/2024/s/2/", (0, 2)),
        # not pages of one document
        ("http://a.cn/20240101_123_2.html", "http://a.cn/20240101_123.html", None),
        ("http://a.cn/a.php?id=5", "http://a.cn/a.php?id=6", None),
        ("http://a.cn/20050303/00465332.html", "http://a.cn/20050302/00464969.html", None),
        ("http://a.cn/n/t20240101_123456.html", "http://a.cn/n/t20240101_123457.html", None),
        ("http://a.cn/n/a.html", "http://b.cn/n/a_2.html", None),
    ],
)
def test_page_step_reads_sibling_urls(base, candidate, step):
    assert page_step(base, candidate) == step


@pytest.mark.parametrize(
    ("line", "pager"),
    [
        ("上一页 1 2 3 下一页", True),
        ("共3页", True),
        ("第1頁／共3頁 下一頁 »", True),
        ("Page 1 of 2 Next »", True),
        ("1 2 3", False),  # numbers alone may be a table row
        ("2024", False),
        ("第3页的内容说明了这一点。", False),
    ],
)
def test_pager_lines(line, pager):
    assert is_pager_line(line) is pager


def test_drop_pager_lines_keeps_the_story():
    assert drop_pager_lines("第一段。\n上一页 1 2 下一页\n第二段。") == "第一段。\n第二段。"


def test_link_labels_titles_and_rel_decide_which_links_are_pages():
    from lxml.html import fromstring

    base = "http://www.example.cn/news/story.html"
    html = (
        "<html><body><div class='pages'>"
        "<a href='story_5.html' title='下一篇'>下一页</a>"  # its title names another story
        "<a href='story_4.html'><span>下一篇</span></a>"
        "<a href='story_3.html'><b>[</b> 3 <b>]</b></a>"  # a numbered label inside elements
        "<a href='story_2.html' rel='Next'>more</a>"  # rel=next with a short label
        "<a href='story_6.html' rel='next'>a label longer than twelve</a>"
        "</div><div class='comment-list'><a href='story_7.html'>下一页</a></div></body></html>"
    )
    assert later_pages(fromstring(html), base) == [
        "http://www.example.cn/news/story_2.html",
        "http://www.example.cn/news/story_3.html",
    ]
