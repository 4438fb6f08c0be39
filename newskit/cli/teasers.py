"""`newskit teasers`: list pages in, one record per story of the page's main list out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import unquote, urlsplit

import typer

from newskit.cli.options import (
    DebugOpt,
    EncodingOpt,
    FailFastOpt,
    FieldsOpt,
    HeaderOpt,
    InsecureOpt,
    MaxBytesOpt,
    OutputOpt,
    RetriesOpt,
    SourcesArg,
    TimeoutOpt,
    UrlOpt,
    UserAgentOpt,
    fetch_options,
)
from newskit.cli.run import error_boundary, read_source, resolve_sources, run_many, say
from newskit.core.errors import InputError, NewskitError
from newskit.core.text import is_url
from newskit.records.writers import OutputFormat, Record

if TYPE_CHECKING:
    from newskit.core.models import Teaser
    from newskit.net.options import FetchOptions

# A table of teasers shows these columns unless --fields says otherwise.
TABLE_FIELDS = "title,date,url"

TeasersFormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: jsonl, one line per story.",
        case_sensitive=False,
        show_default=False,
    ),
]
FollowOpt = Annotated[
    bool,
    typer.Option(
        "--follow",
        help="Read each linked article and add a `teaser` made from its text "
        "(a failed link is reported on stderr and keeps no teaser).",
    ),
]
TeaserCharsOpt = Annotated[
    int,
    typer.Option("--teaser-chars", min=10, help="Longest teaser, in characters (--follow)."),
]
MinItemsOpt = Annotated[
    int,
    typer.Option("--min-items", min=2, help="Fewest items a block needs to count as a list."),
]


def link_loader(
    source: str, fetching: FetchOptions | None = None
) -> Callable[[str], tuple[bytes, str | None, str | None]]:
    """How --follow reads a link: URLs are fetched; relative links of a file page are files."""

    def load(link: str) -> tuple[bytes, str | None, str | None]:
        if is_url(link):
            page = read_source(link, options=fetching)
            return page.data, page.url, page.http_charset
        if link.startswith("file:"):
            link = unquote(urlsplit(link).path)
        elif source == "-" or is_url(source) or link.startswith("//"):
            raise InputError("relative link with no page address (pass --url)")
        else:
            link = str(Path(source).parent / unquote(urlsplit(link).path).lstrip("/"))
        page = read_source(link)
        return page.data, None, page.http_charset

    return load


def teasers_command(
    sources: SourcesArg = None,
    url: UrlOpt = None,
    encoding: EncodingOpt = None,
    fmt: TeasersFormatOpt = None,
    fields: FieldsOpt = None,
    output: OutputOpt = None,
    follow: FollowOpt = False,
    teaser_chars: TeaserCharsOpt = 120,
    min_items: MinItemsOpt = 3,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    user_agent: UserAgentOpt = None,
    header: HeaderOpt = None,
    max_bytes: MaxBytesOpt = None,
    insecure: InsecureOpt = False,
    fail_fast: FailFastOpt = False,
    debug: DebugOpt = False,
) -> None:
    """List the stories of list/channel pages (or an article's related stories), one record each."""
    with error_boundary(debug):
        from newskit.lists.teasers import ListOptions, teasers
        from newskit.lists.teasers import follow as follow_links

        options = ListOptions(encoding=encoding, min_items=min_items)
        fetching = fetch_options(timeout, retries, user_agent, header, max_bytes, insecure)
        names = resolve_sources(sources)
        chosen = fmt or OutputFormat.jsonl
        if chosen is OutputFormat.table and not fields:
            fields = TABLE_FIELDS

        def process(source: str) -> Iterator[Record]:
            page = read_source(source, url, options=fetching)
            items = teasers(page.data, page.url, http_charset=page.http_charset, options=options)

            def report(item: Teaser, err: NewskitError) -> None:
                say(f"{source}: {item.url}: {err.message} (no teaser)")

            if follow:
                loader = link_loader(source, fetching)
                found = follow_links(items, loader, max_chars=teaser_chars, on_error=report)
                yield from (item.to_dict() for item in found)
            else:
                yield from (item.to_dict() for item in items)

        code = run_many(
            names,
            process,
            fmt=chosen,
            fields=fields,
            output=output,
            fail_fast=fail_fast,
            debug=debug,
        )
    raise typer.Exit(code)
