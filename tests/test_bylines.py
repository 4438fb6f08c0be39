"""Byline forms, one printed convention per case, read line by line."""

from __future__ import annotations

import pytest

from newskit.article.meta import bylines
from newskit.article.meta.bylines import _join_spaced


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("作者：林晓岚", ["林晓岚"]),
        ("本报记者 周文博", ["周文博"]),
        ("□ 本报记者 周文博", ["周文博"]),
        ("（记者 林晓岚）", ["林晓岚"]),
        ("据本台电（记者 周文博）", ["周文博"]),
        ("（湖畔融媒记者 林晓岚 湖畔通讯员 周文博）", ["林晓岚", "周文博"]),
        ("文/周文博", ["周文博"]),
        ("文/图 周文博", ["周文博"]),
        ("执笔/林晓岚、周文博&欧阳明远", ["林晓岚", "周文博", "欧阳明远"]),
        ("记者 王小明 通讯员 李文 摄影 张强", ["王小明", "李文"]),
        ("撰文：林晓岚、周文博", ["林晓岚", "周文博"]),
        ("作者：林晓岚 校对：周文博", ["林晓岚"]),
        ("记者注意到，今年以来园区新签约项目大幅增加。", []),
        ("湖畔日报记者 林晓岚 摄", []),
    ],
)
def test_mainland_bylines(line: str, expected: list[str]) -> None:
    assert bylines.authors_in([line]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("記者陳雅婷／台北報導", ["陳雅婷"]),
        ("【記者陳雅婷／台中報導】", ["陳雅婷"]),
        ("2024-03-15 09:30 湖畔報 記者張志明／高雄報導", ["張志明"]),
        ("▲示意圖。（圖／記者張志明翻攝）", []),
    ],
)
def test_hong_kong_and_taiwan_bylines(line: str, expected: list[str]) -> None:
    assert bylines.authors_in([line]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("（中央社記者陳雅婷台北15日電）市府今天宣布新的交通措施。", ["陳雅婷"]),
        ("中央社記者張志明桃園傳真 113年3月15日", ["張志明"]),
        ("新华社湖州3月15日电（记者林晓岚、周文博）当地今天发布新规。", ["林晓岚", "周文博"]),
        ("新华社湖州3月15日电（林晓岚、周文博）当地今天发布新规。", ["林晓岚", "周文博"]),
        ("新华社湖州3月15日电 当地今天发布新规。", []),
    ],
)
def test_wire_datelines(line: str, expected: list[str]) -> None:
    assert bylines.wire_dateline([line]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("责任编辑：王海涛_AB1234", ["王海涛"]),
        ("责任编辑：王海涛 SF001", ["王海涛"]),
        ("（责编：林晓岚、周文博）", ["林晓岚", "周文博"]),
        ("編輯：陳雅婷", ["陳雅婷"]),
        ("作者：春风 编辑：春风 人气：1024", ["春风"]),
        ("编辑次数：12次", []),
        ("编辑：未知", []),
    ],
)
def test_editor_forms(line: str, expected: list[str]) -> None:
    assert bylines.editors_in([line]) == expected


def test_bracketed_editor_closing_a_long_paragraph() -> None:
    para = "他強調，" + "市府會持續檢討路線與班次，" * 6 + "（編輯：陳雅婷）1130315"
    assert bylines.editors_in([para]) == ["陳雅婷"]


def test_editor_label_with_its_name_in_the_next_block() -> None:
    assert bylines.editors_in(["责任编辑：", "王海涛"]) == ["王海涛"]


@pytest.mark.parametrize(
    ("para", "expected"),
    [
        ("……推动产业链条向高端延伸。（林晓岚）", ["林晓岚"]),
        ("……推动产业链条向高端延伸。（林晓岚 湖州报道）", ["林晓岚"]),
        ("……卻毫無作為，警方將釐清死因。（陳雅婷／台中報導）", ["陳雅婷"]),
        ("……推动产业链条向高端延伸。（完）", []),
    ],
)
def test_trailing_bylines(para: str, expected: list[str]) -> None:
    assert bylines.trailing_byline([para]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("本帖由春风于2005年8月12日16:12:21在〖闲谈〗发表.", ["春风"]),
        ("由春风张贴 @ 2005-06-14 03:25:55 (12)", ["春风"]),
        ("由管理员发表于 2005-06-14", []),
    ],
)
def test_forum_and_blog_posters(line: str, expected: list[str]) -> None:
    assert bylines.poster([line]) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024年3月16日08:19 [ 林晓岚 ]", ["林晓岚"]),
        ("2024-03-16 08:19:05【林晓岚 周文博】", ["林晓岚", "周文博"]),
        ("2024-03-16 08:19 [ 进入论坛 ]", []),
    ],
)
def test_name_in_brackets_after_the_time(line: str, expected: list[str]) -> None:
    assert bylines.after_time([line]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王  明", "王明"),
        ("王 明 华", "王明 华"),
        ("王 明 华 李", "王明 华李"),
        ("欧阳 明", "欧阳 明"),  # only two single characters are one padded name
        ("（王\u3000明）", "（王明）"),
        ("a王 明b", "a王明b"),
        (" 王 明 ", " 王明 "),
    ],
)
def test_padded_two_character_names(text: str, expected: str) -> None:
    assert _join_spaced(text) == expected
