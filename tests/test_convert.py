"""Script conversion: character vs phrase level, round trips, detection, records, streams."""

from __future__ import annotations

import pytest

import newskit
from newskit.core.errors import ExitCode, UsageError
from newskit.text.scripts import (
    _SIMPLIFIED_ONLY,
    _TRADITIONAL_ONLY,
    CONFIGS,
    DEFAULT_FIELDS,
    _opencc,
    conversion,
    convert,
    convert_record,
    convert_stream,
    detect_script,
)

SIMPLIFIED = "这款软件占用的内存不大，鼠标和键盘都能用。"
TAIWAN = "這款軟體佔用的記憶體不大，滑鼠和鍵盤都能用。"
HONG_KONG = "佢哋話呢部電腦嘅軟件好用，不過條網綫斷咗。"
ENGLISH = "Memory prices rose 12% in 2024, said the report."


def test_s2t_is_character_level():
    assert convert("软件", "s2t") == "軟件"
    assert convert("内存", "s2t") == "內存"
    assert convert("鼠标", "s2t") == "鼠標"


def test_s2twp_is_phrase_level():
    assert convert("软件", "s2twp") == "軟體"
    assert convert("内存", "s2twp") == "記憶體"
    assert convert("鼠标", "s2twp") == "滑鼠"
    assert convert(SIMPLIFIED, "s2twp") == "這款軟體佔用的記憶體不大，滑鼠和鍵盤都能用。"


def test_zh_tw_uses_taiwan_phrases_on_simplified_input():
    assert convert(SIMPLIFIED, "zh-TW") == TAIWAN
    assert conversion("zh-TW", SIMPLIFIED).configs == ("s2twp",)


@pytest.mark.parametrize(
    ("config", "text", "expected"),
    [
        ("s2t", "头发", "頭髮"),
        ("s2tw", "头发", "頭髮"),
        ("s2twp", "头发", "頭髮"),
        ("s2hk", "软件", "軟件"),
        ("t2s", "頭髮", "头发"),
        ("tw2s", "軟體", "软体"),
        ("tw2sp", "軟體", "软件"),
        ("hk2s", "綫", "线"),
        ("t2tw", "裏", "裡"),
        ("t2hk", "爲", "為"),
        ("tw2t", "裡", "裏"),
        ("hk2t", "綫", "線"),
        ("t2jp", "國學", "国学"),
        ("jp2t", "国学", "國學"),
    ],
)
def test_every_opencc_configuration_is_accepted(config, text, expected):
    assert convert(text, config) == expected


def test_the_parametrized_list_covers_every_configuration():
    assert set(CONFIGS) == {
        "s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk",
        "hk2s", "t2tw", "t2hk", "tw2t", "hk2t", "t2jp", "jp2t",
    }  # fmt: skip


def test_round_trips():
    assert convert(convert(SIMPLIFIED, "s2t"), "t2s") == SIMPLIFIED
    assert convert(convert(SIMPLIFIED, "s2twp"), "tw2sp") == SIMPLIFIED
    assert convert(convert(SIMPLIFIED, "zh-TW"), "zh-Hans") == SIMPLIFIED
    assert convert(convert(TAIWAN, "zh-Hans"), "zh-TW") == TAIWAN


def test_latin_letters_digits_and_urls_in_text_are_untouched():
    text = "iPhone 15 的软件更新 v2.1，价格 ¥5999，详见 https://example.cn/a?b=1。"
    assert convert(text, "s2twp") == (
        "iPhone 15 的軟體更新 v2.1，價格 ¥5999，詳見 https://example.cn/a?b=1。"
    )
    assert convert(ENGLISH, "s2twp") == ENGLISH


def test_zh_hans_picks_its_source_by_detecting_the_input():
    assert conversion("zh-Hans", TAIWAN).configs == ("tw2sp",)
    assert convert(TAIWAN, "zh-Hans") == SIMPLIFIED
    assert conversion("zh-Hans", HONG_KONG).configs == ("hk2s",)
    assert convert(HONG_KONG, "zh-Hans") == "佢哋话呢部电脑嘅软件好用，不过条网线断咗。"
    assert conversion("zh-Hans", SIMPLIFIED).configs == ("t2s",)
    assert convert(SIMPLIFIED, "zh-Hans") == SIMPLIFIED


def test_zh_cn_is_zh_hans_with_its_own_label():
    assert convert(TAIWAN, "zh-CN") == SIMPLIFIED
    assert conversion("zh-CN", TAIWAN).script == "zh-Hans-CN"


def test_friendly_targets_on_traditional_input():
    assert convert(TAIWAN, "zh-Hant") == TAIWAN
    assert conversion("zh-Hant", TAIWAN).configs == ()
    assert convert(SIMPLIFIED, "zh-Hant") == "這款軟件佔用的內存不大，鼠標和鍵盤都能用。"
    assert convert(HONG_KONG, "zh-TW") == "佢哋話呢部電腦嘅軟件好用，不過條網線斷咗。"
    assert convert("這裡的軟體", "zh-HK") == "這裏的軟體"
    assert convert(SIMPLIFIED, "zh-HK") == "這款軟件佔用的內存不大，鼠標和鍵盤都能用。"


def test_friendly_targets_leave_text_without_chinese_alone():
    assert conversion("zh-TW", ENGLISH).configs == ()
    assert convert(ENGLISH, "zh-Hans") == ENGLISH
    assert convert("", "zh-TW") == ""


def test_unknown_conversion_is_a_usage_error_listing_the_valid_ones():
    with pytest.raises(UsageError) as info:
        convert("软件", "zh-XX")
    assert info.value.exit_code is ExitCode.USAGE
    assert str(info.value).startswith("unknown conversion 'zh-XX' (valid: zh-Hans, zh-CN, ")
    assert str(info.value).endswith(", t2jp, jp2t)")


def test_a_converter_is_built_once_per_configuration():
    _opencc.cache_clear()
    convert("软件", "s2twp")
    convert("内存", "s2twp")
    convert("鼠标", "s2twp")
    info = _opencc.cache_info()
    assert (info.misses, info.hits) == (1, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SIMPLIFIED, "zh-Hans"),
        (TAIWAN, "zh-Hant"),
        (HONG_KONG, "zh-Hant"),
        ("新华社北京9月20日电 记者从国家发展改革委获悉。", "zh-Hans"),
        ("中央社台北9月20日電 行政院會通過預算。", "zh-Hant"),
        (ENGLISH, None),
        ("", None),
        ("東京の天気は晴れです。明日も晴れるでしょう。", None),
    ],
)
def test_detect_script(text, expected):
    assert detect_script(text) == expected


def test_detect_script_samples_a_few_thousand_characters_from_the_first_han_one():
    assert detect_script("a" * 5000 + SIMPLIFIED) == "zh-Hans"
    assert detect_script(SIMPLIFIED * 200 + TAIWAN * 1000) == "zh-Hans"
    assert detect_script(SIMPLIFIED * 50 + TAIWAN * 1000) == "zh-Hant"


ARTICLE = {
    "title": "软件与内存",
    "text": SIMPLIFIED,
    "url": "https://example.cn/软件.html",
    "site_name": "科技网",
    "authors": ["张伟", "李娜"],
    "editors": ["王刚"],
    "script": "zh-Hans",
    "image": None,
    "chars": 20,
}


def test_convert_record_converts_the_text_fields_only():
    out = convert_record(ARTICLE, "zh-TW")
    assert out == {
        "title": "軟體與記憶體",
        "text": TAIWAN,
        "url": "https://example.cn/软件.html",
        "site_name": "科技网",
        "authors": ["張偉", "李娜"],
        "editors": ["王刚"],
        "script": "zh-Hant-TW",
        "image": None,
        "chars": 20,
    }
    assert list(out) == list(ARTICLE)
    assert ARTICLE["title"] == "软件与内存"  # the input is not changed


def test_convert_record_with_chosen_fields():
    out = convert_record(ARTICLE, "s2t", fields=["site_name"])
    assert out == {**ARTICLE, "site_name": "科技網", "script": "zh-Hant"}


@pytest.mark.parametrize(
    ("to", "script"),
    [
        ("zh-TW", "zh-Hant-TW"),
        ("zh-HK", "zh-Hant-HK"),
        ("zh-Hant", "zh-Hant"),
        ("s2hk", "zh-Hant-HK"),
    ],
)
def test_convert_record_says_which_script_it_made(to, script):
    assert convert_record(ARTICLE, to)["script"] == script


def test_convert_record_adds_no_script_field_and_spares_url_values():
    record = {"title": "软件", "source": "https://example.cn/", "n": 1}
    assert convert_record(record, "s2twp") == {
        "title": "軟體",
        "source": "https://example.cn/",
        "n": 1,
    }


def test_convert_record_leaves_records_without_chinese_and_error_records_alone():
    english = {"title": ENGLISH, "script": None}
    assert convert_record(english, "zh-TW") == english
    error = {"source": "新闻.html", "error": "no such file", "stage": "input"}
    assert convert_record(error, "s2t") == error


def test_default_fields():
    assert DEFAULT_FIELDS == (
        "title", "text", "description", "summary", "teaser",
        "authors", "source", "categories", "tags", "blurb", "figures",
    )  # fmt: skip


def test_convert_stream_detects_once_and_passes_text_before_chinese():
    chunks = ["Intro line\n", "软件\n内存\n", "鼠标\n"]
    assert list(convert_stream(chunks, "zh-TW")) == ["Intro line\n", "軟體\n記憶體\n", "滑鼠\n"]


def test_the_package_exports_the_conversion_api():
    assert newskit.convert("软件", "s2twp") == "軟體"
    assert newskit.convert_record({"title": "鼠标"}, "zh-TW") == {"title": "滑鼠"}
    assert newskit.detect_script("軟體") == "zh-Hant"


def _encodes(char, encoding):
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_script_characters_come_from_the_charsets():
    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    gb2312_level1 = b"".join(
        bytes((lead, trail)) for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)
    ).decode("gb2312", errors="ignore")
    big5_level1 = b"".join(
        bytes((lead, trail))
        for lead in range(0xA4, 0xC7)
        for trail in big5_trails
        if (lead, trail) < (0xC6, 0x7F)
    ).decode("big5")
    simplified = {c for c in gb2312_level1 if not _encodes(c, "big5")} - {"着"}
    traditional = {c for c in big5_level1 if "\u4e00" <= c <= "\u9fff"}
    traditional = {c for c in traditional if not _encodes(c, "gb2312")}
    assert (set(_SIMPLIFIED_ONLY), set(_TRADITIONAL_ONLY)) == (simplified, traditional)
