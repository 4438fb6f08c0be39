"""`newskit extract`: pages in, article records out."""

from __future__ import annotations

from collections.abc import Iterator

import typer

from newskit.cli.convert import record_converter
from newskit.cli.options import (
    ConvertOpt,
    DebugOpt,
    EncodingOpt,
    FailFastOpt,
    FieldsOpt,
    FormatOpt,
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
from newskit.cli.run import error_boundary, read_source, resolve_sources, run_many
from newskit.records.writers import Record


def extract_command(
    sources: SourcesArg = None,
    url: UrlOpt = None,
    encoding: EncodingOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    output: OutputOpt = None,
    convert: ConvertOpt = None,
    recall: bool = typer.Option(
        False, "--recall", help="Prefer more text over precision (keeps borderline blocks)."
    ),
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    user_agent: UserAgentOpt = None,
    header: HeaderOpt = None,
    max_bytes: MaxBytesOpt = None,
    insecure: InsecureOpt = False,
    fail_fast: FailFastOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Extract the article text and metadata of news pages (files, stdin, URLs)."""
    with error_boundary(debug):
        from newskit.article.extraction import ExtractOptions, extract

        options = ExtractOptions(encoding=encoding, precision=not recall)
        convert_out = record_converter(convert)
        fetching = fetch_options(timeout, retries, user_agent, header, max_bytes, insecure)
        names = resolve_sources(sources)

        def process(source: str) -> Iterator[Record]:
            page = read_source(source, url, options=fetching)
            article = extract(page.data, page.url, http_charset=page.http_charset, options=options)
            yield convert_out(article.to_dict())

        code = run_many(
            names, process, fmt=fmt, fields=fields, output=output, fail_fast=fail_fast, debug=debug
        )
    raise typer.Exit(code)
