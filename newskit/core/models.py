"""The records newskit passes around: Page (what fetch returns), Article and Teaser."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any, TypeVar

from newskit.core.errors import UsageError
from newskit.core.times import iso

T = TypeVar("T")


@dataclass
class Page:
    """A downloaded page: the raw bytes plus what the server said about them."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    charset: str | None = None
    elapsed: float = 0.0
    fetched: str | None = None  # when the answer came: ISO 8601 UTC, the form of WARC-Date

    def to_dict(self) -> dict[str, Any]:
        """The fetch record (everything but the body), for `newskit fetch --meta`."""
        return {
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "headers": self.headers,
            "encoding": self.charset,
            "bytes": len(self.content),
            "elapsed": round(self.elapsed, 4),
            "fetched": self.fetched,
        }


@dataclass
class Figure:
    """A picture of the article body; `paragraph` counts the text paragraphs before it."""

    url: str
    caption: str | None = None
    alt: str | None = None
    width: int | None = None
    height: int | None = None
    paragraph: int = 0


@dataclass
class Article:
    """One extracted article; field meanings are documented in docs/record.md."""

    title: str | None = None
    text: str = ""
    url: str | None = None
    fetched: str | None = None
    site_name: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    # A datetime (aware when the page or --tz says its zone), or a date when the page gives
    # only the day; to_dict() writes ISO 8601 text.
    published: datetime | date | None = None
    date: str | None = None
    language: str | None = None
    script: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    encoding: str | None = None
    chars: int = 0
    words: int = 0
    reading_minutes: int = 0
    fingerprint: str | None = None
    figures: list[Figure] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    pages_missing: list[dict[str, str]] = field(default_factory=list)
    next_page: str | None = None
    # The later pages the page's pager links to, nearest first (not part of the record).
    page_links: list[str] = field(default_factory=list, repr=False, metadata={"record": False})
    summary: str | None = None
    teaser: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON record; `summary` and `teaser` appear only once they are made."""
        record = asdict(self)
        record["published"] = iso(self.published)
        for name in _NOT_RECORDED:
            del record[name]
        for key in ("summary", "teaser"):
            if record[key] is None:
                del record[key]
        return record


_NOT_RECORDED = tuple(f.name for f in fields(Article) if not f.metadata.get("record", True))


@dataclass
class Teaser:
    """One item of a list page: a story's headline, link and what is shown beside it."""

    title: str
    url: str | None = None
    date: str | None = None
    blurb: str | None = None
    image: str | None = None
    teaser: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON record; `teaser` appears only with `--follow`."""
        record = asdict(self)
        if record["teaser"] is None:
            del record["teaser"]
        return record


def options_from(cls: type[T], kwargs: dict[str, Any], what: str) -> T:
    """Build an options dataclass from keyword arguments, refusing unknown names."""
    unknown = sorted(set(kwargs) - {f.name for f in fields(cls)})  # type: ignore[arg-type]
    if unknown:
        raise UsageError(f"unknown {what} option(s): {', '.join(unknown)}")
    return cls(**kwargs)
