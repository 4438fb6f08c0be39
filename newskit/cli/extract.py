"""`newskit extract`: pages in, article records out."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import typer

from newskit.cli.checks import (
    check_encoding,
    check_fields,
    languages,
    record_converter,
    record_fields,
)
from newskit.cli.inputs import resolve_sources
from newskit.cli.options import (
    AllowPrivateOpt,
    ConvertOpt,
    DebugOpt,
    EncodingOpt,
    ErrorMode,
    ErrorsOpt,
    FailFastOpt,
    FieldsOpt,
    FollowPagesOpt,
    FormatOpt,
    GlobOpt,
    HeaderOpt,
    InputFileOpt,
    InsecureOpt,
    JobsOpt,
    LangOpt,
    MaxBytesOpt,
    MaxPagesOpt,
    OutputOpt,
    PageTimeoutOpt,
    QuietOpt,
    RecallOpt,
    RetriesOpt,
    RunOptions,
    SourcesArg,
    TimeoutOpt,
    TzOpt,
    UrlOpt,
    UserAgentOpt,
    VerboseOpt,
    fetch_options,
)
from newskit.cli.run import error_boundary, read_source, run_many
from newskit.core.text import is_url
from newskit.core.times import check_zone
from newskit.records.writers import Record

if TYPE_CHECKING:
    from newskit.article.extraction import ExtractOptions
    from newskit.article.paging import PageOptions
    from newskit.net.options import FetchOptions

EPILOG = """\b
Examples:
  newskit extract page.html -f table
  newskit extract https://news.example.cn/a/1.html --fields title,published,authors
  newskit extract pages/ -o articles.jsonl      # every *.htm* file under pages/
  newskit extract -i urls.txt --jobs 2 -o articles.csv

Exit codes: 0 ok, 2 usage, 3 fetch failed, 4 no article, 5 bad input, 6 some of several
failed, or a page of a multi-page story could not be read (the record lists it), 7 the
output (-o) cannot be written.
"""


def extract_one(
    source: str,
    url: str | None,
    fetching: FetchOptions,
    options: ExtractOptions,
    convert: str | None,
    langs: frozenset[str] | None = None,
    pages: PageOptions | None = None,
) -> list[Record]:
    """One source's article record (a module-level function, so worker processes can run it).

    With `langs`, an article in another language gives no record (it is skipped, not failed).
    A URL source's story is read to its last page (`pages`); a file or stdin names its next.
    """
    from newskit.article.extraction import extract

    page = read_source(source, url, options=fetching)
    article = extract(page.data, page.url, http_charset=page.http_charset, options=options)
    article.fetched = page.fetched
    if is_url(source):
        from newskit.article.paging import follow_pages

        article = follow_pages(article, pages=pages, options=options, fetch_options=fetching)
    if langs is not None and (article.language or "").lower() not in langs:
        return []
    return [record_converter(convert)(article.to_dict())]


def _page_options(names: list[str], follow: bool, max_pages: int) -> PageOptions | None:
    """How far to follow stories' pages; None when no source is a URL (no pages to follow)."""
    if not any(is_url(name) for name in names):
        return None
    from newskit.article.paging import PageOptions

    return PageOptions(follow=follow, max_pages=max_pages)


def leaves_process(source: str) -> bool:
    """Any source but stdin may be read by a worker process."""
    return source != "-"


def extract_command(
    sources: SourcesArg = None,
    input_file: InputFileOpt = None,
    glob: GlobOpt = None,
    url: UrlOpt = None,
    encoding: EncodingOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    output: OutputOpt = None,
    convert: ConvertOpt = None,
    recall: RecallOpt = False,
    tz: TzOpt = None,
    lang: LangOpt = None,
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
    follow: FollowPagesOpt = True,
    max_pages: MaxPagesOpt = 10,
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Extract the article text and metadata of news pages (files, folders, stdin, URLs)."""
    with error_boundary(debug):
        from newskit.article.extraction import ExtractOptions

        check_encoding(encoding)
        check_fields(fields, record_fields())
        options = ExtractOptions(
            encoding=encoding, precision=not recall, tz=check_zone(tz) if tz else None
        )
        record_converter(convert)  # checks the target before any source is read
        fetching = fetch_options(
            timeout, retries, user_agent, header, max_bytes, insecure, allow_private
        )
        names = resolve_sources(sources, input_file, glob)
        run = RunOptions(
            fmt=fmt,
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
            extract_one,
            url=url,
            fetching=fetching,
            options=options,
            convert=convert,
            langs=languages(lang),
            pages=_page_options(names, follow, max_pages),
        )
        code = run_many(names, work, run, parallel=leaves_process)
    raise typer.Exit(code)
