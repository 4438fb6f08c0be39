"""`newskit teasers`: list pages in, one record per story of the page's main list out."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from newskit.cli.checks import check_encoding, check_fields, teaser_fields
from newskit.cli.extract import leaves_process
from newskit.cli.inputs import resolve_sources
from newskit.cli.options import (
    AllowPrivateOpt,
    DebugOpt,
    EncodingOpt,
    ErrorMode,
    ErrorsOpt,
    FailFastOpt,
    FieldsOpt,
    GlobOpt,
    HeaderOpt,
    InputFileOpt,
    InsecureOpt,
    JobsOpt,
    MaxBytesOpt,
    OutputOpt,
    PageTimeoutOpt,
    QuietOpt,
    RetriesOpt,
    RunOptions,
    SourcesArg,
    TimeoutOpt,
    UrlOpt,
    UserAgentOpt,
    VerboseOpt,
    fetch_options,
)
from newskit.cli.run import SourceData, error_boundary, read_source, run_many, say
from newskit.core.errors import NewskitError
from newskit.records.writers import OutputFormat, Record, format_for

if TYPE_CHECKING:
    from newskit.core.models import Teaser
    from newskit.lists.teasers import ListOptions
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
    page: SourceData, fetching: FetchOptions | None = None
) -> Callable[[str], tuple[bytes, str | None, str | None]]:
    """How --follow reads a link of `page`: fetched, refused from public to private space."""
    from newskit.lists.teasers import page_loader

    return page_loader(page.url or "", fetching)


EPILOG = """\b
Examples:
  newskit teasers https://news.example.cn/china/ -f table
  newskit teasers channel.html --url https://news.example.cn/china/ --follow
  newskit teasers -i channels.txt -o stories.jsonl

Exit codes: 0 ok, 3 fetch failed, 4 no list found, 5 bad input, 6 some of several failed,
7 the output (-o) cannot be written.
"""


def teasers_one(
    source: str,
    url: str | None,
    fetching: FetchOptions,
    options: ListOptions,
    follow: bool,
    teaser_chars: int,
) -> list[Record]:
    """One page's teaser records (module level, so worker processes can run it)."""
    from newskit.lists.teasers import follow as follow_links
    from newskit.lists.teasers import teasers

    page = read_source(source, url, options=fetching)
    items = teasers(page.data, page.url, http_charset=page.http_charset, options=options)
    if not follow:
        return [item.to_dict() for item in items]

    def report(item: Teaser, err: NewskitError) -> None:
        say(f"{source}: {item.url}: {err.message} (no teaser)")

    loader = link_loader(page, fetching)
    found = follow_links(items, loader, max_chars=teaser_chars, on_error=report)
    return [item.to_dict() for item in found]


def teasers_command(
    sources: SourcesArg = None,
    input_file: InputFileOpt = None,
    glob: GlobOpt = None,
    url: UrlOpt = None,
    encoding: EncodingOpt = None,
    fmt: TeasersFormatOpt = None,
    fields: FieldsOpt = None,
    output: OutputOpt = None,
    follow: FollowOpt = False,
    teaser_chars: TeaserCharsOpt = 120,
    min_items: MinItemsOpt = 3,
    jobs: JobsOpt = None,
    page_timeout: PageTimeoutOpt = 10.0,
    errors: ErrorsOpt = ErrorMode.stderr,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    user_agent: UserAgentOpt = None,
    header: HeaderOpt = None,
    max_bytes: MaxBytesOpt = None,
    insecure: InsecureOpt = False,
    allow_private: AllowPrivateOpt = False,
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """List the stories of list/channel pages (or an article's related stories), one record each."""
    with error_boundary(debug):
        from newskit.lists.teasers import ListOptions

        check_encoding(encoding)
        check_fields(fields, teaser_fields())
        options = ListOptions(encoding=encoding, min_items=min_items)
        fetching = fetch_options(
            timeout, retries, user_agent, header, max_bytes, insecure, allow_private
        )
        names = resolve_sources(sources, input_file, glob)
        chosen = fmt or format_for(output, many=True)  # a page gives many records
        if chosen is OutputFormat.table and not fields:
            fields = TABLE_FIELDS
        run = RunOptions(
            fmt=chosen,
            fields=fields,
            output=output,
            errors=errors,
            fail_fast=fail_fast,
            debug=debug,
            quiet=quiet,
            verbose=verbose,
            jobs=jobs,
            page_timeout=page_timeout,
        )
        work = functools.partial(
            teasers_one,
            url=url,
            fetching=fetching,
            options=options,
            follow=follow,
            teaser_chars=teaser_chars,
        )
        code = run_many(names, work, run, parallel=leaves_process)
    raise typer.Exit(code)
