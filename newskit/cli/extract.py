"""`newskit extract`: pages in, article records out."""

from __future__ import annotations

from collections.abc import Iterator

import typer

from newskit.cli.common import (
    DebugOpt,
    EncodingOpt,
    FailFastOpt,
    FieldsOpt,
    FormatOpt,
    OutputOpt,
    SourcesArg,
    UrlOpt,
    error_boundary,
    read_source,
    resolve_sources,
    run_many,
)
from newskit.output import Record


def extract_command(
    sources: SourcesArg = None,
    url: UrlOpt = None,
    encoding: EncodingOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    output: OutputOpt = None,
    recall: bool = typer.Option(
        False, "--recall", help="Prefer more text over precision (keeps borderline blocks)."
    ),
    fail_fast: FailFastOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Extract the article text and metadata of news pages (files, stdin, URLs)."""
    with error_boundary(debug):
        from newskit.extract import ExtractOptions, extract

        options = ExtractOptions(encoding=encoding, precision=not recall)
        names = resolve_sources(sources)

        def process(source: str) -> Iterator[Record]:
            page = read_source(source, url)
            try:
                article = extract(
                    page.data, page.url, http_charset=page.http_charset, options=options
                )
            except Exception as err:
                if hasattr(err, "source") and err.source is None:
                    err.source = source
                raise
            yield article.to_dict()

        code = run_many(
            names, process, fmt=fmt, fields=fields, output=output, fail_fast=fail_fast, debug=debug
        )
    raise typer.Exit(code)
