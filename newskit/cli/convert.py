"""`newskit convert`: Chinese script conversion of plain text (streamed) and of records."""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from newskit.cli.inputs import resolve_sources
from newskit.cli.options import (
    AllowPrivateOpt,
    DebugOpt,
    FailFastOpt,
    HeaderOpt,
    InputFileOpt,
    InsecureOpt,
    MaxBytesOpt,
    OutputOpt,
    QuietOpt,
    RetriesOpt,
    SourcesArg,
    TimeoutOpt,
    UserAgentOpt,
    VerboseOpt,
    complete_targets,
    fetch_options,
)
from newskit.cli.run import (
    decode_text,
    each_source,
    error_boundary,
    max_bytes_of,
    open_output,
    open_stream,
    read_head,
    read_source,
)
from newskit.core.text import is_url

if TYPE_CHECKING:
    from newskit.net.options import FetchOptions

# Plain text is read and converted this many bytes at a time, always up to a line break.
CHUNK_BYTES = 1 << 20


class InputKind(str, Enum):
    """What the input is: detected from its first bytes, or forced."""

    auto = "auto"
    text = "text"
    json = "json"
    jsonl = "jsonl"


ToOpt = Annotated[
    str,
    typer.Option(
        "--to",
        "-t",
        help="Target: zh-Hans, zh-Hant, zh-TW, zh-HK, zh-CN, or an OpenCC configuration "
        "(s2t, t2s, s2tw, tw2s, s2twp, tw2sp, s2hk, hk2s, t2tw, t2hk, tw2t, hk2t, t2jp, jp2t).",
        metavar="TARGET",
        autocompletion=complete_targets,
        show_default=False,
    ),
]
InputOpt = Annotated[
    InputKind,
    typer.Option(
        "--input",
        "-i",
        help="Input kind; auto detects JSON / JSON Lines / text.",
        case_sensitive=False,
    ),
]
ConvertFieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--convert-fields",
        help="Record fields to convert, comma-separated. Default: title, text, description, "
        "summary, teaser, authors, source, categories, tags, blurb, figures (captions).",
        show_default=False,
    ),
]
TextEncodingOpt = Annotated[
    str, typer.Option("--encoding", help="Charset of plain-text input (output is UTF-8).")
]


@contextlib.contextmanager
def open_source(name: str, fetching: FetchOptions | None = None) -> Iterator[BinaryIO]:
    """A binary stream on one source: `-` is stdin, a URL is fetched, else a file."""
    if is_url(name):
        yield io.BytesIO(read_source(name, options=fetching).data)
        return
    with open_stream(name, max_bytes_of(fetching)) as stream:
        yield stream


def text_chunks(
    head: bytes, stream: BinaryIO, encoding: str, name: str, size: int = CHUNK_BYTES
) -> Iterator[str]:
    """Decoded text in chunks of whole lines (so a phrase never straddles two chunks)."""
    # The first chunk holds the sniffed head too, so the script is detected on plenty of text.
    first_lines = [head, *stream.readlines(size)] if head else []
    batches = itertools.chain([first_lines], iter(lambda: stream.readlines(size), []))
    first = True
    for lines in batches:
        chunk = decode_text(b"".join(lines), encoding, name)
        if first:
            chunk, first = chunk.removeprefix("\ufeff"), False
        yield chunk


def convert_text(
    head: bytes, stream: BinaryIO, out: BinaryIO, to: str, encoding: str, name: str
) -> None:
    """Stream plain text through the conversion, writing each chunk as it is done."""
    from newskit.text.scripts import convert_stream

    for piece in convert_stream(text_chunks(head, stream, encoding, name), to):
        out.write(piece.encode("utf-8"))
        out.flush()


def convert_records(
    kind: str,
    head: bytes,
    stream: BinaryIO,
    out: BinaryIO,
    to: str,
    fields: Sequence[str] | None,
    *,
    many: bool,
    name: str,
) -> None:
    """JSON in, JSON out (one document); JSON Lines in, JSON Lines out (flushed per record)."""
    from newskit.records.readers import iter_jsonl, parse_json
    from newskit.records.writers import render_json, render_jsonl
    from newskit.text.scripts import convert_record

    if kind == "jsonl":
        for record in iter_jsonl(itertools.chain([head], stream), source=name):
            out.write(render_jsonl(convert_record(record, to, fields)))
            out.flush()
        return
    data = head + stream.read()
    records = [convert_record(record, to, fields) for record in parse_json(data, source=name)]
    if many:
        # Several sources: one JSON Lines stream, like every command's output for many.
        out.write(b"".join(render_jsonl(record) for record in records))
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        out.write(render_json(records))
    else:
        out.write(render_json(records[0]))
    out.flush()


def convert_source(
    name: str,
    out: BinaryIO,
    *,
    to: str,
    kind: InputKind,
    fields: Sequence[str] | None,
    encoding: str,
    many: bool,
    fetching: FetchOptions | None = None,
) -> None:
    """Convert one source onto `out`, as text or as records depending on its kind."""
    from newskit.records.readers import sniff

    with open_source(name, fetching) as stream:
        head = read_head(stream)
        chosen = kind.value if kind is not InputKind.auto else sniff(head)
        if chosen in ("json", "jsonl"):
            convert_records(chosen, head, stream, out, to, fields, many=many, name=name)
        else:
            convert_text(head, stream, out, to, encoding, name)


EPILOG = """\b
Examples:
  newskit convert --to zh-TW notes.txt
  newskit extract page.html | newskit convert --to zh-Hans
  newskit convert --to s2hk articles.jsonl --convert-fields title,text -o hk.jsonl

Exit codes: 0 ok, 2 unknown target, 3 fetch failed, 5 bad input, 6 some of several failed,
7 the output (-o) cannot be written.
"""


def convert_command(
    to: ToOpt,
    sources: SourcesArg = None,
    kind: InputOpt = InputKind.auto,
    fields: ConvertFieldsOpt = None,
    encoding: TextEncodingOpt = "utf-8",
    output: OutputOpt = None,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    user_agent: UserAgentOpt = None,
    header: HeaderOpt = None,
    max_bytes: MaxBytesOpt = None,
    insecure: InsecureOpt = False,
    allow_private: AllowPrivateOpt = False,
    input_file: InputFileOpt = None,
    fail_fast: FailFastOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Convert Chinese script (Simplified ⇄ Traditional, TW/HK phrasing) of text or records."""
    with error_boundary(debug):
        from newskit.records.writers import parse_fields
        from newskit.text.scripts import check_target

        check_target(to)
        chosen = parse_fields(fields)
        fetching = fetch_options(
            timeout, retries, user_agent, header, max_bytes, insecure, allow_private
        )
        names = resolve_sources(sources, input_file)
        with open_output(output) as out:
            code = each_source(
                names,
                lambda name: convert_source(
                    name,
                    out,
                    to=to,
                    kind=kind,
                    fields=chosen,
                    encoding=encoding,
                    many=len(names) > 1,
                    fetching=fetching,
                ),
                fail_fast=fail_fast,
                debug=debug,
                verbose=verbose,
            )
    raise typer.Exit(code)
