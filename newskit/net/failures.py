"""urllib3's errors as newskit's: one FetchError per failure, in words, marked when worth
another attempt. Imported with urllib3, on the first fetch only."""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

from urllib3 import exceptions as u3

from newskit.core.errors import (
    ConnectError,
    DNSError,
    FetchError,
    TimeoutError,
    TLSError,
)
from newskit.net.options import FetchOptions


class Retry(Exception):
    """A failed attempt worth another one; carries the error to raise when out of retries."""

    def __init__(self, error: FetchError, delay: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.delay = delay


def _chain(err: BaseException) -> Iterator[BaseException]:
    """The error, its causes and the exceptions in its args, depth first."""
    seen: set[int] = set()
    todo = [err]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(a for a in current.args if isinstance(a, BaseException))
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def _reason(err: BaseException) -> str:
    """What went wrong, in words: the OS error, else http.client's, never a nest of reprs."""
    chain = list(_chain(err))
    for inner in chain:
        if isinstance(inner, OSError) and inner.strerror:
            return str(inner.strerror)
    for inner in chain:
        if isinstance(inner, http.client.RemoteDisconnected):
            return "the server closed the connection without an answer"
        if isinstance(inner, http.client.IncompleteRead):
            got = inner.partial if isinstance(inner.partial, int) else len(inner.partial)
            more = f", {inner.expected} more expected" if inner.expected is not None else ""
            return f"body cut short ({got} bytes read{more})"
        if isinstance(inner, http.client.BadStatusLine):
            return f"bad status line {str(inner)[:60]!r}"
        if isinstance(inner, http.client.HTTPException) and str(inner):
            return str(inner)[:200]
    return str(err)


def _tls_reason(err: BaseException) -> str:
    for inner in _chain(err):
        if isinstance(inner, ssl.SSLCertVerificationError):
            return f"certificate verify failed: {inner.verify_message}"
    for inner in _chain(err):
        if isinstance(inner, ssl.SSLError):
            return str(inner.reason or inner)
    return str(err)


def failure(err: BaseException, url: str, opts: FetchOptions, late: bool = False) -> Exception:
    """Map a urllib3 error to our FetchError, wrapped in Retry when worth retrying.

    `late`: the attempt's deadline cut the connection, whatever error that raised.
    """
    if late:
        return Retry(TimeoutError(f"timed out after {opts.timeout:g} s"))
    if isinstance(err, u3.NameResolutionError):
        error = DNSError(f"cannot resolve host {urlsplit(url).hostname}")
        transient = any(
            isinstance(e, socket.gaierror) and e.errno == socket.EAI_AGAIN for e in _chain(err)
        )
        return Retry(error) if transient else error
    if isinstance(err, u3.SSLError):
        return TLSError(f"TLS error: {_tls_reason(err)}")
    if isinstance(err, u3.ProxyError):
        return Retry(ConnectError(f"proxy error: {_reason(err)}"))
    if isinstance(err, u3.NewConnectionError):
        if any(isinstance(e, ConnectionRefusedError) for e in _chain(err)):
            return Retry(ConnectError("connection refused"))
        return Retry(ConnectError(f"cannot connect: {_reason(err)}"))
    if isinstance(err, u3.ConnectTimeoutError):
        connect = min(opts.connect_timeout, opts.timeout)
        return Retry(TimeoutError(f"connect timed out after {connect:g} s"))
    if isinstance(err, u3.TimeoutError):
        return Retry(TimeoutError(f"timed out after {opts.timeout:g} s"))
    if isinstance(err, u3.DecodeError):
        return FetchError(f"cannot decompress the body: {_reason(err)}")
    if isinstance(err, u3.ProtocolError):
        return Retry(ConnectError(f"connection broken: {_reason(err)}"))
    if isinstance(err, u3.LocationValueError):
        return FetchError(f"invalid URL: {err}")
    if isinstance(err, socket.timeout):
        return Retry(TimeoutError(f"timed out after {opts.timeout:g} s"))
    if isinstance(err, OSError):
        return Retry(ConnectError(f"connection broken: {_reason(err)}"))
    return FetchError(f"{type(err).__name__}: {err}")
