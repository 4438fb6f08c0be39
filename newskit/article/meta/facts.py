"""What a page says once, read off the parsed tree: headings, meta tags, JSON-LD, lines.

Every field picker (headline, dates, people, sources) reads these facts instead of the tree.
"""

from __future__ import annotations

import functools
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


# Any field-hint or menu word, lower case: a cheap test that must pass before the two
# case-blind patterns above are asked (they cost more, and most class names hold neither).
_MARK_WORDS = re.compile("source|author|editor|writer|nav|menu|crumb|channel|topbar")
# The visible text, a line break around every block: one XSLT pass, all in C.
_SKIP_PATTERN, _BLOCK_PATTERN = ("|".join(sorted(tags)) for tags in (_SKIP_TAGS, _BLOCK_TAGS))
_TEXT_XSLT = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="{_SKIP_PATTERN}"/>
<xsl:template match="{_BLOCK_PATTERN}">
<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text>
</xsl:template>
</xsl:stylesheet>"""
# A line break and the blank space after it: what separates two non-empty lines.
_BREAK = re.compile(r"\n\s*")


@functools.cache
def _text_of() -> Any:
    from lxml import etree

    return etree.XSLT(etree.XML(_TEXT_XSLT))


def _lines(root: Any) -> list[str]:
    """The visible lines of the body in reading order, spaces folded."""
    text = _BREAK.sub("\n", str(_text_of()(root)) + (root.tail or ""))
    if "\u200b" in text:
        text = text.replace("\u200b", "")
    # str.split() folds every kind of space (also \u3000 and \xa0) at C speed.
    lines = map(" ".join, map(str.split, PRIVATE_USE.sub("", text).split("\n")))
    return [line for line in lines if line]


def _walk(root: Any, page: PageMeta) -> None:
    """Visible lines, then one pass over the shown elements: headings, field hints, menus."""
    from lxml import etree

    page.lines = _lines(root)
    skips, words, hint_at, menu_at = _SKIP_TAGS, _MARK_WORDS.search, _HINT.search, _MENU.search
    menus: list[Any] = []
    walker = etree.iterwalk(root, events=("start",))
    for _, node in walker:  # runs once per element: keep lookups out of it
        tag = node.tag
        if tag in skips:
            walker.skip_subtree()
            continue
        if tag in ("h1", "h2") and len(page.headings) < 8:
            _add_heading(page, node)
        marks = node.get("class") or node.get("id")
        if marks and (not marks.isascii() or words(marks.lower())):
            if hint := hint_at(marks):
                _add_hint(page, hint.group(1).lower(), node)
            if menu_at(marks):
                menus.append(node)
                continue
        if tag == "nav":
            menus.append(node)
    _add_menu_labels(page, menus)


def _add_menu_labels(page: PageMeta, menus: list[Any]) -> None:
    """Labels of the shown links inside a menu; a link marked as a menu itself is none."""
    marked = set(menus)
    seen: set[Any] = set()
    for menu in menus:
        hidden = next(menu.iter(*_SKIP_TAGS), None) is not None
        for node in menu.iter("a"):
            if node is menu or node in seen or node in marked:
                continue
            seen.add(node)
            if hidden and _inside_skipped(node, menu):
                continue
            _add_menu_label(page, node)


def _inside_skipped(node: Any, top: Any) -> bool:
    """True when an element between `node` and `top` is never shown (a script, an svg)."""
    for parent in node.iterancestors():
        if parent is top:
            return False
        if parent.tag in _SKIP_TAGS:
            return True
    return False


def _add_menu_label(page: PageMeta, node: Any) -> None:
    # A link without child elements holds its label as its own text: no XPath asked.
    label = " ".join((node.text_content() if len(node) else node.text or "").split())
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
