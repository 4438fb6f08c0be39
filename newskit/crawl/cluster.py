"""The Dask engine of `newskit batch`: URLs in host buckets, politeness held cluster-wide.

The command's process reads the sources, claims URLs in the state and sends them to the
cluster in buckets of one host's URLs; workers fetch (at most `per_host` requests to a host
at once across the cluster, `delay` seconds between starts: a distributed Semaphore, Lock
and Variable per host), honour robots.txt, extract, and send plain results back. The
command alone writes the output and the state, with the runner's own steps (fingerprints,
duplicates, the emit protocol). A bucket dask runs twice completes once; a bucket whose
workers keep dying fails alone, each of its URLs named.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from newskit import __version__
from newskit.cluster.client import Cluster, require_dask, same_version, task_error
from newskit.core.errors import InputError, NewskitError
from newskit.core.models import Page
from newskit.core.text import is_url
from newskit.crawl.pages import extract_job, finish_job
from newskit.crawl.pipeline import ExtractJob, Run
from newskit.crawl.politeness import conditional
from newskit.crawl.sinks import Sink
from newskit.crawl.sources import MAX_BYTES, Source, iter_urls
from newskit.crawl.state import Claim, Store
from newskit.crawl.types import BatchOptions, BatchReport, Event, reason_of

# URLs of one host per task: small enough to spread a host over workers, big enough that a
# task outweighs its round trip.
BUCKET = 16


@dataclass(frozen=True)
class BucketJob:
    """What every bucket task needs: the run's options, and whether to send bodies back."""

    options: BatchOptions
    run: str
    keep_bodies: bool = False


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


class _HostPolicy:
    """Per-worker-process handles on the cluster-wide per-host primitives, and robots.txt."""

    def __init__(self, job: BucketJob) -> None:
        from newskit.net.options import make_pool
        from newskit.net.robots import Robots

        self.job = job
        # bound to this worker's client, so the fetch threads of a task can use them too
        self.client = require_dask().get_client()
        self.primitives: dict[str, tuple[Any, Any, Any]] = {}
        self.local_lock = threading.Lock()
        self.pool = make_pool(job.options.fetch, maxsize=8)
        agent = str(job.options.fetch.user_agent).split("/")[0] or "newskit"
        self.crawl_delays: dict[str, float] = {}
        self.robots = Robots(self._robots_page, self, agent)

    def _primitives(self, host: str) -> tuple[Any, Any, Any]:
        """The host's Semaphore (per_host leases), Lock and Variable (next start), cluster-wide."""
        if host not in self.primitives:
            dist, client = require_dask(), self.client
            name = f"newskit-{self.job.run}-{host}"
            rpc = {"scheduler_rpc": client.scheduler, "loop": client.loop}
            self.primitives[host] = (
                dist.Semaphore(max_leases=self.job.options.per_host, name=name, **rpc),
                dist.Lock(f"{name}-lock", **rpc),
                dist.Variable(f"{name}-next", client=client),
            )
        return self.primitives[host]

    @contextlib.contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """One of the host's `per_host` slots, cluster-wide, no sooner than its delay allows."""
        leases, lock, after = self._primitives(host)
        with leases:
            delay = self._delay(host)
            if delay > 0:
                # one thread of this process at a time holds the shared Lock object
                with self.local_lock, lock:
                    try:
                        start = max(time.time(), float(after.get(timeout=0)))
                    except TimeoutError:
                        start = time.time()
                    after.set(start + delay)
                time.sleep(max(0.0, start - time.time()))
            yield

    def slow_down(self, host: str, delay: float) -> None:
        """robots.txt's Crawl-delay for the host (the Robots gate protocol)."""
        self.crawl_delays[host] = max(delay, self.crawl_delays.get(host, 0.0))

    def _delay(self, host: str) -> float:
        return max(self.job.options.delay, self.crawl_delays.get(host, 0.0))

    def get(self, url: str, headers: dict[str, str] | None = None) -> Page:
        """Fetch politely (the retry waits happen inside the host's slot)."""
        from newskit.net.http import fetch

        with self.slot(_host(url)):
            return fetch(url, self.job.options.fetch, headers=headers or None, pool=self.pool)

    def _robots_page(self, url: str) -> Page:
        return self.get(url)


_policies: dict[str, _HostPolicy] = {}


def _policy(job: BucketJob) -> _HostPolicy:
    """This worker process's policy for the run (robots.txt is fetched once per run)."""
    if job.run not in _policies:
        _policies.clear()
        _policies[job.run] = _HostPolicy(job)
    return _policies[job.run]


def run_bucket(
    claims: list[Claim], job: BucketJob, version: str
) -> tuple[str, list[tuple[Any, ...]]]:
    """On a worker: fetch and extract one host's claimed URLs; plain results, one per URL.

    Pages are fetched by up to `per_host` threads while this thread extracts, so network
    waits overlap extraction (the host's cluster-wide slots still bound the requests).
    """
    from concurrent.futures import ThreadPoolExecutor

    same_version(version)
    policy = _policy(job)
    opts = job.options
    extract = ExtractJob(opts.extract, opts.convert, opts.summary, opts.teaser, opts.pages)
    results: list[tuple[Any, ...]] = []
    with ThreadPoolExecutor(max_workers=max(1, min(opts.per_host, len(claims)))) as threads:
        pages = [threads.submit(_fetch_claim, policy, claim) for claim in claims]
        for claim, future in zip(claims, pages, strict=True):
            try:
                page = future.result()
            except NewskitError as err:
                results.append(("failed", claim, type(err).__name__, err.message, reason_of(err)))
                continue
            content, page.content = page.content, (page.content if job.keep_bodies else b"")
            if page.status == 304:
                results.append(("unchanged", claim, page, None))
            else:
                outcome = extract_job(content, page.final_url or claim.url, page.charset, extract)
                if outcome[0] == "paged":  # a multi-page story: its later pages, read here
                    outcome = _joined(outcome[1], extract, opts)
                results.append(("extracted", claim, page, outcome))
    return str(require_dask().get_worker().address), results


def _joined(article: Any, job: ExtractJob, opts: BatchOptions) -> tuple[Any, ...]:
    """On a worker: a story's later pages fetched and joined, then finished like any page."""
    from newskit.article.paging import follow_pages

    try:
        article = follow_pages(
            article, pages=job.pages, options=job.extract, fetch_options=opts.fetch
        )
        return finish_job(article, job)
    except NewskitError as err:
        return ("error", type(err).__name__, err.message, reason_of(err))


def _fetch_claim(policy: _HostPolicy, claim: Claim) -> Page:
    """In a fetch thread: robots.txt, then the page, within the host's slot."""
    if not is_url(claim.url):
        raise InputError("not an http(s) URL", source=claim.url)
    if policy.job.options.robots:
        policy.robots.check(claim.url)
    return policy.get(claim.url, conditional(claim.etag, claim.last_modified))


class ClusterBatch:
    """One batch run on a cluster: the command's side (sources, state, output)."""

    def __init__(
        self,
        run: Run,
        cluster: Cluster,
        *,
        archive: Callable[[Page], None] | None = None,
        max_pending: int = 0,
    ) -> None:
        self.run, self.cluster, self.archive = run, cluster, archive
        self.job = BucketJob(run.options, run.run_id, keep_bodies=archive is not None)
        self.buckets: dict[str, list[Claim]] = defaultdict(list)
        self.pending: dict[Any, list[Claim]] = {}
        self.max_pending = max_pending or 4 * max(1, cluster.workers())
        self.done = require_dask().as_completed()
        self.told = 0.0

    def execute(self) -> BatchReport:
        """Claim, send and collect every URL of the run's sources; returns the report."""
        run = self.run
        for source in run.sources:
            try:
                self._claim_all(source)
            except NewskitError as err:
                err.source = err.source or source.name
                run.report.add_failure(source.name, err, reason_of(err))
                run.on_event("failed", source.name)
        for host in list(self.buckets):
            self._submit(host)
        while self.pending:
            self._collect_one()
        return run.report

    def _claim_all(self, source: Source) -> None:
        run, store, opts = self.run, self.run.store, self.run.options
        unfinished = lambda origin: store.unfinished(origin, opts.max_attempts)  # noqa: E731
        max_bytes = getattr(opts.fetch, "max_bytes", MAX_BYTES)
        for origin, url in iter_urls(
            source,
            run._fetch_source,
            unfinished,
            store.set_source_validators,
            max_bytes=max_bytes,
            links=run.hops,
        ):
            claim = store.claim(
                url, run.run_id, origin, max_attempts=opts.max_attempts, recheck=opts.recheck
            )
            if isinstance(claim, str):
                run.report.gave_up += claim == "gave-up"
                run.report.skipped += claim == "done"
                run.on_event("skipped", url)
                continue
            run.report.queued += 1
            run.on_event("queued", url)
            if run.hops is not None and (refused := run.hops.refusal(origin, url)):
                run._fail(claim.url, refused)  # a link into private space: never requested
                continue
            host = _host(url)
            self.buckets[host].append(claim)
            if len(self.buckets[host]) >= BUCKET:
                self._submit(host)
            while len(self.pending) >= self.max_pending:
                self._collect_one()

    def _submit(self, host: str) -> None:
        claims = self.buckets.pop(host, [])
        if not claims:
            return
        future = self.cluster.client.submit(
            run_bucket, claims, self.job, __version__, pure=False, retries=0
        )
        self.pending[future.key] = claims
        self.done.add(future)

    def _collect_one(self) -> None:
        future = next(self.done)
        claims = self.pending.pop(future.key)
        try:
            worker, results = future.result()
        except Exception as err:
            failure = err if isinstance(err, NewskitError) else task_error(err, claims[0].url)
            for claim in claims:
                self.run._fail(claim.url, replace_source(failure, claim.url))
            return
        finally:
            future.release()
        counts = self.run.report.workers.setdefault(worker, {"done": 0, "failed": 0})
        for result in results:
            self._take(result)
            counts["failed" if result[0] == "failed" else "done"] += 1
        self._say_workers()

    def _say_workers(self) -> None:
        """Tell the progress display how many workers are alive (at most every 2 s)."""
        now = time.monotonic()
        if now - self.told >= 2.0:
            self.told = now
            self.run.on_event("workers", str(self.cluster.workers()))

    def _take(self, result: tuple[Any, ...]) -> None:
        from newskit.crawl.pipeline import _rebuild

        run, kind, claim = self.run, result[0], result[1]
        if kind == "failed":
            run._fail(claim.url, _rebuild(result[2], result[3]), result[4])
            return
        page: Page = result[2]
        if self.archive is not None and page.status != 304:
            self.archive(page)
        if kind == "unchanged":
            run.store.unchanged(claim.url)
            run.report.unchanged += 1
            run.on_event("unchanged", claim.url)
        else:
            run._handle_extracted(claim, page, result[3])


def replace_source(err: NewskitError, url: str) -> NewskitError:
    """A copy of a bucket's error for one of its URLs."""
    copy = NewskitError(err.message, source=url)
    copy.exit_code, copy.stage = err.exit_code, err.stage
    return copy


def batch_on_cluster(
    sources: list[Source],
    sink: Sink,
    store: Store,
    options: BatchOptions,
    cluster: Cluster,
    *,
    archive: Callable[[Page], None] | None = None,
    on_event: Event | None = None,
) -> BatchReport:
    """`newskit.batch` on a Dask cluster: same records, state and report as the local run."""
    from newskit.crawl.runner import resume
    from newskit.net.http import fetch
    from newskit.net.options import FetchOptions, make_pool

    opts = replace(options, fetch=options.fetch or FetchOptions())
    store.hold()
    resume(store, sink)
    run = Run(
        sources,
        sink,
        store,
        opts,
        fetch,
        make_pool(opts.fetch),
        on_event,
        time.monotonic,
        time.sleep,
    )
    run.report.state = str(store.path)
    started = time.monotonic()
    report = ClusterBatch(run, cluster, archive=archive).execute()
    report.elapsed = time.monotonic() - started
    return report
