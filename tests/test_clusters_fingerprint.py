"""Fingerprints: stable 16-hex simhashes, script-folded, blind to wrapping and credit lines."""

from __future__ import annotations

import re

import pytest
from syndication import stories

import newskit
from newskit.clusters.fingerprint import (
    MULTIPLIERS,
    SEEDS,
    distance,
    overlap,
    shingle_hashes,
    sketch,
    tokens,
)

STORIES = {story["story"]: story["text"] for story in stories()}
ALERT = STORIES["flood-alert"]


def test_fingerprint_is_16_hex_digits_and_stable():
    value = newskit.fingerprint(ALERT)
    assert re.fullmatch(r"[0-9a-f]{16}", value)
    assert value == newskit.fingerprint(ALERT)
    assert newskit.fingerprint("湖边的风吹过来") == "6900538e6f6170ec"


def _reference(text: str) -> str:
    """The documented algorithm, one shingle at a time (the module hashes all at once)."""
    chars = tokens(text).ljust(3, "\0")
    mask = (1 << 64) - 1
    votes = [0] * 64
    count = len(chars) - 2
    for i in range(count):
        key = ord(chars[i]) | ord(chars[i + 1]) << 21 | ord(chars[i + 2]) << 42
        for seed, multiplier in zip(SEEDS, MULTIPLIERS, strict=True):
            product = (key ^ seed) * multiplier
            key = (product & mask) ^ (product >> 64)
        for bit in range(64):
            votes[bit] += key >> bit & 1
    value = sum(1 << bit for bit in range(64) if votes[bit] > count / 2)
    return f"{value:016x}"


@pytest.mark.parametrize("name", ["flood-alert", "rail-open", "expo-brief"])
def test_fingerprint_follows_the_documented_algorithm(name):
    text = STORIES[name]
    assert newskit.fingerprint(text) == _reference(text)
    assert newskit.fingerprint(text[:2]) == _reference(text[:2])


def test_empty_text_has_the_zero_fingerprint():
    assert newskit.fingerprint("") == "0" * 16
    assert newskit.fingerprint("，。 \n") == "0" * 16


def test_tokens_are_cjk_characters_and_whole_words_after_folding():
    assert tokens("Ｔｈｅ  Light-Rail，开通了！") == tokens("the light rail 开通了")
    assert len(tokens("the light rail 开通了")) == 6
    assert tokens("來源：青禾日報\n這是一條新聞") == tokens("这是一条新闻")


@pytest.mark.parametrize(
    "ascii_text",
    [
        "The light_rail opens, 2 lines (A.M. only)",
        "MAYOR'S\tOFFICE:\n\n  ~~~ 3rd-ward\x0bvote\x7f!",
        "__ -- ..",
        "",
    ],
)
def test_plain_ascii_words_give_the_tokens_mixed_text_gives(ascii_text):
    # ASCII text takes a shorter path than text with Chinese in it: the words must agree
    assert tokens(ascii_text) + tokens("开通") == tokens(ascii_text + "开通")


def test_ascii_words_are_runs_of_letters_and_digits_lower_cased():
    assert len(tokens("The light_rail opens, 2 lines (A.M. only)")) == 9
    assert tokens("LIGHT Rail") == tokens("light rail") != tokens("lightrail")
    assert tokens("⒈ rail") == tokens("1. rail")  # NFKC may bring punctuation back


def test_rewrapping_and_punctuation_change_nothing():
    rewrapped = ALERT.replace("\n", "").replace("。", "。\n")
    repunctuated = ALERT.replace("，", ",").replace("。", ". ")
    assert newskit.fingerprint(rewrapped) == newskit.fingerprint(ALERT)
    assert newskit.fingerprint(repunctuated) == newskit.fingerprint(ALERT)


def test_credit_lines_are_left_out():
    credited = f"来源：北岸新闻网\n{ALERT}\n责任编辑：刘颖\n原标题：防汛四级应急响应启动"
    assert newskit.fingerprint(credited) == newskit.fingerprint(ALERT)
    # an English story credited in Chinese: the credit goes, the words stay
    assert tokens("来源：北岸新闻网\nThe light rail opens.") == tokens("The light rail opens.")


@pytest.mark.parametrize("target", ["s2t", "s2tw", "s2hk"])
def test_a_traditional_copy_keeps_its_fingerprint(target):
    copy = newskit.convert(ALERT, target)
    assert copy != ALERT
    assert distance(newskit.fingerprint(copy), newskit.fingerprint(ALERT)) <= 3
    assert newskit.similar(copy, ALERT) > 0.95


def test_a_few_edited_characters_move_a_few_bits():
    edited = ALERT.replace("四级", "四極", 1).replace("暴雨", "大雨", 1)
    assert 0 < distance(newskit.fingerprint(edited), newskit.fingerprint(ALERT)) <= 6


def test_different_stories_on_one_topic_are_far_apart():
    pairs = [("flood-alert", "flood-alert-radio"), ("expo-open", "expo-brief")]
    for a, b in pairs:
        assert distance(newskit.fingerprint(STORIES[a]), newskit.fingerprint(STORIES[b])) >= 16
        assert newskit.similar(STORIES[a], STORIES[b]) < 0.4


def test_similar_scores_containment_of_the_shorter_text():
    half = ALERT[: len(ALERT) // 2]
    assert newskit.similar(ALERT, ALERT) == 1.0
    assert newskit.similar(half, ALERT) == 1.0
    assert newskit.similar(ALERT, "") == 0.0


def test_sketch_samples_one_shingle_in_eight_by_content():
    shape = sketch(ALERT)
    assert shape.shingles == len(shingle_hashes(ALERT))
    assert 0.05 < len(shape.sample) / shape.shingles < 0.25
    assert list(shape.sample) == sorted(set(shape.sample))
    half = sketch(ALERT[: len(ALERT) // 2])
    assert set(half.sample) <= set(shape.sample)
    assert overlap(half, shape) == 1.0


def test_english_text_is_shingled_by_words():
    opened, fares = STORIES["rail-open"], STORIES["rail-fares"]
    assert newskit.similar(opened, opened.upper()) == 1.0
    assert newskit.similar(opened, fares) < 0.1


def test_extracted_articles_carry_their_fingerprint(fixture_path):
    with open(fixture_path("zh-gbk-portal.html"), "rb") as handle:
        article = newskit.extract(handle.read())
    assert article.fingerprint == newskit.fingerprint(article.text)
    assert article.to_dict()["fingerprint"] == article.fingerprint


def test_has_traditional_finds_one_traditional_only_character():
    from newskit.text.scripts import has_traditional

    assert has_traditional("今天發布")
    assert not has_traditional("今天发布")
    assert not has_traditional("plain text")
