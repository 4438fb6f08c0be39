"""An extracted article made into its record: summary and teaser added, script converted."""

from __future__ import annotations

from typing import Any

from newskit.core.models import Article


def finished_record(
    article: Article, *, summary: int = 0, teaser: int = 0, convert: str | None = None
) -> dict[str, Any]:
    """The article's record with a `summary` of `summary` sentences and a `teaser` of at most
    `teaser` characters (0: none), then converted to the `convert` script target."""
    if summary:
        from newskit.text.summaries import summarize

        article.summary = summarize(article, summary)
    if teaser:
        from newskit.text.summaries import teaser as make_teaser

        article.teaser = make_teaser(article, teaser)
    record = article.to_dict()
    if convert:
        from newskit.text.scripts import convert_record

        record = convert_record(record, convert)
    return record
