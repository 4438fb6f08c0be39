"""The outlet a Chinese news page credits (来源：X), kept apart from the site's own name.

Candidates come from the labelled line between headline and body, a class="source"
element there, a "name / outlet" byline, an outlet printed beside the date, labelled
lines at the body's end, any labelled line after the headline, and <meta name=source>;
the first place (in that order of trust) that names an outlet wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from newskit.article.meta import bylines, lexicon
from newskit.core.patterns import lazy_compile

if TYPE_CHECKING:
    from newskit.article.meta.facts import PageMeta

_LABELS = "|".join(lexicon.SOURCE_LABELS)
_NOT_BEFORE = "".join(f"(?<!{word})" for word in lexicon.NOT_SOURCE_PREFIXES)
_LABEL = re.compile(rf"{_NOT_BEFORE}(?:{_LABELS})\s*(?:[:：]\s*|(?=[\[【]))(?P<rest>[^\n]*)")
# "本文来源于X": 来源于 names the story's outlet only where it opens the credit line.
_FROM = re.compile(rf"^\s*(?:本文|文章|稿件|信息|内容|內容)?(?:{_LABELS})[于於]\s*(?P<rest>[^\n]+)")
# A label glued to its value, on a short line of its own: 来源X.
_GLUED_LABEL = re.compile(rf"^(?:{_LABELS})(?P<rest>[^\s:：][^\n]{{1,20}})$")
_LEADING_LABEL = re.compile(rf"^\s*(?:[^\s:：]{{0,4}}(?:{_LABELS}))(?:\s*[:：]\s*|(?:于|於)\s*)")
_BRACKETED = re.compile(r"^\s*[\[【(（]\s*([^\]】)）]+?)\s*[\]】)）]")
# Where the value stops: the next label, a widget, a bracket, a wide gap or a date.
_END = re.compile(
    r"\s*(?:(?:责任)?编辑|責任編輯|作者|记者|記者|时间|時間|发布|發布|日期|点击|點擊|浏览|瀏覽|阅读|"
    r"閱讀|字号|字體|字体|网友评论|評論|评论|分享|打印|举报|舉報|[|｜【\[（(]|\s{2,}|\d{4}[-/年]).*$"
)
_MARKUP = re.compile(r"[=<>\"{}]")
_OUTLET = lazy_compile(r"^[\u4e00-\u9fa5·]{1,10}(?:社|报|報|网|網|台|刊|新闻|新聞|杂志|雜誌)$")
_OUTLET_SHAPE = lazy_compile(r"^[\w\u4e00-\u9fff·\-－—]{2,16}$")
_DATETIME = lazy_compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*(?:星期|週|周|礼拜|禮拜)[一二三四五六日天])?"
    r"(?:\s*(?:上午|下午|晚上|凌晨)?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
)
_WIRE_OPENING = lazy_compile(r"^[（(]\s*([\u4e00-\u9fa5]{2,5}社)[）)\u4e00-\u9fa5]")


def clean(text: str) -> str | None:
    """A source label's value without trailing widgets, people and punctuation."""
    text = _LEADING_LABEL.sub("", text)
    text = _BRACKETED.sub(r"\1", text)
    text = _END.sub("", text).strip(" \t:：,，.。;；-—_/")
    if " " in text and len(text) > 20:
        text = text.split(" ")[0]
    if not text or len(text) > 40 or text.startswith("http") or _MARKUP.search(text):
        return None
    return text


def is_generic(value: str) -> bool:
    """True for labels that name no outlet (转载, 互联网, 本站)."""
    return value in lexicon.GENERIC_SOURCES


def labelled(lines: Iterable[str]) -> str | None:
    """The outlet named by the first 来源/稿源/出处 label that names one (not 转载)."""
    lines = list(lines)
    for i, line in enumerate(lines):
        if len(line) > 200:
            continue
        match = (
            _LABEL.search(line)
            or _FROM.match(line)
            or (len(line) <= 24 and _GLUED_LABEL.match(line))
        )
        if not match:
            continue
        rest = match.group("rest").strip()
        if not rest and i + 1 < len(lines):
            rest = lines[i + 1]  # the label's value sits in the next block
        value = clean(rest)
        if value is not None and not is_generic(value):
            return value
    return None


def hinted(hints: Sequence[str], header: Sequence[str]) -> str | None:
    """A source from an element marked class="source", when it sits in the header."""
    shown = "\n".join(header)
    for hint in hints:
        value = labelled([hint]) if _LABEL.search(hint) else clean(hint)
        if value and value in shown and len(value) <= 20:
            return value
    return None


def outlet_line(lines: Sequence[str]) -> str | None:
    """A line that is only an outlet's name (新华社), as some pages print under the headline."""
    return next((line for line in lines if _OUTLET().match(line)), None)


def outlet_like(value: str, menu: Iterable[str] = ()) -> bool:
    """Whether an unlabelled value reads as an outlet's name (江南日报, 某某财经, 某某電台)."""
    if not _OUTLET_SHAPE().match(value) or is_generic(value) or value in menu:
        return False
    if value in lexicon.SECTION_WORDS or value.endswith(lexicon.SECTION_ENDINGS):
        return False  # 新闻中心, 财经频道: a part of the site, not an outlet
    return bool(_OUTLET().match(value)) or any(word in value for word in lexicon.OUTLET_WORDS)


def beside_date(header: Sequence[str], menu: Iterable[str] = ()) -> str | None:
    """An outlet printed next to the publish time without a label, as portals do.

    Either right after the time on its line (2024-01-02 10:00 江南日报 记者…) or on a
    line of its own just above or below the date line.
    """
    menu = set(menu)
    for i, line in enumerate(header):
        match = _DATETIME().search(line)
        if not match or len(line) > 80:
            continue
        after = line[match.end() :].strip().split(" ")[0].strip("|｜ ")
        # "10:00·江南日报": a feed platform's account glued to the time, not a credit.
        if after.startswith(("·", "•", "‧")):
            return None
        if after and outlet_like(after, menu):
            return after
        if len(line) - len(match[0]) > 12:
            continue  # a date inside a sentence, not the date line
        for near in (header[i + 1] if i + 1 < len(header) else "", header[i - 1] if i else ""):
            if near and outlet_like(near, menu):
                return near
    return None


def wire_opening(paras: Sequence[str]) -> str | None:
    """A wire service named in brackets at the body's start: （某某社）, （某某社记者…电）."""
    match = _WIRE_OPENING().match(paras[0]) if paras else None
    return match[1] if match else None


def pick(
    page: PageMeta, header: Sequence[str], below: Sequence[str], paras: Sequence[str], start: int
) -> str | None:
    """The credited outlet, from the most trusted place that names one."""
    lines = page.lines
    hints = page.hints.get("source", [])
    readers: list[Callable[[], str | None]] = [
        lambda: labelled(header),
        lambda: hinted(hints, header),
        lambda: _slash_outlet(header),
        lambda: outlet_line(below[:2]),
        # Portals link the provider printed by the date to its channel, so a menu label
        # may be the outlet here; section words and endings still are not.
        lambda: beside_date(header),
        lambda: labelled(paras[-5:]),
        # Anywhere else only a short credit line counts: a sentence of the body is no credit.
        lambda: labelled([ln for ln in lines[start : start + 400] if len(ln) <= 80]),
        lambda: clean(page.meta.get("source", "")),
        lambda: wire_opening(paras),
    ]
    for read in readers:
        value = read()
        if value and not is_generic(value):
            return value
    return None


def _slash_outlet(header: Sequence[str]) -> str | None:
    found = bylines.slash_byline(header[:6])
    return found[1] if found else None
