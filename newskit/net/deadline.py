"""Guards on pooled connections, per download attempt: a deadline, and where they may go.

A socket timeout bounds each read alone, so a server sending its headers a byte a second
keeps a read alive for ever. The pools' connections register their socket with the
attempt's Alarm when the response is awaited; one watchdog thread shuts down the sockets
of attempts past their deadline, which ends the blocked read at once.

A new connection's host name is resolved within the same time (the connect timeout, and
the attempt's deadline): the system resolver cannot be interrupted, so it runs in a thread
left to finish on its own, and the connection is made to the addresses it gave.

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
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from newskit.net.addresses import (
    PrivateAddressError,
    Resolver,
    address_kind,
    hop_refusal,
    parse_ip,
)

# A resolver with getaddrinfo's signature: (host, port, family, type) -> address infos.
Lookup = Callable[..., list[tuple[Any, ...]]]

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


def lookup_within(host: str, port: int, seconds: float, lookup: Lookup) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order; TimeoutError when the
    resolver has not answered within `seconds` (its thread is left to finish alone)."""
    from urllib3.util.connection import allowed_gai_family

    answers: list[list[tuple[Any, ...]]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def resolve() -> None:
        try:
            answers.append(lookup(host, port, allowed_gai_family(), socket.SOCK_STREAM))
        except BaseException as err:  # handed to the waiting thread
            errors.append(err)
        finally:
            done.set()

    threading.Thread(target=resolve, name="newskit-resolve", daemon=True).start()
    if not done.wait(max(seconds, 0.0)):
        raise TimeoutError(f"DNS lookup of {host} timed out")
    if errors:
        raise errors[0]
    return list(dict.fromkeys(str(info[4][0]) for info in answers[0]))


def bounded_resolver(seconds: float, pools: Any = None) -> Resolver:
    """A resolver for the address checks (addresses.check_hop) answering within `seconds`,
    through the lookup of `pools` (options.Pools; else, as for a plain PoolManager, the
    system's): a name not answered in time, or unknown, gives no address (the connection
    to it then reports why)."""
    lookup: Lookup = getattr(pools, "lookup", socket.getaddrinfo)

    def resolve(host: str) -> list[str]:
        try:
            return lookup_within(host, 0, seconds, lookup)
        except (OSError, UnicodeError):  # TimeoutError and gaierror are OSErrors
            return []

    return resolve


def _watched(connection_cls: type, lookup: Lookup | None) -> type:
    """A subclass of a urllib3 connection class whose waits for a response are watched,
    whose host names are resolved within the attempt's time, and whose new connections keep
    the hop's address policy."""
    from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

    class Watched(connection_cls):  # type: ignore[misc]
        _dns_host: str  # urllib3's: the name (or address) the connection is made to

        def _connect(self) -> Any:
            """urllib3's connection, its host name resolved first within the connect timeout
            and the attempt's deadline, then each address tried in turn, as urllib3 does."""
            host = self._dns_host
            alarm = _CURRENT.get()
            if lookup is None or alarm is None or parse_ip(host.strip("[]")) is not None:
                return super()._new_conn()
            limit = self.timeout if isinstance(self.timeout, (int, float)) else math.inf
            try:
                addresses = lookup_within(
                    host, self.port, min(limit, alarm.deadline - time.monotonic()), lookup
                )
            except socket.gaierror as err:
                raise NameResolutionError(self.host, self, err) from err
            except TimeoutError as err:
                message = f"DNS lookup of {self.host} timed out. (connect timeout={self.timeout})"
                raise ConnectTimeoutError(self, message) from err
            except Exception:  # a name urllib3 refuses before resolving it: its own error
                return super()._new_conn()
            failed: Exception | None = None
            for address in addresses:
                self._dns_host = address  # `host` (TLS name, Host header) reads it afterwards
                try:
                    return super()._new_conn()
                except (NewConnectionError, ConnectTimeoutError) as err:
                    failed = err
                finally:
                    self._dns_host = host
            raise failed or NameResolutionError(self.host, self, socket.gaierror(host))

        def _new_conn(self) -> Any:
            sock = self._connect()
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


_classes: dict[tuple[type, Lookup | None], type] = {}
_classes_lock = threading.Lock()


def _watched_pool(pool_cls: type, lookup: Lookup | None) -> type:
    with _classes_lock:
        if (pool_cls, lookup) not in _classes:
            connection = _watched(getattr(pool_cls, "ConnectionCls"), lookup)  # noqa: B009
            name = f"Watched{pool_cls.__name__}"
            _classes[pool_cls, lookup] = type(name, (pool_cls,), {"ConnectionCls": connection})
        return _classes[pool_cls, lookup]


def guard(manager: Any, lookup: Lookup | None = socket.getaddrinfo) -> Any:
    """Make a urllib3 PoolManager's connections register with the running attempt's Alarm
    and resolve their host names with `lookup` within its time (None: urllib3 resolves)."""
    manager.pool_classes_by_scheme = {
        scheme: _watched_pool(cls, lookup) for scheme, cls in manager.pool_classes_by_scheme.items()
    }
    return manager
