"""`newskit dedup`: article records in, syndicated copies grouped and the original named."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Annotated

import typer

from newskit.cli.inputs import resolve_sources
from newskit.cli.options import (
    DebugOpt,
    FailFastOpt,
    FieldsOpt,
    FormatOpt,
    InputFileOpt,
    OutputOpt,
    QuietOpt,
    VerboseOpt,
)
from newskit.cli.run import each_source, error_boundary, open_file, open_output, read_head
from newskit.clusters.stream import Keep
from newskit.core.errors import InputError
from newskit.records.writers import Record, Writer, format_for, parse_fields

# A folder given as a source stands for the record files under it.
RECORD_GLOB = "*.json*"

EPILOG = """\b
Examples:
  newskit extract pages/ | newskit dedup
  newskit dedup monday.jsonl tuesday.jsonl --keep original -o stories.jsonl
  newskit dedup crawl.jsonl --window 36h -f table --fields title,site_name,cluster,duplicate_of

Exit codes: 0 ok, 2 usage, 5 bad input, 6 some of several failed.
"""

RecordsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="JSON or JSON Lines record files (from extract, batch), folders of them, or - "
        "for stdin. With none given and stdin piped, stdin is read.",
        metavar="RECORDS...",
        show_default=False,
    ),
]
KeepOpt = Annotated[
    Keep,
    typer.Option(
        "--keep",
        case_sensitive=False,
        help="all: every record, annotated; original: the original of each cluster; "
        "first: the first record of each cluster, written at once (nothing held).",
    ),
]
WindowOpt = Annotated[
    str,
    typer.Option(
        "--window",
        help="Compare records published this close together: 2d, 36h, 90m (a number is days).",
    ),
]
GlobOpt = Annotated[
    str | None,
    typer.Option(
        "--glob",
        help=f"Files a folder source stands for, searched recursively [default: {RECORD_GLOB}].",
        metavar="PATTERN",
        show_default=False,
    ),
]


def _read(name: str) -> Iterator[Record]:
    """One source's records: JSON Lines streamed line by line, a JSON document read whole."""
    from newskit.records.readers import iter_jsonl, parse_json, sniff

    stream = typer.get_binary_stream("stdin") if name == "-" else open_file(name)
    try:
        head = read_head(stream)
        kind = sniff(head)
        if kind == "jsonl":
            yield from iter_jsonl(itertools.chain([head], stream), source=name)
        elif kind == "json":
            yield from parse_json(head + stream.read(), source=name)
        elif head.strip():
            raise InputError(
                "not JSON or JSON Lines records (run newskit extract first)", source=name
            )
    finally:
        if name != "-":
            stream.close()


def dedup_command(
    sources: RecordsArg = None,
    input_file: InputFileOpt = None,
    glob: GlobOpt = None,
    keep: KeepOpt = Keep.all,
    window: WindowOpt = "2d",
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    output: OutputOpt = None,
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Group syndicated copies (转载) of a story and name the original, in article records."""
    with error_boundary(debug):
        from newskit.clusters.stream import Deduper, DedupOptions, parse_window

        deduper = Deduper(DedupOptions(window=parse_window(window), keep=keep))
        names = resolve_sources(sources, input_file, glob or RECORD_GLOB)
        with open_output(output) as stream:
            chosen = fmt or format_for(output, many=True)
            writer = Writer(stream, chosen, parse_fields(fields), many=True)

            def handle(name: str) -> None:
                for record in _read(name):
                    for ready in deduper.add(record):
                        writer.write(ready)

            code = each_source(names, handle, fail_fast=fail_fast, debug=debug, verbose=verbose)
            for ready in deduper.finish():
                writer.write(ready)
            writer.close()
    raise typer.Exit(code)
