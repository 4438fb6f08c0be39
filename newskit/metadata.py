"""What trafilatura misses on Chinese news pages: headline, 来源, bylines, editors, time.

Works on the tree extract() already parsed (never parses again) and on trafilatura's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newskit.models import Article

_SKIP_TAGS = {"script", "style", "noscript", "template", "textarea", "select", "option"}

_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*(?:[T ]|&nbsp;)?\s*(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?"
    r"(?:\s*([+-]\d{2}:?\d{2}|Z)(?![\w]))?"
)
_COPYRIGHT = re.compile(r"©|copyright|版权|备案|ICP|all rights", re.IGNORECASE)
_DATE_LABEL = re.compile(r"发布时间|发表时间|发布日期|时间|日期|发表于|更新")

_SOURCE = re.compile(r"(?:来源|來源|稿源|出处|來自|来自)\s*[:：]\s*([^\s|｜/（）()【】\[\]]{2,30})")
_GENERIC_SOURCES = {"转载", "互联网", "网络", "本站", "原创", "网友投稿", "未知"}

_NAME = r"[\u4e00-\u9fa5·]{2,4}"
_NAMES = rf"{_NAME}(?:[、，,\s]+{_NAME})*"
_EDITOR = re.compile(rf"(?:责任编辑|責任編輯|责编|責編|编辑|編輯|审核|校对)\s*[:：]?\s*({_NAMES})")
_AUTHOR = re.compile(
    rf"(?:作者|撰文|文|记者|記者|通讯员|通訊員|本报记者|本報記者|特约记者|见习记者)\s*[:：]?\s*({_NAMES})"
)
_ROLE_WORDS = re.compile(
    r"^(?:本报|本報|特约|见习|首席|融媒|新华社|人民网|苏报)?(?:记者|記者|通讯员|通訊員|作者|编辑|摄影|摄)"
)
_NOT_NAMES = {"发布", "来源", "时间", "编辑", "记者", "通讯员", "报道", "摄影", "日电", "综合"}


@dataclass
class PageMeta:
    """Facts read off the page tree before trafilatura cleans its own copy."""

    h1: str | None = None
    html_title: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    lang: str | None = None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


def _visible_lines(tree: Any) -> list[str]:
    """The page's text as lines, the way a reader sees blocks of it."""
    parts: list[str] = []
    for node in tree.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS:
            if node.tail:
                parts.append(node.tail)
            continue
        parent = node.getparent()
        if parent is not None and isinstance(parent.tag, str) and parent.tag in _SKIP_TAGS:
            continue
        if tag in {"br", "p", "div", "li", "h1", "h2", "h3", "h4", "tr", "td", "span", "table"}:
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        if node.tail:
            parts.append(node.tail)
    lines = (re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def from_tree(tree: Any, url: str | None) -> PageMeta:
    """Collect headline candidates, meta tags and visible lines from the parsed page."""
    meta: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = node.get("content")
        if key and content and key not in meta:
            meta[key] = content.strip()
    h1 = None
    for node in tree.iter("h1"):
        text = _clean(node.text_content())
        if text and len(text) >= 4:
            h1 = text
            break
    title_node = tree.find(".//title")
    html_title = _clean(title_node.text_content()) if title_node is not None else None
    return PageMeta(
        h1=h1,
        html_title=html_title,
        meta=meta,
        lines=_visible_lines(tree),
        lang=tree.get("lang") or None,
    )


_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|-|–|—|::)\s*")


def pick_title(page: PageMeta, fallback: str | None) -> str | None:
    """The headline as shown: <h1> when it agrees with <title>, else <title> minus the site."""
    candidates = [page.meta.get("og:title"), page.h1, fallback]
    full = page.html_title
    if full:
        for cand in candidates:
            if cand and (cand in full or full in cand) and len(cand) >= 4:
                return _strip_site(cand)
        return _strip_site(full)
    for cand in candidates:
        if cand:
            return _strip_site(cand)
    return None


def _strip_site(title: str) -> str:
    parts = [p for p in _TITLE_SPLIT.split(title) if p]
    if len(parts) <= 1:
        return title.strip()
    return max(parts, key=len) if len(parts[0]) < 4 else parts[0]


def _iso(match: re.Match[str]) -> tuple[str, bool] | None:
    year, month, day, hour, minute, second, tz = match.groups()
    y, m, d = int(year), int(month), int(day)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    if hour is None:
        return f"{y:04d}-{m:02d}-{d:02d}", False
    h, mi = int(hour), int(minute)
    if h > 23 or mi > 59:
        return f"{y:04d}-{m:02d}-{d:02d}", False
    value = f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:{int(second or 0):02d}"
    if tz:
        value += "+00:00" if tz == "Z" else (tz if ":" in tz else f"{tz[:3]}:{tz[3:]}")
    return value, True


def pick_published(page: PageMeta, title: str | None) -> str | None:
    """The publish time shown near the headline, to the minute when the page shows it."""
    start = 0
    if title:
        for i, line in enumerate(page.lines):
            if title[:10] in line:
                start = i
                break
    window = page.lines[start : start + 25]
    best: tuple[str, bool] | None = None
    for line in window:
        if _COPYRIGHT.search(line):
            continue
        for match in _DATE.finditer(line):
            found = _iso(match)
            if found and (best is None or (found[1] and not best[1])):
                best = found
            if best and best[1]:
                return best[0]
    if best:
        return best[0]
    for key in (
        "article:published_time",
        "og:release_date",
        "pubdate",
        "publishdate",
        "datepublished",
    ):
        value = page.meta.get(key)
        if value:
            meta_match = _DATE.search(value)
            if meta_match and (found := _iso(meta_match)):
                return found[0]
    return None


def _split_names(value: str) -> list[str]:
    names = []
    for part in re.split(r"[、，,\s]+", value):
        part = _ROLE_WORDS.sub("", part)
        if 2 <= len(part) <= 4 and part not in _NOT_NAMES:
            names.append(part)
    return names


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def find_people(lines: list[str]) -> tuple[list[str], list[str]]:
    """Authors and editors credited in these lines; an editor is never an author."""
    authors: list[str] = []
    editors: list[str] = []
    for line in lines:
        if len(line) > 200:
            continue
        for match in _EDITOR.finditer(line):
            editors.extend(_split_names(match.group(1)))
        stripped = _EDITOR.sub(" ", line)
        for match in _AUTHOR.finditer(stripped):
            authors.extend(_split_names(match.group(1)))
    editors = _dedupe(editors)
    return [a for a in _dedupe(authors) if a not in editors], editors


def pick_source(lines: list[str]) -> str | None:
    """The credited outlet (来源：X), not a generic label like 转载."""
    for line in lines:
        match = _SOURCE.search(line)
        if match:
            value = match.group(1).strip("：:")
            if value and value not in _GENERIC_SOURCES:
                return value
    return None


def build(doc: Any, page: PageMeta, url: str | None) -> Article:
    """Merge trafilatura's document with what the page shows into an Article."""
    text = doc.text or ""
    title = pick_title(page, doc.title)
    header = page.lines[:80]
    body_lines = text.split("\n")
    authors, editors = find_people(header + body_lines[:3] + body_lines[-4:])
    if not authors and doc.author:
        authors = [a.strip() for a in re.split(r"[;,]", doc.author) if a.strip()]
        authors = [a for a in authors if a not in editors]
    published = pick_published(page, title)
    if published is None and doc.date and not doc.date.endswith("-01-01"):
        published = doc.date
    site_name = doc.sitename or page.meta.get("og:site_name")
    if url is None and doc.url:
        url = doc.url
    return Article(
        title=title,
        text=text,
        url=url,
        site_name=_clean(site_name) or (urlsplit(url).hostname if url else None),
        source=pick_source(header),
        authors=authors,
        editors=editors,
        published=published,
        date=published[:10] if published else None,
        language=doc.language or _lang(page, text),
        description=_clean(doc.description),
        categories=list(doc.categories or []),
        tags=list(doc.tags or []),
        image=doc.image,
    )


def _lang(page: PageMeta, text: str) -> str | None:
    if page.lang:
        return page.lang.split("-")[0].lower()
    cjk = sum("\u4e00" <= c <= "\u9fff" for c in text[:2000])
    return "zh" if cjk > 20 else None
