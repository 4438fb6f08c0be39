"""The metadata layer: headline, publish time, 来源, bylines, editors, site name, breadcrumb."""

from __future__ import annotations

import pytest
from conftest import page

from newskit.article.extraction import extract
from newskit.article.meta import bylines as people, dates, sources

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
        f"<div class='nav'><a href='/'>首页</a> <a href='/n'>资讯中心</a></div>"
        f"<div class='main'><h1>{HEADLINE}</h1><div class='info'>{info}</div>"
        f"<div class='content'>{body}</div><div>{tail}</div></div>"
        "<div class='footer'>Copyright 2003-2024 江南都市网 版权所有</div></body></html>"
    )


# --- the fixture page: every field at once -------------------------------------------------


def test_gbk_portal_page_gives_every_field() -> None:
    article = extract(page("zh-portal-byline.html"), url="https://www.example.cn/a.html")
    assert article.title == "湖畔新城：以科技创新带动制造业转型升级"
    assert article.published == "2024-09-20T09:32:00"
    assert article.date == "2024-09-20"
    assert article.source == "江南日报"
    assert article.site_name == "江南都市网"
    assert article.authors == ["林晓岚", "周文博"]
    assert article.editors == ["王海涛"]
    assert article.categories == ["资讯中心", "本地资讯"]


# --- publish time ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        ("2024-09-20 09:32", "2024-09-20T09:32:00"),
        ("2024年09月20日 09:32", "2024-09-20T09:32:00"),
        ("2024/9/20 9:32", "2024-09-20T09:32:00"),
        ("发布时间：2024-09-20 09:32:15", "2024-09-20T09:32:15"),
        ("时间:2024.09.20", "2024-09-20"),
        ("2024年9月20日09时32分", "2024-09-20T09:32:00"),
        ("2024-09-20T09:32:00+08:00", "2024-09-20T09:32:00+08:00"),
        ("9/20/2024 9:32:00 PM", "2024-09-20T21:32:00"),
    ],
)
def test_date_formats(shown: str, expected: str) -> None:
    assert dates.parse_date(shown) == expected


def test_published_is_the_time_shown_under_the_headline() -> None:
    info = "发布时间：2024年3月15日 09:30 来源：江南日报"
    tail = "相关新闻：<a href='/b'>另一条新闻</a> 2023-01-05 10:00"
    article = extract(zh_page(info, tail=tail))
    assert article.published == "2024-03-15T09:30:00"
    assert article.date == "2024-03-15"


def test_copyright_year_is_never_a_date() -> None:
    article = extract(zh_page("字号：大 中 小"))
    assert article.published is None
    assert article.date is None


def test_meta_time_fills_in_the_minute_of_a_shown_day() -> None:
    html = zh_page("2024-03-15").replace(
        "</title>", "</title><meta property='article:published_time' content='2024-03-15T09:30:00'>"
    )
    assert extract(html).published == "2024-03-15T09:30:00"


def test_url_date_is_the_last_resort() -> None:
    article = extract(zh_page(), url="https://www.example.cn/news/2024/09/20/a.html")
    assert article.date == "2024-09-20"


# --- source ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ("来源：名城文旅", "名城文旅"),
        ("2024-09-20 09:32 来源:名城文旅 作者：林晓岚", "名城文旅"),
        ("来源：[ 人民网 ]", "人民网"),
        ("来源: 江南日报 网友评论 0 条", "江南日报"),
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


def test_image_credit_is_not_the_source() -> None:
    assert sources.labelled(["图片来源：视觉中国"]) is None


# --- authors and editors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("作者：林晓岚", ["林晓岚"]),
        ("本报记者 葛灵丹", ["葛灵丹"]),
        ("□ 本报记者 葛灵丹", ["葛灵丹"]),
        ("（记者 胡晓蓉）", ["胡晓蓉"]),
        ("据新华社拉萨电（记者 格桑边觉）", ["格桑边觉"]),
        ("（苏报融媒记者 肖瑶 苏报通讯员 唐晓雯）", ["肖瑶", "唐晓雯"]),
        ("文/周文博", ["周文博"]),
        ("文/图 周文博", ["周文博"]),
        ("执笔/叨叨姐、胡一刀&李小飞刀", ["叨叨姐", "胡一刀", "李小飞刀"]),
        ("记者 王小明 通讯员 李文 摄影 张强", ["王小明", "李文"]),
        ("撰文：林晓岚、周文博", ["林晓岚", "周文博"]),
        ("记者注意到，今年以来园区新签约项目大幅增加。", []),
        ("每经记者 张蕊 摄", []),
    ],
)
def test_byline_forms(line: str, expected: list[str]) -> None:
    assert people.authors_in([line]) == expected


def test_in_body_byline_gives_authors() -> None:
    body = BODY.replace("<p>今年以来", "<p>据新华社拉萨电（记者 格桑边觉）今年以来")
    assert extract(zh_page(body=body)).authors == ["格桑边觉"]


def test_editors_are_never_authors() -> None:
    article = extract(zh_page("记者 林晓岚", tail="责任编辑：荀建国_NF4425"))
    assert article.authors == ["林晓岚"]
    assert article.editors == ["荀建国"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("责任编辑：荀建国_NF4425", ["荀建国"]),
        ("（责编：汤诗瑶、丁涛）", ["汤诗瑶", "丁涛"]),
        ("编辑：王海涛", ["王海涛"]),
    ],
)
def test_editor_forms(line: str, expected: list[str]) -> None:
    assert people.editors_in([line]) == expected


def test_photo_credit_is_not_an_author() -> None:
    body = BODY + "<p>图为新生产线。每经记者 张蕊 摄</p>"
    assert extract(zh_page(body=body)).authors == []


# --- title, site name, breadcrumb -----------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        f"{HEADLINE}_苏州资讯_苏州都市网",
        f"{HEADLINE}-新华网",
        f"{HEADLINE}_网易新闻",
        f"{HEADLINE} | 江南都市网",
    ],
)
def test_title_suffix_is_stripped(title: str) -> None:
    assert extract(zh_page(title=title)).title == HEADLINE


def test_logo_h1_is_not_the_title() -> None:
    html = zh_page().replace("<div class='nav'>", "<h1>新闻中心</h1><div class='nav'>")
    assert extract(html).title == HEADLINE


def test_site_name_comes_from_the_title_suffix() -> None:
    assert extract(zh_page()).site_name == "江南都市网"


def test_breadcrumb_gives_categories() -> None:
    html = zh_page().replace(
        "<div class='main'>",
        "<div class='crumb'>首页 &gt; 资讯中心 &gt; 苏州资讯 正文</div><div class='main'>",
    )
    assert extract(html).categories == ["资讯中心", "苏州资讯"]


# --- English pages keep trafilatura's reading -----------------------------------------------

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


# --- forms seen on older portals, forums and traditional-script sites -----------------------


def test_traditional_script_credits() -> None:
    article = extract(
        zh_page("記者 王小明 2024年3月15日 09:30 來源：中央社", tail="責任編輯：陳大文")
    )
    assert article.authors == ["王小明"]
    assert article.editors == ["陳大文"]
    assert article.source == "中央社"


def test_label_with_its_value_in_the_next_block() -> None:
    info = "<div>作者：</div><div>赵  培：北京物资学院</div><div>来源:</div><div>江南日报</div>"
    article = extract(zh_page(info))
    assert article.authors == ["赵培"]
    assert article.source == "江南日报"


def test_source_marked_by_class_without_a_label() -> None:
    info = "<span class='date'>2024年03月15日 09:30</span><a class='source' href='#'>环球网</a>"
    assert extract(zh_page(info)).source == "环球网"


def test_names_line_under_the_headline() -> None:
    assert extract(zh_page("胡平")).authors == ["胡平"]


def test_bracketed_byline_closing_the_body() -> None:
    body = BODY.replace("推动产业链条向高端延伸。", "推动产业链条向高端延伸。（姚峰 上海报道）")
    assert extract(zh_page(body=body)).authors == ["姚峰"]


def test_forum_poster() -> None:
    tail = "本贴由大卫于2005年8月12日16:12:21在〖心灵体操〗发表."
    article = extract(zh_page(tail=tail))
    assert article.authors == ["大卫"]


def test_forum_subject_label_is_not_in_the_title() -> None:
    html = zh_page(title="显示").replace(f"<h1>{HEADLINE}</h1>", f"<div>主题: {HEADLINE}</div>")
    assert extract(html).title == HEADLINE


def test_headline_above_the_dateline_without_a_title_tag() -> None:
    html = zh_page("http://www.example.cn/ 2005-07-18 13:03:17", title="")
    html = html.replace("<title></title>", "").replace("<h1>", "<div>").replace("</h1>", "</div>")
    article = extract(html)
    assert article.title == HEADLINE
    assert article.published == "2005-07-18T13:03:17"


def test_us_order_date_shown_under_the_headline() -> None:
    assert extract(zh_page("发布日期：9/17/2004 5:54:13 AM")).published == "2004-09-17T05:54:13"


def test_unlabelled_date_loses_to_the_declared_one() -> None:
    html = zh_page("1975年1月28日（农历腊月十七）").replace(
        "</title>", "</title><meta name='pubdate' content='2020-02-14 10:47'>"
    )
    assert extract(html).published == "2020-02-14T10:47:00"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["责任编辑：", "焦鹏"], ["焦鹏"]),
        (["作者：宪瑞 编辑：宪瑞 人气：1024"], ["宪瑞"]),
        (["编辑次数：12次"], []),
    ],
)
def test_editor_lines(lines: list[str], expected: list[str]) -> None:
    assert people.editors_in(lines) == expected


def test_title_with_a_hyphen_is_kept_whole_and_is_not_the_site() -> None:
    headline = "1-10月德清县固定资产投资结构趋稳趋优"
    html = zh_page(title=headline).replace(f"<h1>{HEADLINE}</h1>", f"<h1>{headline}</h1>")
    article = extract(html, url="https://www.example.cn/a.html")
    assert article.title == headline
    assert article.site_name is not None
    assert "德清" not in article.site_name


def test_english_byline_date_is_not_an_author() -> None:
    html = EN_PAGE.replace('<meta name="author" content="Jane Doe">', "").replace(
        "By Jane Doe", "By Jane Doe, March 3, 2024"
    )
    assert "March 3" not in extract(html).authors


def test_keywords_string_becomes_one_tag_each():
    from newskit.article.meta.assembly import split_tags

    assert split_tags(["湖畔新城,科技创新，制造业", "制造业; AI"]) == [
        "湖畔新城",
        "科技创新",
        "制造业",
        "AI",
    ]
