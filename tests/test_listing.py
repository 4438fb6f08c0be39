"""newskit.lists.teasers: the main list of a list page, an article's related stories, dates, URLs."""

from __future__ import annotations

import pytest
from conftest import page

import newskit
from newskit.core.errors import ExtractionError, InputError, NewskitError, UsageError
from newskit.core.models import Teaser
from newskit.lists.teasers import ListOptions, anchor_title, find_date, follow, teasers

CHANNEL_URL = "https://www.example.cn/news/local/"
CHANNEL_TITLES = [
    "湖畔新城：以科技创新带动制造业转型升级",
    "老城区改造提速 十二个小区年内完工",
    "江南图书馆新馆国庆开放 可容纳读者三千人",
    "地铁五号线南延段开工 预计二〇二七年通车",
    "秋季农产品展销会开幕 两百余家企业参展",
]


def test_channel_page_gives_exactly_its_main_list_in_page_order():
    items = teasers(page("zh-list-channel.html"), CHANNEL_URL)
    assert [t.title for t in items] == CHANNEL_TITLES


def test_channel_page_leaves_out_menu_hot_sidebar_ad_pager_and_footer():
    titles = {t.title for t in teasers(page("zh-list-channel.html"), CHANNEL_URL)}
    for noise in ("首页", "全市中小学秋季学期开学 新增学位一万个", "下一页", "关于我们", "2"):
        assert noise not in titles


def test_gbk_page_is_decoded():
    data = page("zh-list-channel.html")
    assert "湖畔新城".encode("gbk") in data
    assert teasers(data)[0].title == CHANNEL_TITLES[0]


def test_relative_urls_resolve_against_the_page_url():
    items = teasers(page("zh-list-channel.html"), CHANNEL_URL)
    assert items[0].url == "https://www.example.cn/news/2024/09/20/1001.html"
    assert items[0].image == "https://www.example.cn/img/1001.jpg"


def test_urls_are_kept_as_written_without_a_page_url():
    items = teasers(page("zh-list-channel.html"))
    assert [t.url for t in items][:2] == [
        "/news/2024/09/20/1001.html",
        "/news/2024/09/20/1002.html",
    ]


def test_base_href_resolves_urls_of_a_page_from_a_file():
    items = teasers(page("en-list-page.html"))
    assert [t.url for t in items] == [
        "https://news.example.com/world/2024/09/20/harbour-reopens",
        "https://news.example.com/world/2024/09/19/rail-strike-talks",
        "https://news.example.com/world/2024/09/18/river-cleanup",
    ]


def test_dates_are_normalized_to_the_day_or_the_minute():
    items = teasers(page("zh-list-channel.html"), CHANNEL_URL)
    assert [t.date for t in items] == [
        "2024-09-20T09:32",
        "2024-09-20T08:15",
        "2024-09-19",
        "2024-09-19",
        "2024-09-18T16:40",
    ]


def test_english_dates_time_elements_and_relative_times():
    items = teasers(page("en-list-page.html"))
    assert [t.date for t in items] == ["2024-09-20T09:32", "2024-09-19", None]


def test_blurb_and_image_when_shown():
    first, second = teasers(page("zh-list-channel.html"), CHANNEL_URL)[:2]
    assert first.blurb is not None and first.blurb.startswith("今年以来，湖畔新城")
    assert second.blurb is None and second.image is None


def test_article_page_gives_its_related_stories():
    items = teasers(page("zh-article-related.html"), "https://www.example.cn/news/a/1.html")
    assert [t.title for t in items] == [
        "园区企业投资提速度 打造国际资本的引力场",
        "多维度优化生态 园区营商环境再升级",
        "跨国企业加码布局 园区开放型经济稳中有进",
    ]
    assert items[0].url == "https://www.example.cn/news/2024/09/18/2001.html"
    assert items[0].blurb is not None and items[0].blurb.startswith("生物医药及大健康产业")


def test_a_page_without_a_list_raises_extraction_error():
    with pytest.raises(ExtractionError, match="no list of stories found"):
        teasers(page("zh-no-list.html"))


def test_empty_input_raises_input_error():
    with pytest.raises(InputError):
        teasers(b"  \n")


def test_text_input_and_the_top_level_name():
    text = page("en-list-page.html").decode("utf-8")
    items = newskit.teasers(text)
    assert items[0].title == "Harbour reopens after a week of storm repairs"


def test_unknown_option_is_a_usage_error():
    with pytest.raises(UsageError, match="colour"):
        teasers(page("en-list-page.html"), colour="red")


def test_min_items_option_rejects_short_lists():
    with pytest.raises(ExtractionError):
        teasers(page("en-list-page.html"), options=ListOptions(min_items=4))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-09-20 09:32", "2024-09-20T09:32"),
        ("发布时间：2024年9月5日 08:05", "2024-09-05T08:05"),
        ("2024/9/20", "2024-09-20"),
        ("Sep 20, 2024", "2024-09-20"),
        ("20 September 2024", "2024-09-20"),
        ("[09-20]", None),
        ("3小时前", None),
    ],
)
def test_find_date(text, expected):
    assert find_date(text) == expected


def test_anchor_title_drops_a_short_leading_badge():
    from lxml import html

    anchor = html.fromstring(
        '<a href="/x"><span class="zt">专题</span>传奇落幕 林丹正式宣布退役</a>'
    )
    assert anchor_title(anchor) == "传奇落幕 林丹正式宣布退役"


def test_follow_sets_teasers_and_reports_failed_links():
    ok, gone = "https://news.example.cn/ok.html", "https://news.example.cn/gone.html"
    items = [Teaser("甲", ok), Teaser("乙", gone), Teaser("丙", "file:///etc/hostname")]
    articles = {ok: page("zh-gbk-portal.html")}
    failures: list[tuple[str | None, str]] = []
    asked: list[str] = []

    def load(url: str) -> tuple[bytes, str | None, str | None]:
        asked.append(url)
        if url not in articles:
            raise InputError("no such page")
        return articles[url], None, None

    def on_error(item: Teaser, err: NewskitError) -> None:
        failures.append((item.url, err.message))

    done = list(follow(items, load, max_chars=60, on_error=on_error))
    assert done[0].teaser is not None and 0 < len(done[0].teaser) <= 60
    assert done[1].teaser is None and done[2].teaser is None
    assert failures == [
        (gone, "no such page"),
        ("file:///etc/hostname", "file: link not followed (only http and https)"),
    ]
    assert asked == [ok, gone]  # the file: link never reaches the loader


def test_two_item_related_list_beats_the_menus_of_an_article_page():
    from conftest import page

    from newskit.lists.teasers import teasers

    items = teasers(page("zh-gbk-portal.html"), "https://www.example.cn/zx/bd/2024/0920/1000.html")
    assert [(i.title, i.url) for i in items] == [
        ("新城产业园举办秋季招聘会", "https://www.example.cn/zx/bd/2024/0919/1001.html"),
        ("湖畔新城新增三条公交线路", "https://www.example.cn/zx/bd/2024/0918/1002.html"),
    ]
