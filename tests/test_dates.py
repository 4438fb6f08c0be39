"""Publish times: formats, labels read in context, day/month order, shown time vs UTC."""

from __future__ import annotations

import pytest

from newskit.article.meta import dates


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
        ("2024年9月20日週五 下午2:05", "2024-09-20T14:05:00"),
        ("2024年9月20日 星期五 上午8:21", "2024-09-20T08:21:00"),
        ("2024年9月20日（周五）中午12:30", "2024-09-20T12:30:00"),
        ("20.09.2024 09:32", "2024-09-20T09:32:00"),
    ],
)
def test_date_formats(shown: str, expected: str) -> None:
    assert dates.parse_date(shown) == expected


def test_year_last_dates_follow_the_pages_order() -> None:
    assert dates.parse_date("5/7/2005") == "2005-05-07"  # US order unless told otherwise
    assert dates.parse_date("5/7/2005", day_first=True) == "2005-07-05"
    assert dates.parse_date("25/7/2005") == "2005-07-25"  # a part over 12 decides


def test_page_order_from_its_other_dates_declared_date_and_language() -> None:
    assert dates.numeric_order(["发表于 5/7/2005", "回复 23/6/2005"], None, None) is True
    assert dates.numeric_order(["5/7/2005", "6/23/2005"], None, None) is False
    assert dates.numeric_order(["5/7/2005"], "2005-07-05", None) is True
    assert dates.numeric_order(["5/7/2005"], None, "en-GB") is True
    assert dates.numeric_order(["5/7/2005"], None, "en-US") is None
    assert dates.numeric_order(["2005-07-05"], None, "en-GB") is None


def test_labels_before_each_date() -> None:
    found = dates._all_dates("发布时间：2024-03-01 10:00 活动时间：2024-04-02 更新：2024-03-02")
    assert [(f.value, f.label) for f in found] == [
        ("2024-03-01T10:00:00", "publish"),
        ("2024-04-02", "other"),
        ("2024-03-02", "update"),
    ]


def test_event_time_is_not_the_publish_time() -> None:
    lines = ["湖畔新城举办读书节", "活动时间：2024年4月20日 09:00", "发布时间：2024年3月1日 10:00"]
    assert dates.near_headline(lines, 0) == ("2024-03-01T10:00:00", True)


def test_update_time_loses_to_the_publish_time() -> None:
    lines = ["湖畔新城举办读书节", "更新时间：2024-03-02 18:00", "发布时间：2024-03-01 10:00"]
    assert dates.near_headline(lines, 0) == ("2024-03-01T10:00:00", True)


def test_shown_local_time_keeps_the_instant_of_a_utc_declaration() -> None:
    assert (
        dates.merge("2024-05-22T08:21:00", "2024-05-22T00:21:04+00:00")
        == "2024-05-22T08:21:04+08:00"
    )
    assert (
        dates.merge("2024-05-22T08:21:00", "2024-05-22T08:21:30+08:00")
        == "2024-05-22T08:21:30+08:00"
    )


def test_a_different_declared_time_is_not_an_offset() -> None:
    # +08:00 declared two hours later: a modification time, not the shown time in UTC.
    assert dates.merge("2024-05-22T08:21:00", "2024-05-22T10:21:00+08:00") == "2024-05-22T08:21:00"


def test_day_only_shown_takes_the_declared_minute() -> None:
    assert dates.merge("2024-05-22", "2024-05-22T08:21:00+08:00") == "2024-05-22T08:21:00+08:00"


def test_url_date() -> None:
    assert dates.from_url("https://example.cn/news/2024/09/20/a.html") == "2024-09-20"
    assert dates.from_url("https://example.cn/a.html") is None


def test_year_last_dates_are_the_ones_a_scan_of_every_position_finds():
    text = (
        "On 9/17/2004 and 17.09.2004 10:30 PM; not 1.2.2019.3 or 4/5/2020/6; "
        "x12-3-1999, 1/2/3/2019, (22/11/2020) 3/4/1899 5/6/20199"
    )
    found = [m.group(0) for m in dates._year_last_dates(text)]
    assert found == ["9/17/2004", "17.09.2004 10:30 PM", "12-3-1999", "22/11/2020"]
    assert found == [m.group(0) for m in dates._YEAR_LAST.finditer(text)]
