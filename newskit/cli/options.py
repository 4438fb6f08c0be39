"""Option types every command shares (Annotated aliases) and the one FetchOptions builder."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from newskit.records.writers import OutputFormat

if TYPE_CHECKING:
    from newskit.net.options import FetchOptions


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
    typer.Option("--fields", help="Comma-separated fields to keep, in order (every format)."),
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
        help="Size cap of a page, also after decompression: 5000000, 500k, 20M "
        "[env NEWSKIT_MAX_BYTES; default 20M].",
        show_default=False,
    ),
]
InsecureOpt = Annotated[
    bool,
    typer.Option("--insecure", help="Do not check TLS certificates [env NEWSKIT_INSECURE=1]."),
]
ConvertOpt = Annotated[
    str | None,
    typer.Option(
        "--convert",
        help="Convert Chinese script on the way out: zh-Hans, zh-Hant, zh-TW, zh-HK, zh-CN "
        "or an OpenCC configuration (s2twp, t2s, ...); see `newskit convert`.",
        metavar="TARGET",
        show_default=False,
    ),
]


def fetch_options(
    timeout: float | None = None,
    retries: int | None = None,
    user_agent: str | None = None,
    header: list[str] | None = None,
    max_bytes: str | None = None,
    insecure: bool = False,
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
    )
