"""Batch runs over many URLs: the options, the report, and `batch()` itself.

Data flow (newskit.pipeline): a producer thread streams URLs from the sources into a
bounded per-host scheduler (after asking the state what is already done); fetch threads
take the URL whose host can start soonest (robots.txt, concurrency, delay, Retry-After:
newskit.polite, newskit.scheduler) and fetch it through one shared pool; pages go to a
process pool for extraction; the calling thread alone writes records and marks them done
(see newskit.store for the crash-safety protocol).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from newskit.errors import ExitCode, HTTPStatusError, NewskitError
from newskit.extract import ExtractOptions
from newskit.feeds import Source
from newskit.models import Page
from newskit.sinks import Sink
from newskit.store import Store

Event = Callable[[str, str], None]
Fetcher = Callable[..., Page]


@dataclass(frozen=True)
class BatchOptions:
    """Everything that tunes a batch run; built once by the CLI, passed to `batch`."""

    jobs: int = 8
    procs: int = 0
    per_host: int = 2
    delay: float = 0.5
    robots: bool = True
    max_attempts: int = 3
    recheck: bool = True
    fetch: Any = None
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    convert: str | None = None
    summary: int = 0
    teaser: int = 0
    fields: tuple[str, ...] = ()


@dataclass
class BatchReport:
    """What a run did; `to_dict()` is the `--report` JSON, `exit_code()` the CLI's code."""

    state: str = ""
    output: str = ""
    started: float = 0.0
    elapsed: float = 0.0
    queued: int = 0
    done: int = 0
    unchanged: int = 0
    duplicate: int = 0
    skipped: int = 0
    gave_up: int = 0
    failed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    codes: dict[int, int] = field(default_factory=dict)

    def add_failure(self, url: str, err: NewskitError, reason: str) -> None:
        """Count one failed URL (or source) under its reason and exit code."""
        self.failed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        self.codes[int(err.exit_code)] = self.codes.get(int(err.exit_code), 0) + 1
        if len(self.errors) < 100:
            self.errors.append(
                {"url": url, "stage": err.stage, "reason": reason, "error": err.message}
            )

    def exit_code(self) -> int:
        """0 nothing failed; 3/4 every URL tried failed at fetch/extraction; else 6."""
        if not self.failed:
            return int(ExitCode.OK)
        tried = self.done + self.unchanged + self.duplicate + self.failed
        if self.failed == tried and len(self.codes) == 1:
            return next(iter(self.codes))
        return int(ExitCode.PARTIAL)

    def to_dict(self) -> dict[str, Any]:
        """The run summary as JSON-ready data."""
        keys = ("queued", "done", "unchanged", "duplicate", "skipped", "gave_up", "failed")
        return {
            "state": self.state,
            "output": self.output,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "elapsed": round(self.elapsed, 3),
            **{key: getattr(self, key) for key in keys},
            "reasons": dict(sorted(self.reasons.items(), key=lambda kv: -kv[1])),
            "exit_code": self.exit_code(),
            "errors": self.errors,
        }

    def paragraph(self) -> str:
        """The one-paragraph summary cron mails when something failed."""
        why = ", ".join(f"{r}: {n}" for r, n in sorted(self.reasons.items(), key=lambda kv: -kv[1]))
        text = (
            f"batch: {self.done} done, {self.unchanged} unchanged, {self.duplicate} duplicate,"
            f" {self.skipped} already done, {self.failed} failed"
        )
        text += f" ({why})" if why else ""
        if self.gave_up:
            text += f", {self.gave_up} given up after too many attempts"
        sample = "; ".join(f"{e['url']}: {e['error']}" for e in self.errors[:3])
        return f"{text}. First failures: {sample}. State: {self.state}." if sample else text + "."


_REASONS = {
    "DNSError": "dns",
    "ConnectError": "connect",
    "TimeoutError": "timeout",
    "TLSError": "tls",
    "TooLargeError": "too large",
    "TooManyRedirectsError": "redirects",
    "NotHTMLError": "not html",
    "ExtractionError": "no article",
    "InputError": "bad input",
}


def reason_of(err: NewskitError) -> str:
    """A short failure reason for summaries: "HTTP 404", "timeout", "no article", …."""
    if isinstance(err, HTTPStatusError):
        return f"HTTP {err.status}"
    return getattr(err, "reason", None) or _REASONS.get(type(err).__name__, err.stage)


def resume(store: Store, sink: Sink) -> int:
    """Settle what a killed run left half-done; returns how many rows were settled."""
    rows = store.emitting()
    for url, target, line_hash in rows:
        store.resolve_emit(url, sink.written(target, line_hash))
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

    `sink` is a JSON Lines path or a newskit.sinks sink; `store` a state path or Store
    (default: the XDG state file). Resumable: killing the process at any point loses
    nothing written and never leads to a record written twice (see newskit.store).
    """
    from newskit.sinks import JsonlFileSink
    from newskit.store import default_state_path

    opts = options or BatchOptions()
    srcs = [Source(s) if isinstance(s, str) else s for s in sources]
    own_store = not isinstance(store, Store)
    state = store if isinstance(store, Store) else Store(store or default_state_path())
    own_sink = isinstance(sink, str)
    try:
        state.hold()  # before the sink opens (and repairs) the output
        out: Sink = JsonlFileSink(sink) if isinstance(sink, str) else sink
        try:
            return _batch(srcs, out, state, opts, fetcher, pool, on_event, clock, sleep)
        finally:
            if own_sink:
                out.close()
    finally:
        if own_store:
            state.close()


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
    from newskit.pipeline import Run, process_pool

    resume(store, sink)
    if fetcher is None or opts.fetch is None or pool is None:
        from newskit.fetch import FetchOptions, fetch, make_pool

        fetcher = fetcher or fetch
        opts = replace(opts, fetch=opts.fetch or FetchOptions())
        pool = pool if pool is not None else make_pool(opts.fetch, maxsize=max(10, opts.jobs))
    run = Run(sources, sink, store, opts, fetcher, pool, on_event, clock, sleep)
    run.report.state = str(store.path)
    started = clock()
    procs = process_pool(run.procs, store.held_fds())
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
    except BaseException:
        run.halt()
        procs.shutdown(wait=False, cancel_futures=True)
        raise
    procs.shutdown(wait=True)
    run.report.elapsed = clock() - started
    return run.report
