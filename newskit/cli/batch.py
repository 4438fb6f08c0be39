"""`newskit batch`: cron-grade runs over thousands of URLs, resumable, polite, streaming."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from newskit.cli.options import (
    AllowPrivateOpt,
    ConvertOpt,
    DebugOpt,
    FieldsOpt,
    HeaderOpt,
    InsecureOpt,
    MaxBytesOpt,
    RetriesOpt,
    TimeoutOpt,
    UserAgentOpt,
    check_fields,
    fetch_options,
    record_fields,
)
from newskit.cli.run import error_boundary, say
from newskit.core.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from newskit.crawl.sinks import Sink
    from newskit.crawl.sources import Source
    from newskit.crawl.types import BatchReport

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
        return JsonlFileSink(os.path.expanduser(str(output)), fsync=fsync), str(output)
    return StreamSink(typer.get_binary_stream("stdout")), "-"


@contextlib.contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """A rich progress bar on stderr (a terminal only); yields the event callback or None."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    columns = (
        TextColumn("batch"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[tally]}"),
    )
    tally: dict[str, int] = {}
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("batch", total=0, tally="")

        def on_event(kind: str, url: str) -> None:
            tally[kind] = tally.get(kind, 0) + 1
            if kind == "queued":
                bar.update(task, total=tally["queued"])
            elif kind != "skipped":
                text = ", ".join(f"{k} {n}" for k, n in tally.items() if k not in ("queued",))
                bar.update(task, advance=1, tally=text)

        yield on_event


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _write_report(path: str, report: BatchReport) -> None:
    from newskit.records.files import write_file
    from newskit.records.writers import render_json

    write_file(os.path.expanduser(path), render_json(report.to_dict()), name=path)


EPILOG = """\b
Examples:
  newskit batch urls.txt -o articles.jsonl           # state kept beside the output
  newskit batch --feed https://news.example.cn/rss.xml -o articles.jsonl --report run.json
  newskit batch --sitemap https://news.example.cn/sitemap.xml --out-dir articles/

Exit codes: 0 ok, 3 every URL failed to fetch, 4 every page had no article, 5 bad input,
6 some URLs failed (see --report).
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
            help="SQLite state file [default: $XDG_STATE_HOME/newskit/batch.sqlite].",
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
            "--recheck/--no-recheck",
            help="Recheck done pages that have an ETag/Last-Modified with a conditional request.",
        ),
    ] = True,
    fsync: Annotated[
        bool, typer.Option("--fsync/--no-fsync", help="fsync each record written to -o FILE.")
    ] = True,
    fields: FieldsOpt = None,
    convert: ConvertOpt = None,
    summary: Annotated[
        int, typer.Option("--summary", min=0, help="Add a summary of N sentences (0 = none).")
    ] = 0,
    teaser: Annotated[
        int, typer.Option("--teaser", min=0, help="Add a teaser of at most N characters.")
    ] = 0,
    recall: Annotated[
        bool, typer.Option("--recall", help="Prefer more text over precision.")
    ] = False,
    timeout: TimeoutOpt = None,
    retries: RetriesOpt = None,
    user_agent: UserAgentOpt = None,
    header: HeaderOpt = None,
    max_bytes: MaxBytesOpt = None,
    insecure: InsecureOpt = False,
    allow_private: AllowPrivateOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Fetch and extract many URLs (lists, feeds, sitemaps) once each: resumable, for cron."""
    previous = signal.getsignal(signal.SIGTERM)
    code = int(ExitCode.OK)
    with error_boundary(debug):
        from newskit.article.extraction import ExtractOptions
        from newskit.crawl.runner import batch
        from newskit.crawl.state import Store, default_state_path
        from newskit.crawl.types import BatchOptions
        from newskit.records.writers import parse_fields

        extra = ("summary" if summary else "", "teaser" if teaser else "")
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
            recheck=recheck,
            fetch=fetch_options(
                timeout, retries, user_agent, header, max_bytes, insecure, allow_private
            ),
            extract=ExtractOptions(precision=not recall),
            convert=convert,
            summary=summary,
            teaser=teaser,
            fields=tuple(parse_fields(fields) or ()),
        )
        srcs = _sources(sources, feed, sitemap)
        store = Store(os.path.expanduser(state) if state else default_state_path())
        store.hold()  # before the sink opens (and repairs) the output
        sink, where = _sink(output, out_dir, fsync)
        tty = sys.stderr is not None and sys.stderr.isatty()
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            with _progress(tty) as on_event:
                result = batch(srcs, sink, store, options, on_event=on_event)
        except KeyboardInterrupt:
            say("interrupted; what was written is kept: rerun the same command to resume")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            sink.close()
            store.close()
        result.output = where
        if report:
            _write_report(report, result)
        if result.failed or tty:
            say(result.paragraph())
        code = result.exit_code()
    raise typer.Exit(code)
