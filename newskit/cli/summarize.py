"""`newskit summarize`: pages or article records in, records with `summary` and `teaser` out."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from newskit.cli.checks import (
    check_encoding,
    check_fields,
    record_converter,
    record_fields,
    teaser_fields,
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
    FormatOpt,
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
    TzOpt,
    UrlOpt,
    UserAgentOpt,
    VerboseOpt,
    fetch_options,
)
from newskit.cli.run import (
    SourceData,
    decode_text,
    error_boundary,
    max_bytes_of,
    open_stream,
    read_head,
    read_source,
    run_many,
)
from newskit.core.errors import InputError
from newskit.core.text import is_url
from newskit.core.times import attach_zone, check_zone
from newskit.records.writers import OutputFormat, Record

if TYPE_CHECKING:
    from newskit.article.extraction import ExtractOptions
    from newskit.net.options import FetchOptions
    from newskit.text.summaries import SummaryOptions


class Method(str, Enum):
    """How summary sentences are chosen."""

    lead = "lead"
    rank = "rank"


SentencesOpt = Annotated[
    int, typer.Option("--sentences", "-n", min=1, help="Sentences in the summary.")
]
MaxCharsOpt = Annotated[
    int,
    typer.Option("--max-chars", min=1, help="Longest teaser, '…' included (characters)."),
]
MethodOpt = Annotated[
    Method,
    typer.Option(
        "--method",
        case_sensitive=False,
        help="lead: the first sentences; rank: the most central sentences (TextRank).",
    ),
]
WidthOpt = Annotated[
    bool,
    typer.Option(
        "--width",
        help="Count --max-chars in display columns (a CJK character is 2), for terminal "
        "tables; implied by --format table.",
    ),
]


@dataclass
class _Input:
    """A source opened and sniffed: its first bytes, the unread rest, what it looks like."""

    kind: str
    head: bytes
    rest: BinaryIO | None
    page: SourceData

    def read_all(self) -> bytes:
        return self.head + (self.rest.read() if self.rest is not None else b"")

    def lines(self) -> Iterator[bytes]:
        return itertools.chain([self.head], self.rest if self.rest is not None else [])

    def close(self) -> None:
        if self.rest is not None and self.page.name != "-":
            self.rest.close()


def open_input(name: str, url: str | None = None, fetching: FetchOptions | None = None) -> _Input:
    """Open a source and sniff it from its first line; JSON Lines then stream line by line."""
    from newskit.records.readers import sniff

    if is_url(name):
        page = read_source(name, url, options=fetching)
        return _Input(sniff(page.data[:4096]), page.data, None, page)
    stream = open_stream(name, max_bytes_of(fetching))
    head = read_head(stream)
    return _Input(sniff(head), head, stream, SourceData(name, b"", url))


def _records(source: _Input, extracting: ExtractOptions) -> Iterator[Record]:
    """Article records: read back from JSON / JSON Lines, extracted from a page, or text."""
    from newskit.records.readers import iter_jsonl, parse_json

    name = source.page.name
    if source.kind == "jsonl":
        yield from iter_jsonl(source.lines(), name)
    elif source.kind == "json":
        yield from parse_json(source.read_all(), name)
    elif source.kind == "text":
        yield {"text": _plain_text(source.read_all(), extracting.encoding or "utf-8")}
    else:
        from newskit.article.extraction import extract

        article = extract(
            source.read_all(),
            source.page.url,
            http_charset=source.page.http_charset,
            options=extracting,
        )
        article.fetched = source.page.fetched
        yield article.to_dict()


def _plain_text(data: bytes, encoding: str) -> str:
    """Plain text input (not a page, not records): decoded as is, a BOM dropped."""
    text = decode_text(data, encoding).lstrip("\ufeff")
    if not text.strip():
        raise InputError("empty input")
    return text


EPILOG = """\b
Examples:
  newskit extract page.html | newskit summarize --max-chars 80
  newskit summarize articles.jsonl --method rank -n 2 -o summaries.jsonl
  newskit summarize https://news.example.cn/a/1.html -f table

Exit codes: 0 ok, 3 fetch failed, 4 no article, 5 bad input, 6 some of several failed,
7 the output (-o) cannot be written.
"""


def summarize_one(
    source: str,
    url: str | None,
    fetching: FetchOptions,
    extracting: ExtractOptions,
    options: SummaryOptions,
    convert: str | None,
) -> list[Record]:
    """A page's (or a records file's) summarized records, for a worker process."""
    finish = _finisher(options, convert, extracting.tz)
    return list(_summarized(source, {}, url, fetching, extracting, finish))


def _finisher(
    options: SummaryOptions, convert: str | None, tz: str | None = None
) -> Callable[[Record], Record]:
    """Summarize a record, after its script is converted and (records read back) zoned."""
    from newskit.text.summaries import summarize_record

    convert_out = record_converter(convert)

    def finish(record: Record) -> Record:
        if tz and isinstance(record.get("published"), str):
            record = {**record, "published": attach_zone(record["published"], tz)}
        return summarize_record(convert_out(record), options)

    return finish


def is_page(source: str) -> bool:
    """Pages (URLs, .htm* files) cost an extraction each: worth a worker process.

    Records files stream through this process, so a huge JSON Lines file stays small.
    """
    return is_url(source) or source.lower().endswith((".html", ".htm", ".shtml"))


def summarize_command(
    sources: SourcesArg = None,
    input_file: InputFileOpt = None,
    glob: GlobOpt = None,
    sentences: SentencesOpt = 3,
    max_chars: MaxCharsOpt = 120,
    method: MethodOpt = Method.lead,
    width: WidthOpt = False,
    url: UrlOpt = None,
    encoding: EncodingOpt = None,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    output: OutputOpt = None,
    convert: ConvertOpt = None,
    tz: TzOpt = None,
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
    """Add a summary and a teaser to articles: pages, or records from `newskit extract`."""
    with error_boundary(debug):
        from newskit.article.extraction import ExtractOptions
        from newskit.text.summaries import SummaryOptions

        check_encoding(encoding)
        extracting = ExtractOptions(encoding=encoding, tz=check_zone(tz) if tz else None)
        check_fields(fields, record_fields("summary", "teaser") + teaser_fields())
        options = SummaryOptions(
            sentences=sentences,
            method=method.value,
            max_chars=max_chars,
            columns=width or fmt is OutputFormat.table,
        )
        finish = _finisher(options, convert, extracting.tz)
        fetching = fetch_options(
            timeout, retries, user_agent, header, max_bytes, insecure, allow_private
        )
        names = resolve_sources(sources, input_file, glob)
        opened: dict[str, _Input] = {}
        if fmt is None and len(names) == 1 and not output:
            # JSON Lines in, JSON Lines out: a pipe of many records keeps streaming.
            opened[names[0]] = open_input(names[0], url, fetching)
            if opened[names[0]].kind == "jsonl":
                fmt = OutputFormat.jsonl
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
        if len(names) > 1 and sum(map(is_page, names)) > 1:
            work = functools.partial(
                summarize_one,
                url=url,
                fetching=fetching,
                extracting=extracting,
                options=options,
                convert=convert,
            )
            code = run_many(names, work, run, parallel=is_page)
        else:

            def process(source: str) -> Iterator[Record]:
                yield from _summarized(source, opened, url, fetching, extracting, finish)

            code = run_many(names, process, run)
    raise typer.Exit(code)


def _summarized(
    source: str,
    opened: dict[str, _Input],
    url: str | None,
    fetching: FetchOptions,
    extracting: ExtractOptions,
    finish: Callable[[Record], Record],
) -> Iterator[Record]:
    data = opened.pop(source, None) or open_input(source, url, fetching)
    try:
        for record in _records(data, extracting):
            yield finish(record)
    finally:
        data.close()
