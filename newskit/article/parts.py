"""What one page's layout says beyond its text: the body's figures and the story's next page.

Runs inside `extract()` on the tree it already parsed.
"""

from __future__ import annotations

from typing import Any

from newskit.article import figures, pager
from newskit.core.models import Article


def page_parts(article: Article, tree: Any, url: str | None) -> None:
    """Fill `figures`, `next_page` and `pages` from the page tree; caption and pager lines leave `text`."""
    text, found = figures.collect(tree, url, article.text)
    article.text = pager.drop_pager_lines(text)
    article.figures = found
    if found:
        article.image = found[0].url
    article.page_links = pager.later_pages(tree, url)
    article.next_page = article.page_links[0] if article.page_links else None
    article.pages = [url] if url else []
