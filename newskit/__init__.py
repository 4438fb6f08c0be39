"""newskit: clean articles out of news pages. The public API; heavy modules load on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article",
    "BatchOptions",
    "DedupOptions",
    "FetchOptions",
    "NewskitError",
    "Page",
    "PageOptions",
    "Teaser",
    "__version__",
    "batch",
    "convert",
    "convert_record",
    "dedup",
    "detect_script",
    "extract",
    "fetch",
    "fingerprint",
    "follow_pages",
    "similar",
    "summarize",
    "teaser",
    "teasers",
    "warc",
]

if TYPE_CHECKING:
    from newskit.archive.articles import warc
    from newskit.article.extraction import extract
    from newskit.article.paging import PageOptions, follow_pages
    from newskit.clusters.fingerprint import fingerprint, similar
    from newskit.clusters.stream import DedupOptions, dedup
    from newskit.core.errors import NewskitError
    from newskit.core.models import Article, Page, Teaser
    from newskit.crawl.runner import batch
    from newskit.crawl.types import BatchOptions
    from newskit.lists.teasers import teasers
    from newskit.net.http import fetch
    from newskit.net.options import FetchOptions
    from newskit.text.scripts import convert, convert_record, detect_script
    from newskit.text.summaries import summarize, teaser

_LAZY = {
    "batch": "newskit.crawl.runner",
    "BatchOptions": "newskit.crawl.types",
    "summarize": "newskit.text.summaries",
    "teaser": "newskit.text.summaries",
    "teasers": "newskit.lists.teasers",
    "extract": "newskit.article.extraction",
    "follow_pages": "newskit.article.paging",
    "PageOptions": "newskit.article.paging",
    "fetch": "newskit.net.http",
    "FetchOptions": "newskit.net.options",
    "convert": "newskit.text.scripts",
    "convert_record": "newskit.text.scripts",
    "detect_script": "newskit.text.scripts",
    "Article": "newskit.core.models",
    "Page": "newskit.core.models",
    "Teaser": "newskit.core.models",
    "NewskitError": "newskit.core.errors",
    "warc": "newskit.archive.articles",
    "fingerprint": "newskit.clusters.fingerprint",
    "similar": "newskit.clusters.fingerprint",
    "dedup": "newskit.clusters.stream",
    "DedupOptions": "newskit.clusters.stream",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newskit' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
