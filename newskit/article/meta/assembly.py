"""What trafilatura misses on Chinese news pages: headline, 来源, bylines, editors, time.

Works on the tree extract() already parsed (never parses again) and on trafilatura's text.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any
from urllib.parse import urlsplit

from newskit.article.meta import dates, people, searches
from newskit.article.meta.facts import PageMeta, clean
from newskit.article.meta.headline import (
    body_start,
    find_line,
    pick_categories,
    pick_title,
    title_parts,
)
from newskit.core.models import Article
from newskit.core.text import CJK, KANA, is_chinese
from newskit.core.times import parse_iso

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


_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
# Scripts that name their language outright (a page's own lang= is only a hint).
_SCRIPT_LANGS = {"zh", "ja", "ko"}


def language(text: str, declared: str | None) -> str | None:
    """The language of the text: from its script for Chinese, Japanese and Korean, else the
    declared one when the script agrees with it (a Chinese article in a lang="en" template
    is "zh")."""
    hint = declared.split("-")[0].lower() if declared else None
    sample = text[:3000]
    letters = len(_LETTER.findall(sample)) or 1
    kana, hangul = len(KANA.findall(sample)), len(_HANGUL.findall(sample))
    han = len(CJK.findall(sample))
    if kana * 10 > han and kana + han > letters / 3:
        return "ja"
    if hangul > letters / 3:
        return "ko"
    if han > letters / 3:
        return "zh"
    return hint if hint and hint not in _SCRIPT_LANGS else None


def _other_language(
    page: PageMeta, doc: Any, title: str | None, published: str | None
) -> tuple[str | None, str | None]:
    """On pages not in Chinese, trafilatura's own title and date rules are the better ones.

    htmldate is asked only when the page declares a date in its meta tags or JSON-LD (it
    reads more of them than we do, and prefers the URL's date) or when we found none: a
    date shown on the page with no declared one is what its costly text search would find.
    """
    title = clean(doc.title) or title
    declared = dates.from_meta(page.meta, page.jsonld.get("datePublished", []))
    if published and not declared:
        return title, published
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
    chinese = is_chinese(text, least=21)
    found = people.credits(page, doc, start, chinese=chinese, headline_shown=headline_shown)
    published = dates.pick_published(page, start, url, None, first)
    if published is None:  # htmldate's search, only when our rules found no date at all
        published = dates.pick_published(page, start, url, doc.date, first)
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
        published=parse_iso(published),
        date=published[:10] if published else None,
        language=language(text, page.lang),
        description=clean(doc.description),
        categories=pick_categories(lines, start, title) or list(doc.categories or []),
        tags=split_tags(doc.tags or []),
        image=doc.image,
    )


def _trimmed(value: str | None) -> str | None:
    """What trafilatura's own clean_and_trim step makes of one string field."""
    if not isinstance(value, str):
        return value
    from html import unescape

    from trafilatura.utils import line_processing

    if len(value) > 10000:
        value = value[:9999] + "…"
    trimmed: str | None = line_processing(unescape(value))
    return trimmed


class TrafilaturaMeta:
    """trafilatura's metadata rules, run on our tree one field at a time, only when asked.

    Our own rules decide most fields, so each of trafilatura's answers is computed on first
    use: htmldate's date search and the author search (each a walk over the whole tree) run
    only on pages where our layer found nothing or wants a second opinion.
    """

    def __init__(self, tree: Any, url: str | None) -> None:
        self._tree = tree
        self._url = url
        self.text = ""

    @functools.cached_property
    def _meta(self) -> Any:
        """The meta tags and JSON-LD, as trafilatura reads them."""
        from trafilatura import metadata as tm

        doc = tm.examine_meta(self._tree)
        if doc.author and " " not in doc.author:
            doc.author = None  # trafilatura's own rule: a one-word meta author is a handle
        with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader has known bugs
            doc = tm.extract_meta_json(self._tree, doc)
        return doc

    @functools.cached_property
    def _scan(self) -> searches.Scan:
        """One walk sorting the page's elements into trafilatura's byline and link rules."""
        return searches.scan(self._tree)

    @functools.cached_property
    def title(self) -> str | None:
        """trafilatura's title: meta tags, else its own <title>/<h1> rules."""
        from trafilatura import metadata as tm

        return _trimmed(self._meta.title or tm.extract_title(self._tree))

    @functools.cached_property
    def url(self) -> str | None:
        """The page's URL as declared (canonical link, og:url), else the one given."""
        from trafilatura import metadata as tm

        found: str | None = self._meta.url or tm.extract_url(self._tree, self._url)
        return found

    @functools.cached_property
    def date(self) -> str | None:
        """htmldate's publish date (its extensive search: the costliest field of all)."""
        from htmldate import find_date
        from trafilatura.settings import set_date_params

        params = set_date_params(True)
        params["url"] = self.url
        found: str | None = find_date(self._tree, **params)
        return found

    @functools.cached_property
    def sitename(self) -> str | None:
        """trafilatura's site name, from meta tags or the URL's domain."""
        from trafilatura import metadata as tm

        sitename = self._meta.sitename or tm.extract_sitename(self._tree)
        if sitename:
            sitename = sitename.lstrip("@")
            if sitename and "." not in sitename and not sitename[0].isupper():
                sitename = sitename.title()
        elif self.url and (match := tm.META_URL.match(self.url)):
            sitename = match[1]
        return _trimmed(sitename)

    @functools.cached_property
    def description(self) -> str | None:
        """The declared description."""
        return _trimmed(self._meta.description)

    @functools.cached_property
    def categories(self) -> list[str]:
        """Declared categories, else category links."""
        found: list[str] = self._meta.categories or searches.links(
            "category", self._scan, self._tree
        )
        return found

    @functools.cached_property
    def tags(self) -> list[str]:
        """Declared keywords, else tag links."""
        found: list[str] = self._meta.tags or searches.links("tag", self._scan, self._tree)
        return found

    @functools.cached_property
    def image(self) -> str | None:
        """The declared lead image."""
        found: str | None = self._meta.image
        return found

    @functools.cached_property
    def author(self) -> str | None:
        """trafilatura's author: declared, else its search of the whole tree."""
        if self._meta.author:
            found: str | None = self._meta.author
            return found
        from trafilatura.utils import line_processing

        searched = searches.author(self._scan)
        return line_processing(searched) if searched else None
