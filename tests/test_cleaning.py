"""Body text cleaning: widgets, footers, private-use characters."""

from __future__ import annotations

from newskit.article.cleaning import clean_text

PROSE = (
    "湖畔新城今年以来坚持把科技创新作为推动制造业转型升级的关键，一批重点项目相继落地投产，"
    "园区企业的研发投入持续增长。"
)
MORE = (
    "在湖畔新城的智能制造产业园里，一条条自动化生产线正在满负荷运转，企业负责人介绍，"
    "新生产线投用后产能提高了三成。"
)
LAST = "湖畔新城有关负责人表示，下一步将继续优化营商环境，完善人才政策，为企业创新发展提供支撑。"


def test_widget_words_alone_are_dropped() -> None:
    text = f"{PROSE}\n【打印】\n字号：大 中 小\n分享到：\n{MORE}"
    assert clean_text(text) == f"{PROSE}\n{MORE}"


def test_lines_that_start_like_a_widget_are_prose() -> None:
    text = f"{PROSE}\n打印机厂商也在园区落户。\n编辑部收到读者来信十余封。\n{MORE}"
    assert clean_text(text) == text


def test_copyright_sentence_inside_the_article_does_not_cut_it() -> None:
    middle = "该厂商表示，新产品的设计方案版权所有人已授权园区企业使用。"
    after = [PROSE.replace("湖畔", f"第{i}个湖畔") for i in range(4)]
    text = "\n".join([PROSE, MORE, middle, *after])
    assert clean_text(text) == text


def test_footer_at_the_end_is_cut() -> None:
    text = "\n".join([PROSE, MORE, LAST, "Copyright 2024 湖畔都市网 版权所有", "关于我们"])
    assert clean_text(text) == "\n".join([PROSE, MORE, LAST])


def test_private_use_characters_are_dropped() -> None:
    assert clean_text(f"湖畔\ue0a5新城{PROSE}") == f"湖畔新城{PROSE}"
