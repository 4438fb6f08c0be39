"""Option types every command shares (Annotated aliases) and the one FetchOptions builder."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from newskit.cli.checks import record_fields, teaser_fields
from newskit.records.writers import OutputFormat

if TYPE_CHECKING:
    from newskit.archive.writer import WarcWriter
    from newskit.net.options import FetchOptions


def complete_fields(incomplete: str) -> list[str]:
    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    taken = set(done.split(","))
    names = record_fields("summary", "teaser") + teaser_fields()
    return [
        prefix + name
        for name in dict.fromkeys(names)
        if name.startswith(last) and name not in taken
    ]


def complete_targets(incomplete: str) -> list[str]:
    from newskit.text.scripts import targets

    return [name for name in targets() if name.startswith(incomplete)]


SourcesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files, URLs, or - for stdin. With none given and stdin piped, stdin is read.",
        metavar="SOURCE...",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format. Default: json for one source, jsonl for several.",
        case_sensitive=False,
        show_default=False,
    ),
]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        help="Comma-separated fields to keep, in order (every format).",
        autocompletion=complete_fields,
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout; - is stdout."
    ),
]
UrlOpt = Annotated[
    str | None,
    typer.Option("--url", help="The page's address, when it comes from a file or stdin."),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option("--encoding", help="Decode input with this charset instead of detecting it."),
]
FailFastOpt = Annotated[
    bool, typer.Option("--fail-fast", help="Stop at the first source that fails.")
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")]
# Fetch options (every command that reads URLs); None means "not given": NEWSKIT_* or default.
TimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        help="Seconds one download attempt may take in all [env NEWSKIT_TIMEOUT; default 30].",
        show_default=False,
    ),
]
RetriesOpt = Annotated[
    int | None,
    typer.Option(
        "--retries",
        help="Retries on connection errors, timeouts, 429 and 5xx [env NEWSKIT_RETRIES; default 2].",
        show_default=False,
    ),
]
UserAgentOpt = Annotated[
    str | None,
    typer.Option(
        "--user-agent", help="User-Agent header [env NEWSKIT_USER_AGENT].", show_default=False
    ),
]
HeaderOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--header",
        "-H",
        help="Extra request header 'Name: value' (repeatable).",
        metavar="'NAME: VALUE'",
        show_default=False,
    ),
]
MaxBytesOpt = Annotated[
    str | None,
    typer.Option(
        "--max-bytes",
        help="Size cap of a page, file or stdin, also after decompression: 5000000, 500k, "
        "20M [env NEWSKIT_MAX_BYTES; default 20M].",
        show_default=False,
    ),
]
InsecureOpt = Annotated[
    bool,
    typer.Option("--insecure", help="Do not check TLS certificates [env NEWSKIT_INSECURE=1]."),
]
AllowPrivateOpt = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Let redirects and followed links lead from public hosts to loopback, private "
        "or link-local addresses [env NEWSKIT_ALLOW_PRIVATE=1].",
    ),
]
ConvertOpt = Annotated[
    str | None,
    typer.Option(
        "--convert",
        help="Convert Chinese script on the way out: zh-Hans, zh-Hant, zh-TW, zh-HK, zh-CN "
        "or an OpenCC configuration (s2twp, t2s, ...); see `newskit convert`.",
        metavar="TARGET",
        autocompletion=complete_targets,
        show_default=False,
    ),
]

MaxPagesOpt = Annotated[
    int,
    typer.Option(
        "--max-pages",
        min=1,
        help="Read at most N pages of a story split over several pages (the first included).",
    ),
]
FollowPagesOpt = Annotated[
    bool,
    typer.Option(
        "--follow-pages/--no-follow-pages",
        help="Fetch and join the later pages of a multi-page story (URL sources).",
    ),
]


def fetch_options(
    timeout: float | None = None,
    retries: int | None = None,
    user_agent: str | None = None,
    header: list[str] | None = None,
    max_bytes: str | None = None,
    insecure: bool = False,
    allow_private: bool = False,
) -> FetchOptions:
    """The one FetchOptions every fetching command builds: flags, then NEWSKIT_*, then defaults."""
    from newskit.net.options import FetchOptions, parse_header, parse_size

    return FetchOptions.from_env(
        timeout=timeout,
        retries=retries,
        user_agent=user_agent,
        headers=tuple(parse_header(h) for h in header) if header else None,
        max_bytes=parse_size(max_bytes) if max_bytes is not None else None,
        insecure=True if insecure else None,
        allow_private=True if allow_private else None,
    )


class ErrorMode(str, Enum):
    """Where a failed source is reported: stderr only, or also as a record in the output."""

    stderr = "stderr"
    inline = "inline"


InputFileOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--input-file",
        "-i",
        help="Read sources (paths or URLs, one a line, # comments) from LIST; - is stdin. "
        "Repeatable.",
        metavar="LIST",
        show_default=False,
    ),
]
GlobOpt = Annotated[
    str | None,
    typer.Option(
        "--glob",
        help="Files a folder source stands for, searched recursively [default: *.htm*].",
        metavar="PATTERN",
        show_default=False,
    ),
]
ErrorsOpt = Annotated[
    ErrorMode,
    typer.Option(
        "--errors",
        help="Report failed sources on stderr only, or also inline as {source, error} records "
        "(json/jsonl).",
        case_sensitive=False,
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Say nothing on stderr but errors.")]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="One stderr line per source: done or failed, with its time."
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        help="Sources worked on at once (processes); output keeps the input order "
        "[default: number of cores].",
        min=1,
        show_default=False,
    ),
]


@dataclass(frozen=True)
class RunOptions:
    """How a command runs over its sources and writes its records: built once per command."""

    fmt: OutputFormat | None = None
    fields: str | None = None
    output: str | None = None
    errors: ErrorMode = ErrorMode.stderr
    fail_fast: bool = False
    debug: bool = False
    quiet: bool = False
    verbose: bool = False
    jobs: int | None = None
    page_timeout: float | None = 10.0


TzOpt = Annotated[
    str | None,
    typer.Option(
        "--tz",
        help="Read times the page states without an offset as local times in ZONE and say "
        "its offset (Chinese portals: Asia/Shanghai).",
        metavar="ZONE",
        show_default=False,
    ),
]
PageTimeoutOpt = Annotated[
    float,
    typer.Option(
        "--page-timeout",
        min=0.0,
        help="Seconds one page's work in a worker process may take before it fails alone; "
        "0 = no limit.",
    ),
]
SummaryOpt = Annotated[
    int, typer.Option("--summary", min=0, help="Add a summary of N sentences (0 = none).")
]
TeaserOpt = Annotated[
    int, typer.Option("--teaser", min=0, help="Add a teaser of at most N characters.")
]
RecallOpt = Annotated[
    bool,
    typer.Option("--recall", help="Prefer more text over precision (keeps borderline blocks)."),
]
NoProgressOpt = Annotated[
    bool, typer.Option("--no-progress", help="No progress bar, even on a terminal.")
]


LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Keep only records in these languages (comma-separated codes: zh,en); "
        "others are skipped, not failed.",
        metavar="CODES",
        show_default=False,
    ),
]
WarcDirOpt = Annotated[
    str | None,
    typer.Option(
        "--warc",
        help="Also archive every response fetched (and its request) as gzipped WARC "
        "files in DIR, for `newskit warc DIR/*` later.",
        metavar="DIR",
        show_default=False,
    ),
]
WarcMaxSizeOpt = Annotated[
    str,
    typer.Option(
        "--warc-max-size",
        help="Start a new WARC file once one passes this size: 500M, 1G [default: 1G].",
        metavar="SIZE",
        show_default=False,
    ),
]


def warc_writer(target: str | None, max_size: str, *, directory: bool) -> WarcWriter | None:
    """The WarcWriter of --warc (None without it); a bad --warc-max-size is a usage error."""
    if not target:
        return None
    import os

    from newskit.archive.writer import WarcWriter
    from newskit.net.options import parse_size

    return WarcWriter(
        os.path.expanduser(target), directory=directory, max_size=parse_size(max_size)
    )
