"""trafilatura's author, category and tag searches, its XPath rules read in one pass over the page.

trafilatura asks libxml2 a dozen XPath questions per page for these (`metadata.extract_author`,
`extract_catstags`), each a scan of every element with attribute tests, some as EXSLT regexes
answered in Python, and its author search first copies and prunes the whole tree. Here one walk
reads each element's attributes once and the same rules (the same regexes) decide; pruning is
applied while reading a candidate's text. The answers are trafilatura's: tests/test_searches.py
runs both side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.etree import XPath

from newskit.core.patterns import lazy_compile

# trafilatura.xpaths.AUTHOR_XPATHS, rule by rule: the tags each one reads and its regexes.
_BY_TAGS = frozenset(("a", "address", "div", "link", "p", "span", "strong"))
_BY_CLASS = lazy_compile("author-?name|AuthorName|authorName")
_BY_TESTID = frozenset(("AuthorCard", "AuthorURL"))
_GENERIC_TAGS = frozenset(("a", "div", "h3", "h4", "p", "span"))
_GENERIC_CLASSES = frozenset(("byline", "username", "byl", "BBL"))
_GENERIC_ID = lazy_compile("author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = lazy_compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_ANY_ID = lazy_compile("[Aa]uthor")
_ANY_CLASS = lazy_compile("[Aa]uthor|screenname|writer|[Bb]yline")
# trafilatura.xpaths.AUTHOR_DISCARD_XPATHS
_DISCARD_TAGS = frozenset(("a", "div", "section", "span"))
_DISCARD_VALUES = frozenset(("title", "date"))
_DISCARD_ID = lazy_compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = lazy_compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    "|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
# trafilatura.xpaths.CATEGORIES_XPATHS and TAGS_XPATHS: the containers whose links count.
_POST_META = lazy_compile("^(?:post-?info|post-?meta|meta|entry-meta|entry-info|entry-utility)")
_TAG_META = lazy_compile("^(?:tag|postmeta|meta)")
_SECTION_META = XPath(
    './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'
)
# Every class or id value any rule above can match contains one of these (a superset test).
_CLASS_HINT = lazy_compile(
    "uthor|byl|BBL|yline|username|screenname|writer|channel-name|zuozhe|bianji|xiaobian"
    "|submitted-by|posted-by|journalist-name|omment|title|date|sidebar|is-hidden|quote"
    "|embedly-instagram|article-|print|categor|cat-links|meta|post|entry|row|tag|topics"
)
_ID_HINT = lazy_compile("uthor|zuozhe|bianji|xiaobian|comment|ProductReviews|postpath|filedunder")
_LINK_KIND = {
    "category": lazy_compile("/categor(?:y|ies|s)?/"),
    "tag": lazy_compile("/tag(?:y|ies|s)?/"),
}


def _category_rules(tag: str, cls: str, ident: str) -> Iterator[int]:
    """Which of trafilatura's six category containers the element is (0-5)."""
    if tag == "div" and (_POST_META().search(cls) or ident.startswith("postpath")):
        yield 0
    if tag == "p" and (
        cls.startswith(("postmeta", "entry-categories"))
        or cls == "postinfo"
        or ident == "filedunder"
    ):
        yield 1
    if tag == "footer" and cls.startswith(("entry-meta", "entry-footer")):
        yield 2
    if tag in ("li", "span") and (
        cls in ("post-category", "postcategory", "entry-category") or "cat-links" in cls
    ):
        yield 3
    if tag == "header" and cls == "entry-header":
        yield 4
    if tag == "div" and cls in ("row", "tags"):
        yield 5


def _tag_rules(tag: str, cls: str) -> Iterator[int]:
    """Which of trafilatura's four tag containers the element is (0-3)."""
    if tag == "div" and cls == "tags":
        yield 0
    if tag == "p" and cls.startswith("entry-tags"):
        yield 1
    if tag == "div" and (
        cls in ("row", "jp-relatedposts", "entry-utility") or _TAG_META().search(cls)
    ):
        yield 2
    if cls == "entry-meta" or "topics" in cls or "tags-links" in cls:
        yield 3


@dataclass
class Scan:
    """What one walk over a page found for each of trafilatura's rules, in document order."""

    bylines: tuple[list[Any], list[Any], list[Any]] = field(default_factory=lambda: ([], [], []))
    discarded: set[Any] = field(default_factory=set)
    categories: tuple[list[Any], ...] = field(default_factory=lambda: tuple([] for _ in range(6)))
    tags: tuple[list[Any], ...] = field(default_factory=lambda: tuple([] for _ in range(4)))


def scan(tree: Any) -> Scan:
    """Walk the tree once, sorting its elements into trafilatura's author, discard and link rules."""
    from lxml.etree import Element

    found = Scan()
    class_hint, id_hint = _CLASS_HINT().search, _ID_HINT().search
    named_me = {rel.getparent() for rel in tree.iter("rel") if rel.xpath("string()") == "me"}
    for elem in tree.iter(Element):
        tag = elem.tag
        get = elem.get
        cls = get("class", "")
        ident = get("id", "")
        itemprop = get("itemprop", "")
        component = get("data-component", "")
        # Most elements: no attribute any rule reads, so only the rules on tags apply.
        if not (class_hint(cls) or id_hint(ident) or "author" in itemprop or component):
            if tag == "author" or (
                tag in _BY_TAGS
                and (get("rel") == "author" or get("data-testid") in _BY_TESTID or elem in named_me)
            ):
                found.bylines[0].append(elem)
            if tag in ("time", "figure"):
                found.discarded.add(elem)
            continue
        if tag == "author" or (
            tag in _BY_TAGS
            and (
                "author" in (get("rel"), ident, cls)
                or itemprop == "author name"
                or get("data-testid") in _BY_TESTID
                or elem in named_me
                or _BY_CLASS().search(cls)
            )
        ):
            found.bylines[0].append(elem)
        if tag in _GENERIC_TAGS and (
            cls in _GENERIC_CLASSES
            or "author" in itemprop
            or _GENERIC_ID().search(ident)
            or _GENERIC_CLASS().search(cls)
        ):
            found.bylines[1].append(elem)
        if (
            "Byline" in component
            or "author" in itemprop
            or _ANY_ID().search(ident)
            or _ANY_CLASS().search(cls)
        ):
            found.bylines[2].append(elem)
        if tag in ("time", "figure") or (
            tag in _DISCARD_TAGS
            and (
                ident == "comments"
                or cls == "comments"
                or cls in _DISCARD_VALUES
                or _DISCARD_ID().search(ident)
                or _DISCARD_CLASS().search(cls)
                or "Figure" in component
            )
        ):
            found.discarded.add(elem)
        for rule in _category_rules(tag, cls, ident):
            found.categories[rule].append(elem)
        for rule in _tag_rules(tag, cls):
            found.tags[rule].append(elem)
    return found


def _pruned_text(elem: Any, discarded: set[Any]) -> str:
    """`" ".join(elem.itertext())` as it reads once the discarded elements are deleted.

    trafilatura deletes them keeping their tails, glued to the text before them (its
    `delete_element`), so a tail joins the piece it follows instead of standing alone.
    """
    pieces: list[str] = []

    def walk(node: Any) -> None:
        slot = node.text or ""
        for child in node:
            if child in discarded:
                slot += child.tail or ""
                continue
            pieces.append(slot)
            walk(child)
            slot = child.tail or ""
        pieces.append(slot)

    walk(elem)
    return " ".join(piece for piece in pieces if piece)


def _kept(elem: Any, discarded: set[Any]) -> bool:
    """True when neither the element nor an ancestor is discarded."""
    return elem not in discarded and not any(a in discarded for a in elem.iterancestors())


def author(found: Scan) -> str | None:
    """trafilatura's author search (`extract_author`): the first byline element with a short text."""
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.utils import trim

    for rule in found.bylines:
        for elem in rule:
            if not _kept(elem, found.discarded):
                continue
            content = trim(_pruned_text(elem, found.discarded))
            if content and 2 < len(content) < 120:
                named: str | None = normalize_authors(None, content)
                return named
    return None


def _links(containers: Iterable[Any]) -> list[Any]:
    """The <a href> elements under the containers, each once, in document order."""
    outer: list[Any] = []
    for elem in containers:
        if not (outer and any(a is outer[-1] for a in elem.iterancestors())):
            outer.append(elem)
    return [a for elem in outer for a in elem.iterdescendants("a") if "href" in a.attrib]


def links(kind: str, found: Scan, tree: Any) -> list[str]:
    """trafilatura's category ("category") or tag ("tag") links (`extract_catstags`)."""
    from trafilatura.baseline import block_text
    from trafilatura.utils import line_processing

    pattern = _LINK_KIND[kind]()
    results: list[str] = []
    for rule in found.categories if kind == "category" else found.tags:
        results.extend(
            block_text(elem) for elem in _links(rule) if pattern.search(elem.attrib["href"])
        )
        if results:
            break
    if kind == "category" and not results:
        results.extend(element.attrib["content"] for element in _SECTION_META(tree))
    return [r for r in dict.fromkeys(line_processing(x) for x in results if x) if r]
