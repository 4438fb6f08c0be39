"""`newskit fetch`: download pages, as served (with a marker line) or as fetch records."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer

from newskit.cli.checks import check_fields
from newskit.cli.inputs import resolve_sources
from newskit.cli.options import (
    AllowPrivateOpt,
    DebugOpt,
    FailFastOpt,
    FieldsOpt,
    FormatOpt,
    HeaderOpt,
    InputFileOpt,
    InsecureOpt,
    MaxBytesOpt,
    QuietOpt,
    RetriesOpt,
    RunOptions,
    TimeoutOpt,
    UserAgentOpt,
    VerboseOpt,
    WarcMaxSizeOpt,
    fetch_options,
    warc_writer,
)
from newskit.cli.run import error_boundary, open_output, run_many
from newskit.core.errors import InputError, UsageError
from newskit.records.writers import OutputFormat, Record

UrlsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="http(s) URLs, or - for a list of URLs on stdin (one a line, # comments).",
        metavar="URL...",
        show_default=False,
    ),
]
FetchOutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the page to FILE (atomically), or every page into DIR/ under a name made "
        "from its URL; with --meta and a FILE, the records go there. - is stdout.",
        metavar="FILE|DIR/",
        show_default=False,
    ),
]
MetaOpt = Annotated[
    bool,
    typer.Option(
        "--meta", help="Write the fetch records (url, final_url, status, headers, ...) as JSON."
    ),
]
RawOpt = Annotated[
    bool,
    typer.Option(
        "--raw", help="Write the body alone, without the newskit:fetch marker line (URL, charset)."
    ),
]


EPILOG = """\b
Examples:
  newskit fetch https://news.example.cn/a/1.html -o page.html
  newskit fetch -i urls.txt -o pages/          # one file per URL, named from it
  newskit fetch https://news.example.cn/a/1.html --meta -f table

Exit codes: 0 ok, 3 fetch failed, 5 bad input, 6 some of several failed,
7 the output (-o) cannot be written.
"""


def url_list(sources: list[str], stdin: BinaryIO | None = None) -> list[str]:
    """The URLs to fetch: `-` stands for the URL lines of stdin (a line over 8 KB is an error)."""
    urls: list[str] = []
    for source in sources:
        if source != "-":
            urls.append(source)
            continue
        from newskit.crawl.sources import list_lines, url_lines

        stream = stdin if stdin is not None else typer.get_binary_stream("stdin")
        urls.extend(url_lines(list_lines(stream, "-")))
    return urls


def as_directory(output: str | None) -> Path | None:
    """The directory `-o` names (`DIR/` or an existing directory), else None."""
    if output in (None, "-"):
        return None
    path = Path(os.path.expanduser(str(output)))
    if str(output).endswith(("/", os.sep)) or path.is_dir():
        return path
    return None


def fetch_command(
    sources: UrlsArg = None,
    output: FetchOutputOpt = None,
    meta: MetaOpt = False,
    raw: RawOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    user_agent: UserAgentOpt = None,
    header: HeaderOpt = None,
    max_bytes: MaxBytesOpt = None,
    insecure: InsecureOpt = False,
    allow_private: AllowPrivateOpt = False,
    input_file: InputFileOpt = None,
    warc: Annotated[
        str | None,
        typer.Option(
            "--warc",
            help="Also archive every response (and its request) in this WARC file, "
            "gzipped per record; with it, several URLs need neither -o nor --meta.",
            metavar="FILE.warc.gz",
            show_default=False,
        ),
    ] = None,
    warc_max_size: WarcMaxSizeOpt = "1G",
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Download web pages: the body as served, or with --meta the fetch records."""
    with error_boundary(debug), contextlib.ExitStack() as closing:
        from newskit.core.models import Page
        from newskit.net.http import fetch, marker_line, page_filename
        from newskit.net.options import make_pool

        page_fields = [*Page("", "", 0, {}, b"").to_dict(), "path"]
        check_fields(fields, page_fields if meta else [], "only --meta writes records")
        options = fetch_options(
            timeout, retries, user_agent, header, max_bytes, insecure, allow_private
        )
        urls = url_list(resolve_sources(sources, input_file))
        if not urls:
            raise UsageError("no URL given")
        directory = as_directory(output)
        pool = make_pool(options)
        archive = warc_writer(warc, warc_max_size, directory=False)
        if archive is not None:
            from newskit.archive.writer import archiving

            closing.callback(archive.close)
            fetch = archiving(fetch, archive)

        def body(page: Any) -> bytes:
            return bytes(page.content) if raw else marker_line(page) + page.content

        def save(url: str, folder: Path) -> Iterator[Record]:
            page = fetch(url, options, pool=pool)
            path = folder / page_filename(url, page.headers.get("content-type"))
            with open_output(str(path)) as stream:
                stream.write(body(page))
            if meta:
                yield {**page.to_dict(), "path": str(path)}

        def records(url: str) -> Iterator[Record]:
            yield fetch(url, options, pool=pool).to_dict()

        def archived(url: str) -> Iterator[Record]:
            fetch(url, options, pool=pool)
            yield from ()

        def one_body(url: str) -> Iterator[Record]:
            data = body(fetch(url, options, pool=pool))
            with open_output(output) as stream:
                stream.write(data)
                stream.flush()
            yield from ()

        run = RunOptions(fail_fast=fail_fast, debug=debug, quiet=quiet, verbose=verbose)
        if directory is not None:
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise InputError(f"{directory}: cannot create directory: {err.strerror}") from None
            # Without --meta no records are written: the text format renders errors as nothing.
            chosen = fmt if meta else OutputFormat.text
            into = functools.partial(save, folder=directory)
            code = run_many(urls, into, replace(run, fmt=chosen, fields=fields))
        elif meta:
            code = run_many(urls, records, replace(run, fmt=fmt, fields=fields, output=output))
        elif archive is not None and output is None:
            code = run_many(urls, archived, replace(run, fmt=OutputFormat.text))
        else:
            if len(urls) > 1:
                raise UsageError(
                    f"{len(urls)} URLs: save them with -o DIR/, or write their records with --meta"
                )
            code = run_many(urls, one_body, replace(run, fmt=OutputFormat.text))
    raise typer.Exit(code)
