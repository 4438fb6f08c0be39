"""robots.txt by RFC 9309 (net/robots.py): rules, unreachable files, and batch end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_server import Server, Site

from newskit.cli import app
from newskit.core.errors import ConnectError, DNSError, FetchError, HTTPStatusError, TimeoutError
from newskit.core.models import Page

FAST = ["--delay", "0", "--per-host", "4", "--procs", "1", "--retries", "0"]


class _Gate:
    def __init__(self) -> None:
        self.delays: list[tuple[str, float]] = []

    def slow_down(self, host: str, delay: float) -> None:
        self.delays.append((host, delay))


def _robots(body: bytes | None = None, error: FetchError | None = None):
    from newskit.net.robots import Robots

    def fetch_one(url: str) -> Page:
        if error is not None:
            raise error
        return Page(url=url, final_url=url, status=200, headers={}, content=body or b"")

    return Robots(fetch_one, _Gate(), "newskit")


@pytest.mark.parametrize(
    "rules, url, allowed",
    [
        ("Disallow: /*?", "/news/1.html?id=1", False),  # wildcards
        ("Disallow: /*?", "/news/1.html", True),
        ("Disallow: /*.pdf$", "/files/a.pdf", False),  # end anchor
        ("Disallow: /*.pdf$", "/files/a.pdf.html", True),
        ("Allow: /news/\nDisallow: /news/*/draft", "/news/2024/draft", False),  # longest wins
        ("Disallow: /news/\nAllow: /news/public/", "/news/public/1.html", True),
        ("Disallow: /", "/anything", False),
    ],
)
def test_rules_follow_rfc_9309(rules, url, allowed):
    from newskit.net.robots import RobotsError

    robots = _robots(f"User-agent: *\n{rules}\n".encode())
    site = "https://news.example.cn"
    if allowed:
        robots.check(site + url)
    else:
        with pytest.raises(RobotsError) as caught:
            robots.check(site + url)
        assert caught.value.message == "disallowed by robots.txt"


def test_a_group_for_newskit_wins_and_crawl_delay_slows_the_host():
    robots = _robots(b"User-agent: *\nDisallow: /\n\nUser-agent: newskit\nCrawl-delay: 2\n")
    robots.check("https://news.example.cn/a.html")
    assert robots.gate.delays == [("news.example.cn", 2.0)]


@pytest.mark.parametrize(
    "error, reason",
    [
        (ConnectError("connection refused"), "connection refused"),
        (TimeoutError("timed out after 30 s"), "timed out after 30 s"),
        (DNSError("cannot resolve host news.example.cn"), "cannot resolve host news.example.cn"),
        (HTTPStatusError("HTTP 503 Service Unavailable", status=503), "HTTP 503"),
        (HTTPStatusError("HTTP 429 Too Many Requests", status=429), "HTTP 429"),
    ],
)
def test_unreachable_robots_txt_disallows_the_site(error, reason):
    from newskit.net.robots import RobotsError

    robots = _robots(error=error)
    with pytest.raises(RobotsError) as caught:
        robots.check("https://news.example.cn/a.html")
    assert caught.value.message == f"robots.txt unreachable ({reason}), site not fetched"


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_unavailable_robots_txt_allows_everything(status):
    robots = _robots(error=HTTPStatusError(f"HTTP {status}", status=status))
    robots.check("https://news.example.cn/a.html")


@pytest.fixture
def server():
    srv = Server(Site())
    yield srv
    srv.close()


def _batch(runner, tmp_path: Path, server: Server, ids, *more: str):
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(server.url(f"/a/{i}.html") for i in ids) + "\n")
    report = tmp_path / "report.json"
    state = ["--state", str(tmp_path / "state.sqlite"), "--report", str(report)]
    result = runner.invoke(app, ["batch", str(urls), *FAST, *state, *more])
    return result, json.loads(report.read_text())


def test_batch_honours_wildcards_and_the_longest_match(runner, tmp_path, server):
    server.site.robots = "User-agent: *\nAllow: /a/\nDisallow: /a/*1.html$\n"
    result, report = _batch(runner, tmp_path, server, range(4))
    assert result.exit_code == 6
    assert (report["done"], report["reasons"]) == (3, {"robots.txt": 1})
    assert "/a/1.html" not in server.site.paths()


def test_batch_fetches_nothing_from_a_site_whose_robots_txt_times_out(runner, tmp_path, server):
    server.site.delays["/robots.txt"] = 1.0
    result, report = _batch(runner, tmp_path, server, range(3), "--timeout", "0.3")
    assert result.exit_code == 3
    assert (report["done"], report["reasons"]) == (0, {"robots.txt": 3})
    assert report["errors"][0]["error"] == (
        "robots.txt unreachable (timed out after 0.3 s), site not fetched"
    )
    assert [p for p in server.site.paths() if p.startswith("/a/")] == []
