"""List, index and channel pages to Teaser items: the page's main list of stories."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from newskit.core.errors import InputError, NewskitError
from newskit.core.models import Teaser, options_from
from newskit.core.text import CJK, is_url
from newskit.lists.mainlist import (
    SKIP_TAGS,
    Item,
    anchor_title,
    find_date,
    headline_quality,
    main_list,
    normalize_space,
)

if TYPE_CHECKING:
    from newskit.net.options import FetchOptions

__all__ = [
    "ListOptions",
    "anchor_title",
    "find_date",
    "follow",
    "headline_quality",
    "normalize_space",
    "page_loader",
    "teasers",
    "teasers_from_tree",
]


@dataclass(frozen=True)
class ListOptions:
    """Everything that tunes list extraction; built once by the CLI, passed to the API."""

    encoding: str | None = None
    min_items: int = 3

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> ListOptions:
        """Build options from keyword arguments, refusing unknown names."""
        return options_from(cls, kwargs, "teasers")


_BLOCK_TAGS = frozenset(
    {"div", "p", "ul", "ol", "li", "dl", "dd", "dt", "table", "tr", "td", "section", "article"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "aside", "nav", "form"}
)
_INLINE_SKIP = _BLOCK_TAGS | SKIP_TAGS
_SKIP_AND_LINKS = SKIP_TAGS | {"a"}
_BLURB_NAMES = re.compile(r"abs|summary|desc|intro|brief|digest|lead|excerpt", re.IGNORECASE)


def _own_text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _INLINE_SKIP:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return normalize_space("".join(parts))


def _blurb(item: Item) -> str | None:
    """The longest text block of the item outside links: a standfirst, not a byline."""
    best, best_size = "", 0
    holders = set(item.anchor.iterancestors())
    for root in item.zone:
        for element in root.iter():
            if not isinstance(element.tag, str) or element.tag in _SKIP_AND_LINKS:
                continue
            if element in holders:  # holds the headline link
                continue
            own = _own_text(element)
            named = bool(_BLURB_NAMES.search(element.get("class") or ""))
            long = len(CJK.findall(own)) >= 20 or len(own.split()) >= 10
            if len(own) > best_size and (long or (named and len(own) >= 2)):
                best, best_size = normalize_space(element.text_content()), len(own)
    return best or None


def _image(item: Item, base: str | None) -> str | None:
    for root in item.zone:
        for img in root.iter("img"):
            for attr in ("data-src", "data-original", "data-lazy-src", "src"):
                src = (img.get(attr) or "").strip()
                if src and not src.startswith("data:"):
                    return _resolve(src, base)
    return None


def _resolve(href: str, base: str | None) -> str:
    return urljoin(base, href) if base else href


def _base_url(tree: Any, url: str | None) -> str | None:
    """The address links resolve against: <base href> (itself resolved), else the URL."""
    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            joined = urljoin(url, href) if url else href
            if joined.lower().startswith(("http://", "https://")):
                return joined
    return url


def _teaser(item: Item, base: str | None) -> Teaser:
    return Teaser(
        title=item.title,
        url=_resolve(item.href, base),
        date=item.date,
        blurb=_blurb(item),
        image=_image(item, base),
    )


def teasers_from_tree(
    tree: Any, url: str | None = None, options: ListOptions | None = None
) -> list[Teaser]:
    """The main list of stories of a parsed page, in page order."""
    opts = options or ListOptions()
    items = main_list(tree, opts.min_items)
    base = _base_url(tree, url)
    seen: set[str] = set()
    result = []
    for item in items:
        teaser = _teaser(item, base)
        if teaser.url in seen:
            continue
        seen.add(teaser.url or "")
        result.append(teaser)
    return result


def teasers(
    data: bytes | str,
    url: str | None = None,
    *,
    http_charset: str | None = None,
    options: ListOptions | None = None,
    **kwargs: Any,
) -> list[Teaser]:
    """The main list of stories of a list page (or an article's related stories).

    Raises InputError for unusable input and ExtractionError when nothing is list-like.
    """
    from newskit.article.extraction import ExtractOptions, parse, to_text

    opts = options or ListOptions.from_kwargs(**kwargs)
    text, _ = to_text(data, ExtractOptions(encoding=opts.encoding), http_charset)
    return teasers_from_tree(parse(text), url, opts)


def page_loader(
    referrer: str = "", options: FetchOptions | None = None
) -> Callable[[str], tuple[bytes, str | None, str | None]]:
    """How follow() reads a link of the page at `referrer` ("" when its address is unknown,
    which counts as public): fetched, and refused when it leads from public to private space
    (FetchOptions.allow_private)."""

    def load(url: str) -> tuple[bytes, str | None, str | None]:
        from newskit.net.http import fetch

        page = fetch(url, options, referrer=referrer)
        return page.content, page.final_url, page.charset

    return load


def followable(url: str) -> None:
    """Raise InputError unless a link found in a page is http(s): never a file or data URL."""
    scheme = urlsplit(url).scheme
    if not scheme:
        raise InputError("relative link with no page address (pass --url)")
    if not is_url(url):
        raise InputError(f"{scheme}: link not followed (only http and https)")


def follow(
    items: Iterable[Teaser],
    load: Callable[[str], tuple[bytes, str | None, str | None]] | None = None,
    *,
    max_chars: int = 120,
    on_error: Callable[[Teaser, NewskitError], None] | None = None,
) -> Iterator[Teaser]:
    """Read each item's linked article and set its `teaser`; a failed link keeps None.

    Only http(s) links are followed. `load(url)` returns (bytes, final URL, HTTP charset);
    by default page_loader() fetches the URL. Each failure is handed to `on_error` and
    does not stop the others.
    """
    from newskit.article.extraction import extract
    from newskit.text.summaries import teaser

    loader = load or page_loader()
    for item in items:
        if item.url:
            try:
                followable(item.url)
                data, final_url, charset = loader(item.url)
                article = extract(data, final_url or item.url, http_charset=charset)
                item.teaser = teaser(article, max_chars) or None
            except NewskitError as err:
                if on_error is not None:
                    on_error(item, err)
        yield item
