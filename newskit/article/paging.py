"""The whole article: a story's later pages fetched and joined into its first page's record.

`follow_pages` fetches the story's later pages (same host, at most `max_pages`, each a normal fetch with the same
options) and joins them into the first page's record: the text once, the figures in order,
`pages` the URLs read and `pages_missing` those that failed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

from newskit.core.errors import FetchError, NewskitError, UsageError
from newskit.core.models import Article, Figure, Page

if TYPE_CHECKING:
    from newskit.article.extraction import ExtractOptions
    from newskit.net.options import FetchOptions

DEFAULT_MAX_PAGES = 10
# Metadata lines portals repeat at the top of every page (dates, 来源, bylines).
_META_LINE = re.compile(
    r"^.{0,40}(?:\d{4}[-/年.]\d{1,2}[-/月.]\d{1,2}|来源[:：]|來源[:：]|作者[:：]|记者[:：]|記者[:：]|"
    r"编辑[:：]|編輯[:：]|发布时间|發佈時間|发布日期)"
)
_LEAD_LINES = 6


@dataclass(frozen=True)
class PageOptions:
    """How far to follow a story's pages: `max_pages` counts the first one."""

    follow: bool = True
    max_pages: int = DEFAULT_MAX_PAGES

    def __post_init__(self) -> None:
        if self.max_pages < 1:
            raise UsageError(f"bad max_pages {self.max_pages!r} (expected 1 or more)")


Fetcher = Callable[[str], Page]


def _same_story(first: str, other: str) -> bool:
    """Same scheme and host: a story's pages never leave its site."""
    a, b = urlsplit(first), urlsplit(other)
    return (a.hostname or "").lower() == (b.hostname or "").lower() and a.port == b.port


def _key(url: str) -> str:
    return urldefrag(url)[0].rstrip("/")


def _new_lines(text: str, seen: set[str], title: str | None) -> list[str]:
    """A later page's lines without what the first page already said at its top.

    Portals repeat the headline, the lead box and the dateline/来源 line on every page.
    """
    lines = text.split("\n")
    start = 0
    while start < min(len(lines), _LEAD_LINES):
        line = lines[start].strip()
        folded = " ".join(line.split())
        if folded == title or folded in seen or (len(line) <= 80 and _META_LINE.match(line)):
            start += 1
            continue
        break
    return [line for line in lines[start:] if " ".join(line.split()) != title]


def join(first: Article, later: list[Article]) -> Article:
    """The first page's record with the later pages' text and figures appended, in order."""
    lines = first.text.split("\n") if first.text else []
    seen = {" ".join(line.split()) for line in lines}
    figures_all = list(first.figures)
    for page in later:
        fresh = _new_lines(page.text, seen, first.title)
        offset = len(lines)
        dropped = len(page.text.split("\n")) - len(fresh)
        for figure in page.figures:
            moved = Figure(**{**figure.__dict__, "paragraph": max(0, figure.paragraph - dropped)})
            moved.paragraph += offset
            if figure.url not in {f.url for f in figures_all}:
                figures_all.append(moved)
        lines.extend(fresh)
        seen.update(" ".join(line.split()) for line in fresh)
    first.text = "\n".join(lines)
    first.figures = figures_all
    if figures_all and not first.image:
        first.image = figures_all[0].url
    return first


def follow_pages(
    article: Article,
    *,
    pages: PageOptions | None = None,
    options: ExtractOptions | None = None,
    fetch_options: FetchOptions | None = None,
    fetcher: Fetcher | None = None,
    extractor: Callable[[Page], Article] | None = None,
) -> Article:
    """Fetch and join the story's later pages into `article` (the first page, from its URL).

    Stops at `max_pages`, at a page already read (a loop, a pager pointing back) and at a
    link to another host. A page that cannot be fetched or holds no article is listed in
    `pages_missing` (URL and reason); the pages before and after it are kept. `next_page`
    keeps the first page not read when `max_pages` stopped the walk. `fetcher` (URL to
    Page) and `extractor` (Page to Article) replace the plain fetch and extract, so a batch
    run fetches politely and extracts in its process pool.
    """
    from newskit.article.extraction import extract
    from newskit.net.http import fetch

    chosen = pages or PageOptions()
    first_url = article.pages[0] if article.pages else article.url
    # each later page is a link of the first: the private-address policy judges from it
    get: Fetcher = fetcher or (lambda url: fetch(url, fetch_options, referrer=first_url))
    extract_one = extractor or (
        lambda page: extract(
            page.content, page.final_url, http_charset=page.charset, options=options
        )
    )
    if not chosen.follow or not article.next_page or not first_url:
        return article
    read = {_key(first_url)}
    later: list[Article] = []
    queue = list(article.page_links or [article.next_page])
    while queue and len(article.pages) + len(article.pages_missing) < chosen.max_pages:
        target = queue.pop(0)
        if _key(target) in read or not _same_story(first_url, target):
            continue
        read.add(_key(target))
        try:
            page = get(target)
            if not _same_story(first_url, page.final_url or target):
                raise FetchError(f"redirected to another site ({page.final_url})")
            part = extract_one(page)
        except NewskitError as err:
            # The pages the last good page's pager listed after this one are still worth reading.
            article.pages_missing.append({"url": target, "error": err.message})
            continue
        article.pages.append(target)
        later.append(part)
        queue = [link for link in part.page_links if _key(link) not in read]
    unread = [link for link in queue if _key(link) not in read]
    article.next_page = unread[0] if unread else None
    joined = join(article, later)
    from newskit.article.extraction import measure

    measure(joined)
    return joined
