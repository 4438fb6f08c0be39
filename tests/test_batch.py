"""newskit.crawl.runner against a real loopback server: politeness, robots, resume, 304, dedupe."""

from __future__ import annotations

import itertools
import json

import pytest
from batch_server import Server, Site, article_html

from newskit.core.errors import ExtractionError, FetchError, HTTPStatusError
from newskit.crawl.politeness import HostGate
from newskit.crawl.runner import batch
from newskit.crawl.sinks import JsonlFileSink
from newskit.crawl.sources import Source
from newskit.crawl.state import Store
from newskit.crawl.types import BatchOptions, BatchReport, reason_of
from newskit.net.options import FetchOptions

FAST = {"delay": 0.0, "per_host": 4, "procs": 1, "jobs": 6, "fetch": FetchOptions(retries=0)}


@pytest.fixture
def server():
    srv = Server(Site())
    yield srv
    srv.close()


def _run(tmp_path, sources, **options) -> tuple[BatchReport, list[dict]]:
    opts = BatchOptions(**{**FAST, **options})
    report = batch(sources, str(tmp_path / "out.jsonl"), str(tmp_path / "state.sqlite"), opts)
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    return report, [json.loads(line) for line in lines]


def _list(tmp_path, server, ids, name="urls.txt", host="127.0.0.1"):
    path = tmp_path / name
    path.write_text("\n".join(server.url(f"/a/{i}.html", host) for i in ids) + "\n")
    return str(path)


def test_run_extracts_every_url_once(tmp_path, server):
    urls = _list(tmp_path, server, range(12))
    report, records = _run(tmp_path, [urls])
    assert (report.queued, report.done, report.failed) == (12, 12, 0)
    assert sorted(r["url"] for r in records) == sorted(
        server.url(f"/a/{i}.html") for i in range(12)
    )
    assert all("Paragraph 0 of story" in r["text"] for r in records)
    assert report.exit_code() == 0


def test_failures_reported_by_reason_and_others_go_on(tmp_path, server):
    server.site.status["/a/3.html"] = 404
    server.site.extra["/a/4.html"] = (
        "text/html",
        b"<html><head><title>t</title></head><body><div><a href=/x>x</a></div></body></html>",
    )
    report, _ = _run(tmp_path, [_list(tmp_path, server, range(6))])
    assert (report.done, report.failed) == (4, 2)
    assert report.reasons == {"HTTP 404": 1, "no article": 1}
    assert report.exit_code() == 6
    assert "HTTP 404: 1" in report.paragraph()
    assert {e["url"] for e in report.errors} == {server.url("/a/3.html"), server.url("/a/4.html")}


def test_robots_disallowed_path_is_never_requested(tmp_path, server):
    server.site.robots = "User-agent: *\nDisallow: /a/1.html\n\nUser-agent: other\nDisallow: /\n"
    report, records = _run(tmp_path, [_list(tmp_path, server, range(4))])
    paths = server.site.paths()
    assert "/a/1.html" not in paths
    assert paths.count("/robots.txt") == 1
    assert report.reasons == {"robots.txt": 1}
    assert len(records) == 3


def test_ignore_robots(tmp_path, server):
    server.site.robots = "User-agent: *\nDisallow: /\n"
    report, _ = _run(tmp_path, [_list(tmp_path, server, range(2))], robots=False)
    assert report.done == 2
    assert "/robots.txt" not in server.site.paths()


def test_robots_unavailable_forbids_host(tmp_path, server):
    server.site.status["/robots.txt"] = 503
    report, _ = _run(tmp_path, [_list(tmp_path, server, range(2))])
    assert report.failed == 2 and report.exit_code() == 3
    assert server.site.paths().count("/a/0.html") == 0


def test_per_host_limit_and_delay_seen_by_server(tmp_path, server):
    server.site.delay = 0.05
    ids = range(8)
    urls = [server.url(f"/a/{i}.html") for i in ids]
    other = [server.url(f"/a/{i}.html", "localhost") for i in range(8, 12)]
    (tmp_path / "urls.txt").write_text("\n".join(urls + other))
    report, _ = _run(tmp_path, [str(tmp_path / "urls.txt")], per_host=2, delay=0.0, jobs=8)
    assert report.done == 12
    host = f"127.0.0.1:{server.port}"
    assert server.site.peak[host] <= 2
    # now one at a time with a delay: starts at least `delay` apart (server clock)
    server.site.hits.clear()
    server.site.peak.clear()
    (tmp_path / "slow.txt").write_text("\n".join(server.url(f"/a/{i}.html") for i in range(20, 25)))
    _run(tmp_path, [str(tmp_path / "slow.txt")], per_host=1, delay=0.3, jobs=4)
    starts = sorted(h.start for h in server.site.hits if h.host == host)
    assert len(starts) == 6  # robots.txt (once per run, through the gate too) + 5 pages
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.25, gaps
    assert server.site.peak[host] == 1


def test_a_rerun_skips_done_urls_and_recheck_sends_conditional_requests(tmp_path, server):
    urls = _list(tmp_path, server, range(5))
    _run(tmp_path, [urls])
    server.site.hits.clear()
    report, records = _run(tmp_path, [urls], recheck=0)
    assert (report.done, report.unchanged) == (0, 5)
    assert len(records) == 5
    sent = {h.path: h.headers.get("If-None-Match") for h in server.site.hits}
    assert sent["/a/2.html"] == '"v2"'
    server.site.hits.clear()
    report, _ = _run(tmp_path, [urls])  # the default: only what is new
    assert (report.skipped, report.unchanged) == (5, 0)
    assert [h.path for h in server.site.hits if h.path != "/robots.txt"] == []


def test_done_without_validators_is_skipped_and_same_content_not_reemitted(tmp_path, server):
    server.site.etags = False
    urls = _list(tmp_path, server, range(3))
    _run(tmp_path, [urls])
    server.site.hits.clear()
    report, records = _run(tmp_path, [urls])
    assert report.skipped == 3 and len(records) == 3
    assert [h.path for h in server.site.hits] == []


def test_same_article_under_two_urls_emitted_once(tmp_path, server):
    server.site.extra["/copy.html"] = ("text/html; charset=utf-8", article_html(1))
    path = tmp_path / "urls.txt"
    path.write_text(f"{server.url('/a/1.html')}\n{server.url('/copy.html')}\n")
    report, records = _run(tmp_path, [str(path)], jobs=1)
    assert (report.done, report.duplicate) == (1, 1)
    assert len(records) == 1


def test_failing_url_given_up_after_max_attempts(tmp_path, server):
    server.site.status["/a/0.html"] = 404
    urls = _list(tmp_path, server, [0])
    for _ in range(2):
        report, _ = _run(tmp_path, [urls], max_attempts=2)
        assert report.failed == 1
    server.site.hits.clear()
    report, _ = _run(tmp_path, [urls], max_attempts=2)
    assert (report.failed, report.gave_up) == (0, 1)
    assert server.site.paths() == []


def test_feed_source_and_conditional_feed_request(tmp_path, server):
    items = "".join(f"<item><link>/a/{i}.html</link></item>" for i in range(3))
    feed = f"<?xml version='1.0'?><rss><channel>{items}</channel></rss>".encode()
    server.site.extra["/feed.xml"] = ("application/rss+xml", feed)
    report, records = _run(tmp_path, [Source(server.url("/feed.xml"), "feed")])
    assert report.done == 3
    assert {r["url"] for r in records} == {server.url(f"/a/{i}.html") for i in range(3)}
    server.site.hits.clear()
    report, _ = _run(tmp_path, [Source(server.url("/feed.xml"))])
    feed_hits = [h for h in server.site.hits if h.path == "/feed.xml"]
    assert feed_hits[0].headers.get("If-None-Match") == f'"x{len(feed)}"'
    assert report.done == 0 and report.failed == 0


def test_unreachable_feed_counts_as_failure(tmp_path, server):
    server.site.status["/feed.xml"] = 500
    report, records = _run(tmp_path, [Source(server.url("/feed.xml"), "feed")])
    assert report.failed == 1 and report.exit_code() == 3 and records == []


def test_host_gate_spaces_starts_and_honours_defer():
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 3))
        now[0] += seconds

    gate = HostGate(per_host=1, delay=0.5, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        with gate.slot("ex.cn"):
            pass
    assert slept == [0.5, 0.5]
    gate.defer("ex.cn", 10)
    with gate.slot("ex.cn"):
        pass
    assert slept[-1] == 10.0
    with gate.slot("other.cn"):
        pass
    assert len(slept) == 3


def test_exit_code_all_failed_alike_or_partial():
    report = BatchReport()
    report.add_failure("u1", FetchError("x"), "connect")
    report.add_failure("u2", HTTPStatusError("y", status=500), "HTTP 500")
    assert report.exit_code() == 3
    report.add_failure("u3", ExtractionError("z"), "no article")
    assert report.exit_code() == 6
    only_extract = BatchReport()
    only_extract.add_failure("u", ExtractionError("z"), "no article")
    assert only_extract.exit_code() == 4
    only_extract.done = 1
    assert only_extract.exit_code() == 6
    assert reason_of(HTTPStatusError("gone", status=410)) == "HTTP 410"


def test_jsonl_sink_resume_check(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    sink = JsonlFileSink(tmp_path / "o.jsonl")
    store.claim("https://ex.cn/1", "r", "o")
    emit, data = sink.render({"url": "https://ex.cn/1"}, "https://ex.cn/1")
    from newskit.crawl.runner import resume

    store.begin_emit("https://ex.cn/1", "fp", emit)
    sink.write(emit, data)  # killed here, before finish_emit
    assert resume(store, sink) == 1
    assert store.status("https://ex.cn/1")["status"] == "done"  # type: ignore[index]
    sink.close()
    store.close()


def test_urls_stream_through_a_bounded_queue(tmp_path, server):
    """A long list is never read into memory (or the state) ahead of the fetchers."""
    import sqlite3

    from newskit.net.http import fetch

    state = tmp_path / "state.sqlite"
    ahead: list[int] = []

    def counting_fetch(url, options=None, **kwargs):
        if url.endswith(".html"):
            with sqlite3.connect(state) as db:
                ahead.append(db.execute("SELECT COUNT(*) FROM urls").fetchone()[0])
        return fetch(url, options, **kwargs)

    urls = _list(tmp_path, server, range(120))
    opts = BatchOptions(**{**FAST, "jobs": 2})
    report = batch([urls], str(tmp_path / "out.jsonl"), str(state), opts, fetcher=counting_fetch)
    assert report.done == 120
    assert max(ahead[:10]) <= 20, ahead[:10]  # jobs + queue (2 x jobs) + a few in hand


def _page_hits(site: Site, host: str) -> list:
    with site.lock:
        return [h for h in site.hits if h.host == host and h.path.startswith("/a/")]


def test_free_host_is_fetched_while_a_busy_host_is_waited_on(tmp_path, server):
    """A slow host limited to one request at a time never holds up another host's URLs."""
    slow = Server(Site(delay=0.3))
    try:
        first = [slow.url(f"/a/{i}.html") for i in range(4)]  # listed first: all slow
        then = [server.url(f"/a/{i}.html", "localhost") for i in range(10, 16)]
        (tmp_path / "urls.txt").write_text("\n".join(first + then) + "\n")
        report, _ = _run(tmp_path, [str(tmp_path / "urls.txt")], per_host=1, jobs=3)
        assert report.done == 10
        busy = _page_hits(slow.site, f"127.0.0.1:{slow.port}")
        free = _page_hits(server.site, f"localhost:{server.port}")
        assert len(busy) == 4 and len(free) == 6
        first_busy_done = min(h.end for h in busy)
        assert max(h.start for h in free) < first_busy_done, "free host waited on the busy one"
        assert slow.site.peak[f"127.0.0.1:{slow.port}"] == 1
        assert server.site.peak[f"localhost:{server.port}"] == 1
    finally:
        slow.close()


def test_retry_wait_lends_the_thread_to_other_hosts(tmp_path, server):
    """While one URL waits out its backoff (holding its host), other hosts' URLs go on."""
    import time

    flaky = Server(Site(status={"/a/0.html": 503}))
    free_host = f"localhost:{server.port}"

    def sleep(seconds: float) -> None:  # the backoff: until the other host is done (or 5 s)
        deadline = time.monotonic() + 5
        while len(_page_hits(server.site, free_host)) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)

    try:
        urls = [flaky.url("/a/0.html")] + [
            server.url(f"/a/{i}.html", "localhost") for i in range(4)
        ]
        (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n")
        opts = BatchOptions(**{**FAST, "jobs": 1, "fetch": FetchOptions(retries=1)})
        out, state = str(tmp_path / "out.jsonl"), str(tmp_path / "state.sqlite")
        report = batch([str(tmp_path / "urls.txt")], out, state, opts, sleep=sleep)
        assert (report.done, report.failed) == (4, 1)
        tries = _page_hits(flaky.site, f"127.0.0.1:{flaky.port}")
        assert len(tries) == 2  # the first attempt and its one retry
        free = _page_hits(server.site, free_host)
        assert all(tries[0].start < h.start and h.end <= tries[1].start for h in free)
    finally:
        flaky.close()


def test_scheduler_hands_out_the_host_free_soonest():
    from newskit.crawl.scheduler import Scheduler

    gate = HostGate(per_host=1, delay=60.0)
    sched = Scheduler(gate, capacity=8, jobs=4)
    for host, item in (("a", "a1"), ("a", "a2"), ("b", "b1"), ("c", "c1")):
        assert sched.put(host, item)
    taken = [sched.take() for _ in range(3)]
    assert [t[1] for t in taken if t] == ["a1", "b1", "c1"]  # a2 waits on a's delay
    host, _, start = taken[2]  # type: ignore[misc]
    sched.release(host, start)  # not fetched after all (robots.txt said no): c's turn given back
    sched.give_turn()
    sched.put("c", "c2")
    assert sched.take()[1] == "c2"  # type: ignore[index]
    sched.stop()
    assert sched.take() is None and sched.put("d", "d1") is False
