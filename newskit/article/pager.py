"""Finding the next page of a story split over several pages, and the pager's own lines.

A link is a next page only when its URL is a sibling of the page's own (the same path with
a page number added or raised: `_2`, `-2`, `index_1`, `/2/`, `?page=2`), so the "next story"
links most article pages carry (上一篇/下一篇, `rel="next"` to the next post) are never taken.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from newskit.core.patterns import lazy_compile
from newskit.core.text import words

# Link labels of a pager's "next page" (both scripts); matched against the whole label.
NEXT_LABELS = lazy_compile(
    r"^(?:下一页|下一頁|下页|下頁|后一页|後一頁|后页|後頁|下一分页|下一分頁|next(?:\s*page)?|"
    r"[»›>]|&gt;|>>|next\s*[»›>]|下一页\s*[»›>]+|下一頁\s*[»›>]+|[»›>]+\s*下一页)$",
    re.IGNORECASE,
)
# Labels that lead to another story, never to the next page of this one.
OTHER_STORY = lazy_compile(
    r"上一篇|下一篇|上一條|下一條|上一条|下一条|上篇|下篇|上一則|下一則|上一则|下一则|"
    r"next\s+(?:article|story|post|entry)|previous|prev\b|older|newer",
    re.IGNORECASE,
)
# Areas (class or id) whose pagers page through something else: comments, replies, forums.
OTHER_PAGER_AREA = lazy_compile(
    r"comment|reply|replies|discuss|review|forum|bbs|guestbook|pinglun|评论|評論|留言", re.I
)
# A numbered page link: `2`, `[2]`, `第2页`, `第 2 頁`.
NUMBER_LABEL = lazy_compile(r"^[\[【(（]?\s*(?:第\s*)?(\d{1,3})\s*(?:页|頁)?\s*[\]】)）]?$")
# Query parameters that number the pages of one document.
PAGE_PARAMS = words(
    "page p pg pn pageno page_no pagenum page_num pagenumber curpage currentpage cp paging "
    "pageindex page_index mpage"
)
# A line made of pager parts only: 上一页 1 2 3 下一页 共3页 第1页 首页 尾页 » …
_PAGER_TOKEN = (
    r"(?:上一页|上一頁|下一页|下一頁|上页|上頁|下页|下頁|前一页|後一頁|后一页|首页|首頁|尾页|尾頁|末页|末頁|"
    r"第\s*\d{1,3}\s*(?:页|頁)|共\s*\d{1,3}\s*(?:页|頁)|\d{1,3}\s*/\s*\d{1,3}|\[\s*\d{1,3}\s*\]|\d{1,3}|"
    r"next|previous|prev|page|of|[«»‹›<>|｜:：,，.…\-—/／])"
)
PAGER_LINE = lazy_compile(rf"^(?:\s*{_PAGER_TOKEN})+\s*$", re.IGNORECASE)
# It must name pages somehow: a bare row of numbers is not enough on its own.
_PAGER_WORD = lazy_compile(r"页|頁|next|prev|[«»‹›]|\[\s*\d", re.IGNORECASE)

_NUMBERED = lazy_compile(r"^(?P<stem>.*?)(?P<sep>[_-])(?P<num>\d{1,3})$")


def _split(url: str) -> tuple[str, list[str], str, str, dict[str, str]] | None:
    """(host, path segments, file stem, extension, query) of a URL, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    segments = [s for s in parts.path.split("/") if s]
    name = segments.pop() if segments and not parts.path.endswith("/") else ""
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return (parts.hostname or "").lower(), segments, stem, dot + ext, query


def _page_param(query: dict[str, str]) -> tuple[int, dict[str, str]]:
    """The page number a query names (0 when none) and the rest of the query."""
    number = 0
    rest = {}
    for name, value in query.items():
        if name.lower() in PAGE_PARAMS and value.isdigit():
            number = int(value)
        else:
            rest[name] = value
    return number, rest


def page_step(base: str, candidate: str) -> tuple[int, int] | None:
    """(page number of `base`, of `candidate`) when both are pages of one document, else None.

    The first page counts as 0 when its URL carries no number, so `index_1` follows `index`.
    """
    here, there = _split(base), _split(candidate)
    if here is None or there is None or here[0] != there[0] or here[3] != there[3]:
        return None
    (_, bdirs, bstem, _, bquery), (_, cdirs, cstem, _, cquery) = here, there
    bnum, brest = _page_param(bquery)
    cnum, crest = _page_param(cquery)
    if brest != crest:
        return None
    if bdirs == cdirs and bstem == cstem:
        return (bnum, cnum) if cnum else None
    if bnum or cnum:
        return None
    if bdirs == cdirs:
        match = _NUMBERED().match(cstem)
        if match is None:
            return None
        if match["stem"] == bstem:
            return 0, int(match["num"])
        own = _NUMBERED().match(bstem)
        if own and own["stem"] == match["stem"] and own["sep"] == match["sep"]:
            return int(own["num"]), int(match["num"])
        return None
    # a paged post: /2024/05/story/ → /2024/05/story/2/
    if not bstem and not cstem and cdirs and cdirs[-1].isdigit() and len(cdirs[-1]) <= 3:
        if cdirs[:-1] == bdirs:
            return 0, int(cdirs[-1])
        if bdirs and bdirs[-1].isdigit() and len(bdirs[-1]) <= 3 and bdirs[:-1] == cdirs[:-1]:
            return int(bdirs[-1]), int(cdirs[-1])
    return None


def numbered_alone(url: str) -> bool:
    """True when a URL itself carries a page number (`_2.html`, `?page=2`)."""
    split = _split(url)
    if split is None:
        return False
    number, _ = _page_param(split[4])
    return bool(number or _NUMBERED().match(split[2]))


def _label(node: Any) -> str:
    # A link without child elements holds its label as its own text: no XPath asked.
    text = node.text_content() if len(node) else node.text
    return " ".join((text or "").split())


def _base(tree: Any, url: str | None) -> str | None:
    """The page's own address: the one given, else its canonical link or og:url."""
    if url:
        return url
    for node in tree.iter("link"):
        if (node.get("rel") or "").lower() == "canonical" and node.get("href"):
            return str(node.get("href")).strip()
    for node in tree.iter("meta"):
        if (node.get("property") or "").lower() == "og:url" and node.get("content"):
            return str(node.get("content")).strip()
    return None


def _in_other_area(node: Any) -> bool:
    """True when the link sits in a comment or forum area, whose pager is not the story's."""
    for parent in node.iterancestors():
        marks = " ".join(filter(None, (parent.get("class"), parent.get("id"))))
        if marks and OTHER_PAGER_AREA().search(marks):
            return True
    return False


def _rel(node: Any) -> list[str]:
    return (node.get("rel") or "").lower().split()


def _candidates(tree: Any) -> list[tuple[str, str]]:
    """(kind, href) of every link that could lead to the next page, in page order."""
    found: list[tuple[str, str]] = []
    for node in tree.iter("link", "a"):
        href = (node.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if node.tag == "link":
            if "next" in _rel(node):
                found.append(("rel", href))
            continue
        label = _label(node)
        if NEXT_LABELS().match(label) or (len(label) <= 12 and "next" in _rel(node)):
            kind = "next"
        elif NUMBER_LABEL().match(label):
            kind = "number"
        else:
            continue
        # Asked only of the few pager-like links: most links fail the tests above first.
        if OTHER_STORY().search(label) or OTHER_STORY().search(node.get("title") or ""):
            continue
        if not _in_other_area(node):  # asked last: it walks the ancestors
            found.append((kind, href))
    return found


def later_pages(tree: Any, url: str | None) -> list[str]:
    """The story's later pages the page links to, nearest first (resolved when the address is known).

    Only later pages of the page's own URL count (see the module docstring); without any
    address to compare with, a "next page" link whose URL itself carries a page number does.
    """
    base = _base(tree, url)
    ranked: dict[str, tuple[int, int]] = {}
    for kind, href in _candidates(tree):
        if base is None:
            if kind != "number" and numbered_alone(href):
                return [href]
            continue
        target = urljoin(base, href)
        step = page_step(base, target)
        if step is None or step[1] <= step[0]:
            continue
        # The nearest page first; a labelled "next" link before a bare number to the same page.
        rank = (step[1], 1 if kind == "number" else 0)
        ranked[target] = min(rank, ranked.get(target, rank))
    return sorted(ranked, key=lambda target: ranked[target])


def find_next(tree: Any, url: str | None) -> str | None:
    """The URL of the story's next page, or None (see `later_pages`)."""
    found = later_pages(tree, url)
    return found[0] if found else None


def is_pager_line(line: str) -> bool:
    """True for a line that is only a pager (上一页 1 2 3 下一页, 共3页, Next »)."""
    return len(line) <= 120 and bool(PAGER_LINE().match(line)) and bool(_PAGER_WORD().search(line))


def drop_pager_lines(text: str) -> str:
    """The text without its pager lines."""
    return "\n".join(line for line in text.split("\n") if not is_pager_line(line))
