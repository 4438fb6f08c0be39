"""HTML to Article: decode once, parse once, trafilatura for the body, our metadata layer."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from newskit.encoding import decode, looks_binary
from newskit.errors import ExtractionError, InputError, UsageError
from newskit.models import Article


@dataclass(frozen=True)
class ExtractOptions:
    """Everything that tunes one extraction; built once by the CLI, passed to the API."""

    encoding: str | None = None
    precision: bool = True
    tables: bool = True
    comments: bool = False

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> ExtractOptions:
        """Build options from keyword arguments, refusing unknown names."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(kwargs) - names)
        if unknown:
            raise UsageError(f"unknown extract option(s): {', '.join(unknown)}")
        return cls(**kwargs)


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W\u3400-\u9fff\uf900-\ufaff]+")


def count_words(text: str) -> int:
    """Words, CJK-aware: each Chinese character counts as one word."""
    return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(text))


def reading_minutes(text: str) -> int:
    """Minutes to read: ~400 Chinese characters or ~230 other words a minute."""
    cjk = len(_CJK.findall(text))
    other = len(_LATIN_WORD.findall(text))
    if not cjk and not other:
        return 0
    return max(1, math.ceil(cjk / 400 + other / 230))


def to_text(
    data: bytes | str, options: ExtractOptions, http_charset: str | None = None
) -> tuple[str, str | None]:
    """Page bytes to text, refusing empty and binary input."""
    if isinstance(data, str):
        if not data.strip():
            raise InputError("empty input")
        return data, None
    if not data.strip():
        raise InputError("empty input")
    if looks_binary(data):
        raise InputError("not an HTML page (binary content)")
    return decode(data, http_charset=http_charset, override=options.encoding)


_NOISE_LINE = re.compile(r"^(?:字号|字體|字体|【?\s*打印|分享到|扫一扫|责任编辑|\[?\s*关闭)")
_TAIL_MARKERS = re.compile(
    r"^(?:相关阅读|相关新闻|推荐阅读|延伸阅读|热点推荐|相关文章|上一篇|下一篇)"
)


def clean_text(text: str) -> str:
    """Drop widget lines, trailing related-story lists and truncated lead duplicates."""
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    kept: list[str] = []
    for para in paragraphs:
        if _TAIL_MARKERS.match(para):
            break
        if _NOISE_LINE.match(para):
            continue
        kept.append(para)
    result: list[str] = []
    for i, para in enumerate(kept):
        later = "".join(kept[i + 1 : i + 4])
        if len(para) >= 20 and later.startswith(para.rstrip("…. ")) and para not in kept[i + 1 :]:
            continue
        if len(para) >= 20 and para in kept[i + 1 :]:
            continue
        result.append(para)
    return "\n".join(result)


def parse(text: str) -> Any:
    """Parse HTML text into an lxml tree, the one parse every later step shares."""
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        raise ExtractionError("not an HTML page")
    return tree


def extract(
    data: bytes | str,
    url: str | None = None,
    *,
    http_charset: str | None = None,
    options: ExtractOptions | None = None,
    **kwargs: Any,
) -> Article:
    """Extract the article of a page given as bytes (decoded here) or text.

    Raises InputError for unusable input and ExtractionError when there is no article.
    """
    from trafilatura import bare_extraction

    from newskit import metadata

    opts = options or ExtractOptions.from_kwargs(**kwargs)
    text, codec = to_text(data, opts, http_charset)
    tree = parse(text)
    page_meta = metadata.from_tree(tree, url)
    doc = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        favor_precision=opts.precision,
        include_comments=opts.comments,
        include_tables=opts.tables,
        output_format="python",
    )
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        raise ExtractionError("no article found")
    doc.text = clean_text(doc.text or "")
    article = metadata.build(doc, page_meta, url)
    if not article.text.strip():
        raise ExtractionError("no article found")
    article.encoding = codec
    article.chars = len(article.text)
    article.words = count_words(article.text)
    article.reading_minutes = reading_minutes(article.text)
    if article.url and not article.site_name:
        article.site_name = urlsplit(article.url).hostname
    return article
