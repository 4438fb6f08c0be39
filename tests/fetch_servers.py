"""Loopback servers pytest-httpserver cannot play (slow, TLS, proxy) and the gzip bomb."""

from __future__ import annotations

import functools
import http.server
import socket
import ssl
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
Handler = Callable[[http.server.BaseHTTPRequestHandler, threading.Event], None]


@functools.lru_cache(maxsize=2)
def gzip_bomb(megabytes: int = 1024) -> bytes:
    """`megabytes` MB of zeros as one valid gzip stream (1 GB → about 1 MB), made once per run.

    Each MB is compressed after a full flush, so every block after the first is the same
    bytes: compress three, repeat the second, and write the trailer's CRC for the whole.
    """
    zeros = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.flush()[:-8]  # the final empty block, without the trailer
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    trailer = struct.pack("<II", crc, (megabytes << 20) & 0xFFFFFFFF)
    return first + block * (megabytes - 1) + end + trailer


@contextmanager
def serve(handler: Handler, tls: bool = False) -> Iterator[str]:
    """A threaded http.server on 127.0.0.1 calling `handler` for every GET; yields its base URL.

    The Event is set when the test ends, so a handler that waits on it stops at once.
    """
    stop = threading.Event()

    class Handle(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with suppress(BrokenPipeError, ConnectionResetError):
                handler(self, stop)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handle)
    server.daemon_threads = True
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(FIXTURES / "tls-localhost.pem", FIXTURES / "tls-localhost.key")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_port}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def answer(request: http.server.BaseHTTPRequestHandler, body: bytes, **headers: str) -> None:
    """Send a 200 with `body` and headers (underscores in names become dashes)."""
    request.send_response(200)
    for name, value in {"Content-Type": "text/html", **headers}.items():
        request.send_header(name.replace("_", "-"), value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def slow_headers(request: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Answer only once the test is over."""
    stop.wait(10)


def drip(request: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Headers at once, then one byte every 20 ms: each read is quick, the whole is slow."""
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.send_header("Content-Length", "100000")
    request.end_headers()
    request.wfile.write(b"<html><body>")
    while not stop.wait(0.02):
        request.wfile.write(b"x")
        request.wfile.flush()


RawHandler = Callable[[socket.socket, threading.Event, list[str]], None]


@contextmanager
def raw_server(handler: RawHandler) -> Iterator[tuple[str, list[str]]]:
    """A TCP server on 127.0.0.1 giving each connection to `handler` once its request head
    is read, for slow or broken answers http.server cannot send. Yields (base URL, log): the
    log has "request" per request, and whatever the handler adds."""
    stop = threading.Event()
    log: list[str] = []
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)

    def serve_one(conn: socket.socket) -> None:
        with conn, suppress(OSError):
            conn.settimeout(5)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            log.append("request")
            handler(conn, stop, log)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:  # the accept timeout, or the listener closed
                continue
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", log
    finally:
        stop.set()
        thread.join()
        listener.close()


def drip_headers(conn: socket.socket, stop: threading.Event, log: list[str]) -> None:
    """A status line and a long header, one byte every 50 ms (7 s in all), then a short page:
    each read is quick, the headers take seconds. Logs "headers sent" if the client waited."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"x" * 100 + b"\r\n"
    for byte in head:
        if stop.wait(0.05):
            return
        conn.sendall(bytes([byte]))
    log.append("headers sent")
    body = b"<html><body><p>late page</p></body></html>"
    conn.sendall(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


def trickle(request: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Headers at once, then 100 bytes every 2 ms: never a stalled read, but never done."""
    request.send_response(200)
    request.send_header("Content-Type", "text/html")
    request.send_header("Content-Length", "10000000")
    request.end_headers()
    while not stop.wait(0.002):
        request.wfile.write(b"<p>more</p>" * 9 + b"\n")
        request.wfile.flush()
