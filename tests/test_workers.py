"""newskit.crawl.workers: a dead or stuck worker costs only the call it held."""

from __future__ import annotations

import os
import signal
import time

import pytest
import worker_jobs

from newskit.core.errors import PageTimeoutError, WorkerCrashError
from newskit.crawl.workers import WorkerPool, start_method


@pytest.fixture
def pool():
    pools: list[WorkerPool] = []

    def make(*args, **kwargs) -> WorkerPool:
        pools.append(WorkerPool(*args, **kwargs))
        return pools[-1]

    yield make
    for p in pools:
        p.shutdown(wait=False)


def test_a_call_that_kills_its_worker_fails_alone_after_two_kills(pool, tmp_path):
    workers = pool(2)
    log = tmp_path / "kills.log"
    before = [workers.submit(worker_jobs.double, i) for i in range(10)]
    bad = workers.submit(worker_jobs.kill_self, str(log), name="http://x.test/bad")
    after = [workers.submit(worker_jobs.double, i) for i in range(10, 20)]
    assert [f.result(timeout=60) for f in before + after] == [i * 2 for i in range(20)]
    with pytest.raises(WorkerCrashError) as caught:
        bad.result(timeout=60)
    assert str(caught.value) == (
        "http://x.test/bad: the extraction process died on this page 2 times (killed by signal 9)"
    )
    assert len(log.read_text().split()) == 2
    assert workers.stats.crashed == 2
    assert workers.submit(worker_jobs.double, 21).result(timeout=60) == 42


def test_a_worker_killed_from_outside_costs_nothing(pool):
    """A SIGKILL from outside (the OOM killer) on a busy worker: its call runs again."""
    workers = pool(1)
    first = workers.submit(worker_jobs.double, 1)
    assert first.result(timeout=60) == 2
    (victim,) = workers.pids()
    held = workers.submit(time.sleep, 1.0)
    time.sleep(0.3)
    os.kill(victim, signal.SIGKILL)
    assert held.result(timeout=60) is None
    assert workers.pids() and victim not in workers.pids()
    assert workers.stats.crashed == 1


def test_a_call_over_the_time_limit_fails_alone(pool):
    workers = pool(2, 1.0)
    stuck = workers.submit(worker_jobs.spin, name="http://x.test/slow")
    others = [workers.submit(worker_jobs.double, i) for i in range(20)]
    assert [f.result(timeout=60) for f in others] == [i * 2 for i in range(20)]
    with pytest.raises(PageTimeoutError, match=r"^http://x.test/slow: extraction took longer"):
        stuck.result(timeout=60)
    assert workers.stats.timed_out == 1
    assert workers.submit(worker_jobs.double, 5).result(timeout=60) == 10


def test_an_ordinary_error_is_the_calls_own(pool):
    workers = pool(1)
    with pytest.raises(ValueError, match="bad input"):
        workers.submit(worker_jobs.fail).result(timeout=60)
    assert workers.stats.crashed == 0


def test_workers_are_not_forked_from_the_threaded_parent(pool, monkeypatch):
    monkeypatch.setattr(worker_jobs, "MARK", "changed in the parent")
    workers = pool(1)
    assert workers.submit(worker_jobs.mark).result(timeout=60) == "as imported"
    assert start_method() in ("forkserver", "spawn")


def test_shutdown_without_waiting_kills_a_stuck_worker(pool):
    workers = WorkerPool(1)
    workers.submit(worker_jobs.spin)
    time.sleep(0.5)
    (pid,) = workers.pids()
    workers.shutdown(wait=False)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
