"""Publish time of a news page: as shown near the headline, to the minute, in ISO 8601."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newskit.article.meta.facts import PageMeta

# A date with an optional time; 年月日 and -/. separated forms, times as 09:32 or 09时32分.
_DATE = re.compile(
    r"(?<![\d])((?:19|20)\d{2})(?:[-/.]|\s*年\s*)(\d{1,2})(?:[-/.]|\s*月\s*)(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?:T|[ \u3000\xa0]|日)?\s*(?:(上午|下午|晚上|凌晨|AM|PM)\s*)?"
    r"(\d{1,2})\s*[:：时時]\s*(\d{2})(?!\d)\s*分?(?:\s*[:：]\s*(\d{2})(?:\.\d+)?)?)?"
    r"(?:\s*(Z|[+-]\d{2}:?\d{2})(?![\d]))?"
)
# Month/day/year with a 12-hour clock, as old ASP pages print it (9/17/2004 5:54:13 AM).
_US_DATE = re.compile(
    r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?)?",
    re.I,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?:/|\D)")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权|版權|备案|ICP|all rights|\d{4}\s*-\s*\d{4}", re.I)
# Labels that announce the page's own publish time (not a related story's).
_LABEL = re.compile(
    r"发布时间|發布時間|发表时间|發表時間|发布日期|发稿时间|时间|時間|日期|发表于|發表於|发布于|來源|来源"
)
_UPDATE = re.compile(r"更新|修改|update", re.I)
_META_KEYS = (
    "article:published_time",
    "og:release_date",
    "publishdate",
    "pubdate",
    "publish_date",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "date",
    # Last-modified dates: weaker, but still the page's own word about itself.
    "og:updated_time",
    "article:modified_time",
    "datemodified",
    "dateupdate",
    "lastmod",
)


def parse_date(text: str, *, offset: bool = True) -> str | None:
    """The first date (with its time when given) in a string, as ISO 8601."""
    found = _all_dates(text, offset=offset)
    return found[0][0] if found else None


def _all_dates(text: str, *, offset: bool = True) -> list[tuple[str, int]]:
    """Every valid date in a string with its precision (1 day, 2 minute)."""
    found = []
    for match in _DATE.finditer(text):
        value, precision = _iso(match, offset=offset)
        if value:
            found.append((value, precision))
    if not found and "/" in text:
        for match in _US_DATE.finditer(text):
            month, day, year, hour, minute, second, half = match.groups()
            if int(month) > 12:
                month, day = day, month
            if half and hour and half.upper() == "PM" and int(hour) < 12:
                hour = str(int(hour) + 12)
            elif half and hour and half.upper() == "AM" and int(hour) == 12:
                hour = "0"
            fake = _DATE.match(
                f"{year}-{month}-{day}" + (f" {hour}:{minute}:{second or 0}" if hour else "")
            )
            if fake:
                value, precision = _iso(fake)
                if value:
                    found.append((value, precision))
    return found


def _iso(match: re.Match[str], *, offset: bool = True) -> tuple[str | None, int]:
    """ISO text of a date match and its precision: 0 invalid, 1 day, 2 minute."""
    year, month, day, half, hour, minute, second, tz = match.groups()
    y, m, d = int(year), int(month), int(day)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None, 0
    day_text = f"{y:04d}-{m:02d}-{d:02d}"
    if hour is None:
        return day_text, 1
    h, mi = int(hour), int(minute)
    if half in ("下午", "晚上", "PM") and h < 12:
        h += 12
    if h > 23 or mi > 59:
        return day_text, 1
    value = f"{day_text}T{h:02d}:{mi:02d}:{int(second or 0) % 60:02d}"
    if tz and offset:
        value += "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    return value, 2


def _line_candidates(line: str) -> list[tuple[str, int]]:
    """Dates shown in one line of text, skipping copyright and footer lines."""
    if len(line) > 160 and not _LABEL.search(line[:40]):
        return []
    if _COPYRIGHT.search(line):
        return []
    return _all_dates(line)


def _score(line: str, precision: int, distance: int) -> float:
    """Higher for labelled, timed dates close after the headline."""
    score = precision * 2.0
    if _LABEL.search(line):
        score += 3
    if _UPDATE.search(line) and not _LABEL.search(line):
        score -= 2
    if len(line) <= 80:
        score += 1
    return score - abs(distance) * 0.15 - (2 if distance < 0 else 0)


def near_headline(
    lines: Sequence[str], start: int, before: int = 3, after: int = 20
) -> tuple[str, bool] | None:
    """The best date around the headline (line index `start`), and whether a label names it."""
    best: tuple[float, str, bool] | None = None
    for i in range(max(0, start - before), min(len(lines), start + after)):
        for value, precision in _line_candidates(lines[i]):
            score = _score(lines[i], precision, i - start)
            if best is None or score > best[0]:
                best = (score, value, bool(_LABEL.search(lines[i])))
    return (best[1], best[2]) if best else None


def labelled(lines: Sequence[str]) -> str | None:
    """A date anywhere on the page whose line says it is the publish time."""
    for line in lines:
        if len(line) <= 120 and _LABEL.search(line):
            cands = _line_candidates(line)
            if cands:
                return max(cands, key=lambda c: c[1])[0]
    return None


def from_meta(meta: dict[str, str], jsonld_dates: Sequence[str]) -> str | None:
    """The publish time declared in meta tags or JSON-LD."""
    for value in [*jsonld_dates, *(meta.get(k) for k in _META_KEYS)]:
        if value and (found := parse_date(value)):
            return found
    return None


def from_url(url: str | None) -> str | None:
    """A date written in the URL path (weak evidence: the day only)."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    y, m, d = (int(g) for g in match.groups())
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def merge(shown: str | None, declared: str | None) -> str | None:
    """The shown date, given the declared time when the page shows the same day without one."""
    if shown is None:
        return declared
    if declared and len(shown) == 10 and declared[:10] == shown and len(declared) > 10:
        return declared
    return shown


def pick_published(page: PageMeta, start: int, url: str | None, fallback: str | None) -> str | None:
    """The publish time shown near the headline, else declared by the page or its URL."""
    near = near_headline(page.lines, start)
    declared = from_meta(page.meta, page.jsonld.get("datePublished", []))
    shown = near[0] if near else labelled(page.lines[start : start + 150])
    if near and not near[1] and declared and declared[:10] != near[0][:10]:
        shown = None  # an unlabelled date (a birthday, an event) loses to the declared one
    published = merge(shown, declared) or from_url(url)
    if published is None and fallback and not fallback.endswith("-01-01"):
        published = fallback
    return published
