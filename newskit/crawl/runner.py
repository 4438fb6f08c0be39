"""Batch runs over many URLs: `batch()` itself (its options and report are in crawl.types).

Data flow (newskit.crawl.pipeline): a producer thread streams URLs from the sources into a
bounded per-host scheduler (after asking the state what is already done); fetch threads
take the URL whose host can start soonest (robots.txt, concurrency, delay, Retry-After:
newskit.crawl.politeness, newskit.crawl.scheduler) and fetch it through one shared pool; pages go to a
process pool for extraction; the calling thread alone writes records and marks them done
(see newskit.crawl.state for the crash-safety protocol).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from newskit.core.errors import OutputError
from newskit.crawl.pages import PageFollower
from newskit.crawl.pipeline import Run, extraction_pool
from newskit.crawl.sinks import Sink
from newskit.crawl.sources import Source
from newskit.crawl.state import Store
from newskit.crawl.types import BatchOptions, BatchReport, Event, Fetcher


def attach_report(err: BaseException, report: BatchReport) -> None:
    """Hang the report of a run that did not finish on the exception that stopped it."""
    err.report = report  # type: ignore[attr-defined]
    if isinstance(err, KeyboardInterrupt):
        report.interrupted = True
    elif isinstance(err, OutputError):
        report.output_error = str(err)


def resume(store: Store, sink: Sink) -> int:
    """Take the output and settle what a killed run left half-done; returns rows settled."""
    sink.start()
    rows = store.emitting()
    for url, emit in rows:
        store.resolve_emit(url, sink.written(emit))
    return len(rows)


def batch(
    sources: Sequence[Source | str],
    sink: Sink | str,
    store: Store | str | None = None,
    options: BatchOptions | None = None,
    *,
    fetcher: Fetcher | None = None,
    pool: Any = None,
    on_event: Event | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> BatchReport:
    """Fetch, extract and write every URL of the sources once; returns the run's report.

    `sink` is a JSON Lines path or a newskit.crawl.sinks sink; `store` a state path or Store
    (default: beside the JSON Lines file, inside an --out-dir; a stream needs one given).
    Resumable: killing the process at any point loses nothing written and never leads to
    a record written twice (see newskit.crawl.state). A run stopped by Ctrl-C/SIGTERM or
    an OutputError carries its report on the exception (`err.report`).
    """
    from newskit.crawl.sinks import JsonlFileSink, default_state_path

    opts = options or BatchOptions()
    srcs = [Source(s) if isinstance(s, str) else s for s in sources]
    out: Sink = JsonlFileSink(sink) if isinstance(sink, str) else sink
    own_sink = isinstance(sink, str)
    try:
        own_store = not isinstance(store, Store)
        if isinstance(store, Store):
            state = store
        else:
            state = Store(store or default_state_path(out), hold=True)
        try:
            state.hold()  # before the sink is taken (and repaired)
            return _batch(srcs, out, state, opts, fetcher, pool, on_event, clock, sleep)
        finally:
            if own_store:
                state.close()
    finally:
        if own_sink:
            out.close()


def _batch(
    sources: list[Source],
    sink: Sink,
    store: Store,
    opts: BatchOptions,
    fetcher: Fetcher | None,
    pool: Any,
    on_event: Event | None,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> BatchReport:
    resume(store, sink)
    if fetcher is None or opts.fetch is None or pool is None:
        from newskit.net.http import fetch
        from newskit.net.options import FetchOptions, make_pool

        fetcher = fetcher or fetch
        opts = replace(opts, fetch=opts.fetch or FetchOptions())
        pool = pool if pool is not None else make_pool(opts.fetch, maxsize=max(10, opts.jobs))
    run = Run(sources, sink, store, opts, fetcher, pool, on_event, clock, sleep)
    run.report.state = str(store.path)
    started = clock()
    procs = extraction_pool(run.procs, opts.page_timeout)
    run.follower = PageFollower(run, procs)
    threads = [threading.Thread(target=run.produce, name="newskit-sources", daemon=True)]
    threads += [
        threading.Thread(
            target=run.fetch_worker, args=(procs,), name=f"newskit-fetch-{i}", daemon=True
        )
        for i in range(run.threads)
    ]
    try:
        for thread in threads:
            thread.start()
        run.consume()
    except BaseException as err:
        run.halt()
        run.follower.shutdown(wait=False)
        procs.shutdown(wait=False)
        run.report.elapsed = clock() - started
        attach_report(err, run.report)
        raise
    run.follower.shutdown()
    procs.shutdown(wait=True)
    run.finish.close()
    run.report.elapsed = clock() - started
    return run.report
