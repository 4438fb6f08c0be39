"""`newskit batch`: cron-grade runs over thousands of URLs, resumable, polite, streaming."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from newskit.cli.checks import check_fields, parse_duration, record_fields
from newskit.cli.engines import (
    EngineName,
    EngineOpt,
    SchedulerFileOpt,
    SchedulerOpt,
    WorkersOpt,
    batch_on,
    open_cluster,
)
from newskit.cli.options import (
    AllowPrivateOpt,
    ConvertOpt,
    DebugOpt,
    FieldsOpt,
    FollowPagesOpt,
    HeaderOpt,
    InsecureOpt,
    MaxBytesOpt,
    MaxPagesOpt,
    NoProgressOpt,
    PageTimeoutOpt,
    QuietOpt,
    RecallOpt,
    RetriesOpt,
    SummaryOpt,
    TeaserOpt,
    TimeoutOpt,
    TzOpt,
    UserAgentOpt,
    VerboseOpt,
    WarcDirOpt,
    WarcMaxSizeOpt,
    fetch_options,
    warc_writer,
)
from newskit.cli.progress import progress
from newskit.cli.run import error_boundary, say
from newskit.core.errors import ExitCode, OutputClosedError, OutputError, UsageError
from newskit.core.times import check_zone

if TYPE_CHECKING:
    from newskit.archive.writer import WarcWriter
    from newskit.cluster.client import Cluster
    from newskit.crawl.sinks import Sink
    from newskit.crawl.sources import Source
    from newskit.crawl.state import Store
    from newskit.crawl.types import BatchOptions, BatchReport

BatchSourcesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or URLs of URL lists (one per line, # comments), feeds or sitemaps "
        "(sniffed), or - for stdin.",
        metavar="SOURCE...",
        show_default=False,
    ),
]


def _sources(
    names: list[str] | None, feeds: list[str] | None, sitemaps: list[str] | None
) -> list[Source]:
    from newskit.crawl.sources import Source

    stdin = typer.get_binary_stream("stdin")
    out = [Source(n, "auto", stdin if n == "-" else None) for n in names or []]
    out += [Source(n, "feed", stdin if n == "-" else None) for n in feeds or []]
    out += [Source(n, "sitemap", stdin if n == "-" else None) for n in sitemaps or []]
    if not out:
        if sys.stdin is not None and not sys.stdin.isatty():
            return [Source("-", "auto", stdin)]
        raise UsageError("no SOURCE given (pass a URL list, --feed, --sitemap, or - for stdin)")
    return out


def _sink(output: str | None, out_dir: str | None, fsync: bool) -> tuple[Sink, str]:
    from newskit.crawl.sinks import DirSink, JsonlFileSink, StreamSink

    if output not in (None, "-") and out_dir:
        raise UsageError("give either -o/--output or --out-dir, not both")
    if out_dir:
        return DirSink(os.path.expanduser(out_dir)), out_dir
    if output not in (None, "-"):
        path = os.path.expanduser(str(output))
        return JsonlFileSink(path, fsync=fsync, name=str(output)), str(output)
    return StreamSink(typer.get_binary_stream("stdout")), "-"


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _write_report(path: str, report: BatchReport) -> None:
    from newskit.records.files import write_file
    from newskit.records.writers import render_json

    write_file(os.path.expanduser(path), render_json(report.to_dict()), name=path)


def _run(
    sources: list[Source],
    sink: Sink,
    store: Store,
    options: BatchOptions,
    bar: bool,
    verbose: bool = False,
    archive: WarcWriter | None = None,
    cluster: Cluster | None = None,
) -> tuple[BatchReport, BaseException | None]:
    """Run the batch; a run stopped by a signal or an output error gives its report too."""
    from newskit.crawl.runner import batch

    fetcher = None
    if archive is not None:
        from newskit.archive.writer import archiving
        from newskit.net.http import fetch

        fetcher = archiving(fetch, archive)
    try:
        with progress(bar, verbose) as on_event:
            if cluster is not None:
                return batch_on(cluster, sources, sink, store, options, archive, on_event), None
            return batch(sources, sink, store, options, fetcher=fetcher, on_event=on_event), None
    except (KeyboardInterrupt, OutputError) as err:
        report: BatchReport | None = getattr(err, "report", None)
        if report is None:
            raise
        return report, err


def _mention_old_state(path: Path) -> None:
    """Once, on a job's first run: an older newskit kept every job's state in one place."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.expanduser("~/.local/state")
    old = Path(base) / "newskit" / "batch.sqlite"
    if old.is_file() and not path.exists():
        say(
            f"the state is now kept beside the output ({path}); the shared state of older"
            f" versions, {old}, is not used: pass --state {old} to go on with it"
        )


def _quiet_stdout() -> None:
    """After the reader closed stdout: nothing more may be flushed into it at exit."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _stopped(err: BaseException) -> int:
    """Say why the run stopped (one line); returns the exit code."""
    if isinstance(err, OutputClosedError):
        _quiet_stdout()
        say(f"{err}, with URLs still to write: rerun with the same --state to resume")
        return int(ExitCode.OUTPUT)
    if isinstance(err, OutputError):
        say(f"{err} (what was written is kept: rerun the same command to resume)")
        return int(ExitCode.OUTPUT)
    say("interrupted; what was written is kept: rerun the same command to resume")
    return int(ExitCode.INTERRUPTED)


EPILOG = """\b
Examples:
  newskit batch urls.txt -o articles.jsonl           # state kept beside the output
  newskit batch --feed https://news.example.cn/rss.xml -o articles.jsonl --report run.json
  newskit batch --sitemap https://news.example.cn/sitemap.xml --out-dir articles/

Exit codes: 0 ok, 2 usage (stdout needs --state), 3 every URL failed to fetch, 4 every
page had no article, 5 bad input or a state/output another run holds, 6 some URLs failed
or a story was written with a page missing (see --report), 7 the output cannot be
written, 130 interrupted.
"""


def batch_command(
    sources: BatchSourcesArg = None,
    feed: Annotated[
        list[str] | None,
        typer.Option(
            "--feed", help="An RSS/Atom feed URL or file (repeatable).", show_default=False
        ),
    ] = None,
    sitemap: Annotated[
        list[str] | None,
        typer.Option(
            "--sitemap",
            help="A sitemap or sitemap index URL or file, .xml or .xml.gz (repeatable).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Append JSON Lines to FILE (crash-safe); default stdout."
        ),
    ] = None,
    out_dir: Annotated[
        str | None,
        typer.Option("--out-dir", help="Write one JSON file per article: DIR/site/date/slug.json."),
    ] = None,
    state: Annotated[
        str | None,
        typer.Option(
            "--state",
            help="SQLite state file [default: FILE.state.sqlite beside -o FILE, "
            "DIR/.state.sqlite in --out-dir; needed when writing to stdout].",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        str | None, typer.Option("--report", help="Write the run summary as JSON to FILE.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Fetch threads.")] = 8,
    procs: Annotated[
        int, typer.Option("--procs", min=0, help="Extraction processes; 0 = one per CPU.")
    ] = 0,
    per_host: Annotated[
        int, typer.Option("--per-host", min=1, help="Requests at once to one host.")
    ] = 2,
    delay: Annotated[
        float, typer.Option("--delay", min=0.0, help="Seconds between requests to one host.")
    ] = 0.5,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="Do not fetch or honour robots.txt.")
    ] = False,
    max_attempts: Annotated[
        int, typer.Option("--max-attempts", min=1, help="Give a failing URL up after N runs.")
    ] = 3,
    recheck: Annotated[
        bool,
        typer.Option(
            "--recheck",
            help="Fetch done pages again too (conditionally, with their ETag/Last-Modified); "
            "by default a rerun fetches only URLs not done yet.",
        ),
    ] = False,
    recheck_after: Annotated[
        str | None,
        typer.Option(
            "--recheck-after",
            help="Recheck done pages last checked at least this long ago: 7d, 12h, 30m.",
            metavar="AGE",
            show_default=False,
        ),
    ] = None,
    fsync: Annotated[
        bool, typer.Option("--fsync/--no-fsync", help="fsync each record written to -o FILE.")
    ] = True,
    fields: FieldsOpt = None,
    convert: ConvertOpt = None,
    summary: SummaryOpt = 0,
    teaser: TeaserOpt = 0,
    recall: RecallOpt = False,
    tz: TzOpt = None,
    page_timeout: PageTimeoutOpt = 10.0,
    dedup: Annotated[
        bool,
        typer.Option(
            "--dedup",
            help="Group syndicated copies (转载) with the records of this and earlier runs: "
            "add cluster, duplicate_of and similarity (see newskit dedup).",
        ),
    ] = False,
    dedup_window: Annotated[
        str,
        typer.Option(
            "--dedup-window", help="With --dedup: compare records published this close: 2d, 36h."
        ),
    ] = "2d",
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    user_agent: UserAgentOpt = None,
    header: HeaderOpt = None,
    max_bytes: MaxBytesOpt = None,
    insecure: InsecureOpt = False,
    allow_private: AllowPrivateOpt = False,
    follow: FollowPagesOpt = True,
    max_pages: MaxPagesOpt = 10,
    no_progress: NoProgressOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    warc: WarcDirOpt = None,
    warc_max_size: WarcMaxSizeOpt = "1G",
    engine: EngineOpt = EngineName.local,
    scheduler: SchedulerOpt = None,
    scheduler_file: SchedulerFileOpt = None,
    workers: WorkersOpt = 0,
    debug: DebugOpt = False,
) -> None:
    """Fetch and extract many URLs (lists, feeds, sitemaps) once each: resumable, for cron."""
    previous = signal.getsignal(signal.SIGTERM)
    code = int(ExitCode.OK)
    with error_boundary(debug):
        from newskit.article.extraction import ExtractOptions
        from newskit.article.paging import PageOptions
        from newskit.clusters.stream import parse_window
        from newskit.crawl.sinks import default_state_path
        from newskit.crawl.state import Store
        from newskit.crawl.types import BatchOptions
        from newskit.records.writers import parse_fields

        window = parse_window(dedup_window) if dedup else None
        zone = check_zone(tz) if tz else None
        extra: tuple[str, ...] = ("summary" if summary else "", "teaser" if teaser else "")
        extra += ("cluster", "duplicate_of", "similarity") if dedup else ()
        check_fields(
            fields,
            record_fields(*extra),
            f"valid: {', '.join(record_fields(*extra))}; "
            "summary and teaser need --summary and --teaser",
        )
        if convert:
            from newskit.text.scripts import check_target

            check_target(convert)
        options = BatchOptions(
            jobs=jobs,
            procs=procs,
            per_host=per_host,
            delay=delay,
            robots=not ignore_robots,
            max_attempts=max_attempts,
            recheck=0.0 if recheck else (parse_duration(recheck_after) if recheck_after else None),
            fetch=fetch_options(
                timeout, retries, user_agent, header, max_bytes, insecure, allow_private
            ),
            extract=ExtractOptions(precision=not recall, tz=zone),
            convert=convert,
            summary=summary,
            teaser=teaser,
            fields=tuple(parse_fields(fields) or ()),
            page_timeout=page_timeout or None,
            pages=PageOptions(follow=follow, max_pages=max_pages),
            dedup=window,
        )
        srcs = _sources(sources, feed, sitemap)
        archive = warc_writer(warc, warc_max_size, directory=True)
        if report:  # a report that cannot be written is said before the run, not after it
            from newskit.records.files import check_output

            check_output(os.path.expanduser(report), report)
        sink, where = _sink(output, out_dir, fsync)
        try:
            path = os.path.expanduser(state) if state else default_state_path(sink)
            if not state:
                _mention_old_state(Path(path))
            store = Store(path, hold=True)  # before the sink is taken (and repaired)
        except BaseException:
            sink.close()
            raise
        tty = sys.stderr is not None and sys.stderr.isatty()
        records_on_tty = where == "-" and sys.stdout is not None and sys.stdout.isatty()
        # The bar shares no terminal with the records (they would tear each other apart).
        bar = tty and not (no_progress or quiet or verbose or records_on_tty)
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            with open_cluster(engine, scheduler, scheduler_file, workers) as cluster:
                result, stopped = _run(srcs, sink, store, options, bar, verbose, archive, cluster)
        except KeyboardInterrupt as err:  # before the run began: an empty report says so
            from newskit.crawl.types import BatchReport

            empty = BatchReport(state=str(store.path), started=time.time(), interrupted=True)
            result, stopped = empty, err
        finally:
            signal.signal(signal.SIGTERM, previous)
            sink.close()
            store.close()
            if archive is not None:
                archive.close()
        result.output = where
        if report:
            _write_report(report, result)
        if stopped is not None:
            raise typer.Exit(_stopped(stopped))
        if result.failed or result.partial or ((tty or verbose) and not quiet):
            say(result.paragraph())
        code = result.exit_code()
    raise typer.Exit(code)
