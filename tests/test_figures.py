"""Figures of the body: captions in each portal style, furniture left out, captions out of text."""

from __future__ import annotations

import pytest
from conftest import page

import newskit

URL = "http://www.example.cn/news/2024/0612/story.html"


def figures_of(name: str, url: str | None = URL):
    article = newskit.extract(page(name), url)
    return article, [figure.__dict__ for figure in article.figures]


@pytest.mark.parametrize(
    ("name", "url", "caption"),
    [
        (
            "zh-figure-figcaption.html",
            "http://www.example.cn/pics/2024/port-crane.jpg",
            "6月10日，新码头的吊机开始作业。",
        ),
        (
            "zh-figure-center-caption.html",
            "http://www.example.cn/news/2024/0612/pics/canteen.jpg",
            "图为居民在社区食堂用餐。本报记者 周明远 摄",
        ),
        # lazy-loaded: data-src holds the picture, src a placeholder; protocol-relative URL
        (
            "zh-figure-source.html",
            "http://img.example.cn/2024/0612/town.jpg",
            "（图片来源：视觉中国）",
        ),
        (
            "zh-figure-triangle.html",
            "https://img.example.tw/2024/harbour-night.jpg",
            "▲港區夜景吸引大批遊客。（圖／視覺中國）",
        ),
    ],
)
def test_each_caption_style(name, url, caption):
    article, figures = figures_of(name)
    assert [f["url"] for f in figures] == [url]
    assert figures[0]["caption"] == caption
    # the caption line is no paragraph of the story, and the picture stands after the 2nd
    assert caption not in article.text
    assert len(article.text.split("\n")) == 4
    assert figures[0]["paragraph"] == 2
    assert article.image == url


def test_figure_record_shape():
    _, figures = figures_of("zh-figure-figcaption.html")
    assert figures == [
        {
            "url": "http://www.example.cn/pics/2024/port-crane.jpg",
            "caption": "6月10日，新码头的吊机开始作业。",
            "alt": "新码头的吊机",
            "width": 800,
            "height": 533,
            "paragraph": 2,
        }
    ]


def test_logos_icons_share_buttons_pixels_qr_codes_and_ads_are_not_figures():
    _, figures = figures_of("zh-figure-furniture.html")
    assert [f["url"] for f in figures] == ["http://www.example.cn/pics/bus.jpg"]
    assert figures[0]["caption"] is None
    assert figures[0]["alt"] == "新能源公交车"


@pytest.mark.parametrize(
    "name", ["zh-figure-center-caption.html", "zh-figure-source.html", "zh-figure-triangle.html"]
)
def test_photo_credits_are_never_authors(name):
    article, _ = figures_of(name)
    assert article.authors == []
    assert article.source == "示例晚报"


def test_without_a_page_address_urls_stay_as_written():
    _, figures = figures_of("zh-figure-center-caption.html", None)
    assert figures[0]["url"] == "pics/canteen.jpg"


def test_page_without_pictures_has_no_figures():
    article, figures = figures_of("zh-pager-xiayiye.html")
    assert figures == []
    assert article.image is None


def test_convert_turns_captions_and_alt_but_never_urls():
    from newskit.text.scripts import convert_record

    record = newskit.extract(page("zh-figure-center-caption.html"), URL).to_dict()
    out = convert_record(record, "zh-Hant")
    assert out["figures"][0]["caption"] == "圖爲居民在社區食堂用餐。本報記者 周明遠 攝"
    assert out["figures"][0]["url"] == record["figures"][0]["url"]
    assert out["figures"][0]["width"] == 640


def test_photo_essay_keeps_its_lines_in_the_text():
    # the lines under the pictures are most of the text: they are the story, not only captions
    article, figures = figures_of("zh-figure-photo-essay.html")
    lines = article.text.split("\n")
    assert len(lines) == 6
    assert [f["caption"] for f in figures] == lines[1:]
    assert [f["paragraph"] for f in figures] == [1, 2, 3, 4, 5]


def test_follow_us_code_under_the_story_is_not_a_figure():
    html = (
        "<html><body><div class='main'><h1>标题</h1><div class='content'>"
        + "".join(
            f"<p>第{k}段：今年以来，当地围绕这项工作投入了大量人力物力，相关部门多次召开协调会。</p>"
            for k in range(4)
        )
        + "<div class='tjewm'><img src='/m/code.jpg' width='248' height='248' alt='关注公众号：示例'>"
        "关注公众号：示例</div></div></div></body></html>"
    )
    assert newskit.extract(html, URL).figures == []


def test_body_lines_and_furniture_names_in_any_case():
    from lxml.html import fromstring

    from newskit.article.figures import collect

    para = "今年以来，当地围绕这项工作投入了大量人力物力，相关部门多次召开协调会。"
    html = (
        "<html><body><nav><p>" + para + "</p></nav><div class='content'>"
        "<div><span><b>" + para + "</b></span></div>"
        "<p>第二段 <i>second</i>\u3000paragraph of the story, told plainly.</p>"
        "<p><img src='/pics/SiteLOGO.PNG' width='600' height='400'>"
        "<img src='/pics/port.jpg' width='600' height='400'></p>"
        "<div class='Share-BOX'><img src='/pics/ship.jpg' width='600' height='400'></div>"
        "<p>第三段：码头的吊机开始作业，工人们忙着装卸货物。</p></div></body></html>"
    )
    text = "\n".join(
        [
            para,
            "第二段 second paragraph of the story, told plainly.",
            "第三段：码头的吊机开始作业，工人们忙着装卸货物。",
        ]
    )
    kept, figures = collect(fromstring(html), URL, text)
    assert kept == text
    # a logo named in capitals and a picture in a share box are furniture
    assert [(f.url, f.paragraph) for f in figures] == [("http://www.example.cn/pics/port.jpg", 2)]
