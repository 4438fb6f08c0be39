"""The outlet a Chinese news page credits (来源：X), kept apart from the site's own name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newskit.core.text import words

_LABEL = re.compile(
    r"(?<!图片)(?<!圖片)(?<![图圖])(?:来源|來源|稿源|出处|出處|来自|來自|出自)"
    r"\s*(?:[:：]\s*|(?=[\[【]))(?P<rest>[^\n]*)"
)
_LEADING_LABEL = re.compile(r"^\s*(?:[^\s:：]{0,4}(?:来源|來源|稿源|出处|出處))\s*[:：]\s*")
_BRACKETED = re.compile(r"^\s*[\[【(（]\s*([^\]】)）]+?)\s*[\]】)）]")
# Where the value stops: the next label, a widget, a bracket, a wide gap or a date.
_END = re.compile(
    r"\s*(?:(?:责任)?编辑|責任編輯|作者|记者|記者|时间|時間|发布|發布|日期|点击|點擊|浏览|瀏覽|阅读|"
    r"閱讀|字号|字體|字体|网友评论|評論|评论|分享|打印|举报|舉報|[|｜【\[（(]|\s{2,}|\d{4}[-/年]).*$"
)
_MARKUP = re.compile(r"[=<>\"{}]")
_OUTLET = re.compile(r"^[\u4e00-\u9fa5·]{1,10}(?:社|报|報|网|網|台|刊|新闻|新聞|杂志|雜誌)$")


_GENERIC = words(
    "转载 轉載 互联网 互聯網 网络 網絡 本站 本网 原创 原創 网友投稿 網友投稿 未知 综合 网络转载 "
    "转载文章 网友 佚名 不详 匿名"
)


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
    return value in _GENERIC


def labelled(lines: Iterable[str]) -> str | None:
    """The outlet named by the first 来源/稿源/出处 label that names one (not 转载)."""
    lines = list(lines)
    for i, line in enumerate(lines):
        match = _LABEL.search(line) if len(line) <= 200 else None
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
    return next((line for line in lines if _OUTLET.match(line)), None)
