"""Work for batch fetch threads, per host: hand out the item whose host can start soonest."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from typing import Any

from newskit.crawl.politeness import HostGate


class Scheduler:
    """Per-host queues of work, bounded in all, handed out as the hosts' gates allow.

    A thread asking for work gets an item whose host allows a start now (the oldest such
    item), so no thread waits on a busy or slowed-down host while another host's items are
    ready. At most `jobs` items are worked on at once (each holds a turn until `give_turn()`);
    a thread waiting out a Retry-After gives its turn back meanwhile (`take_turn()` after).
    Waiters are woken one at a time (each take wakes the next), and one thread at most
    watches the clock for the next host to come free, so idle threads cost nothing.
    """

    def __init__(self, gate: HostGate, capacity: int, jobs: int) -> None:
        self.gate, self.lock = gate, gate.lock
        self.work, self.space, self.turns = (threading.Condition(gate.lock) for _ in range(3))
        gate.watchers.append(self.work)
        self.capacity, self.jobs = max(1, capacity), max(1, jobs)
        self.queues: dict[str, deque[tuple[int, bool, Any]]] = {}  # host → (seq, alone, item)
        self.alone: set[str] = set()  # hosts running an item that must run alone
        self.size = self.busy = 0
        self.due: float | None = None  # when the thread watching the clock wakes up
        self.seq = itertools.count()
        self.closed = self.stopped = False

    def put(self, host: str, item: Any) -> bool:
        """Queue an item, waiting while the buffer is full; False once stopped."""
        with self.lock:
            while self.size >= self.capacity and not self.stopped:
                self.space.wait()
            if self.stopped:
                return False
            self.queues.setdefault(host, deque()).append((next(self.seq), False, item))
            self.size += 1
            self.work.notify()
            return True

    def put_first(self, host: str, item: Any) -> None:
        """Queue an item ahead of the host's others, to run alone on it (robots.txt)."""
        with self.lock:
            self.queues.setdefault(host, deque()).appendleft((next(self.seq), True, item))
            self.work.notify()

    def take(self) -> tuple[str, Any, float] | None:
        """(host, item, start) with a slot of the host taken; None when all is done or stopped."""
        with self.lock:
            while not self.stopped and (self.queues or not self.closed):
                due = None
                if self.busy < self.jobs:
                    now = self.gate.clock()
                    host, when = self._pick(now)
                    if host is not None and when <= now:
                        return self._hand_out(host)
                    due = when if host is not None else None
                self._wait(due)
            return None

    def _wait(self, due: float | None) -> None:
        if due is None or (self.due is not None and self.due <= due):
            self.work.wait()  # woken by an event, or by the thread watching the clock
            return
        self.due = due
        try:
            self.work.wait(max(0.0, due - self.gate.clock()))
        finally:
            if self.due == due:
                self.due = None

    def _pick(self, now: float) -> tuple[str | None, float]:
        """The host whose head item can start soonest (then the oldest), and when."""
        best: tuple[float, int] | None = None
        chosen = None
        for host, queue in self.queues.items():
            seq, alone, _ = queue[0]
            if host in self.alone or (alone and self.gate.running(host)):
                continue
            ready = self.gate.ready_at(host)
            if ready is None:
                continue
            key = (max(ready, now), seq)
            if best is None or key < best:
                best, chosen = key, host
        return chosen, best[0] if best is not None else now

    def _hand_out(self, host: str) -> tuple[str, Any, float]:
        queue = self.queues[host]
        _, alone, item = queue.popleft()
        if not queue:
            del self.queues[host]
        if alone:
            self.alone.add(host)
        else:
            self.size -= 1
            self.space.notify()
        self.busy += 1
        if self.closed and not self.queues:
            self.work.notify_all()  # nothing left: every waiting thread may go
        else:
            self.work.notify()  # the next item may be ready too (or needs a clock watcher)
        return host, item, self.gate.begin(host)

    def release(self, host: str, start: float | None = None) -> None:
        """Give back the host's slot; with the `start` take() gave, as if no request began."""
        with self.lock:
            self.alone.discard(host)  # an item that ran alone was the host's only one
            self.gate.end(host, start)  # wakes a waiting thread (a gate watcher)

    def give_turn(self) -> None:
        """Give back the turn take() took (done, or waiting: the host's slot may stay taken)."""
        with self.lock:
            self.busy -= 1
            self.turns.notify()
            self.work.notify()

    def take_turn(self) -> None:
        """Take a turn again after `give_turn()` while still working on an item."""
        with self.lock:
            while self.busy >= self.jobs and not self.stopped:
                self.turns.wait()
            self.busy += 1

    def close(self) -> None:
        """No more items will come: `take()` returns None once the queues are empty."""
        with self.lock:
            self.closed = True
            self.work.notify_all()

    def stop(self) -> None:
        """Stop at once: `take()` returns None and `put()` False from now on."""
        with self.lock:
            self.stopped = True
            for cond in (self.work, self.space, self.turns):
                cond.notify_all()
