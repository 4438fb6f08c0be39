"""Sources worked on in worker processes (both cores), their results handed back in input order."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from newskit.core import errors
from newskit.core.errors import NewskitError

Work = Callable[[str], Iterable[dict[str, Any]]]
# What one source gave: its records, or the error it raised; and the seconds it took.
Outcome = tuple[list[dict[str, Any]] | BaseException, float]
Future = cf.Future[tuple[bool, Any, float]]
# Modules every worker needs: loaded once in the fork server, not once per worker.
_PRELOAD = ["newskit.article.extraction", "newskit.lists.teasers", "newskit.text.summaries"]


class WorkerDiedError(NewskitError):
    """A worker process died (killed, out of memory) while it held this source."""

    stage = "worker"


def _start_worker(environ: dict[str, str]) -> None:
    """A worker takes the command's environment (proxies, NEWSKIT_*), not the one the fork
    server was started with; Ctrl-C is the parent's to handle: a worker ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.clear()
    os.environ.update(environ)


def _call(work: Work, source: str) -> tuple[bool, Any, float]:
    """Run one source in a worker; errors come back as plain data (they may not pickle)."""
    started = time.perf_counter()
    try:
        return True, list(work(source)), time.perf_counter() - started
    except NewskitError as err:
        state = (type(err).__name__, err.args, dict(err.__dict__))
        return False, state, time.perf_counter() - started


def _rebuild(state: tuple[str, tuple[Any, ...], dict[str, Any]]) -> NewskitError:
    name, args, attributes = state
    cls = getattr(errors, name, NewskitError)
    if not (isinstance(cls, type) and issubclass(cls, NewskitError)):
        cls = NewskitError
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(attributes)
    return err


def run_inline(work: Work, source: str) -> Outcome:
    """One source in this process: its records, or the error it raised."""
    started = time.perf_counter()
    try:
        return list(work(source)), time.perf_counter() - started
    except NewskitError as err:
        return err, time.perf_counter() - started


def _pool(jobs: int) -> cf.ProcessPoolExecutor:
    """Workers that never fork a threaded parent: a fork server (spawn where there is none)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(_PRELOAD)
    return cf.ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(dict(os.environ),)
    )


def ordered(
    sources: list[str], work: Work, jobs: int, local: Callable[[str], bool]
) -> Iterator[Outcome]:
    """Each source's outcome, in input order; sources `local` picks (stdin) run here, in turn.

    At most 4 × jobs sources are in flight, so memory stays bounded on long source lists.
    A worker that dies breaks the pool: a new one takes over, and each source it held is
    tried once more before it is blamed.
    """
    pending: deque[tuple[str, Future | None]] = deque()
    queue = iter(sources)
    pool = _pool(jobs)
    retried: set[str] = set()

    def submit(source: str) -> Future:
        nonlocal pool
        try:
            return pool.submit(_call, work, source)
        except cf.process.BrokenProcessPool:
            pool.shutdown(wait=False, cancel_futures=True)
            pool = _pool(jobs)
            return pool.submit(_call, work, source)

    def top_up() -> None:
        while len(pending) < 4 * jobs and (source := next(queue, None)) is not None:
            pending.append((source, None if local(source) else submit(source)))

    try:
        top_up()
        while pending:
            source, future = pending.popleft()
            if future is None:
                outcome = run_inline(work, source)
            else:
                outcome = _collect(future)
                if isinstance(outcome[0], WorkerDiedError) and source not in retried:
                    retried.add(source)
                    outcome = _collect(submit(source))
            top_up()
            yield outcome
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _collect(future: Future) -> Outcome:
    try:
        ok, value, seconds = future.result()
    except cf.process.BrokenProcessPool:
        return WorkerDiedError("a worker process died while working on it"), 0.0
    return (value if ok else _rebuild(value)), seconds
