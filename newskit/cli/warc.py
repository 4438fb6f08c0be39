"""`newskit warc`: web archives (WARC, ARC) in, one article record per HTML response out."""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from newskit.cli.engines import (
    EngineName,
    EngineOpt,
    SchedulerFileOpt,
    SchedulerOpt,
    WorkersOpt,
    open_cluster,
)
from newskit.cli.inputs import resolve_sources
from newskit.cli.options import (
    ConvertOpt,
    DebugOpt,
    FieldsOpt,
    InputFileOpt,
    MaxBytesOpt,
    NoProgressOpt,
    QuietOpt,
    RecallOpt,
    SummaryOpt,
    TeaserOpt,
    TzOpt,
    VerboseOpt,
)
from newskit.cli.progress import progress
from newskit.cli.run import error_boundary, open_output, say
from newskit.core.errors import ExitCode, NewskitError, UsageError
from newskit.core.times import check_zone
from newskit.records.writers import OutputFormat, Writer, parse_fields

if TYPE_CHECKING:
    from newskit.archive.runner import ArchiveReport, ArchiveRun, Engine


ArchivesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="WARC or ARC files (.warc, .warc.gz, .arc, .arc.gz), or - for stdin.",
        metavar="FILE...",
        show_default=False,
    ),
]
WarcFormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: jsonl, one record a line].",
        case_sensitive=False,
        show_default=False,
    ),
]


# The files a folder argument stands for: WARC and ARC files, plain or gzipped (and .open).
ARCHIVE_GLOB = "*.*arc*"
EPILOG = """\b
Examples:
  newskit warc crawl.warc.gz -o articles.jsonl
  newskit warc archive/ --url-glob '*://*.example.cn/*' -f table --fields url,title,date
  zcat old.arc.gz | newskit warc - --convert zh-TW
  newskit warc cc-news/*.warc.gz --engine dask -o news.jsonl --state warc.sqlite

Exit codes: 0 ok, 2 usage, 4 no article in any page, 5 bad input, 6 some records failed.
"""


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _report(err: NewskitError) -> None:
    say(str(err))


def _run_plain(
    run_args: dict[str, Any],
    names: list[str],
    engine: Engine | None,
    output: str | None,
    fmt: OutputFormat | None,
    fields: str | None,
) -> ArchiveReport:
    from newskit.archive.runner import ArchiveRun

    with open_output(output) as stream:
        writer = Writer(stream, fmt or OutputFormat.jsonl, parse_fields(fields), many=True)
        run = ArchiveRun(output=writer.write, **run_args)
        report = run.run(names, engine)
        writer.close()
    return report


def _run_with_state(
    run_args: dict[str, Any],
    names: list[str],
    engine: Engine | None,
    output: str | None,
    fmt: OutputFormat | None,
    fields: str | None,
    state: str,
) -> ArchiveReport:
    from newskit.archive.runner import ArchiveRun
    from newskit.archive.state import ArchiveState
    from newskit.crawl.sinks import JsonlFileSink, StreamSink

    if fmt not in (None, OutputFormat.jsonl):
        raise UsageError("--state appends JSON Lines: drop --format or use --format jsonl")
    store = ArchiveState(os.path.expanduser(state))
    try:
        store.hold()
        sink: Any
        if output in (None, "-"):
            sink = StreamSink(typer.get_binary_stream("stdout"))
        else:
            sink = JsonlFileSink(os.path.expanduser(str(output)), name=str(output))
        try:
            run: ArchiveRun = ArchiveRun(
                sink=sink, state=store, fields=parse_fields(fields), **run_args
            )
            return run.run(names, engine)
        finally:
            sink.close()
    finally:
        store.close()


def warc_command(
    sources: ArchivesArg = None,
    url_glob: Annotated[
        list[str] | None,
        typer.Option(
            "--url-glob",
            help="Keep only records whose URL matches this glob, e.g. '*://*.example.cn/*' "
            "(repeatable).",
            show_default=False,
        ),
    ] = None,
    mime: Annotated[
        list[str] | None,
        typer.Option(
            "--mime",
            help="Media types to take, globs allowed (repeatable) "
            "[default: text/html, application/xhtml+xml].",
            show_default=False,
        ),
    ] = None,
    fmt: WarcFormatOpt = None,
    fields: FieldsOpt = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to FILE instead of stdout: atomically, or with --state appended "
            "crash-safely.",
        ),
    ] = None,
    convert: ConvertOpt = None,
    summary: SummaryOpt = 0,
    teaser: TeaserOpt = 0,
    recall: RecallOpt = False,
    max_bytes: MaxBytesOpt = None,
    tz: TzOpt = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            help="SQLite file of finished files and records: a rerun skips them, a killed "
            "run resumes without writing a record twice.",
            show_default=False,
        ),
    ] = None,
    engine: EngineOpt = EngineName.local,
    scheduler: SchedulerOpt = None,
    scheduler_file: SchedulerFileOpt = None,
    workers: WorkersOpt = 0,
    input_file: InputFileOpt = None,
    no_progress: NoProgressOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Extract every HTML page kept in WARC/ARC files, as `extract --url` would."""
    previous = signal.getsignal(signal.SIGTERM)
    code = int(ExitCode.OK)
    with error_boundary(debug):
        from newskit.archive.articles import WarcJob
        from newskit.archive.reader import HTML_TYPES, ArchiveOptions
        from newskit.article.extraction import ExtractOptions
        from newskit.net.options import parse_size

        if convert:
            from newskit.text.scripts import check_target

            check_target(convert)
        limits = {"max_bytes": parse_size(max_bytes)} if max_bytes else {}
        job = WarcJob(
            archive=ArchiveOptions(tuple(url_glob or ()), tuple(mime or HTML_TYPES), **limits),
            extract=ExtractOptions(precision=not recall, tz=check_zone(tz) if tz else None),
            convert=convert,
            summary=summary,
            teaser=teaser,
        )
        names = resolve_sources(sources, input_file, ARCHIVE_GLOB)
        remote = engine is EngineName.dask or bool(scheduler or scheduler_file)
        if remote and "-" in names:
            raise UsageError("--engine dask reads files by path: stdin (-) needs --engine local")
        run_args: dict[str, Any] = {
            "job": job,
            "on_error": _report,
            "stdin": typer.get_binary_stream("stdin"),
        }
        tty = sys.stderr is not None and sys.stderr.isatty()
        records_on_tty = output in (None, "-") and sys.stdout is not None and sys.stdout.isatty()
        bar = tty and not (no_progress or quiet or verbose or records_on_tty)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            with (
                open_cluster(engine, scheduler, scheduler_file, workers) as cluster,
                progress(
                    bar, verbose, label="warc", total="files", steps=frozenset({"file"})
                ) as on_event,
            ):
                run_args["on_event"] = on_event
                chosen = None
                if cluster is not None:
                    from newskit.archive.engine import DaskEngine

                    chosen = DaskEngine(cluster)
                if state:
                    args = (run_args, names, chosen, output, fmt, fields, state)
                    report = _run_with_state(*args)
                else:
                    report = _run_plain(run_args, names, chosen, output, fmt, fields)
        except KeyboardInterrupt:
            if state:
                say("interrupted; what was written is kept: rerun the same command to resume")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
        if report.failed or ((tty or verbose) and not quiet):
            say(report.paragraph())
        code = report.exit_code()
    raise typer.Exit(code)
