"""What trafilatura misses on Chinese news pages: headline, 来源, bylines, editors, time.

Works on the tree extract() already parsed (never parses again) and on trafilatura's text.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newskit import dates, people
from newskit.headline import (
    body_start,
    clean,
    find_line,
    pick_categories,
    pick_title,
    title_parts,
)
from newskit.models import Article
from newskit.sources import words

_SKIP_TAGS = words("script style noscript template textarea select option head svg title")
_BLOCK_TAGS = words(
    "address article aside blockquote body br center dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot "
    "th thead tr ul"
)
# class/id words that mark an element holding one metadata field.
_HINT = re.compile(r"(?<![a-z])(source|author|editor|writer)", re.I)
_MAX_HINTS = 6


@dataclass
class PageMeta:
    """Facts read off the page tree before trafilatura cleans its own copy."""

    html_title: str | None = None
    headings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    jsonld: dict[str, list[str]] = field(default_factory=dict)
    hints: dict[str, list[str]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    lang: str | None = None


def _walk(root: Any, page: PageMeta) -> None:
    """One pass over the body: visible lines in reading order, headings, field hints."""
    from lxml import etree

    parts: list[str] = []
    add = parts.append  # the loop runs once per element: keep lookups out of it
    blocks, skips, hint_at = _BLOCK_TAGS, _SKIP_TAGS, _HINT.search
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    for event, node in walker:
        if event == "end":
            if node.tag in blocks:
                add("\n")
            if node.tail:
                add(node.tail)
        elif event == "start":
            tag = node.tag
            if tag in skips:
                walker.skip_subtree()
                continue
            if tag in blocks:
                add("\n")
            if tag in ("h1", "h2") and len(page.headings) < 8:
                _add_heading(page, node)
            marks = node.get("class") or node.get("id")
            if marks and (hint := hint_at(marks)):
                _add_hint(page, hint.group(1).lower(), node)
            if node.text:
                add(node.text)
        elif node.tail:  # a comment: only its tail is page text
            add(node.tail)
    text = "".join(parts).replace("\u200b", "")
    # str.split() folds every kind of space (also \u3000 and \xa0) at C speed.
    lines = (" ".join(line.split()) for line in text.split("\n"))
    page.lines = [line for line in lines if line]


def _add_heading(page: PageMeta, node: Any) -> None:
    if text := clean(node.text_content()):
        page.headings.append(text)


def _add_hint(page: PageMeta, kind: str, node: Any) -> None:
    kind = "author" if kind == "writer" else kind
    found = page.hints.setdefault(kind, [])
    if len(found) < _MAX_HINTS:
        text = clean(node.text_content())
        if text and len(text) <= 80:
            found.append(text)


def _jsonld(tree: Any) -> dict[str, list[str]]:
    """headline, datePublished and author names from JSON-LD blocks."""
    found: dict[str, list[str]] = {}
    for node in tree.iter("script"):
        if "ld+json" not in (node.get("type") or "") or not node.text:
            continue
        try:
            data = json.loads(node.text)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(x for x in item.get("@graph", []) if isinstance(x, dict))
            for key in ("headline", "datePublished"):
                if isinstance(item.get(key), str):
                    found.setdefault(key, []).append(item[key])
    return found


def from_tree(tree: Any) -> PageMeta:
    """Collect headings, meta tags, JSON-LD and visible lines from the parsed page."""
    page = PageMeta(lang=tree.get("lang") or None)
    for node in tree.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        content = node.get("content")
        if key and content and key not in page.meta:
            page.meta[key.strip()] = content.strip()
    title_node = tree.find(".//title")
    page.html_title = clean(title_node.text_content()) if title_node is not None else None
    page.jsonld = _jsonld(tree)
    body = tree.find(".//body")
    _walk(body if body is not None else tree, page)
    return page


_SITE_LIKE = re.compile(r"^[^()（）\[\]【】<>]{2,20}$")
_COPYRIGHT = re.compile(r"版权|版權|copyright|©", re.I)


def _site_name(page: PageMeta, doc: Any, title: str | None, url: str | None) -> str | None:
    if og := clean(page.meta.get("og:site_name")):
        return og
    full = page.html_title or ""
    parts = title_parts(full)
    suffix = parts[-1].strip() if len(parts) > 1 else ""
    # The <title>'s last part names the site when the headline comes before it.
    if title and title in full and suffix not in title and _SITE_LIKE.match(suffix):
        return suffix
    sitename = clean(doc.sitename)
    if sitename and not _COPYRIGHT.search(sitename):
        return sitename
    return urlsplit(url).hostname if url else None


_CJK = re.compile(r"[\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")


def _is_chinese(text: str) -> bool:
    sample = text[:2000]
    return len(_CJK.findall(sample)) > 20 and len(_KANA.findall(sample)) < 5


def _lang(page: PageMeta, chinese: bool) -> str | None:
    if page.lang:
        return page.lang.split("-")[0].lower()
    return "zh" if chinese else None


def _other_language(
    page: PageMeta, doc: Any, title: str | None, published: str | None
) -> tuple[str | None, str | None]:
    """On pages not in Chinese, trafilatura's own title and date rules are the better ones."""
    title = clean(doc.title) or title
    if doc.date and not doc.date.endswith("-01-01") and (published or "")[:10] != doc.date[:10]:
        published = doc.date
    return title, published


_TAG_SEPARATORS = re.compile(r"\s*[,，;；、|]\s*")


def split_tags(tags: list[str]) -> list[str]:
    """One tag per item: keywords often come as one string (`湖畔新城,科技创新`)."""
    found = (part for tag in tags for part in _TAG_SEPARATORS.split(tag))
    return list(dict.fromkeys(part.strip() for part in found if part.strip()))


def build(doc: Any, page: PageMeta, url: str | None) -> Article:
    """Merge trafilatura's document with what the page shows into an Article."""
    text = doc.text or ""
    lines = page.lines
    first = body_start(lines, text)
    title = pick_title(page, doc.title, first, text)
    start = find_line(lines, title)
    headline_shown = start is not None
    if start is None:
        start = max(0, first - 4) if first is not None else 0
    chinese = _is_chinese(text)
    found = people.credits(page, doc, start, chinese=chinese, headline_shown=headline_shown)
    published = dates.pick_published(page, start, url, doc.date)
    if not chinese:
        title, published = _other_language(page, doc, title, published)
    if url is None and doc.url:
        url = doc.url
    return Article(
        title=title,
        text=text,
        url=url,
        site_name=_site_name(page, doc, title, url),
        source=found.source,
        authors=found.authors,
        editors=found.editors,
        published=published,
        date=published[:10] if published else None,
        language=_lang(page, chinese),
        description=clean(doc.description),
        categories=pick_categories(lines, start, title) or list(doc.categories or []),
        tags=split_tags(doc.tags or []),
        image=doc.image,
    )


class TrafilaturaMeta:
    """trafilatura's metadata rules, run on our tree, with its costly author search deferred.

    trafilatura's extract_author walks the whole tree (about half of its metadata time);
    our own byline rules answer first, so it runs only when they find nobody.
    """

    def __init__(self, tree: Any, url: str | None) -> None:
        from htmldate import find_date
        from trafilatura import metadata as tm
        from trafilatura.settings import set_date_params

        doc = tm.examine_meta(tree)
        if doc.author and " " not in doc.author:
            doc.author = None  # trafilatura's own rule: a one-word meta author is a handle
        with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader has known bugs
            doc = tm.extract_meta_json(tree, doc)
        self._tree = tree
        self._author = doc.author
        self.title: str | None = doc.title or tm.extract_title(tree)
        self.url: str | None = doc.url or tm.extract_url(tree, url)
        params = set_date_params(True)
        params["url"] = self.url
        self.date: str | None = find_date(tree, **params)
        sitename = doc.sitename or tm.extract_sitename(tree)
        if sitename:
            sitename = sitename.lstrip("@")
            if sitename and "." not in sitename and not sitename[0].isupper():
                sitename = sitename.title()
        elif self.url and (match := tm.META_URL.match(self.url)):
            sitename = match[1]
        self.sitename: str | None = sitename
        self.description: str | None = doc.description
        self.categories: list[str] = doc.categories or tm.extract_catstags("category", tree)
        self.tags: list[str] = doc.tags or tm.extract_catstags("tag", tree)
        self.image: str | None = doc.image
        self.text = ""
        doc.title, doc.sitename = self.title, self.sitename
        doc.clean_and_trim()
        self.title, self.sitename, self.description = doc.title, doc.sitename, doc.description

    @functools.cached_property
    def author(self) -> str | None:
        """trafilatura's author, searched for only when asked."""
        if self._author:
            return self._author
        from trafilatura.metadata import extract_author
        from trafilatura.utils import line_processing

        found = extract_author(self._tree)
        return line_processing(found) if found else None
