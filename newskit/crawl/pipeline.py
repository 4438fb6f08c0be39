"""The moving parts of one batch run: producer, fetch threads, extraction processes, writer.

A producer thread streams claimed URLs into the per-host scheduler (bounded); fetch threads
take whichever URL's host can start soonest, fetch it through one shared pool and hand the
page to the extraction processes (newskit.crawl.workers: a crash or a page over the time
limit fails that page alone); the calling thread alone writes records and marks them done
(see newskit.crawl.state for the crash-safety protocol). A write error fails its URL, or
stops the run when the output as a whole is broken (OutputError.fatal).
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from newskit.article.extraction import ExtractOptions
from newskit.article.paging import PageOptions
from newskit.core.errors import InputError, NewskitError, OutputError, WorkerCrashError
from newskit.core.models import Page
from newskit.core.text import is_url
from newskit.crawl.pages import extract_job, outcome_of
from newskit.crawl.politeness import HostGate, conditional
from newskit.crawl.scheduler import Scheduler
from newskit.crawl.sinks import Sink
from newskit.crawl.sources import MAX_BYTES, Source, iter_urls
from newskit.crawl.state import Claim, Store
from newskit.crawl.types import BatchOptions, BatchReport, Event, Fetcher, RecordFinish, reason_of
from newskit.crawl.workers import WorkerPool
from newskit.net.addresses import HopGuard
from newskit.net.options import proxied
from newskit.net.robots import Robots


@dataclass(frozen=True)
class ExtractJob:
    """What an extraction process does to a page besides extracting it."""

    extract: ExtractOptions
    convert: str | None
    summary: int
    teaser: int
    pages: PageOptions


@dataclass(frozen=True)
class _RobotsTask:
    key: str


def _rebuild(name: str, message: str) -> NewskitError:
    from newskit.core import errors

    cls = getattr(errors, name, NewskitError)
    try:
        err: NewskitError = cls(message)
        return err
    except TypeError:
        return errors.ExtractionError(message)


def extraction_pool(procs: int, page_timeout: float | None) -> WorkerPool:
    """Extraction processes (see newskit.crawl.workers), with trafilatura loaded up front."""
    return WorkerPool(
        procs, page_timeout, preload=("trafilatura", "newskit.article.extraction", __name__)
    )


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


class Run:
    """One batch run's threads, queues and counters; use through `newskit.crawl.runner.batch()`."""

    def __init__(
        self,
        sources: list[Source],
        sink: Sink,
        store: Store,
        options: BatchOptions,
        fetcher: Fetcher,
        pool: Any,
        on_event: Event | None,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
    ) -> None:
        self.sources, self.sink, self.store, self.options = sources, sink, store, options
        self.fetcher, self.pool, self.sleep = fetcher, pool, sleep
        self.on_event = on_event or (lambda kind, url: None)
        self.gate = HostGate(options.per_host, options.delay, clock, sleep)
        self.scheduler = Scheduler(self.gate, options.jobs * 4, options.jobs)
        self.threads = options.jobs * 2  # a thread waiting out a Retry-After lends its turn
        agent = str(getattr(options.fetch, "user_agent", "newskit")).split("/")[0] or "newskit"
        self.robots = Robots(self._get_robots, self.gate, agent) if options.robots else None
        self.run_id = uuid.uuid4().hex
        self.stop = threading.Event()
        self.results: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self.procs = options.procs or os.cpu_count() or 2
        self.slots = threading.Semaphore(self.procs * 4 + options.jobs)
        self.report = BatchReport(started=time.time())
        # URLs found in remote feeds, sitemaps and lists are links: the private-address policy.
        fetching = options.fetch
        allow = fetching is None or getattr(fetching, "allow_private", False)
        self.hops = None if allow else self._hop_guard(pool, fetching)
        self.job = ExtractJob(
            options.extract, options.convert, options.summary, options.teaser, options.pages
        )
        self.follower: Any = None  # a crawl.pages.PageFollower, set once the processes run
        self.following = 0  # stories handed to the follower, not back yet
        self.finish = RecordFinish(options, str(store.path))

    @staticmethod
    def _hop_guard(pool: Any, fetching: Any) -> HopGuard:
        """The links' address check, its name lookups bounded by the connect timeout."""
        from newskit.net.deadline import bounded_resolver

        return HopGuard(proxied(pool), bounded_resolver(fetching.connect_timeout, pool))

    def _get(
        self,
        url: str,
        headers: dict[str, str] | None = None,
        *,
        lend: bool = False,
        hold: bool = False,
        gzip: bool = False,
    ) -> Page:
        """Fetch; in a fetch thread (`lend`) a retry wait lends the turn to other hosts.

        `gzip` takes a gzip file as the body (a .xml.gz sitemap)."""
        host = _host(url)

        def sleep(seconds: float) -> None:
            if hold:  # a backoff or Retry-After wait holds the host back
                self.gate.defer(host, seconds)
            if lend:
                self.scheduler.give_turn()
            try:
                self.sleep(seconds)
            finally:
                if lend:
                    self.scheduler.take_turn()

        extra = {"accept_gzip": True} if gzip else {}
        return self.fetcher(
            url, self.options.fetch, headers=headers or None, pool=self.pool, sleep=sleep, **extra
        )

    def get_page(self, url: str) -> Page:
        """A page fetched outside the scheduler (a story's later page); waits hold its host."""
        return self._get(url, hold=True)

    def _get_robots(self, url: str) -> Page:
        return self._get(url, lend=True)

    def halt(self) -> None:
        """Stop the threads at once (after Ctrl-C or an error in the writer)."""
        self.stop.set()
        self.scheduler.stop()

    # producer thread ------------------------------------------------------------
    def _fetch_source(self, url: str) -> Page:
        etag, modified = self.store.source_validators(url)
        with self.gate.slot(_host(url)):
            return self._get(url, conditional(etag, modified), gzip=True)

    def produce(self) -> None:
        """Stream every source's URLs into the scheduler, skipping what is done."""
        try:
            for source in self.sources:
                try:
                    self._produce_one(source)
                except OutputError:
                    raise
                except NewskitError as err:
                    self.results.put(("source-failed", source.name, err))
                if self.stop.is_set():
                    break
        except OutputError as err:  # the state cannot be written: the run stops
            self.results.put(("fatal", err))
        except BaseException as err:  # never die silently: the main thread reports it
            self.results.put(("source-failed", "(sources)", NewskitError(repr(err))))
        finally:
            self.scheduler.close()

    def _produce_one(self, source: Source) -> None:
        unfinished = lambda origin: self.store.unfinished(origin, self.options.max_attempts)  # noqa: E731
        max_bytes = getattr(self.options.fetch, "max_bytes", MAX_BYTES)
        for origin, url in iter_urls(
            source,
            self._fetch_source,
            unfinished,
            self.store.set_source_validators,
            max_bytes=max_bytes,
            links=self.hops,
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
            if self.hops is not None and (refused := self.hops.refusal(origin, url)):
                self.results.put(("failed", claim, refused))  # before any request to it
                continue
            host = _host(url)
            key = self.robots.first(url) if self.robots is not None and is_url(url) else None
            if key is not None:  # robots.txt first, alone on its host
                self.scheduler.put_first(host, _RobotsTask(key))
            if not self.scheduler.put(host, claim):
                return

    # fetch threads --------------------------------------------------------------
    def fetch_worker(self, procs: WorkerPool) -> None:
        """Take work whose host is free, fetch politely, hand pages to extraction."""
        while not self.stop.is_set():
            work = self.scheduler.take()
            if work is None:
                break
            host, item, start = work
            try:
                if isinstance(item, _RobotsTask):
                    self._load_robots(item, host)
                else:
                    self._fetch_claim(item, host, start, procs)
            except NewskitError as err:
                self.results.put(("failed", item, err))
            except Exception as err:
                self.results.put(
                    ("failed", item, NewskitError(f"unexpected {type(err).__name__}: {err}"))
                )
            finally:
                self.scheduler.give_turn()
        self.results.put(("exit",))

    def _load_robots(self, task: _RobotsTask, host: str) -> None:
        try:
            if self.robots is not None:
                self.robots.load(task.key, host)
        finally:
            self.scheduler.release(host)

    def _fetch_claim(self, claim: Claim, host: str, start: float, procs: WorkerPool) -> None:
        url = claim.url
        began: float | None = start  # until the request begins: given back on a refusal
        try:
            if not is_url(url):
                raise InputError("not an http(s) URL", source=url)
            if self.robots is not None:
                self.robots.check(url)
            began = None
            headers = conditional(claim.etag, claim.last_modified)
            page = self._get(url, headers, lend=True, hold=True)
        finally:
            self.scheduler.release(host, began)
        if page.status == 304:
            self.results.put(("unchanged", claim, page))
            return
        self.slots.acquire()
        try:
            future = procs.submit(
                extract_job, page.content, page.final_url or url, page.charset, self.job, name=url
            )
        except BaseException:
            self.slots.release()
            raise
        page.content = b""
        self.results.put(("extracted", claim, page, future))

    # the calling thread ---------------------------------------------------------
    def consume(self) -> None:
        """Write records and keep the state, until every fetch thread has finished."""
        running = self.threads
        while running or self.following:
            item = self.results.get()
            kind = item[0]
            if kind == "exit":
                running -= 1
            elif kind == "extracted":
                _, claim, page, future = item
                try:
                    outcome = future.result()
                except NewskitError as err:  # over the time limit, or it killed its worker
                    crashed = isinstance(err, WorkerCrashError) and err.final
                    self._fail(claim.url, err, give_up=crashed)
                    continue
                except (Exception, cf.CancelledError) as err:
                    message = f"extraction failed: {type(err).__name__}: {err}"
                    self._fail(claim.url, WorkerCrashError(message, final=False))
                    continue
                finally:
                    self.slots.release()
                self._handle_extracted(claim, page, outcome)
            elif kind == "followed":
                self.following -= 1
                self._handle_extracted(item[1], item[2], outcome_of(item[3]))
            elif kind == "fatal":
                raise item[1]
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
        if outcome[0] == "paged":
            self.following += 1
            self.follower.start(claim, page, outcome[1])
            return
        _, record, fp = outcome
        record["fetched"] = page.fetched  # when this process fetched it (the WARC-Date too)
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
        pages_missing = record.get("pages_missing")
        record = self.finish(record)
        emit, data = self.sink.render(record, url)
        if not self.store.begin_emit(url, fp, emit):
            self.report.duplicate += 1
            return
        try:
            self.sink.write(emit, data)
        except OutputError as err:
            self.store.resolve_emit(url, False)  # not written: the URL is to do again
            if err.fatal:
                raise
            self._fail(url, err)
            return
        self.store.finish_emit(url, page.headers.get("etag"), page.headers.get("last-modified"))
        self.report.partial += bool(pages_missing)
        self.report.done += 1
        self.on_event("done", url)

    def _fail(
        self, url: str, err: NewskitError, reason: str | None = None, *, give_up: bool = False
    ) -> None:
        reason = reason or reason_of(err)
        self.store.fail(url, err.stage, reason, err.message, give_up=give_up)
        self.report.add_failure(url, err, reason)
        self.on_event("failed", url)
