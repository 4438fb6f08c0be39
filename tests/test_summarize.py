"""newskit.text.summaries: sentence splitting, lead/rank summaries, teasers, noise filtering."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from newskit.core.errors import InputError, UsageError
from newskit.core.models import Article
from newskit.text.summaries import (
    SummaryOptions,
    cut,
    is_noise,
    split_sentences,
    summarize,
    summarize_record,
    teaser,
)

ZH = (
    "本报讯（记者 陈思远 通讯员 赵一鸣）今年，滨江新区计划完成四十二个老旧小区改造，惠及居民一万八千余户。"
    "改造内容包括加装电梯、更新管网和增设停车位，预计年底前全部完工。\n"
    "“以前上下楼要歇好几回，现在电梯直接到家门口。”家住安澜小区的王阿姨说。"
    "她所在的楼栋是新区第一批加装电梯的试点，工程从设计到投用只用了三个月。\n"
    "资金从哪里来？新区采取财政补助和居民自筹相结合的方式……\n"
    "图为改造后的安澜小区。\n"
    "下一步，新区还将探索“改造+服务”模式，让居民住得更舒心。（完）\n"
    "责任编辑：刘晓东"
)
EN = (
    "WASHINGTON (Reuters) - The city council on Tuesday approved a $3.5 million plan to turn an "
    "old rail yard into a park. Mr. Alvarez, who chairs the council, called it a big step. "
    "Work starts in Jan. 2025, says Dr. Lee of the U.S. parks service.\n"
    "By Jane Doe\n"
    "Photo: A worker repairs a pipe near the site of the new park.\n"
    "Residents asked for trees, benches and a playground, e.g. at three public meetings. "
    "Critics say the money would be better spent on road repairs!\n"
    "(Reporting by Jane Doe; Editing by Mark Green)"
)
TERMINAL = tuple("。！？；…”’」』）.!?\"')")


# --- sentence splitting ------------------------------------------------------------------


def test_split_chinese_full_width_punctuation() -> None:
    text = "今天下雨。明天呢？后天晴！风很大；注意安全……好的。"
    assert split_sentences(text) == [
        "今天下雨。",
        "明天呢？",
        "后天晴！",
        "风很大；",
        "注意安全……",
        "好的。",
    ]


def test_split_chinese_half_width_forms() -> None:
    text = "近日,园区签约新项目!投资超2亿美元;预计明年投产?是的."
    assert split_sentences(text) == [
        "近日,园区签约新项目!",
        "投资超2亿美元;",
        "预计明年投产?",
        "是的.",
    ]


def test_split_keeps_closing_quotes_and_brackets_with_their_sentence() -> None:
    text = "他说：“我们成功了！”大家鼓掌。「真的嗎？」『是的。』（这是后话。）结束了。"
    assert split_sentences(text) == [
        "他说：“我们成功了！”",
        "大家鼓掌。",
        "「真的嗎？」",
        "『是的。』",
        "（这是后话。）",
        "结束了。",
    ]


def test_split_keeps_a_quoted_speech_whole_with_its_speech_tag() -> None:
    text = "“海内存知己，天涯若比邻。苏州对我们的支持很关键。”他说。近日，一封感谢信发至苏州。"
    assert split_sentences(text) == [
        "“海内存知己，天涯若比邻。苏州对我们的支持很关键。”他说。",
        "近日，一封感谢信发至苏州。",
    ]


def test_split_english_abbreviations_and_decimals() -> None:
    text = (
        "Mr. Smith met Dr. Jones on Jan. 5 in Washington. The U.S. economy grew 3.5 percent, "
        "e.g. faster than expected. J. K. Rowling agreed. It rained in the U.S. The end."
    )
    assert split_sentences(text) == [
        "Mr. Smith met Dr. Jones on Jan. 5 in Washington.",
        "The U.S. economy grew 3.5 percent, e.g. faster than expected.",
        "J. K. Rowling agreed.",
        "It rained in the U.S.",
        "The end.",
    ]


def test_split_english_quotes_questions_and_lowercase_continuations() -> None:
    text = 'He said: "We are happy." Then he left! "Why?" she asked. Did it work? Yes.'
    assert split_sentences(text) == [
        'He said: "We are happy."',
        "Then he left!",
        '"Why?" she asked.',
        "Did it work?",
        "Yes.",
    ]


def test_split_paragraph_breaks_end_sentences() -> None:
    assert split_sentences("第一段没有句号\n第二段。\r\n\nThird para\nfourth.") == [
        "第一段没有句号",
        "第二段。",
        "Third para",
        "fourth.",
    ]


def test_split_detaches_datelines_and_end_marks() -> None:
    pieces = split_sentences("新华社北京9月20日电（记者 王明）会议召开。会议结束（完）")
    assert pieces == ["新华社北京9月20日电（记者 王明）", "会议召开。", "会议结束", "（完）"]
    assert split_sentences("WASHINGTON (Reuters) - Talks resumed.")[0] == "WASHINGTON (Reuters) -"


def test_split_no_dateline_inside_words() -> None:
    text = "共享充电宝。视觉中国 资料\n“以前花一两元就能充满电，前几天被扣了12元。”吴翔宇说。"
    assert split_sentences(text) == [
        "共享充电宝。",
        "视觉中国 资料",
        "“以前花一两元就能充满电，前几天被扣了12元。”吴翔宇说。",
    ]
    assert split_sentences("中新网9月20日电 据报道，会议召开。")[0] == "中新网9月20日电"
    assert summarize(text) == "“以前花一两元就能充满电，前几天被扣了12元。”吴翔宇说。"  # no caption


def test_a_glued_photo_credit_is_split_off_and_dropped() -> None:
    text = "舞剧《孔雀》现身苏州湾大剧院。剧院供图时隔十年，杨丽萍再次来到苏州！"
    assert split_sentences(text)[1:] == ["剧院供图", "时隔十年，杨丽萍再次来到苏州！"]
    assert teaser(text, 120) == "舞剧《孔雀》现身苏州湾大剧院。时隔十年，杨丽萍再次来到苏州！"


def test_broken_pieces_and_disclaimers_are_not_used() -> None:
    text = (
        "宝。\n，前几天被扣了12元。\n网友评论仅供其表达个人看法，并不表明网易立场。\n充电宝涨价了。"
    )
    assert summarize(text) == "充电宝涨价了。"


def test_split_loses_no_text() -> None:
    for text in (ZH, EN):
        assert "".join(split_sentences(text)).replace(" ", "") == "".join(text.split())


# --- noise -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "（记者 陈思远 通讯员 赵一鸣）",
        "(苏报融媒记者 肖瑶 苏报通讯员 唐晓雯)",
        "本报记者 张三",
        "记者：李四 王五",
        "（完）",
        "【完】",
        "责任编辑：刘晓东",
        "原标题：滨江新区推进老旧小区改造",
        "来源：东海晨报",
        "剧院供图",
        "新华社记者 张三 摄",
        "首页 > 资讯中心 > 苏州资讯 正文",
        "分享到：微信 微博",
        "首页 | 新闻 | 体育 | 娱乐",
        "当前位置：首页->科技频道 星空观测入门。",
        "| Capital | Wellington |",
        "Copyright © 2001-2007 example-news.cn.",
        "By John Smith",
        "By Jane Doe and John Smith",
        "(Reporting by Jane Doe; Editing by Mark Green)",
        "Photo: Getty Images",
    ],
)
def test_noise_lines_are_recognised(line: str) -> None:
    assert is_noise(line)


@pytest.mark.parametrize(
    "line",
    [
        "记者从市交通局获悉，地铁三号线将于年底通车。",
        "今年，滨江新区计划完成四十二个老旧小区改造。",
        "By the end of the year, the park will open.",
        "The editor of the paper resigned on Monday.",
    ],
)
def test_article_sentences_are_not_noise(line: str) -> None:
    assert not is_noise(line)


# --- summaries ---------------------------------------------------------------------------


def _in_order(summary_sentences: list[str], text: str) -> bool:
    article = split_sentences(text)
    positions = [article.index(s) for s in summary_sentences]
    return positions == sorted(positions)


def test_lead_summary_skips_bylines_and_keeps_order() -> None:
    summary = summarize(ZH, sentences=2)
    assert summary == (
        "今年，滨江新区计划完成四十二个老旧小区改造，惠及居民一万八千余户。"
        "改造内容包括加装电梯、更新管网和增设停车位，预计年底前全部完工。"
    )


def test_lead_summary_never_uses_noise() -> None:
    summary = summarize(ZH, sentences=20)
    for noise in ("记者", "责任编辑", "（完）", "本报讯", "图为"):
        assert noise not in summary
    assert _in_order(split_sentences(summary), ZH)


def test_english_summary_drops_dateline_byline_and_credits() -> None:
    summary = summarize(EN, sentences=10)
    assert summary.startswith("The city council on Tuesday approved a $3.5 million plan")
    for noise in ("Reuters", "By Jane Doe", "Editing by", "Photo"):
        assert noise not in summary
    assert _in_order(split_sentences(summary), EN)


def test_lead_box_duplicate_is_dropped() -> None:
    lead = "园区今年实际利用外资超过四百亿美元，集聚外商投资项目五千一百多个，建成后累计投资将达"
    body = lead + "十亿瑞士法郎。园区获评全省首家外资总部经济集聚区。"
    assert summarize(f"{lead}\n{body}", sentences=2) == body
    assert summarize(f"{lead}…\n{body}", sentences=2) == body  # the box ends with "…"


def test_article_title_and_author_lines_are_skipped() -> None:
    article = Article(
        title="滨江新区推进老旧小区改造",
        text="滨江新区推进老旧小区改造\n今年新区将改造四十二个小区。\n陈思远 赵一鸣",
        authors=["陈思远", "赵一鸣"],
    )
    assert summarize(article) == "今年新区将改造四十二个小区。"


def test_rank_summary_prefers_central_sentences_in_article_order() -> None:
    text = (
        "新区今年将改造老旧小区四十二个，改造老旧小区惠及居民一万八千户。"
        "昨天的天气晴朗，气温二十五度左右，适宜出行。"
        "老旧小区改造包括加装电梯和更新管网，老旧小区居民普遍欢迎。"
        "老旧小区改造资金由财政补助和居民自筹共同承担。"
    )
    summary = summarize(text, sentences=3, method="rank")
    assert "天气" not in summary
    chosen = split_sentences(summary)
    assert len(chosen) == 3
    assert _in_order(chosen, text)


def test_rank_on_english_keeps_article_sentences() -> None:
    chosen = split_sentences(summarize(EN, sentences=2, method="rank"))
    assert len(chosen) == 2
    assert _in_order(chosen, EN)


def test_summary_has_at_most_the_asked_sentences() -> None:
    for n in (1, 2, 3):
        for method in ("lead", "rank"):
            assert len(split_sentences(summarize(ZH, n, method))) <= n


def test_bad_method_and_counts_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="unknown summary method"):
        summarize(ZH, method="llm")
    with pytest.raises(UsageError):
        summarize(ZH, sentences=0)
    with pytest.raises(UsageError):
        teaser(ZH, max_chars=0)
    with pytest.raises(UsageError):
        SummaryOptions(method="abstractive")


def test_empty_text_gives_empty_summary_and_teaser() -> None:
    assert summarize("") == ""
    assert teaser("   \n") == ""


# --- teasers -----------------------------------------------------------------------------


def test_teaser_is_the_longest_run_of_whole_sentences() -> None:
    first, second = split_sentences(ZH)[1:3]
    assert teaser(ZH, max_chars=len(first + second)) == first + second
    assert teaser(ZH, max_chars=len(first + second) - 1) == first


def test_teaser_cuts_a_long_first_sentence_at_a_clause() -> None:
    assert teaser(ZH, max_chars=30) == "今年，滨江新区计划完成四十二个老旧小区改造…"


def test_teaser_cuts_english_at_a_clause_or_a_space_never_mid_word() -> None:
    assert teaser(EN, max_chars=60) == "The city council on Tuesday approved a $3.5 million plan…"
    assert teaser("Mr. Alvarez, who chairs the council, called it a big step.", 40) == (
        "Mr. Alvarez, who chairs the council…"
    )


def test_teaser_limits_hold_for_every_width() -> None:
    texts = [ZH, EN, "舞剧《孔雀》现身苏州湾大剧院。剧院供图时隔十年，杨丽萍携舞剧再次来到苏州。"]
    for text in texts:
        flat = text.replace("\n", " ")
        for limit in range(1, 160):
            value = teaser(text, limit)
            assert len(value) <= limit
            assert value.endswith(TERMINAL) or value.endswith("…"), (limit, value)
            stem = value.removesuffix("…")
            assert all(piece in flat for piece in split_sentences(stem)), (limit, value)
            if value.endswith("…") and stem and stem.isascii():
                after = flat[flat.index(stem) + len(stem)]
                assert not after.isalnum(), (limit, value)


def test_teaser_counts_display_columns_when_asked() -> None:
    for limit in range(1, 120):
        value = teaser(ZH, limit, columns=True)
        assert wcswidth(value) <= limit
    assert len(teaser(ZH, 60, columns=True)) < len(teaser(ZH, 60))


def test_teaser_of_a_blurb_cut_mid_word_ends_at_a_clause() -> None:
    blurb = "面对苏州观众的热情，杨丽萍表示，很高兴见到这么多热爱"
    assert teaser(blurb, 120) == "面对苏州观众的热情，杨丽萍表示…"


def test_cut_falls_back_to_a_space_then_to_characters() -> None:
    assert cut("Supercalifragilistic expialidocious words", 25) == "Supercalifragilistic…"
    assert cut("一二三四五六七八九十", 5) == "一二三四…"
    assert cut("Unbreakablewordwithoutspaces", 10) == "…"


# --- records -----------------------------------------------------------------------------


def test_summarize_record_adds_fields_and_passes_error_records() -> None:
    options = SummaryOptions(sentences=1, max_chars=40)
    record = summarize_record({"title": "T", "text": ZH, "authors": ["陈思远"]}, options)
    assert record["summary"] == "今年，滨江新区计划完成四十二个老旧小区改造，惠及居民一万八千余户。"
    assert len(record["teaser"]) <= 40
    failed = {"source": "x.html", "error": "no such file", "stage": "input"}
    assert summarize_record(failed, options) is failed
    with pytest.raises(InputError, match="no text field"):
        summarize_record({"title": "T"}, options)


def test_public_api_exports() -> None:
    import newskit

    assert newskit.summarize is summarize
    assert newskit.teaser is teaser


# -- text without sentence ends (issue 9) -----------------------------------------------


@pytest.mark.parametrize("method", ["lead", "rank"])
@pytest.mark.parametrize(
    "text",
    ["这是一段没有句号的文字，" * 20_000, "words and no full stop " * 20_000, "长" * 200_000],
)
def test_a_summary_never_holds_more_than_its_sentences_allow(text, method):
    from newskit.text.summaries import MAX_SENTENCE

    summary = summarize(text, 3, method)
    assert 100 < len(summary) <= 3 * MAX_SENTENCE
    assert summary.endswith("…") and text.startswith(summary[:50])
