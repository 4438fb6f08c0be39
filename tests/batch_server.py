"""A threaded loopback HTTP server for batch tests: generated articles, delays, failures,
ETags/304, robots.txt, a feed and a sitemap, and a server-side log of every request."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORDS = [
    "council",
    "harbour",
    "bridge",
    "river",
    "school",
    "budget",
    "transit",
    "market",
    "festival",
    "library",
    "museum",
    "hospital",
    "storm",
    "rainfall",
    "railway",
    "station",
    "district",
    "mayor",
    "report",
    "survey",
]


def article_html(i: int, title: str | None = None) -> bytes:
    """A small, unique news article page (enough text for trafilatura)."""
    title = title or f"Story number {i} about the {WORDS[i % len(WORDS)]}"
    paras = []
    for p in range(5):
        words = [WORDS[(i * 7 + p * 3 + k) % len(WORDS)] for k in range(40)]
        paras.append(f"<p>Paragraph {p} of story {i}: " + " ".join(words) + f" (ref {i}-{p}).</p>")
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1><p class='byline'>By Test Writer, 2024-05-0{1 + i % 9}</p>"
        + "".join(paras)
        + "</article><footer>Copyright</footer></body></html>"
    ).encode()


@dataclass
class Hit:
    """One request as the server saw it."""

    path: str
    host: str
    start: float
    end: float
    headers: dict[str, str]


@dataclass
class Site:
    """What the server serves; tests tune it before or between runs."""

    delay: float = 0.0
    delays: dict[str, float] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    robots: str | None = None
    extra: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path → (type, body)
    etags: bool = True
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    active: dict[str, int] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)

    def paths(self) -> list[str]:
        with self.lock:
            return [h.path for h in self.hits]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site = self.site
        host = self.headers.get("Host", "")
        start = time.monotonic()
        with site.lock:
            site.active[host] = site.active.get(host, 0) + 1
            site.peak[host] = max(site.peak.get(host, 0), site.active[host])
        try:
            time.sleep(site.delays.get(self.path, site.delay))
            self._answer()
        finally:
            with site.lock:
                site.active[host] -= 1
                site.hits.append(
                    Hit(self.path, host, start, time.monotonic(), dict(self.headers.items()))
                )

    def _send(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _answer(self) -> None:
        site, path = self.site, self.path
        if path in site.status:
            self._send(site.status[path], b"<html><body>error</body></html>")
        elif path == "/robots.txt":
            if site.robots is None:
                self._send(404, b"not found", "text/plain")
            else:
                self._send(200, site.robots.encode(), "text/plain")
        elif path in site.extra:
            ctype, body = site.extra[path]
            etag = f'"x{len(body)}"'
            if site.etags and self.headers.get("If-None-Match") == etag:
                self._send(304, b"", ctype, headers={"ETag": etag})
            else:
                self._send(200, body, ctype, headers={"ETag": etag} if site.etags else {})
        elif path.startswith("/a/") and path.endswith(".html"):
            i = int(path[3:-5])
            etag = f'"v{i}"'
            if site.etags and self.headers.get("If-None-Match") == etag:
                self._send(304, b"", headers={"ETag": etag})
            else:
                self._send(200, article_html(i), headers={"ETag": etag} if site.etags else {})
        else:
            self._send(404, b"<html><body>not found</body></html>")


class Server:
    """Start with `Server(site)`, use `.url(path)`, stop with `.close()`."""

    def __init__(self, site: Site | None = None) -> None:
        self.site = site or Site()
        handler = type("Handler", (_Handler,), {"site": self.site})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
