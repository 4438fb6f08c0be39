"""Batch runs over many URLs: fetch threads, extraction processes, politeness, resume.

Data flow: a producer thread streams URLs from the sources into a bounded queue (after
asking the state what is already done); `jobs` fetch threads take them, pass the per-host
gate (robots.txt, concurrency, delay, Retry-After) and fetch them through one shared
pool; pages go to a process pool for extraction; the calling thread alone writes records
and marks them done (see newskit.store for the crash-safety protocol).
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from newskit.errors import ExitCode, HTTPStatusError, NewskitError
from newskit.extract import ExtractOptions
from newskit.feeds import Source, iter_urls
from newskit.models import Page
from newskit.polite import HostGate, Robots, conditional
from newskit.sinks import Sink
from newskit.store import Claim, Store

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


@dataclass(frozen=True)
class _Job:
    extract: ExtractOptions
    convert: str | None
    summary: int
    teaser: int


def _worker_init(parent: int, inherited: tuple[int, ...]) -> None:
    """In each extraction process: leave Ctrl-C to the parent, die with it, load trafilatura."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fd in inherited:  # the run lock: a killed parent must release it at once
        with contextlib.suppress(OSError):
            os.close(fd)

    def watch() -> None:  # a SIGKILLed parent must not leave workers holding its stdout
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    import trafilatura  # noqa: F401

    import newskit.extract  # noqa: F401


def _noop() -> None:
    """A first task, so the pool forks its workers before any thread starts."""


def extract_job(content: bytes, url: str, charset: str | None, job: _Job) -> tuple[Any, ...]:
    """Run in a worker process: page bytes → ("ok", record, fingerprint) or ("error", …)."""
    from newskit.extract import extract
    from newskit.store import fingerprint

    try:
        article = extract(content, url, http_charset=charset, options=job.extract)
        if job.summary:
            from newskit.summarize import summarize

            article.summary = summarize(article, job.summary)
        if job.teaser:
            from newskit.summarize import teaser

            article.teaser = teaser(article, job.teaser)
        record = article.to_dict()
        if job.convert:
            from newskit.convert import convert_record

            record = convert_record(record, job.convert)
        return ("ok", record, fingerprint(article.text))
    except NewskitError as err:
        return ("error", type(err).__name__, err.message, reason_of(err))
    except Exception as err:
        return ("error", "NewskitError", f"unexpected {type(err).__name__}: {err}", "unexpected")


def _rebuild(name: str, message: str) -> NewskitError:
    from newskit import errors

    cls = getattr(errors, name, NewskitError)
    try:
        err: NewskitError = cls(message)
        return err
    except TypeError:
        return errors.ExtractionError(message)


def _default_fetch() -> tuple[Fetcher, Callable[..., Any], Any]:
    from newskit.fetch import FetchOptions, fetch, make_pool

    return fetch, make_pool, FetchOptions


def _process_pool(procs: int, inherited: tuple[int, ...] = ()) -> cf.ProcessPoolExecutor:
    """Extraction processes: forked on Linux (started before our threads), else spawned."""
    import multiprocessing
    import sys

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pool = cf.ProcessPoolExecutor(
        max_workers=procs,
        mp_context=context,
        initializer=_worker_init,
        initargs=(os.getpid(), inherited),
    )
    pool.submit(_noop)
    return pool


_DONE = object()


class _Run:
    """One batch run's moving parts (threads, queues, counters); use through `batch()`."""

    def __init__(
        self,
        sources: list[Source],
        sink: Sink,
        store: Store,
        options: BatchOptions,
        fetcher: Fetcher | None,
        pool: Any,
        on_event: Event | None,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.sources, self.sink, self.store, self.options = sources, sink, store, options
        self.on_event = on_event or (lambda kind, url: None)
        self.sleep = sleep
        if fetcher is None or options.fetch is None or pool is None:
            fetch, make_pool, fetch_options_cls = _default_fetch()
            fetcher = fetcher or fetch
            options = self.options = _replace(options, fetch=options.fetch or fetch_options_cls())
            pool = (
                pool
                if pool is not None
                else make_pool(options.fetch, maxsize=max(10, options.jobs))
            )
        self.fetcher, self.pool = fetcher, pool
        self.gate = HostGate(options.per_host, options.delay, clock, sleep)
        agent = str(getattr(options.fetch, "user_agent", "newskit")).split("/")[0] or "newskit"
        self.robots = Robots(self._get, self.gate, agent) if options.robots else None
        self.run_id = uuid.uuid4().hex
        self.stop = threading.Event()
        self.work: queue.Queue[Any] = queue.Queue(maxsize=options.jobs * 2)
        self.results: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self.procs = options.procs or os.cpu_count() or 2
        self.slots = threading.Semaphore(self.procs * 4 + options.jobs)
        self.report = BatchReport(started=time.time())
        self.job = _Job(options.extract, options.convert, options.summary, options.teaser)

    def _get(self, url: str, headers: dict[str, str] | None = None) -> Page:
        return self.fetcher(
            url, self.options.fetch, headers=headers or None, pool=self.pool, sleep=self.sleep
        )

    # producer thread ------------------------------------------------------------
    def _fetch_source(self, url: str) -> Page:
        etag, modified = self.store.source_validators(url)
        with self.gate.slot(urlsplit(url).hostname or ""):
            return self._get(url, conditional(etag, modified))

    def produce(self) -> None:
        """Stream every source's URLs into the work queue, skipping what is done."""
        try:
            for source in self.sources:
                try:
                    self._produce_one(source)
                except NewskitError as err:
                    self.results.put(("source-failed", source.name, err))
                if self.stop.is_set():
                    break
        except BaseException as err:  # never die silently: the main thread reports it
            self.results.put(("source-failed", "(sources)", NewskitError(repr(err))))
        finally:
            for _ in range(self.options.jobs):
                self.work.put(_DONE)

    def _produce_one(self, source: Source) -> None:
        unfinished = lambda origin: self.store.unfinished(origin, self.options.max_attempts)  # noqa: E731
        for origin, url in iter_urls(
            source, self._fetch_source, unfinished, self.store.set_source_validators
        ):
            if self.stop.is_set():
                return
            claim = self.store.claim(
                url,
                self.run_id,
                origin,
                max_attempts=self.options.max_attempts,
                recheck=self.options.recheck,
            )
            if isinstance(claim, str):  # counted here: the results queue stays small
                if claim == "gave-up":
                    self.report.gave_up += 1
                elif claim == "done":
                    self.report.skipped += 1
                self.on_event("skipped", url)
                continue
            self.report.queued += 1
            self.on_event("queued", url)
            self.work.put(claim)

    # fetch threads --------------------------------------------------------------
    def fetch_worker(self, procs: cf.ProcessPoolExecutor) -> None:
        """Take claims, fetch politely, hand pages to the extraction processes."""
        while not self.stop.is_set():
            claim = self.work.get()
            if claim is _DONE:
                break
            try:
                self._fetch_claim(claim, procs)
            except NewskitError as err:
                self.results.put(("failed", claim, err))
            except Exception as err:
                self.results.put(
                    ("failed", claim, NewskitError(f"unexpected {type(err).__name__}: {err}"))
                )
        self.results.put(("exit",))

    def _fetch_claim(self, claim: Claim, procs: cf.ProcessPoolExecutor) -> None:
        url = claim.url
        if not url.lower().startswith(("http://", "https://")):
            from newskit.errors import InputError

            raise InputError("not an http(s) URL", source=url)
        host = urlsplit(url).hostname or ""
        if self.robots is not None:
            self.robots.check(url)
        headers = conditional(claim.etag, claim.last_modified)

        def sleep(seconds: float) -> None:  # a backoff or Retry-After wait holds the host
            self.gate.defer(host, seconds)
            self.sleep(seconds)

        with self.gate.slot(host):
            page = self.fetcher(
                url, self.options.fetch, headers=headers or None, pool=self.pool, sleep=sleep
            )
        if page.status == 304:
            self.results.put(("unchanged", claim, page))
            return
        self.slots.acquire()
        try:
            future = procs.submit(
                extract_job, page.content, page.final_url or url, page.charset, self.job
            )
        except BaseException:
            self.slots.release()
            raise
        page.content = b""
        self.results.put(("extracted", claim, page, future))

    # the calling thread ---------------------------------------------------------
    def consume(self) -> None:
        """Write records and keep the state, until every fetch thread has finished."""
        running = self.options.jobs
        while running:
            item = self.results.get()
            kind = item[0]
            if kind == "exit":
                running -= 1
            elif kind == "extracted":
                _, claim, page, future = item
                try:
                    outcome = future.result()
                except Exception as err:  # a crashed worker (BrokenProcessPool) fails the URL
                    outcome = (
                        "error",
                        "NewskitError",
                        f"extraction process failed: {err}",
                        "crash",
                    )
                finally:
                    self.slots.release()
                self._handle_extracted(claim, page, outcome)
            elif kind == "failed":
                self._fail(item[1].url, item[2])
            elif kind == "unchanged":
                self.store.unchanged(item[1].url)
                self.report.unchanged += 1
                self.on_event("unchanged", item[1].url)
            elif kind == "source-failed":
                failure: NewskitError = item[2]
                failure.source = failure.source or item[1]
                self.report.add_failure(item[1], failure, reason_of(failure))
                self.on_event("failed", item[1])

    def _handle_extracted(self, claim: Claim, page: Page, outcome: tuple[Any, ...]) -> None:
        if outcome[0] == "error":
            self._fail(claim.url, _rebuild(outcome[1], outcome[2]), outcome[3])
            return
        _, record, fp = outcome
        url = claim.url
        if fp == claim.fingerprint:
            self.store.unchanged(url, page.headers.get("etag"), page.headers.get("last-modified"))
            self.report.unchanged += 1
            self.on_event("unchanged", url)
            return
        owner = self.store.owner(fp)
        if owner is not None and owner != url:
            self.store.duplicate(url, fp, owner)
            self.report.duplicate += 1
            self.on_event("duplicate", url)
            return
        if self.options.fields:
            from newskit.output import project

            record = project(record, self.options.fields)
        target, data = self.sink.render(record, url)
        from newskit.store import digest

        if not self.store.begin_emit(url, fp, target, digest(data)):
            self.report.duplicate += 1
            return
        self.sink.write(target, data)
        self.store.finish_emit(url, page.headers.get("etag"), page.headers.get("last-modified"))
        self.report.done += 1
        self.on_event("done", url)

    def _fail(self, url: str, err: NewskitError, reason: str | None = None) -> None:
        reason = reason or reason_of(err)
        self.store.fail(url, err.stage, reason, err.message)
        self.report.add_failure(url, err, reason)
        self.on_event("failed", url)


def _replace(options: BatchOptions, **changes: Any) -> BatchOptions:
    import dataclasses

    return dataclasses.replace(options, **changes)


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
    store.hold()
    resume(store, sink)
    run = _Run(sources, sink, store, opts, fetcher, pool, on_event, clock, sleep)
    run.report.state = str(store.path)
    started = clock()
    procs = _process_pool(run.procs, store.held_fds())
    threads = [threading.Thread(target=run.produce, name="newskit-sources", daemon=True)]
    threads += [
        threading.Thread(
            target=run.fetch_worker, args=(procs,), name=f"newskit-fetch-{i}", daemon=True
        )
        for i in range(opts.jobs)
    ]
    try:
        for thread in threads:
            thread.start()
        run.consume()
    except BaseException:
        run.stop.set()
        procs.shutdown(wait=False, cancel_futures=True)
        raise
    procs.shutdown(wait=True)
    run.report.elapsed = clock() - started
    return run.report
