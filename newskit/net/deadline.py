"""Guards on pooled connections, per download attempt: a deadline, and where they may go.

A socket timeout bounds each read alone, so a server sending its headers a byte a second
keeps a read alive for ever. The pools' connections register their socket with the
attempt's Alarm when the response is awaited; one watchdog thread shuts down the sockets
of attempts past their deadline, which ends the blocked read at once.

An attempt that follows a redirect or a link may also carry the kinds of space its origin
is in (`hop()`): a new connection whose peer turns out to be in another non-public space
is closed before a byte is sent. The check before the hop resolved the name once; this
one sees the address really connected to, so a DNS answer that changed in between (DNS
rebinding) is caught too.

Imported with urllib3, on the first fetch only.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from newskit.net.addresses import PrivateAddressError, address_kind, hop_refusal

# The Alarm of the attempt running in this thread (or context), if any.
_CURRENT: contextvars.ContextVar[Alarm | None] = contextvars.ContextVar(
    "newskit_alarm", default=None
)
# The kinds of address space the origin of a hop is in, while it is being followed.
_ORIGIN: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar(
    "newskit_origin", default=None
)


class Alarm:
    """An attempt's deadline and the connections it waits on; `fired` once it went off."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self.done = False
        self._connections: list[Any] = []
        self._lock = threading.Lock()

    def watch(self, connection: Any) -> None:
        """Shut this connection's socket down when the deadline passes (at once if it has)."""
        with self._lock:
            if self.done:
                return
            self._connections.append(connection)
            late = self.fired or time.monotonic() >= self.deadline
        if late:
            self.fire()

    def fire(self) -> None:
        """The deadline passed: end every read this attempt is blocked in."""
        with self._lock:
            if self.done:
                return
            self.fired = True
            connections = list(self._connections)
        for connection in connections:
            sock = getattr(connection, "sock", None)
            if sock is None:
                continue
            # socket.socket's own shutdown: for a TLS socket it ends the blocked read too,
            # without tearing down the TLS state under the reading thread.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        """The attempt is over: forget its connections."""
        with self._lock:
            self.done = True
            self._connections.clear()


class Watchdog:
    """One daemon thread firing the alarms whose deadline has passed."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Alarm]] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, deadline: float) -> Alarm:
        """A new Alarm for `deadline` (time.monotonic seconds)."""
        alarm = Alarm(deadline)
        with self._cond:
            heapq.heappush(self._heap, (deadline, next(self._order), alarm))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="newskit-deadline")
                self._thread.daemon = True
                self._thread.start()
            self._cond.notify()
        return alarm

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)  # finished in time: nothing to do
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, _, alarm = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            alarm.fire()


WATCHDOG = Watchdog()


@contextlib.contextmanager
def attempt(deadline: float) -> Iterator[Alarm]:
    """Run one attempt under an Alarm: connections of the pools register with it."""
    alarm = WATCHDOG.arm(deadline)
    token = _CURRENT.set(alarm)
    try:
        yield alarm
    finally:
        _CURRENT.reset(token)
        alarm.cancel()


@contextlib.contextmanager
def hop(origin: frozenset[str] | None) -> Iterator[None]:
    """New connections made meanwhile must reach public space or one of `origin`'s kinds
    (None: anywhere, as for URLs the user names, or through a proxy)."""
    token = _ORIGIN.set(origin)
    try:
        yield
    finally:
        _ORIGIN.reset(token)


def check_peer(sock: socket.socket, origin: frozenset[str]) -> None:
    """Raise PrivateAddressError when the socket's peer is in space a hop may not enter."""
    peer = str(sock.getpeername()[0])
    why = hop_refusal(origin, frozenset({address_kind(peer.split("%", 1)[0])}))
    if why is not None:
        raise PrivateAddressError(f"refused: {why}")


def _watched(connection_cls: type) -> type:
    """A subclass of a urllib3 connection class whose waits for a response are watched,
    and whose new connections keep the hop's address policy."""

    class Watched(connection_cls):  # type: ignore[misc]
        def _new_conn(self) -> Any:
            sock = super()._new_conn()
            origin = _ORIGIN.get()
            if origin is not None:
                try:
                    check_peer(sock, origin)
                except BaseException:
                    sock.close()
                    raise
            return sock

        def getresponse(self, *args: Any, **kwargs: Any) -> Any:
            alarm = _CURRENT.get()
            if alarm is not None:
                alarm.watch(self)
            return super().getresponse(*args, **kwargs)

    Watched.__name__ = Watched.__qualname__ = f"Watched{connection_cls.__name__}"
    return Watched


_classes: dict[type, type] = {}
_classes_lock = threading.Lock()


def _watched_pool(pool_cls: type) -> type:
    with _classes_lock:
        if pool_cls not in _classes:
            connection = _watched(getattr(pool_cls, "ConnectionCls"))  # noqa: B009
            name = f"Watched{pool_cls.__name__}"
            _classes[pool_cls] = type(name, (pool_cls,), {"ConnectionCls": connection})
        return _classes[pool_cls]


def guard(manager: Any) -> Any:
    """Make a urllib3 PoolManager's connections register with the running attempt's Alarm."""
    manager.pool_classes_by_scheme = {
        scheme: _watched_pool(cls) for scheme, cls in manager.pool_classes_by_scheme.items()
    }
    return manager
