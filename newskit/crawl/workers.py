"""Extraction processes that survive their pages: one call per worker at a time, each watched.

A worker that dies (segfault, out-of-memory kill, SIGKILL) costs only the call it held: the
pool starts a new worker and runs that call once more; a call that has killed `max_kills`
workers fails with WorkerCrashError. The other calls never notice. A call held longer than
the time limit fails alone with PageTimeoutError; its worker is killed and replaced.

Workers are started with `forkserver` (`spawn` where there is none), never forked from a
process that runs threads. They ignore SIGINT and SIGTERM (a signal to the process group
must not print their tracebacks): the parent stops them, and a worker whose parent died
exits by itself. As with any multiprocessing code, a script that uses the pool must guard
its entry point with `if __name__ == "__main__":`.
"""

from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from newskit.core.errors import PageTimeoutError, WorkerCrashError

# Starts that failed in a row (a worker that could not even import its modules), over at
# least this many seconds, before the pool gives up; and the seconds between two tries.
MAX_START_FAILURES = 5
START_FAILING_SECONDS = 10.0
START_RETRY = 0.2
# How a worker exits when its parent is gone (not a failure to start).
ORPHAN_EXIT = 75


def start_method() -> str:
    """`forkserver` where the platform has it, else `spawn`; never `fork`."""
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def _watch(owner: int) -> None:
    """Exit when the process that owns the pool is gone: an orphan must not keep working."""
    while True:
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(ORPHAN_EXIT)
        except OSError:
            pass
        time.sleep(0.5)


def _serve(conn: Connection, preload: Sequence[str], owner: int) -> None:
    """A worker's life: say ready, then take a call, say it started, run it, send the outcome.

    The pool closing the connection (EOF, a broken pipe) ends the worker quietly.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_watch, args=(owner,), daemon=True).start()
    import importlib

    for name in preload:
        importlib.import_module(name)
    with contextlib.suppress(EOFError, OSError):
        conn.send(("ready", None))
        while (call := conn.recv()) is not None:
            fn, args = call
            conn.send(("started", None))  # from here on, a death is this call's doing
            try:
                outcome: tuple[str, Any] = ("ok", fn(*args))
            except Exception as err:
                outcome = ("raised", err)
            try:
                conn.send(outcome)
            except (EOFError, OSError):
                raise
            except Exception as err:  # an outcome that cannot be pickled
                conn.send(("raised", RuntimeError(f"{type(err).__name__}: {err}")))


@dataclass
class _Call:
    future: cf.Future[Any]
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    name: str
    kills: int = 0
    started: bool = False  # the worker said it took the call (else a death is not its fault)


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    call: _Call | None = None
    deadline: float = 0.0


@dataclass
class PoolStats:
    """What the pool went through (for reports and tests)."""

    started: int = 0
    crashed: int = 0
    timed_out: int = 0


class WorkerPool:
    """`procs` worker processes, each running one submitted call at a time.

    `submit(fn, *args, name=...)` returns a Future; `name` (the page's URL) goes into the
    errors. `call_timeout` bounds one call in seconds (None: no limit); `preload` names
    modules the workers import before they say ready.
    """

    def __init__(
        self,
        procs: int,
        call_timeout: float | None = None,
        *,
        preload: Sequence[str] = (),
        max_kills: int = 2,
    ) -> None:
        self.context: Any = multiprocessing.get_context(start_method())
        if self.context.get_start_method() == "forkserver":
            self.context.set_forkserver_preload(list(preload))
        self.procs = max(1, procs)
        self.call_timeout = call_timeout
        self.preload = tuple(preload)
        self.max_kills = max_kills
        self.stats = PoolStats()
        self._lock = threading.Lock()
        self._queue: collections.deque[_Call] = collections.deque()
        self._workers: list[_Worker] = []
        self._closing = False
        self._abort = False
        self._start_failures: list[float] = []  # the current streak of failed starts
        self._wake_r, self._wake_w = os.pipe()
        self._manager = threading.Thread(target=self._manage, name="newskit-workers", daemon=True)
        self._manager.start()

    # the caller's side ----------------------------------------------------------
    def submit(self, fn: Callable[..., Any], *args: Any, name: str = "") -> cf.Future[Any]:
        """Queue a call; its Future gets the result, the call's own error, or a pool error."""
        future: cf.Future[Any] = cf.Future()
        with self._lock:
            if self._closing:
                raise RuntimeError("the worker pool is shut down")
            self._queue.append(_Call(future, fn, args, name))
        self._wake()
        return future

    def shutdown(self, wait: bool = True) -> None:
        """Stop: after the queued calls (`wait`), or at once, killing busy workers."""
        with self._lock:
            self._closing = True
            self._abort = not wait
        self._wake()
        self._manager.join()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)

    def pids(self) -> list[int]:
        """The live workers' process ids."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid]

    # the manager thread ---------------------------------------------------------
    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _manage(self) -> None:
        try:
            while self._step():
                pass
        except Exception as err:  # never leave a caller waiting on a Future
            with self._lock:
                self._closing = True
            self._fail_queued(f"the extraction processes failed: {type(err).__name__}: {err}")
        finally:
            self._stop_workers()

    def _step(self) -> bool:
        """One round: start workers, hand out calls, wait for an answer, a death or a deadline."""
        with self._lock:
            idle = not self._queue and not any(w.call for w in self._workers)
            if self._abort or (self._closing and idle):
                return False
            queued = bool(self._queue)
        if queued and self._cannot_start():
            self._fail_queued("the extraction processes keep dying as they start")
        elif queued:
            self._start_workers()
            self._dispatch()
        workers = list(self._workers)
        watched: list[Any] = [self._wake_r]
        for w in workers:
            watched += [w.process.sentinel, w.conn]
        deadlines = [w.deadline for w in workers if w.call is not None and w.deadline]
        if queued and len(workers) < self.procs:  # a start failed: try again shortly
            deadlines.append(time.monotonic() + START_RETRY)
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        ready = wait(watched, timeout)
        if self._wake_r in ready:
            with contextlib.suppress(OSError):
                os.read(self._wake_r, 4096)
        for w in workers:
            if w.conn in ready:
                self._receive(w)
            elif w.process.sentinel in ready:
                self._bury(w)
            elif w.call is not None and w.deadline and time.monotonic() >= w.deadline:
                self._expire(w)
        return True

    def _cannot_start(self) -> bool:
        """Workers keep failing before they are ready: a broken install, not bad luck."""
        fails = self._start_failures
        return len(fails) >= MAX_START_FAILURES and fails[-1] - fails[0] >= START_FAILING_SECONDS

    def _start_workers(self) -> None:
        while len(self._workers) < min(self.procs, len(self._queue) + self._busy()):
            parent, child = self.context.Pipe(duplex=True)
            process = self.context.Process(
                target=_serve,
                args=(child, self.preload, os.getpid()),
                name="newskit-extract",
                daemon=True,
            )
            try:
                process.start()
            except Exception:  # the fork server itself was killed: it restarts next time
                self._start_failures.append(time.monotonic())
                parent.close()
                return
            finally:
                child.close()
            self.stats.started += 1
            with self._lock:
                self._workers.append(_Worker(process, parent))

    def _busy(self) -> int:
        return sum(1 for w in self._workers if w.call is not None)

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not worker.ready or worker.call is not None:
                continue
            with self._lock:
                if not self._queue:
                    return
                call = self._queue.popleft()
            if not call.future.running() and not call.future.set_running_or_notify_cancel():
                continue  # cancelled while queued
            worker.call = call
            worker.deadline = time.monotonic() + self.call_timeout if self.call_timeout else 0.0
            try:
                worker.conn.send((call.fn, call.args))
            except (OSError, EOFError):
                pass  # a dead worker: its sentinel tells the next round
            except Exception as err:  # arguments that cannot be pickled: the call's own fault
                worker.call = None
                call.future.set_exception(err)

    def _receive(self, worker: _Worker) -> None:
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            self._bury(worker)
            return
        if kind == "ready":
            worker.ready = True
            self._start_failures.clear()
            return
        if kind == "started":
            if worker.call is not None:
                worker.call.started = True
            return
        call, worker.call, worker.deadline = worker.call, None, 0.0
        if call is None:
            return
        if kind == "ok":
            call.future.set_result(value)
        else:
            call.future.set_exception(value)

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        with contextlib.suppress(OSError):
            worker.conn.close()
        worker.process.join(timeout=5)

    def _bury(self, worker: _Worker) -> None:
        """A worker died: blame only the call it held; run that call again, or fail it."""
        self._drop(worker)
        call, worker.call = worker.call, None
        code = worker.process.exitcode
        if not worker.ready and code is not None and code > 0 and code != ORPHAN_EXIT:
            self._start_failures.append(time.monotonic())  # it failed to start by itself
        if call is None or not call.started:  # it died before taking the call: no blame
            if call is not None:
                with self._lock:
                    self._queue.appendleft(call)
            return
        call.started = False
        self.stats.crashed += 1
        call.kills += 1
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit {code}"
        if call.kills >= self.max_kills:
            message = f"the extraction process died on this page {call.kills} times ({how})"
            call.future.set_exception(WorkerCrashError(message, source=call.name or None))
        else:
            with self._lock:
                self._queue.appendleft(call)

    def _expire(self, worker: _Worker) -> None:
        """A call went over the time limit: kill its worker, fail the call alone."""
        call, worker.call = worker.call, None
        with contextlib.suppress(OSError):
            worker.process.kill()
        self._drop(worker)
        self.stats.timed_out += 1
        if call is not None:
            message = f"extraction took longer than {self.call_timeout:g} s"
            call.future.set_exception(PageTimeoutError(message, source=call.name or None))

    def _fail_queued(self, message: str) -> None:
        with self._lock:
            calls = list(self._queue)
            self._queue.clear()
        for call in calls:
            if call.future.running() or call.future.set_running_or_notify_cancel():
                err = WorkerCrashError(message, source=call.name or None, final=False)
                call.future.set_exception(err)

    def _stop_workers(self) -> None:
        """Ask idle workers to leave, kill the rest; cancel what they held."""
        with self._lock:
            workers, self._workers = list(self._workers), []
            calls = list(self._queue)
            self._queue.clear()
        for w in workers:
            if w.call is None and not self._abort:
                with contextlib.suppress(OSError, ValueError):
                    w.conn.send(None)
            else:
                with contextlib.suppress(OSError):
                    w.process.kill()
        for w in workers:
            w.process.join(timeout=2)
            if w.process.is_alive():
                with contextlib.suppress(OSError):
                    w.process.kill()
                w.process.join(timeout=5)
            with contextlib.suppress(OSError):
                w.conn.close()
            if w.call is not None:
                calls.append(w.call)
        for call in calls:
            if not call.future.cancel() and not call.future.done():
                err = WorkerCrashError("the run stopped", source=call.name or None, final=False)
                call.future.set_exception(err)
