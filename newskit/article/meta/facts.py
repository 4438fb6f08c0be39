"""What a page says once, read off the parsed tree in one pass: headings, meta tags, JSON-LD, lines.

Every field picker (headline, dates, people, sources) reads these facts instead of the tree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from newskit.core.text import words

SPACES = re.compile(r"[ \t\r\f\v\u3000\xa0\u200b]+")


def clean(value: str | None) -> str | None:
    """Whitespace folded to single spaces; None for nothing."""
    if value is None:
        return None
    value = SPACES.sub(" ", value.replace("\n", " ")).strip()
    return value or None


_SKIP_TAGS = words("script style noscript template textarea select option head svg title")
_BLOCK_TAGS = words(
    "address article aside blockquote body br center dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody td tfoot "
    "th thead tr ul"
)
# class/id words that mark an element holding one metadata field.
_HINT = re.compile(r"(?<![a-z])(source|author|editor|writer)", re.I)
_MAX_HINTS = 6
# class/id words of a site's menus and breadcrumbs: their link labels are section names.
_MENU = re.compile(r"nav|menu|crumb|channel|topbar", re.I)
_MAX_MENU_LABEL = 12
# Private-use characters: a legacy page's user-defined glyphs, shown as nothing readable.
PRIVATE_USE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")


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
    # Labels of the links in the page's menus and breadcrumb: never a person or an outlet.
    menu: set[str] = field(default_factory=set)


def _walk(root: Any, page: PageMeta) -> None:
    """One pass over the body: visible lines in reading order, headings, field hints."""
    from lxml import etree

    parts: list[str] = []
    add = parts.append  # the loop runs once per element: keep lookups out of it
    blocks, skips, hint_at, menu_at = _BLOCK_TAGS, _SKIP_TAGS, _HINT.search, _MENU.search
    menus: list[Any] = []  # the menu elements we are inside
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    for event, node in walker:
        if event == "end":
            if node.tag in blocks:
                add("\n")
            if menus and menus[-1] is node:
                menus.pop()
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
            if tag == "nav" or (marks and menu_at(marks)):
                menus.append(node)
            elif tag == "a" and menus:
                _add_menu_label(page, node)
            if node.text:
                add(node.text)
        elif node.tail:  # a comment: only its tail is page text
            add(node.tail)
    text = PRIVATE_USE.sub("", "".join(parts).replace("\u200b", ""))
    # str.split() folds every kind of space (also \u3000 and \xa0) at C speed.
    lines = (" ".join(line.split()) for line in text.split("\n"))
    page.lines = [line for line in lines if line]


def _add_menu_label(page: PageMeta, node: Any) -> None:
    label = " ".join(node.text_content().split())
    if 0 < len(label) <= _MAX_MENU_LABEL:
        page.menu.add(label)


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


def _names_of(value: Any) -> list[str]:
    """The names in a JSON-LD author or publisher value (a string, a Person, or a list)."""
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            found.append(name.strip())
    return found


def _jsonld(tree: Any) -> dict[str, list[str]]:
    """headline, datePublished, author and publisher names from JSON-LD blocks."""
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
            for key in ("author", "publisher"):
                if key in item:
                    found.setdefault(key, []).extend(_names_of(item[key]))
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
    title = clean(title_node.text_content()) if title_node is not None else None
    page.html_title = clean(PRIVATE_USE.sub("", title)) if title else None
    page.jsonld = _jsonld(tree)
    body = tree.find(".//body")
    _walk(body if body is not None else tree, page)
    return page
