"""Finding a page's main list of stories: groups of headline links, scored by structure.

The main list is found by structure, not by site rules: every element's children are
grouped by tag, each child holding a headline link is a candidate item, and sibling
blocks of the same shape (one list split by ads) are joined. Each group is scored by
its size, how headline-like its link texts are, how article-like its URLs are and how
many items show a date, and is penalised inside navigation, headers, footers, sidebars
and "hot"/ranking boxes. On an article page, a related-story block (相关阅读, 推荐阅读…)
gets a bonus, so its list is what comes back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from newskit.article.meta.dates import parse_date
from newskit.core.errors import ExtractionError
from newskit.core.text import CJK

# Elements whose text is not shown on the page.
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "select", "option", "head"})
_BAD_TAGS = frozenset({"nav", "header", "footer", "aside", "menu"})
_BAD_NAMES = re.compile(
    r"(?:^|[^a-z])(?:nav|menu|foot(?:er)?|header|side(?:bar)?|aside|hot|rank(?:ing)?|"
    r"paihang|top_?\d+|copyright|friend|links?|breadcrumbs?|crumbs?|pager?|pagination|"
    r"share|comments?|login|search|tags?|ad|ads|advert\w*)(?:$|[^a-z])",
    re.IGNORECASE,
)
_MAIN_NAMES = re.compile(r"(?:^|[^a-z])(?:main|primary)(?:$|[^a-z])", re.IGNORECASE)
_HOT_LABEL = re.compile(
    r"热点|热门|热搜|热榜|热读|排行|排名|点击榜|推荐(?!阅读)|猜你喜欢|精彩图片|广告|"
    r"\b(?:hot|popular|trending|most read|most viewed|top stories)\b",
    re.IGNORECASE,
)
_RELATED_LABEL = re.compile(
    r"相关(?:阅读|新闻|文章|报道|链接|资讯|推荐)|推荐阅读|延伸阅读|相關(?:閱讀|新聞|文章|報導)|"
    r"推薦閱讀|延伸閱讀|\b(?:related|see also|read more)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_ARTICLE_PATH = re.compile(
    r"\d{4,}|/20\d\d[-/_]?\d{1,2}|\.(?:s?html?|php|aspx?|jsp|pdf)(?:$|[?#])|[?&](?:id|aid|p)=",
    re.IGNORECASE,
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_DATE = re.compile(
    r"\b(?:(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d\d)"
    r"|([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d))\b"
)
_BADGE_CHARS = 3
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TITLE_NAMES = re.compile(r"tit", re.IGNORECASE)
# Layout tokens that say nothing about what an element holds.
_LAYOUT_CLASSES = frozenset(
    {"clearfix", "clear", "cf", "fix", "fl", "fr", "left", "right", "first", "last"}
    | {"odd", "even", "current", "active", "on", "show", "hide", "hidden", "item", "row"}
)


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace (and &nbsp;) to single spaces."""
    return " ".join(text.split())


def _english_date(text: str) -> str | None:
    for match in _EN_DATE.finditer(text):
        day, month, year = match.group(1, 2, 3) if match.group(1) else match.group(5, 4, 6)
        name = month[:3].lower()
        if name in _MONTHS and 1 <= int(day) <= 31:
            return f"{year}-{_MONTHS.index(name) + 1:02d}-{int(day):02d}"
    return None


def find_date(text: str) -> str | None:
    """The first full date in text as YYYY-MM-DD, or YYYY-MM-DDTHH:MM with a time.

    Dates without a year (09-20, 8-1) and relative times (3小时前) give None.
    """
    found = parse_date(text, offset=False)
    if found:
        return found[:16]
    return _english_date(text)


def headline_quality(title: str) -> float:
    """How much a link text reads like a headline: 1 for 6-40 CJK chars or 4+ words."""
    cjk = len(CJK.findall(title))
    words = len(_WORD.findall(title))
    if cjk >= 3:
        size = cjk + words
        if 6 <= size <= 40:
            return 1.0
        if 40 < size <= 90:
            return 0.5
        return 0.3 if 4 <= size < 6 else 0.1
    if 4 <= words <= 30:
        return 1.0
    if words == 3:
        return 0.5
    return 0.0


def _usable_href(href: str | None) -> bool:
    if not href:
        return False
    low = href.strip().lower()
    return not (low.startswith(("javascript:", "mailto:", "tel:", "#")) or low in ("/", ""))


def anchor_title(anchor: Any) -> str:
    """An anchor's shown text, without a leading badge (专题, 图, NEW) in a child element."""
    text = normalize_space(anchor.text_content())
    if not text:
        return ""
    head = normalize_space(anchor.text or "")
    for child in anchor:
        if head or not isinstance(child.tag, str):
            break
        badge = normalize_space(child.text_content())
        rest = text[len(badge) :].strip() if text.startswith(badge) else ""
        if badge and len(badge) <= _BADGE_CHARS and len(rest) >= 6:
            text = rest
        head = normalize_space(child.tail or "")
    return text


@dataclass
class Item:
    """One candidate item: its element, the elements that follow it, its headline link."""

    element: Any
    zone: list[Any]
    anchor: Any
    title: str
    href: str
    headlines: int = 1

    @cached_property
    def date(self) -> str | None:
        """The date shown beside the item (a <time datetime>, else its text)."""
        return _find_item_date(self)


@dataclass
class _Group:
    """Candidate items sharing a parent (or a run of same-shaped parents) and a tag."""

    parents: list[Any]
    items: list[Item] = field(default_factory=list)
    score: float = 0.0


def _titled(anchor: Any) -> bool:
    """A link marked as a headline: in a heading, or named like a title."""
    node = anchor
    for _ in range(3):
        if node is None or not isinstance(node.tag, str):
            return False
        if node.tag in _HEADINGS or _TITLE_NAMES.search(node.get("class") or ""):
            return True
        node = node.getparent()
    return False


# A page's links already looked at: title, headline quality, rank as an item's headline.
_Known = dict[Any, tuple[str, float, float]]


def _headline_facts(anchor: Any, known: _Known) -> tuple[str, float, float]:
    """A link's title, headline quality and rank, worked out once per page.

    A link sits in every enclosing candidate item, so nested lists ask about it again.
    """
    facts = known.get(anchor)
    if facts is None:
        title = anchor_title(anchor)
        quality = headline_quality(title)
        rank = quality + min(len(title), 60) / 200 + (0.6 if _titled(anchor) else 0.0)
        facts = known[anchor] = (title, quality, rank)
    return facts


def _make_item(element: Any, zone: list[Any], known: _Known) -> Item | None:
    best: tuple[float, Any, str] | None = None
    headline_urls: set[str] = set()
    for anchor in element.iter("a"):
        href = anchor.get("href")
        if not _usable_href(href):
            continue
        title, quality, rank = _headline_facts(anchor, known)
        if quality >= 0.5:
            headline_urls.add(str(href).strip())
        if best is None or rank > best[0]:
            best = (rank, anchor, title)
    if best is None or not best[2]:
        return None
    _, anchor, title = best
    return Item(element, zone, anchor, title, str(anchor.get("href")).strip(), len(headline_urls))


def _child_groups(parent: Any) -> list[list[Any]]:
    by_tag: dict[str, list[Any]] = {}
    for child in parent:
        if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
            by_tag.setdefault(child.tag, []).append(child)
    return [members for members in by_tag.values() if len(members) >= 2]


def _items_of(members: list[Any], known: _Known) -> list[Item]:
    """Items of a group; each keeps the few following siblings up to the next member."""
    member_ids = {id(m) for m in members}
    items = []
    for member in members:
        zone = [member]
        sibling = member.getnext()
        while sibling is not None and id(sibling) not in member_ids and len(zone) < 4:
            if isinstance(sibling.tag, str):
                if sibling.tag in SKIP_TAGS or any(True for _ in sibling.iter("a")):
                    break
                zone.append(sibling)
            sibling = sibling.getnext()
        item = _make_item(member, zone, known)
        if item is not None:
            items.append(item)
    return items


def _class_tokens(element: Any) -> frozenset[str]:
    tokens = (element.get("class") or "").lower().split()
    return frozenset(t for t in tokens if t not in _LAYOUT_CLASSES)


def _url_shape(href: str) -> tuple[str, str, int]:
    """Host, first path segment and path depth: what links of one list share."""
    parts = urlsplit(href)
    segments = [s for s in parts.path.split("/") if s]
    return parts.netloc.lower(), segments[0] if len(segments) > 1 else "", len(segments)


def _drop_intruders(items: list[Item]) -> list[Item]:
    """Drop items unlike the rest twice over (ads): another class and a rare URL shape."""
    if len(items) < 5:
        return items
    classes = Counter(_class_tokens(i.element) for i in items)
    common = classes.most_common(1)[0][0]
    shapes = Counter(_url_shape(i.href) for i in items)
    return [
        i
        for i in items
        if not common
        or _class_tokens(i.element) & common
        or shapes[_url_shape(i.href)] >= 0.2 * len(items)
    ]


def _signature(element: Any) -> str:
    parts = []
    node = element
    while node is not None and isinstance(node.tag, str):
        parts.append(f"{node.tag}.{node.get('class') or ''}")
        node = node.getparent()
    return ">".join(reversed(parts))


def _candidate_groups(tree: Any, min_items: int) -> list[_Group]:
    """Every parent's same-tag children that hold headline links, runs of blocks joined."""
    # Keyed by the grandparent element itself: holding it keeps lxml's proxy (and so its
    # identity) alive, where an id() could be reused once a proxy is freed.
    runs: dict[tuple[Any, str, str], _Group] = {}
    known: _Known = {}
    for parent in tree.iter():
        if not isinstance(parent.tag, str) or parent.tag in SKIP_TAGS:
            continue
        for members in _child_groups(parent):
            items = _items_of(members, known)
            if not items:
                continue
            grand = parent.getparent()
            key = (grand, _signature(parent), members[0].tag)
            group = runs.setdefault(key, _Group([]))
            group.parents.append(parent)
            group.items.extend(items)
    # A list under a related-stories heading counts from two items: articles often link few.
    return [
        g
        for g in runs.values()
        if len(g.items) >= min_items
        or (len(g.items) >= 2 and _RELATED_LABEL.search(_label(g.parents[0])))
    ]


def _name_factor(element: Any) -> float:
    """Below 1 inside navigation, sidebars, footers, hot boxes; above 1 in the main column."""
    factor = 1.0
    main = False
    node = element
    while node is not None and isinstance(node.tag, str) and node.tag not in ("body", "html"):
        if node.tag in _BAD_TAGS:
            factor *= 0.3
        names = f"{node.get('class') or ''} {node.get('id') or ''}".replace("-", "_")
        if _BAD_NAMES.search(names):
            factor *= 0.5
        main = main or node.tag == "main" or bool(_MAIN_NAMES.search(names))
        node = node.getparent()
    return max(factor, 0.01) * (1.5 if main else 1.0)


def _label(element: Any) -> str:
    """Short texts just before a block (its heading), up to three levels up."""
    texts: list[str] = []
    node = element
    for _ in range(3):
        if node is None:
            break
        sibling = node.getprevious()
        seen = 0
        while sibling is not None and seen < 2:
            if isinstance(sibling.tag, str) and sibling.tag not in SKIP_TAGS:
                text = normalize_space(sibling.text_content())
                if text and len(text) <= 30:
                    texts.append(text)
                seen += 1
            sibling = sibling.getprevious()
        if texts:
            break
        node = node.getparent()
    return " ".join(texts)


def _score(group: _Group) -> float:
    items = group.items
    n = len(items)
    qualities = [headline_quality(i.title) for i in items]
    quality = sum(qualities) / n
    # Most links of a story list read like headlines; menu labels (首页, 资讯中心) do not.
    if quality < 0.4 or sum(q >= 0.5 for q in qualities) < 0.5 * n:
        return 0.0
    article_urls = sum(bool(_ARTICLE_PATH.search(i.href)) for i in items) / n
    dated = sum(i.date is not None for i in items) / n
    distinct = len({i.href for i in items}) / n
    multi = sum(i.headlines > 2 for i in items) / n
    score = n * quality * (0.5 + article_urls) * (1 + 0.5 * dated) * distinct * (1 - 0.8 * multi)
    first = group.parents[0]
    score *= min(_name_factor(p) for p in (first, group.parents[-1]))
    label = _label(first)
    if _RELATED_LABEL.search(label):
        score *= 2.0
    elif _HOT_LABEL.search(label):
        score *= 0.5
    return score


def _zone_text(item: Item, skip: Any) -> str:
    """The item's text without its headline link."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node is skip:
            parts.append(" ")
        elif isinstance(node.tag, str) and node.tag not in SKIP_TAGS:
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")
        parts.append(" ")

    for element in item.zone:
        walk(element)
    return normalize_space(" ".join(parts))


def _find_item_date(item: Item) -> str | None:
    for root in item.zone:
        for stamp in root.iter("time"):
            found = find_date((stamp.get("datetime") or "").replace("T", " "))
            if found:
                return found
    return find_date(_zone_text(item, item.anchor))


def main_list(tree: Any, min_items: int) -> list[Item]:
    """The items of the best-scored list of a parsed page, in page order, ads dropped.

    Raises ExtractionError when nothing on the page is list-like.
    """
    groups = _candidate_groups(tree, min_items)
    for group in groups:
        group.score = _score(group)
    best = max(groups, key=lambda g: g.score, default=None)
    if best is None or best.score <= 0:
        raise ExtractionError("no list of stories found")
    return _drop_intruders(best.items)
