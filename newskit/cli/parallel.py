"""Sources worked on in worker processes (both cores), their results handed back in input order.

The processes are crawl.workers' pool, the one batch uses: a worker that dies costs only the
source it held (tried once more, then failed), and a source over the time limit fails alone.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from typing import TYPE_CHECKING, Any

from newskit.core import errors
from newskit.core.errors import NewskitError

if TYPE_CHECKING:
    import concurrent.futures as cf

Work = Callable[[str], Iterable[dict[str, Any]]]
# What one source gave: its records, or the error it raised; and the seconds it took.
Outcome = tuple[list[dict[str, Any]] | BaseException, float]
# Modules every worker needs: loaded once in the fork server, not once per worker.
_PRELOAD = ("newskit.article.extraction", "newskit.lists.teasers", "newskit.text.summaries")


def _call(work: Work, source: str, environ: dict[str, str]) -> tuple[bool, Any, float]:
    """Run one source in a worker, in the command's environment (proxies, NEWSKIT_*: the fork
    server keeps the one it started with); errors come back as plain data (they may not
    pickle)."""
    if os.environ != environ:
        os.environ.clear()
        os.environ.update(environ)
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


def ordered(
    sources: list[str],
    work: Work,
    jobs: int,
    local: Callable[[str], bool],
    time_limit: float | None = None,
) -> Generator[Outcome, None, None]:
    """Each source's outcome, in input order; sources `local` picks (stdin) run here, in turn.

    At most 4 × jobs sources are in flight, so memory stays bounded on long source lists.
    A source held longer than `time_limit` seconds fails alone (PageTimeoutError).
    """
    from newskit.crawl.workers import WorkerPool

    pending: deque[tuple[str, cf.Future[Any] | None]] = deque()
    queue = iter(sources)
    environ = dict(os.environ)
    pool = WorkerPool(jobs, time_limit, preload=_PRELOAD)

    def top_up() -> None:
        while len(pending) < 4 * jobs and (source := next(queue, None)) is not None:
            future = (
                None if local(source) else pool.submit(_call, work, source, environ, name=source)
            )
            pending.append((source, future))

    try:
        top_up()
        while pending:
            source, future = pending.popleft()
            outcome = run_inline(work, source) if future is None else _collect(future, source)
            top_up()
            yield outcome
    finally:
        pool.shutdown(wait=False)


def _collect(future: cf.Future[Any], source: str) -> Outcome:
    try:
        ok, value, seconds = future.result()
    except NewskitError as err:  # the pool's own: the page timed out, or killed its workers
        if err.source is None:
            err.source = source
        return err, 0.0
    return (value if ok else _rebuild(value)), seconds
