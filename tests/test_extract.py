"""Extraction: the body of a page without its furniture, typed errors, CJK-aware counts."""

from __future__ import annotations

import pytest
from conftest import page

from newskit.article.cleaning import clean_text
from newskit.article.extraction import (
    ExtractOptions,
    extract,
    measure,
    parse,
    unwrap_layout_tables,
)
from newskit.core.errors import ExtractionError, InputError, UsageError
from newskit.core.models import Article

LEAD = "今年以来，湖畔新城把科技创新作为制造业转型升级的主引擎"


@pytest.fixture(scope="module")
def portal():
    return extract(page("zh-gbk-portal.html"))


def test_portal_body_paragraphs_and_subheadings(portal):
    lines = portal.text.split("\n")
    assert lines[0].startswith(LEAD)
    assert "研发平台聚人才" in lines
    assert "智能工厂提效率" in lines
    assert "力争到明年底建成五十家示范智能工厂。" in portal.text
    assert portal.encoding == "gb18030"


@pytest.mark.parametrize(
    "noise",
    [
        "热门快讯",  # channel menu
        "便民频道",
        "首页",  # breadcrumb
        "资讯中心",
        "字号",  # font-size widget
        "相关阅读",  # related stories and their blurbs
        "秋季招聘会",
        "新增三条公交线路",
        "责任编辑",
        "版权所有",  # footer
        "ICP",
        "关于我们",
    ],
)
def test_portal_furniture_is_not_in_text(portal, noise):
    assert noise not in portal.text


def test_portal_truncated_lead_box_is_not_repeated(portal):
    assert portal.text.count(LEAD) == 1
    assert "同比增长百分之\n" not in portal.text


def test_portal_byline_may_stay_last(portal):
    last = portal.text.split("\n")[-1]
    assert last.endswith("示范智能工厂。") or "林晓岚" in last


def test_big5_page():
    article = extract(page("zh-big5-taiwan.html"))
    assert article.encoding == "big5hkscs"
    assert "臺灣港口第一次全面以電動拖船" in article.text
    assert "產業轉型帶動就業" in article.text.split("\n")
    for noise in ("即時新聞", "相關新聞", "港區自行車道", "責任編輯", "版權所有"):
        assert noise not in article.text


@pytest.mark.parametrize(
    ("name", "codec", "sentence"),
    [
        ("zh-utf8-declares-gb2312.html", "utf-8", "一座藏书八千册的新图书馆正式开放"),
        ("zh-gb2312-declares-utf8.html", "gb18030", "百年老街昨天重新开街"),
    ],
)
def test_lying_declarations(name, codec, sentence):
    article = extract(page(name))
    assert article.encoding == codec
    assert sentence in article.text


def test_http_charset_reaches_the_decoder():
    data = page("zh-gbk-portal.html").replace(b"charset=gb2312", b"")
    article = extract(data, http_charset="gbk")
    assert article.encoding == "gb18030"
    assert LEAD in article.text


def test_encoding_option_overrides():
    article = extract(page("zh-gbk-portal.html"), options=ExtractOptions(encoding="gbk"))
    assert article.encoding == "gb18030"
    assert LEAD in article.text


def test_english_article():
    article = extract(page("en-article.html"))
    assert "launched its first solar-powered ferry on Thursday" in article.text
    assert "Quieter crossings" in article.text.split("\n")
    assert "A second boat is planned for the summer route" in article.text
    for noise in ("Related stories", "Bridge repairs", "All rights reserved", "Weather"):
        assert noise not in article.text
    assert article.words > 100
    assert article.reading_minutes == 1


def test_text_input_is_accepted():
    html = page("en-article.html").decode("utf-8")
    article = extract(html)
    assert "solar-powered ferry" in article.text
    assert article.encoding is None


def test_list_page_has_no_article():
    with pytest.raises(ExtractionError):
        extract(page("zh-list-no-article.html"))


def test_navigation_only_page_has_no_article():
    with pytest.raises(ExtractionError):
        extract("<html><body><a href='/a'>首页</a><a href='/b'>新闻</a></body></html>")


@pytest.mark.parametrize("data", [page("empty.html"), b"", "", "   \n"])
def test_empty_input_is_input_error(data):
    with pytest.raises(InputError):
        extract(data)


def test_binary_input_is_input_error():
    with pytest.raises(InputError, match="binary"):
        extract(page("binary.pdf"))


def test_plain_text_is_not_a_page():
    with pytest.raises(ExtractionError):
        extract("just a line of text, no markup at all")


def test_unknown_option_is_usage_error():
    with pytest.raises(UsageError):
        extract(page("en-article.html"), colour="blue")


def _measured(text: str) -> Article:
    article = Article(text=text)
    measure(article)
    return article


def test_counts_are_cjk_aware(portal):
    counted = _measured(portal.text)
    assert portal.chars == len(portal.text) == counted.chars
    assert portal.words == counted.words > 0
    assert portal.reading_minutes == counted.reading_minutes > 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("你好世界", 4),
        ("你好 world", 3),
        ("Hello, big world!", 3),
        ("2024年9月", 4),
        ("snake_case and CamelCase-2", 4),
    ],
)
def test_count_words(text, words):
    assert _measured(text).words == words


@pytest.mark.parametrize(
    "text", ["snake_case and CamelCase-2", "it's a\ttab\nnew line", "___ -- ..", " \x0b\x7f"]
)
def test_ascii_text_is_counted_as_text_with_chinese_punctuation_in_it(text):
    # ASCII text takes a shorter path; "。" is no word and sends the text the long way
    assert _measured(text).words == _measured(text + "。").words


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("", 0), ("。", 0), ("字", 1), ("字" * 400, 1), ("字" * 401, 2), ("word " * 460, 2)],
)
def test_reading_minutes(text, minutes):
    assert _measured(text).reading_minutes == minutes


def test_document_not_opening_with_html_is_parsed():
    body = "".join(
        f"<p>第{i}段：老城区的街巷格局将得到整体保护，居民生活也将更加方便。</p>" for i in range(8)
    )
    tree = parse(f'<text id="x" encoding="gb2312"><div>{body}</div></text>')
    assert "第7段" in tree.text_content()


def test_layout_tables_become_blocks_and_data_tables_stay():
    cell = "这是一段放在表格单元格里的正文，老式门户网站常用表格排版整个页面。" * 3
    html = (
        "<html><body><table><tr><td><a href='/'>首页</a></td>"
        f"<td><p>{cell}</p></td></tr></table>"
        "<table><tr><th>城市</th><th>人口</th></tr><tr><td>苏州</td><td>1295万</td></tr></table>"
        "</body></html>"
    )
    tree = parse(html)
    unwrap_layout_tables(tree)
    assert len(tree.findall(".//table")) == 1
    assert tree.find(".//table//th") is not None


def test_layout_table_page_text_has_no_table_rows():
    paragraphs = "".join(
        f"<p>第{i}段正文：市民公园菊花展下月开幕，今年展出的菊花品种超过三百个，其中不少是本地培育的新品种。</p>"
        for i in range(6)
    )
    html = (
        "<html><head><title>菊花展</title></head><body><table width='760'><tr>"
        "<td width='160'><a href='/'>首页</a><br><a href='/zx/'>资讯</a></td>"
        f"<td>{paragraphs}</td></tr></table></body></html>"
    )
    article = extract(html)
    assert "第5段正文" in article.text
    assert "|" not in article.text


def test_clean_text_drops_truncated_lead_box():
    body = (
        "新城先后与三所高校共建联合实验室，围绕新材料、智能装备和生物制造等方向开展攻关，成果显著。"
    )
    lead = body[:30]
    assert clean_text(f"{lead}\n{body}\n第二段。") == f"{body}\n第二段。"
    assert clean_text(f"{body}\n{body}\n第二段。") == f"{body}\n第二段。"


def test_clean_text_keeps_short_line_that_starts_like_the_next():
    text = "Lorem ipsum dolor sit amet.\nLorem ipsum dolor sit amet, consectetur adipisicing elit."
    assert clean_text(text) == text


def test_clean_text_cuts_related_block_and_footer():
    body = "\n".join(
        f"第{i}段正文，讲述老街改造后重新开街的经过和市民的反应。" * 2 for i in range(4)
    )
    text = f"{body}\n相关阅读\n新城产业园举办秋季招聘会\n版权所有 江南都市网"
    assert clean_text(text) == body


def test_clean_text_drops_widget_lines_but_keeps_prose():
    long_line = (
        "来源于民间的剪纸艺术，如今走进了校园课堂，孩子们在老师的指导下剪出了各种各样的窗花和动物。"
    )
    text = f"字号：大 中 小\n{long_line}\n分享到：\n责任编辑：王海涛"
    assert clean_text(text) == long_line


def test_clean_text_removes_editor_credit_at_the_end():
    assert clean_text("正文最后一句话。（责任编辑：王海涛）") == "正文最后一句话。"


def test_clean_text_keeps_an_early_related_heading_from_cutting_the_body():
    body = "\n".join(
        f"第{i}段正文，讲述老街改造后重新开街的经过和市民的反应。" * 2 for i in range(4)
    )
    assert clean_text(f"相关新闻\n{body}") == body


def test_recall_option_keeps_the_body():
    article = extract(page("zh-gbk-portal.html"), options=ExtractOptions(precision=False))
    assert LEAD in article.text
    assert "研发平台聚人才" in article.text


def test_data_table_inside_layout_table_stays_a_table():
    rows = "".join(f"<tr><td>专业{i}</td><td>导师{i}</td><td>科目{i}</td></tr>" for i in range(5))
    prose = "<p>" + "招生简章正文，说明报考条件、报名日期和考试科目等事项。" * 4 + "</p>"
    html = (
        f"<html><body><table><tr><td>{prose}<table>{rows}</table></td></tr></table></body></html>"
    )
    tree = parse(html)
    unwrap_layout_tables(tree)
    tables = tree.findall(".//table")
    assert len(tables) == 1
    assert len(tables[0].findall(".//tr")) == 5


def test_clean_text_drops_wordless_lines():
    assert clean_text("第一段。\n|  |  |\n---\n第二段。") == "第一段。\n第二段。"


def test_short_notice_is_an_article():
    article = extract(page("zh-short-notice.html"))
    assert "春节期间闭馆" in article.text
    assert article.title == "关于湖畔新城图书馆春节期间闭馆的通知"


def test_fallback_text_must_read_as_prose():
    from newskit.article.extraction import _reads_as_prose

    notice = "湖畔新城图书馆将于春节期间闭馆，二月十八日起恢复开放，敬请读者谅解。"
    ranks = "\n".join(f"- {i} 湖畔新城第{i}条热门新闻标题 1024{i}" for i in range(10))
    footer = "© 2024 江南都市网 版权所有\n关于我们 |\n联系我们 |"
    assert _reads_as_prose(notice)
    assert not _reads_as_prose(ranks)
    assert not _reads_as_prose(footer)


def _meta_and_build(name: str, url: str | None):
    """trafilatura's lazy metadata for a fixture page, and the article built from it."""
    from newskit.article.extraction import ExtractOptions, _trafilatura, parse, to_text
    from newskit.article.meta import assembly, facts

    text, _ = to_text(page(name), ExtractOptions())
    tree = parse(text)
    doc = assembly.TrafilaturaMeta(tree, url)
    assert set(vars(doc)) == {"_tree", "_url", "text"}  # nothing computed up front
    page_meta = facts.from_tree(tree)
    doc.text = _trafilatura(tree, url, ExtractOptions(), "precision")
    return doc, assembly.build(doc, page_meta, url)


def test_htmldate_is_not_asked_when_the_page_shows_its_date():
    doc, article = _meta_and_build("zh-gbk-portal.html", "https://www.example.cn/a.html")
    assert article.to_dict()["published"] == "2024-09-20T09:32:00"
    assert "date" not in vars(doc)
    assert "author" not in vars(doc)  # the byline named the reporter


def test_htmldate_is_asked_when_our_rules_find_no_date():
    doc, article = _meta_and_build("en-article.html", None)
    assert "date" in vars(doc)
    assert (article.to_dict()["published"] or "")[:10] == (doc.date or "")[:10]


@pytest.mark.parametrize(
    "name", ["zh-gbk-portal.html", "en-article.html", "zh-big5-taiwan.html", "zh-no-list.html"]
)
def test_the_precise_pass_without_fallbacks_gives_what_the_full_pass_gives(name):
    from newskit.article.extraction import (
        ExtractOptions,
        _paragraph_chars,
        _precise,
        _trafilatura,
        parse,
        to_text,
    )

    opts = ExtractOptions()
    tree = parse(to_text(page(name), opts)[0])
    unwrap_layout_tables(tree)
    full = _trafilatura(tree, None, opts, "precision")
    assert full
    prose, page_chars = _paragraph_chars(tree), len(tree.text_content())
    assert _precise(tree, None, opts, prose, page_chars)[0] == full


def test_a_plain_article_skips_trafilaturas_fallbacks_and_a_teaser_page_does_not():
    from newskit.article.body import main_only
    from newskit.article.extraction import ExtractOptions, _paragraph_chars, parse, to_text

    opts = ExtractOptions()
    tree = parse(to_text(page("en-article.html"), opts)[0])
    assert main_only(tree, None, opts, _paragraph_chars(tree), 1000)[0] is not None
    # paragraphs holding under a tenth of the page's text: the full pass at once
    assert main_only(tree, None, opts, _paragraph_chars(tree), 100_000)[0] is None
    # fast mode keeps teaser blocks the full pass drops: such a page takes the full pass
    tree.find(".//p").set("class", "story-teaser")
    assert main_only(tree, None, opts, _paragraph_chars(tree), 1000)[0] is None


_WORDS = [
    "river",
    "town",
    "council",
    "levee",
    "water",
    "night",
    "rain",
    "road",
    "bridge",
    "farm",
    "mayor",
    "school",
    "field",
    "boat",
]


def _sentences(seed: int, count: int) -> str:
    """Words in a fixed order that differs by seed, a full stop every ninth."""
    words = (_WORDS[(seed * 5 + i * 3) % len(_WORDS)] for i in range(count))
    return " ".join(w + ("." if i % 9 == 8 else "") for i, w in enumerate(words)) + "."


# A short <article> the main extractor settles on, the story in a plain block beside it:
# readability's body wins trafilatura's comparison and the pass ends with it.
_SHORT_ARTICLE = (
    "<html><head><title>Flood</title></head><body><h1>River town waits</h1>"
    f"<article><p>{_sentences(1, 60)}</p></article><div id='x'>"
    + "".join(f"<p>{_sentences(seed, 40)}</p>" for seed in range(2, 8))
    + "</div></body></html>"
)
# One paragraph five times: the main extractor measures all five, its body keeps one.
_REPEATS = (
    "<html><head><title>Flood</title></head><body><article><h1>River town</h1>"
    + f"<p>{_sentences(2, 80)}</p>\n" * 5
    + "</article></body></html>"
)


@pytest.mark.parametrize("html", [_SHORT_ARTICLE, _REPEATS], ids=["short-article", "repeats"])
def test_the_precise_pass_ends_without_its_full_run_as_the_full_run_ends(html):
    from newskit.article.body import main_only
    from newskit.article.extraction import (
        ExtractOptions,
        _paragraph_chars,
        _precise,
        _trafilatura,
        parse,
    )

    opts = ExtractOptions()
    tree = parse(html)
    prose, page_chars = _paragraph_chars(tree), len(tree.text_content())
    full = _trafilatura(tree, None, opts, "precision")
    assert main_only(tree, None, opts, prose, page_chars)[0] is not None
    assert _precise(tree, None, opts, prose, page_chars)[0] == full


def test_readabilitys_body_is_taken_where_it_wins_the_comparison():
    from newskit.article.body import document, main_only
    from newskit.article.extraction import ExtractOptions, _paragraph_chars, parse

    opts = ExtractOptions()
    tree = parse(_SHORT_ARTICLE)
    main = document(tree, None, opts, "precision", fast=True).text
    text, _ = main_only(tree, None, opts, _paragraph_chars(tree), len(tree.text_content()))
    assert text is not None and len(text) > 2 * len(main)
    assert _sentences(5, 40) in text


@pytest.mark.parametrize(
    ("focus", "fast"),
    [
        ("precision", True),
        ("balanced", True),
        ("precision", False),
        ("recall", True),
        ("recall", False),
    ],
)
@pytest.mark.parametrize(
    "name", ["zh-gbk-portal.html", "en-article.html", "zh-big5-taiwan.html", "zh-no-list.html"]
)
def test_a_pass_from_the_pruned_page_gives_what_bare_extraction_gives(name, focus, fast):
    from lxml.etree import tostring

    from newskit.article.body import document, pruned
    from newskit.article.extraction import ExtractOptions, parse, to_text

    opts = ExtractOptions()
    tree = parse(to_text(page(name), opts)[0])
    url = "https://example.com/a"
    whole = document(tree, url, opts, focus, fast=fast)
    raw = pruned(tree)
    parts = document(tree, url, opts, focus, fast=fast, raw=raw)
    assert (parts.text, parts.raw_text) == (whole.text, whole.raw_text) != ("", "")
    assert tostring(parts.body) == tostring(whole.body)
    assert raw is not tree and len(raw.xpath("//*")) <= len(tree.xpath("//*"))


def test_a_short_balanced_pass_from_the_pruned_page_takes_trafilaturas_rescues():
    from newskit.article.body import document, pruned
    from newskit.article.extraction import ExtractOptions, parse

    # A short paragraph among much text in plain blocks: the baseline and the recall retry
    html = (
        "<html><body><div><p>River town waits for the water.</p></div>"
        + "".join(f"<div>{_sentences(seed, 30)}</div>" for seed in range(8))
        + "</body></html>"
    )
    opts = ExtractOptions()
    tree = parse(html)
    whole = document(tree, None, opts, "balanced", fast=True)
    parts = document(tree, None, opts, "balanced", fast=True, raw=pruned(tree))
    assert parts.text == whole.text
    assert len(whole.text) > 200


def test_a_balanced_result_covering_little_of_the_page_is_retried_in_recall_and_replaced():
    from lxml.etree import Element

    from newskit.article.body import _extractor, _rescues, pruned
    from newskit.article.extraction import ExtractOptions, parse

    html = (
        "<html><body><article>"
        + "".join(f"<p>{_sentences(seed, 40)}</p>" for seed in range(12))
        + "</article></body></html>"
    )
    raw = pruned(parse(html))
    options = _extractor(None, ExtractOptions(), "balanced", fast=True)
    short = _sentences(0, 50)  # as if the main extractor had found one paragraph
    body, text = _rescues(raw, Element("body"), short, options)
    assert len(text) > 1.5 * len(short) and _sentences(7, 40) in text
    # a result covering most of the page stays
    assert _rescues(raw, body, text, options)[1] == text
