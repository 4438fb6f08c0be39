"""The metadata layer on whole pages: headline, publish time, 来源, bylines, editors, language.

Every page here is written for the test; each case shows one convention.
"""

from __future__ import annotations

import pytest
from conftest import page

from newskit.article.extraction import extract
from newskit.article.meta import sources
from newskit.article.meta.assembly import language, split_tags
from newskit.article.meta.people import latin_names
from newskit.core.times import iso

BODY = "".join(
    f"<p>{text}</p>"
    for text in (
        "今年以来，湖畔新城坚持把科技创新作为推动制造业转型升级的关键，一批重点项目相继落地投产，"
        "园区企业的研发投入持续增长，新签约项目数量创下历史新高。",
        "在湖畔新城的智能制造产业园里，一条条自动化生产线正在满负荷运转，企业负责人介绍，"
        "新生产线投用后产能提高了三成，产品合格率也有明显提升。",
        "湖畔新城有关负责人表示，下一步将继续优化营商环境，完善人才政策，"
        "为企业创新发展提供更加有力的支撑，推动产业链条向高端延伸。",
    )
)
HEADLINE = "湖畔新城以科技创新带动制造业转型升级"


def zh_page(info: str = "", *, title: str | None = None, body: str = BODY, tail: str = "") -> str:
    """A small Chinese article page: <title>, headline, an info line, the body, a tail."""
    return (
        f"<html><head><title>{title or HEADLINE + '_本地资讯_江南都市网'}</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a> <a href='/n'>资讯中心</a> <a href='/c'>春风</a></div>"
        f"<div class='main'><h1>{HEADLINE}</h1><div class='info'>{info}</div>"
        f"<div class='content'>{body}</div><div>{tail}</div></div>"
        "<div class='footer'>Copyright 2003-2024 江南都市网 版权所有</div></body></html>"
    )


# --- the fixture pages: every field at once --------------------------------------------------


def test_gbk_portal_page_gives_every_field() -> None:
    article = extract(page("zh-portal-byline.html"), url="https://www.example.cn/a.html")
    assert article.title == "湖畔新城：以科技创新带动制造业转型升级"
    assert iso(article.published) == "2024-09-20T09:32:00"
    assert article.date == "2024-09-20"
    assert article.source == "江南日报"
    assert article.site_name == "江南都市网"
    assert article.authors == ["林晓岚", "周文博"]
    assert article.editors == ["王海涛"]
    assert article.categories == ["资讯中心", "本地资讯"]
    assert article.language == "zh"


def test_taiwan_page_reporter_slash_place_byline() -> None:
    article = extract(page("zh-tw-reporter-slash.html"))
    assert article.title == "湖畔市公車新路線上路 通勤族：省下半小時"
    assert article.authors == ["陳雅婷"]
    assert iso(article.published) == "2024-03-15T09:30:00"
    assert article.source is None


def test_hong_kong_page_shows_local_time_of_a_utc_instant() -> None:
    article = extract(page("zh-hk-utc-jsonld.html"))
    assert iso(article.published) == "2024-05-22T08:21:04+08:00"
    assert article.source == "湖畔電台-財經"
    assert article.authors == []


def test_wire_dateline_names_the_reporters() -> None:
    body = BODY.replace("<p>今年以来", "<p>新华社湖州3月15日电（记者林晓岚、周文博）今年以来")
    assert extract(zh_page(body=body)).authors == ["林晓岚", "周文博"]


def test_wire_opening_names_reporter_and_outlet() -> None:
    body = BODY.replace("<p>今年以来", "<p>（中央社記者陳雅婷台北15日電）今年以来")
    article = extract(zh_page(body=body))
    assert article.authors == ["陳雅婷"]
    assert article.source == "中央社"


# --- publish time -----------------------------------------------------------------------------


def test_published_is_the_time_shown_under_the_headline() -> None:
    info = "发布时间：2024年3月15日 09:30 来源：江南日报"
    tail = "相关新闻：<a href='/b'>另一条新闻</a> 2023-01-05 10:00"
    article = extract(zh_page(info, tail=tail))
    assert iso(article.published) == "2024-03-15T09:30:00"
    assert article.date == "2024-03-15"


def test_event_time_in_the_header_is_not_the_publish_time() -> None:
    info = "<div>活动时间：2024年4月20日 09:00</div><div>发布时间：2024年3月15日 10:00</div>"
    assert iso(extract(zh_page(info)).published) == "2024-03-15T10:00:00"


def test_copyright_year_is_never_a_date() -> None:
    article = extract(zh_page("字号：大 中 小"))
    assert article.published is None
    assert article.date is None


def test_meta_time_fills_in_the_minute_of_a_shown_day() -> None:
    html = zh_page("2024-03-15").replace(
        "</title>", "</title><meta property='article:published_time' content='2024-03-15T09:30:00'>"
    )
    assert iso(extract(html).published) == "2024-03-15T09:30:00"


def test_url_date_is_the_last_resort() -> None:
    article = extract(zh_page(), url="https://www.example.cn/news/2024/09/20/a.html")
    assert article.date == "2024-09-20"


def test_us_order_date_shown_under_the_headline() -> None:
    assert (
        iso(extract(zh_page("发布日期：3/14/2004 6:41:09 AM")).published) == "2004-03-14T06:41:09"
    )


def test_day_first_date_agreeing_with_the_url() -> None:
    article = extract(zh_page("发布日期：5/7/2005"), url="https://www.example.cn/2005/07/05/a.html")
    assert article.date == "2005-07-05"


def test_unlabelled_date_loses_to_the_declared_one() -> None:
    html = zh_page("1980年5月3日（农历三月十九）").replace(
        "</title>", "</title><meta name='pubdate' content='2020-02-14 10:47'>"
    )
    assert iso(extract(html).published) == "2020-02-14T10:47:00"


# --- source -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ("来源：名城文旅", "名城文旅"),
        ("2024-09-20 09:32 来源:名城文旅 作者：林晓岚", "名城文旅"),
        ("来源：[ 江南日报 ]", "江南日报"),
        ("来源: 江南日报 网友评论 0 条", "江南日报"),
        ("本文来源于江南日报", "江南日报"),
        ("2024-09-20 09:32 江南日报 记者 林晓岚", "江南日报"),
        ("<div>2024年09月20日09:32</div><div>湖畔财经</div>", "湖畔财经"),
        ("<div>2024年09月20日09:32</div><div>新闻中心</div>", None),
        ("来源：转载", None),
        ("来源：互联网", None),
    ],
)
def test_source_forms(info: str, expected: str | None) -> None:
    assert extract(zh_page(info)).source == expected


def test_source_is_not_the_site_name() -> None:
    article = extract(zh_page("来源：江南日报"))
    assert article.source == "江南日报"
    assert article.site_name == "江南都市网"


@pytest.mark.parametrize(
    "label", ["图片来源：湖畔图库", "数据来源：湖畔统计局", "视频来源：湖畔台"]
)
def test_credit_of_a_part_is_not_the_source(label: str) -> None:
    assert sources.labelled([label]) is None


def test_body_sentence_is_not_the_source() -> None:
    body = BODY.replace("园区企业的研发投入", "园区企业的资金来源于政府补贴，研发投入")
    assert extract(zh_page(body=body)).source is None


def test_name_in_brackets_after_the_time() -> None:
    assert extract(zh_page("2024年3月16日08:19 [ 林晓岚 ]")).authors == ["林晓岚"]


def test_source_after_the_byline_at_the_end() -> None:
    body = BODY + "<p>（记者 林晓岚）来源：江南日报</p>"
    article = extract(zh_page(body=body))
    assert article.source == "江南日报"
    assert article.authors == ["林晓岚"]


def test_source_marked_by_class_without_a_label() -> None:
    info = "<span class='date'>2024年03月15日 09:30</span><a class='source' href='#'>江南晚报</a>"
    assert extract(zh_page(info)).source == "江南晚报"


# --- authors and editors ----------------------------------------------------------------------


def test_in_body_byline_gives_authors() -> None:
    body = BODY.replace("<p>今年以来", "<p>据本台湖州电（记者 欧阳明远）今年以来")
    assert extract(zh_page(body=body)).authors == ["欧阳明远"]


def test_editors_are_never_authors() -> None:
    article = extract(zh_page("记者 林晓岚", tail="责任编辑：王海涛_AB1234"))
    assert article.authors == ["林晓岚"]
    assert article.editors == ["王海涛"]


def test_lone_editor_is_not_taken_as_the_author() -> None:
    article = extract(zh_page("王海涛", tail="责任编辑：王海涛"))
    assert article.authors == []
    assert article.editors == ["王海涛"]


def test_sidebar_name_found_by_trafilatura_is_not_the_author() -> None:
    from types import SimpleNamespace

    from newskit.article.meta.people import _trafilatura_authors

    doc = SimpleNamespace(author="周文博", text="湖畔新城今年以来坚持科技创新。")
    assert _trafilatura_authors(doc, ["湖畔新城以科技创新带动制造业转型升级"], True) == []
    assert _trafilatura_authors(doc, ["作者 周文博"], True) == ["周文博"]


def test_photo_credit_is_not_an_author() -> None:
    body = BODY + "<p>图为新生产线。湖畔日报记者 林晓岚 摄</p>"
    assert extract(zh_page(body=body)).authors == []


def test_menu_label_is_never_an_author() -> None:
    assert extract(zh_page("春风")).authors == []
    assert extract(zh_page("方宁")).authors == ["方宁"]


def test_outlet_is_never_an_author() -> None:
    article = extract(zh_page("作者：江南日报 来源：江南日报"))
    assert article.authors == []
    assert article.source == "江南日报"


def test_site_name_in_meta_author_is_not_a_person() -> None:
    html = zh_page().replace("</title>", "</title><meta name='author' content='江南'>")
    assert extract(html).authors == []
    html = zh_page().replace("</title>", "</title><meta name='author' content='林晓岚'>")
    assert extract(html).authors == ["林晓岚"]


def test_structured_author_shown_in_the_header_wins() -> None:
    jsonld = '{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "周文博"}]}'
    body = BODY.replace("推动产业链条向高端延伸。", "推动产业链条向高端延伸。（林晓岚）")
    html = zh_page("周文博 2024-03-15 09:30", body=body)
    assert extract(html).authors == ["林晓岚"]
    html = html.replace("</title>", f"</title><script type='application/ld+json'>{jsonld}</script>")
    assert extract(html).authors == ["周文博"]


def test_feed_account_after_the_time_is_not_the_source() -> None:
    assert extract(zh_page("2024-03-15 09:30·江南日报")).source is None


def test_placeholder_and_section_words_are_not_people() -> None:
    assert extract(zh_page("作者：未知 编辑：管理员")).authors == []
    assert extract(zh_page("作者：城市观察")).authors == []


def test_traditional_script_credits() -> None:
    article = extract(
        zh_page("記者 陳雅婷 2024年3月15日 09:30 來源：中央社", tail="責任編輯：張志明")
    )
    assert article.authors == ["陳雅婷"]
    assert article.editors == ["張志明"]
    assert article.source == "中央社"


def test_label_with_its_value_in_the_next_block() -> None:
    info = "<div>作者：</div><div>方  宁：湖畔大学</div><div>来源:</div><div>江南日报</div>"
    article = extract(zh_page(info))
    assert article.authors == ["方宁"]
    assert article.source == "江南日报"


def test_names_line_under_the_headline() -> None:
    assert extract(zh_page("方宁")).authors == ["方宁"]


def test_bracketed_byline_closing_the_body() -> None:
    body = BODY.replace("推动产业链条向高端延伸。", "推动产业链条向高端延伸。（林晓岚 湖州报道）")
    assert extract(zh_page(body=body)).authors == ["林晓岚"]


def test_meta_author_with_a_mail_address() -> None:
    html = EN_PAGE.replace('content="Jane Doe"', 'content="Jane Doe, jane@example.com"')
    html = html.replace("By Jane Doe", "")
    assert extract(html).authors == ["Jane Doe"]


# --- title, site name, breadcrumb -------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        f"{HEADLINE}_湖畔资讯_江南都市网",
        f"{HEADLINE}-江南新闻网",
        f"{HEADLINE}__江南新闻",
        f"{HEADLINE} | 江南都市网",
        f"{HEADLINE} 江南都市网",
    ],
)
def test_title_suffix_is_stripped(title: str) -> None:
    assert extract(zh_page(title=title)).title == HEADLINE


@pytest.mark.parametrize("kicker", ["【原创】", "[转载]", "独家｜"])
def test_kicker_is_stripped(kicker: str) -> None:
    html = zh_page(title=kicker + HEADLINE).replace(
        f"<h1>{HEADLINE}</h1>", f"<h1>{kicker}{HEADLINE}</h1>"
    )
    assert extract(html).title == HEADLINE


def test_private_use_characters_leave_the_title() -> None:
    html = zh_page(title="湖畔\ue0a5新城以科技创新带动制造业转型升级").replace(
        f"<h1>{HEADLINE}</h1>", "<h1>湖畔\ue0a5新城以科技创新带动制造业转型升级</h1>"
    )
    assert extract(html).title == HEADLINE


def test_logo_h1_is_not_the_title() -> None:
    html = zh_page().replace("<div class='nav'>", "<h1>新闻中心</h1><div class='nav'>")
    assert extract(html).title == HEADLINE


def test_sidebar_heading_and_rule_are_not_the_title() -> None:
    html = zh_page(title="").replace("<title></title>", "")
    html = html.replace("<div class='nav'>", "<h1>博客统计</h1><h2>------</h2><div class='nav'>")
    assert extract(html).title == HEADLINE


def test_short_site_title_loses_to_the_headline_above_the_body() -> None:
    html = zh_page("来源：江南日报", title="江南资讯-辟谣专栏").replace("<h1>", "<div>")
    html = html.replace("</h1>", "</div>").replace(
        "<div class='nav'>", "<div>江南资讯</div><div class='nav'>"
    )
    assert extract(html).title == HEADLINE


def test_site_name_comes_from_the_title_suffix() -> None:
    assert extract(zh_page()).site_name == "江南都市网"


def test_breadcrumb_gives_categories() -> None:
    html = zh_page().replace(
        "<div class='main'>",
        "<div class='crumb'>首页 &gt; 资讯中心 &gt; 湖畔资讯 正文</div><div class='main'>",
    )
    assert extract(html).categories == ["资讯中心", "湖畔资讯"]


def test_forum_subject_label_is_not_in_the_title() -> None:
    html = zh_page(title="显示").replace(f"<h1>{HEADLINE}</h1>", f"<div>主题: {HEADLINE}</div>")
    assert extract(html).title == HEADLINE


def test_headline_above_the_dateline_without_a_title_tag() -> None:
    html = zh_page("http://www.example.cn/ 2006-02-11 14:22:05", title="")
    html = html.replace("<title></title>", "").replace("<h1>", "<div>").replace("</h1>", "</div>")
    article = extract(html)
    assert article.title == HEADLINE
    assert iso(article.published) == "2006-02-11T14:22:05"


def test_title_with_a_hyphen_is_kept_whole_and_is_not_the_site() -> None:
    headline = "1-10月湖畔新城工业投资结构趋稳"
    html = zh_page(title=headline).replace(f"<h1>{HEADLINE}</h1>", f"<h1>{headline}</h1>")
    article = extract(html, url="https://www.example.cn/a.html")
    assert article.title == headline
    assert article.site_name is not None
    assert "湖畔" not in article.site_name


# --- language ---------------------------------------------------------------------------------


def test_language_comes_from_the_text() -> None:
    html = zh_page().replace("<html>", "<html lang='en'>")
    assert extract(html).language == "zh"


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        ("湖畔新城今年以来坚持把科技创新作为关键。", "en", "zh"),
        ("湖畔の新しい図書館が土曜日に開館しました。", None, "ja"),
        ("The library opened on Saturday.", "en-GB", "en"),
        ("The library opened on Saturday.", "zh-CN", None),
        ("La bibliothèque a ouvert samedi.", "fr", "fr"),
    ],
)
def test_language(text: str, declared: str | None, expected: str | None) -> None:
    assert language(text, declared) == expected


# --- English pages keep trafilatura's reading -------------------------------------------------

EN_PAGE = """<html><head><title>Harbour town opens its new library | Example Gazette</title>
<meta name="author" content="Jane Doe"></head><body><article>
<h1>Harbour town opens its new library</h1><p class="byline">By Jane Doe</p>
<p>The new library in the harbour town opened its doors on Saturday morning, and hundreds of
residents queued in the rain to be among the first to borrow a book from its shelves.</p>
<p>The building, a former warehouse on the quay, was converted over two years with money from a
local trust, and now holds forty thousand books, a reading room and a children's corner.</p>
<p>Librarians said they expected the number of members to double by the end of the year.</p>
</article></body></html>"""


def test_english_page_keeps_trafilaturas_author() -> None:
    article = extract(EN_PAGE)
    assert article.authors == ["Jane Doe"]
    assert article.title is not None and article.title.startswith(
        "Harbour town opens its new library"
    )
    assert article.source is None
    assert article.editors == []
    assert article.language is None


def test_english_byline_date_is_not_an_author() -> None:
    html = EN_PAGE.replace('<meta name="author" content="Jane Doe">', "").replace(
        "By Jane Doe", "By Jane Doe, March 3, 2024"
    )
    assert "March 3" not in " ".join(extract(html).authors)


def test_keywords_string_becomes_one_tag_each() -> None:
    assert split_tags(["湖畔新城,科技创新，制造业", "制造业; AI"]) == [
        "湖畔新城",
        "科技创新",
        "制造业",
        "AI",
    ]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("Analysis by Jane Doe, Example Gazette", ["Jane Doe"]),
        ("Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe, Senior Writer", ["Jane Doe"]),
        ("Jane Doe Edited by John Roe", ["Jane Doe"]),
        ("Jane Doe, jane@example.com", ["Jane Doe"]),
        ("Jane Doe 3 hours ago", ["Jane Doe"]),
        ("Staff", []),
    ],
)
def test_latin_bylines(byline: str, expected: list[str]) -> None:
    assert latin_names(byline) == expected


def test_published_is_a_datetime_and_a_bare_day_a_date():
    from datetime import date, datetime

    shown = extract(zh_page("2024-03-15 09:30 来源：东海晨报"))
    assert shown.published == datetime(2024, 3, 15, 9, 30)
    assert shown.to_dict()["published"] == "2024-03-15T09:30:00"
    day_only = extract(zh_page("2024-03-15 来源：东海晨报"))
    assert day_only.published == date(2024, 3, 15)
    assert day_only.to_dict()["published"] == "2024-03-15"
