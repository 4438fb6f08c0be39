"""The run loop every command shares: reading sources, one error boundary, writing records."""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import typer

from newskit.cli.options import ErrorMode, RunOptions
from newskit.core.errors import (
    ExitCode,
    InputError,
    NewskitError,
    OutputError,
    PartialError,
    UsageError,
    summary_exit_code,
)
from newskit.core.text import is_url
from newskit.records.writers import (
    TABLE_WIDTH,
    OutputFormat,
    Record,
    Writer,
    format_for,
    parse_fields,
)

if TYPE_CHECKING:
    from newskit.cli.parallel import Outcome
    from newskit.net.options import FetchOptions


# Leading blank lines read, at most, before a stream's kind is sniffed.
HEAD_BYTES = 1 << 16
# The size cap of a file or stdin when no FetchOptions say otherwise (as FetchOptions).
DEFAULT_MAX_BYTES = 20_000_000


def say(message: str) -> None:
    """One line of talk on stderr (never stdout, which carries data)."""
    typer.echo(f"newskit: {message}", err=True)


@contextlib.contextmanager
def error_boundary(debug: bool = False) -> Iterator[None]:
    """Map NewskitError (and anything unexpected) to one stderr line and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except NewskitError as err:
        if debug:
            traceback.print_exc()
        say(str(err))
        raise typer.Exit(int(err.exit_code)) from None
    except BrokenPipeError:
        raise typer.Exit(0) from None
    except Exception as err:
        if debug:
            raise
        say(f"unexpected error: {err.__class__.__name__}: {err} (rerun with --debug)")
        raise typer.Exit(int(ExitCode.UNEXPECTED)) from None


@dataclass
class SourceData:
    """A source's bytes and what is known about them."""

    name: str
    data: bytes
    url: str | None = None
    http_charset: str | None = None
    fetched: str | None = None


def _saved(source: SourceData) -> SourceData:
    """Strip the `<!-- newskit:fetch url=… charset=… -->` line `newskit fetch` writes."""
    if not source.data.startswith(b"<!-- newskit:fetch "):  # no fetch code for other files
        return source
    from newskit.net.http import split_marker

    body, url, charset = split_marker(source.data)
    if url is None:
        return source
    return SourceData(source.name, body, source.url or url, charset)


def read_source(
    name: str,
    url: str | None = None,
    *,
    options: FetchOptions | None = None,
    pool: Any = None,
) -> SourceData:
    """Read one source: `-` is stdin, http(s) is fetched (with `options`), else a file.

    Every source is capped at options.max_bytes (--max-bytes): `extract /dev/zero` fails.
    """
    if is_url(name):
        from newskit.net.http import fetch

        page = fetch(name, options, pool=pool)
        return SourceData(name, page.content, url or page.final_url, page.charset, page.fetched)
    with open_stream(name, max_bytes_of(options)) as stream:
        return _saved(SourceData(name, stream.read(), url))


def max_bytes_of(options: FetchOptions | None) -> int:
    """The size cap of a source: --max-bytes, NEWSKIT_MAX_BYTES, or the default."""
    return options.max_bytes if options is not None else DEFAULT_MAX_BYTES


class Capped:
    """A file or stdin read no further than a size cap: in all by a whole read, per line by
    line reads, so a page over the cap fails fast and JSON Lines still stream."""

    def __init__(self, stream: BinaryIO, name: str, max_bytes: int, owned: bool = True) -> None:
        self.stream, self.name, self.max_bytes, self.owned = stream, name, max_bytes, owned
        self.consumed = 0

    def _too_large(self, what: str) -> InputError:
        message = f"{what} over the size cap of {self.max_bytes} bytes (--max-bytes)"
        return InputError(message, source=self.name)

    def read(self, size: int | None = -1) -> bytes:
        """`size` bytes; all the rest (refused past the cap, counting what was read before)."""
        if size is not None and size >= 0:
            data = self.stream.read(size)
        else:
            data = self.stream.read(max(self.max_bytes - self.consumed, 0) + 1)
            if self.consumed + len(data) > self.max_bytes:
                raise self._too_large("input")
        self.consumed += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        """One line, refused when it runs past the cap without a line break."""
        cap = self.max_bytes + 1 if size is None or size < 0 else min(size, self.max_bytes + 1)
        line = self.stream.readline(cap)
        if len(line) > self.max_bytes:
            raise self._too_large("a line")
        self.consumed += len(line)
        return line

    def readlines(self, hint: int = -1) -> list[bytes]:
        """Lines until their size reaches `hint` (all of them when hint <= 0)."""
        lines: list[bytes] = []
        total = 0
        while line := self.readline():
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def close(self) -> None:
        """Close the file (never stdin)."""
        if self.owned:
            self.stream.close()

    def __enter__(self) -> BinaryIO:
        return cast(BinaryIO, self)

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_stream(name: str, max_bytes: int) -> BinaryIO:
    """A source to read, `-` for stdin, capped at max_bytes (see Capped)."""
    if name == "-":
        capped = Capped(typer.get_binary_stream("stdin"), "-", max_bytes, owned=False)
    else:
        capped = Capped(open_file(name), name, max_bytes)
    return cast(BinaryIO, capped)


def open_file(name: str) -> BinaryIO:
    """Open a file source, turning OS errors into one-line InputErrors naming it."""
    try:
        return Path(name).open("rb")
    except IsADirectoryError:
        raise InputError("is a directory", source=name) from None
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=name) from None


def read_head(stream: BinaryIO) -> bytes:
    """The first lines of a stream, up to and including the first one that is not blank."""
    lines: list[bytes] = []
    size = 0
    while True:
        line = stream.readline()
        lines.append(line)
        size += len(line)
        if not line or line.strip() or size > HEAD_BYTES:
            return b"".join(lines)


def decode_text(data: bytes, encoding: str, source: str | None = None) -> str:
    """Plain-text input decoded; an unknown or a wrong --encoding is a one-line error."""
    try:
        return data.decode(encoding)
    except LookupError:
        raise UsageError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as err:
        message = f"not {encoding} text ({err.reason}); try --encoding"
        raise InputError(message, source=source) from None


@contextlib.contextmanager
def open_output(output: str | None) -> Iterator[BinaryIO]:
    """stdout, or a file that appears only once complete (see newskit.records.files)."""
    if output in (None, "-"):
        yield typer.get_binary_stream("stdout")
        return
    from newskit.records.files import OutputFile

    target = OutputFile(os.path.expanduser(str(output)), name=str(output))
    try:
        yield target.stream
    except BaseException:
        target.discard()
        raise
    target.commit()


def error_record(source: str, err: NewskitError) -> Record:
    """The in-band record for a failed source (JSON Lines only)."""
    return {"source": source, "error": err.message, "stage": err.stage}


def each_source(
    sources: list[str],
    handle: Callable[[str], None],
    *,
    on_error: Callable[[str, NewskitError], None] | None = None,
    fail_fast: bool = False,
    debug: bool = False,
    verbose: bool = False,
) -> int:
    """Call `handle` on each source, report each failure on stderr, sum up in one exit code.

    A UsageError (the whole command is wrong) or an OutputError (the output cannot be
    written) stops the run; any other failure belongs to its source. Returns 0 all ok; the failure's own code when one source (or every source,
    failing alike) failed, or when --fail-fast stopped the run; PARTIAL (6) when some of
    several failed. `verbose` says one line per source done.
    """
    failures: list[ExitCode] = []
    for source in sources:
        started = time.perf_counter()
        try:
            handle(source)
        except (UsageError, OutputError):
            raise
        except NewskitError as err:
            failures.append(report_failure(source, err, debug))
            if on_error is not None:
                on_error(source, err)
        except (KeyboardInterrupt, BrokenPipeError, typer.Exit):
            raise
        except Exception as err:
            if debug:
                raise
            failures.append(ExitCode.UNEXPECTED)
            say(f"{source}: unexpected error: {err.__class__.__name__}: {err}")
        else:
            if verbose:
                say(f"{source}: done in {time.perf_counter() - started:.2f} s")
        if fail_fast and failures:
            return int(failures[-1])
    return summary_exit_code(failures, len(sources))


def _table_width(output: str | None) -> int:
    """The width of the terminal the table is read at, else the default.

    A table on standard output is read at a terminal even when piped (`| less`, `| head`):
    COLUMNS decides if set, else the terminal of standard output or of standard error.
    A table written to a file gets the default.
    """
    if output not in (None, "-"):
        return TABLE_WIDTH
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            if stream is not None and stream.isatty():
                return os.get_terminal_size(stream.fileno()).columns
    return TABLE_WIDTH


def run_many(
    sources: list[str],
    process: Callable[[str], Iterable[Record]],
    run: RunOptions,
    *,
    parallel: Callable[[str], bool] | None = None,
) -> int:
    """Process each source and stream its records (see `each_source` for the exit code).

    With `parallel` (a picklable `process`, and a test of which sources may leave this
    process) and several sources, --jobs worker processes share the work; the records
    still come out in input order.
    """
    many = len(sources) > 1
    chosen = run.fmt or format_for(run.output, many)
    jobs = run.jobs or os.cpu_count() or 1
    outcomes: Generator[Outcome, None, None] | None = None
    if parallel is not None and jobs > 1 and sum(map(parallel, sources)) > 1:
        from newskit.cli.parallel import ordered  # processes: only when they are used

        outcomes = ordered(
            sources, process, jobs, lambda source: not parallel(source), run.page_timeout or None
        )
    with open_output(run.output) as stream:
        writer = Writer(
            stream, chosen, parse_fields(run.fields), many=many, width=_table_width(run.output)
        )

        def handle(source: str) -> None:
            if outcomes is None:
                records: Iterable[Record] = process(source)
            else:
                found, _ = next(outcomes)
                if isinstance(found, BaseException):
                    raise found
                records = found
            missing: list[str] = []
            for record in records:
                writer.write(record)
                missing.extend(partial_note(record))
            if missing:  # the record is out; the run still says something is missing
                raise PartialError("; ".join(missing), source=source)

        def in_band(source: str, err: NewskitError) -> None:
            if isinstance(err, PartialError):  # its record is written already
                return
            if run.errors is ErrorMode.inline and chosen in (OutputFormat.jsonl, OutputFormat.json):
                writer.write(error_record(source, err))

        try:
            code = each_source(
                sources,
                handle,
                on_error=in_band,
                fail_fast=run.fail_fast,
                debug=run.debug,
                verbose=run.verbose,
            )
        finally:
            # The worker processes stop now: left to the collector (a failed source's
            # traceback holds the generator in a cycle), exit would wait on them forever.
            if outcomes is not None:
                outcomes.close()
        writer.close()
    return code


def partial_note(record: Record) -> list[str]:
    """What a written record says it lacks (a multi-page story's missing pages), or []."""
    missing = record.get("pages_missing")
    if not missing or not isinstance(missing, list):
        return []
    parts = "; ".join(f"{m.get('url')} ({m.get('error')})" for m in missing if isinstance(m, dict))
    read = len(record.get("pages") or [])
    return [f"{read} page(s) read, {len(missing)} missing: {parts}"]


def report_failure(source: str, err: NewskitError, debug: bool = False) -> ExitCode:
    """Say on stderr which source failed and why; returns the failure's exit code."""
    if debug:
        traceback.print_exc()
    say(str(err) if err.source else f"{source}: {err.message}")
    return err.exit_code
