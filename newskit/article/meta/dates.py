"""Publish time of a news page: as shown near the headline, to the minute, in ISO 8601.

Dates are read in context: the label before a date says whether it is the publish time
(发布时间), a later revision (更新) or something else (活动时间, 截止日期); a numeric date
written with the year last is read day-first or month-first as the page's other dates,
its declared date or its language say; and a time the page shows is kept as shown, with
the offset that makes it agree with the structured data's instant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from newskit.article.meta import lexicon
from newskit.core.patterns import lazy_compile

if TYPE_CHECKING:
    from newskit.article.meta.facts import PageMeta

_WEEKDAY = r"(?:\s*[（(]?(?:星期|週|周|礼拜|禮拜)[一二三四五六日天][)）]?)?"
# A date with an optional time; 年月日 and -/. separated forms, times as 09:32 or 09时32分.
_DATE = re.compile(
    r"(?<![\d])((?:19|20)\d{2})(?:[-/.]|\s*年\s*)(\d{1,2})(?:[-/.]|\s*月\s*)(\d{1,2})(?!\d)\s*日?"
    + _WEEKDAY
    + r"(?:\s*(?:T|[ \u3000\xa0]|日)?\s*(?:(上午|中午|下午|晚上|晚間|凌晨|AM|PM)\s*)?"
    r"(\d{1,2})\s*[:：时時]\s*(\d{2})(?!\d)\s*分?(?:\s*[:：]\s*(\d{2})(?:\.\d+)?)?)?"
    r"(?:\s*(Z|[+-]\d{2}:?\d{2})(?![\d]))?"
)
# A numeric date with the year last (9/17/2004, 17.09.2004), maybe with a 12-hour clock.
_YEAR_LAST = re.compile(
    r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d{2})(?![\d/.-])"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?)?",
    re.I,
)
_URL_DATE = lazy_compile(r"/((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?:/|\D)")
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|版权|版權|备案|ICP|all rights|\d{4}\s*-\s*\d{4}", re.I)
_LABEL = re.compile("|".join(lexicon.PUBLISH_LABELS))
_OTHER = re.compile("|".join(lexicon.OTHER_TIME_LABELS))
_UPDATE = re.compile("|".join(lexicon.UPDATE_LABELS), re.I)
_PREFIX = 14  # how far before a date its label may sit
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


@dataclass(frozen=True)
class Found:
    """One date in a line: its ISO value, precision (1 day, 2 minute) and what labels it."""

    value: str
    precision: int
    label: str  # "publish", "update", "other" or ""


def parse_date(text: str, *, offset: bool = True, day_first: bool | None = None) -> str | None:
    """The first date (with its time when given) in a string, as ISO 8601."""
    found = _all_dates(text, offset=offset, day_first=day_first)
    return found[0].value if found else None


def _label_of(prefix: str) -> str:
    """What the words just before a date say it is."""
    if _OTHER.search(prefix):
        return "other"
    if _UPDATE.search(prefix):
        return "update"
    return "publish" if _LABEL.search(prefix) else ""


def _all_dates(text: str, *, offset: bool = True, day_first: bool | None = None) -> list[Found]:
    """Every valid date in a string, with its precision and its label."""
    found = []
    last = 0
    for match in _DATE.finditer(text):
        value, precision = _iso(match.groups(), offset=offset)
        if value:
            found.append(
                Found(
                    value,
                    precision,
                    _label_of(text[max(last, match.start() - _PREFIX) : match.start()]),
                )
            )
        last = match.end()
    if not found and any(sep in text for sep in "/.-"):
        for match in _YEAR_LAST.finditer(text):
            value, precision = _year_last(match, day_first)
            if value:
                prefix = text[max(0, match.start() - _PREFIX) : match.start()]
                found.append(Found(value, precision, _label_of(prefix)))
    return found


def _year_last(match: re.Match[str], day_first: bool | None) -> tuple[str | None, int]:
    """A year-last date in the page's order: a part over 12 decides, else the page's habit."""
    first, sep, second, year, hour, minute, second_s, half = match.groups()
    a, b = int(first), int(second)
    if day_first is None:
        day_first = sep != "/"  # 17.09.2004 and 17-09-2004 are day-first; 9/17/2004 is US
    if a > 12 or (day_first and b <= 12):
        a, b = b, a
    h = int(hour) if hour else None
    if h is not None and half:
        h = h % 12 + (12 if half.upper() == "PM" else 0)
    groups = (year, str(a), str(b), None, None if h is None else str(h), minute, second_s, None)
    return _iso(groups)


# What every year-last date holds: its second separator and a year. Searched for first, as a
# pattern opening with a character class runs in re's fast scan; _YEAR_LAST opens with a
# lookbehind and is tried at every position of a long text.
_SEPARATED_YEAR = re.compile(r"[/.-](?:19|20)\d\d")


def _year_last_dates(text: str) -> Iterator[re.Match[str]]:
    """The matches of _YEAR_LAST.finditer(text), tried only where a separator and a year are.

    A match starts 3 to 5 characters before its second separator (1-2 digits, a separator,
    1-2 digits); two separator-and-year spots never overlap, so none is missed.
    """
    end = 0
    for spot in _SEPARATED_YEAR.finditer(text):
        at = spot.start()
        for start in range(max(end, at - 5), at - 2):
            match = _YEAR_LAST.match(text, start)
            if match:
                end = match.end()
                yield match
                break


def numeric_order(lines: Sequence[str], declared: str | None, lang: str | None) -> bool | None:
    """Whether the page writes year-last dates day-first; None when nothing tells.

    A first part over 12 means day-first and a second part over 12 month-first (the
    page's other dates); else the reading that gives the declared date; else the
    language: US English writes month-first, most other locales day-first.
    """
    text = "\n".join(line for line in lines[:800] if len(line) < 200)
    pairs = [(int(m[1]), int(m[3]), m[4]) for m in _year_last_dates(text)]
    if not pairs:
        return None
    if any(a > 12 >= b for a, b, _ in pairs):
        return True
    if any(b > 12 >= a for a, b, _ in pairs):
        return False
    if declared:
        for a, b, year in pairs:
            if declared[:10] == f"{year}-{b:02d}-{a:02d}":
                return True
            if declared[:10] == f"{year}-{a:02d}-{b:02d}":
                return False
    tag = (lang or "").lower()
    if not tag or tag.startswith(("zh", "en-us", "ja", "ko")) or tag == "en":
        return None
    return True


def _iso(groups: Sequence[str | None], *, offset: bool = True) -> tuple[str | None, int]:
    """ISO text of a date's parts and its precision: 0 invalid, 1 day, 2 minute."""
    year, month, day, half, hour, minute, second, tz = groups
    y, m, d = int(year or 0), int(month or 0), int(day or 0)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None, 0
    day_text = f"{y:04d}-{m:02d}-{d:02d}"
    if hour is None or minute is None:
        return day_text, 1
    h, mi = int(hour), int(minute)
    # 下午/PM add twelve hours; 中午 (noon) only to 1 or 2 o'clock.
    if (half in ("下午", "晚上", "晚間", "PM") and h < 12) or (half == "中午" and h < 11):
        h += 12
    if h > 23 or mi > 59:
        return day_text, 1
    value = f"{day_text}T{h:02d}:{mi:02d}:{int(second or 0) % 60:02d}"
    if tz and offset:
        value += "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    return value, 2


def _line_candidates(line: str, day_first: bool | None = None) -> list[Found]:
    """Dates shown in one line of text, skipping copyright and footer lines."""
    if len(line) > 160 and not _LABEL.search(line[:40]):
        return []
    if _COPYRIGHT.search(line):
        return []
    return [f for f in _all_dates(line, day_first=day_first) if f.label != "other"]


def _score(line: str, found: Found, distance: int, published_label: bool) -> float:
    """Higher for labelled, timed dates close after the headline."""
    score = found.precision * 2.0
    if found.label == "publish" or (not found.label and _LABEL.search(line)):
        score += 3
    if found.label == "update":
        score -= 4 if published_label else 2
    if len(line) <= 80:
        score += 1
    return score - abs(distance) * 0.15 - (2 if distance < 0 else 0)


def near_headline(
    lines: Sequence[str],
    start: int,
    before: int = 3,
    after: int = 20,
    day_first: bool | None = None,
) -> tuple[str, bool] | None:
    """The best date around the headline (line index `start`), and whether a label names it."""
    window = range(max(0, start - before), min(len(lines), start + after))
    found = [(i, f) for i in window for f in _line_candidates(lines[i], day_first)]
    published_label = any(f.label == "publish" for _, f in found)
    best: tuple[float, str, bool] | None = None
    for i, cand in found:
        score = _score(lines[i], cand, i - start, published_label)
        if best is None or score > best[0]:
            labelled_here = cand.label == "publish" or bool(_LABEL.search(lines[i]))
            best = (score, cand.value, labelled_here)
    return (best[1], best[2]) if best else None


def labelled(lines: Sequence[str], day_first: bool | None = None) -> str | None:
    """A date anywhere on the page whose line says it is the publish time."""
    for line in lines:
        if len(line) <= 120 and _LABEL.search(line):
            cands = [c for c in _line_candidates(line, day_first) if c.label != "update"]
            if cands:
                return max(cands, key=lambda c: c.precision).value
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
    match = _URL_DATE().search(url)
    if not match:
        return None
    y, m, d = (int(g) for g in match.groups())
    if 1 <= m <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return None


def _instant(value: str) -> tuple[datetime, timedelta | None] | None:
    """A minute-precision ISO value as a naive local time and its offset (None: none given)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=None), moment.utcoffset()


def _offset_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def reconcile(shown: str, declared: str) -> str:
    """The time the page shows, given the offset under which it is the declared instant.

    Structured data often gives the instant in UTC while the page shows local time; the
    record keeps what readers see (08:21) with the offset that makes both agree (+08:00).
    """
    seen, said = _instant(shown), _instant(declared)
    if not seen or not said or seen[1] is not None:
        return shown
    local, (instant, offset) = seen[0], said
    if offset is None:
        return shown
    gap = local - instant.replace(second=0, microsecond=0) - timedelta(seconds=local.second)
    # Only a UTC instant is read as local time elsewhere; any other gap is another time.
    if gap and (offset or abs(gap) > timedelta(hours=14) or gap.total_seconds() % 900):
        return shown
    return (local.replace(second=instant.second)).isoformat() + _offset_text(offset + gap)


def merge(shown: str | None, declared: str | None) -> str | None:
    """The shown time, given the declared time's minute when the page shows only the day."""
    if shown is None:
        return declared
    if declared and len(shown) == 10 and declared[:10] == shown and len(declared) > 10:
        return declared
    if declared and len(shown) > 10 and len(declared) > 10:
        return reconcile(shown, declared)
    return shown


def _same_day_time(lines: Sequence[str], day: str, order: bool | None) -> str | None:
    """The time of a short date line showing the declared day (the page agrees with itself)."""
    for line in lines:
        if len(line) <= 40:
            found = [f for f in _line_candidates(line, order) if f.precision == 2]
            if found and found[0].value[:10] == day:
                return found[0].value
    return None


def pick_published(
    page: PageMeta, start: int, url: str | None, fallback: str | None, body: int | None = None
) -> str | None:
    """The publish time shown near the headline, else declared by the page or its URL.

    `body` is the line where the body starts: everything between it and the headline is
    the article's header, however many menu lines a template puts there.
    """
    declared = from_meta(page.meta, page.jsonld.get("datePublished", []))
    order = numeric_order(page.lines, declared or from_url(url), page.lang)
    after = max(20, min(60, body - start + 2)) if body is not None and body > start else 20
    near = near_headline(page.lines, start, after=after, day_first=order)
    shown = near[0] if near else labelled(page.lines[start : start + 150], order)
    if near and not near[1] and declared and declared[:10] != near[0][:10]:
        shown = None  # an unlabelled date (a birthday, an event) loses to the declared one
    if shown is None and declared and len(declared) == 10:
        shown = _same_day_time(page.lines[start : start + 150], declared, order)
    published = merge(shown, declared) or from_url(url)
    if published is None and fallback and not fallback.endswith("-01-01"):
        published = fallback
    return published
