"""What trafilatura misses on Chinese news pages: headline, 来源, bylines, editors, time.

Works on the tree extract() already parsed (never parses again) and on trafilatura's text.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any
from urllib.parse import urlsplit

from newskit.article.meta import dates, people
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
    chinese = is_chinese(text, least=21)
    found = people.credits(page, doc, start, chinese=chinese, headline_shown=headline_shown)
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
