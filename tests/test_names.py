"""The name check every author and editor passes."""

from __future__ import annotations

import pytest

from newskit.article.meta.names import _has_han, is_name, normalize


@pytest.mark.parametrize(
    "value",
    [
        "林晓岚",
        "欧阳明远",
        "方 宁",  # padded to the width of three characters
        "陳雅婷",
        "阿依古丽·买买提",
        "Jane Doe",
        "Mary-Ann O'Neil",
        "Pierre de Vries",
        "Zoë Å. Lindqvist",
        "JANE DOE",
        "nightowl",  # a pen name
    ],
)
def test_names(value: str) -> None:
    assert is_name(value)


@pytest.mark.parametrize(
    "value",
    [
        "未知",
        "管理员",
        "佚名",
        "手记",
        "城市观察",
        "资料图",
        "图文无关",
        "校对",
        "责任编辑",
        "本报记者",
        "江南日报",
        "湖畔都市网",
        "中央社",
        "作者单位",
        "同意隐私条款",
        "Email Com",
        "Analysis by Jane",
        "Staff Writer",
        "Follow Author",
        "AFP",
        "I",
        "K A",
        "作曲",
        "Jane Doe 3 hours ago",
        "",
    ],
)
def test_not_names(value: str) -> None:
    assert not is_name(value)


def test_menu_labels_are_not_names() -> None:
    assert is_name("春风")
    assert not is_name("春风", menu={"春风", "夏雨"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("方  宁", "方宁"),
        ("方\u3000宁 Li", "方宁 Li"),
        ("Li 方 宁", "Li 方宁"),
        ("  Jane   Doe ", "Jane Doe"),
        ("王 a 明", "王 a 明"),
        ("欧阳 明 远", "欧阳明远"),
    ],
)
def test_padding_between_chinese_characters_is_dropped(value: str, expected: str) -> None:
    assert normalize(value) == expected


def test_a_hexagram_symbol_is_no_chinese_character() -> None:
    assert not _has_han("Jane \u4dc0 Doe")
    assert _has_han("\u4dc0 林晓岚")
