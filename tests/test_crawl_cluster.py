"""`newskit batch` on Dask: joined to real `dask scheduler`/`dask worker` processes (the
session's `cluster`), every URL once, per-host limits held cluster-wide (the loopback
servers count), robots.txt, --warc kept; on its own LocalCluster, a worker SIGKILLed mid-run."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from batch_server import Site, _Handler

from newskit.cli import app

pytestmark = pytest.mark.slow
HOSTS = [f"127.0.0.{i}" for i in range(1, 9)]


class Hosts:
    """One threaded server per loopback address, all on one port, sharing one Site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        handler = type("Handler", (_Handler,), {"site": site})
        first = ThreadingHTTPServer((HOSTS[0], 0), handler)
        self.port = first.server_address[1]
        self.servers = [first] + [ThreadingHTTPServer((h, self.port), handler) for h in HOSTS[1:]]
        for server in self.servers:
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def urls(self, n: int) -> list[str]:
        return [f"http://{HOSTS[i % len(HOSTS)]}:{self.port}/a/{i}.html" for i in range(n)]

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def hosts():
    served = Hosts(Site())
    yield served
    served.close()


def _list(tmp_path: Path, urls: list[str]) -> str:
    path = tmp_path / "urls.txt"
    path.write_text("\n".join(urls) + "\n")
    return str(path)


def _seen(path: Path) -> list[str]:
    return sorted(json.loads(line)["url"] for line in path.read_bytes().splitlines())


def test_every_url_once_with_per_host_limits_and_warc(runner, tmp_path, hosts, cluster):
    urls = hosts.urls(240)
    out, arch = tmp_path / "out.jsonl", tmp_path / "arch"
    args = ["batch", _list(tmp_path, urls), "-o", str(out), "--state", str(tmp_path / "s")]
    args += ["--scheduler-file", cluster[0], "--per-host", "2", "--delay", "0"]
    result = runner.invoke(app, [*args, "--warc", str(arch), "--retries", "0"])
    assert result.exit_code == 0, result.stderr
    assert _seen(out) == sorted(urls)
    assert hosts.site.peak and max(hosts.site.peak.values()) <= 2
    assert len(hosts.site.peak) == 8
    pages = [h for h in hosts.site.hits if h.path.startswith("/a/")]
    assert len(pages) == 240  # each URL fetched once
    archived = runner.invoke(app, ["warc", *sorted(str(p) for p in arch.iterdir())])
    by_url = lambda text: {r["url"]: r for r in map(json.loads, text.splitlines())}  # noqa: E731
    assert by_url(archived.stdout) == by_url(out.read_text())
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and len(out.read_bytes().splitlines()) == 240


def test_delay_between_starts_holds_across_workers(runner, tmp_path, hosts, cluster):
    urls = [u for u in hosts.urls(48) if "//127.0.0.1:" in u]
    args = ["batch", _list(tmp_path, urls), "--state", str(tmp_path / "s"), "--ignore-robots"]
    result = runner.invoke(app, [*args, "--scheduler-file", cluster[0], "--delay", "0.5"])
    assert result.exit_code == 0, result.stderr
    starts = sorted(h.start for h in hosts.site.hits if h.path.startswith("/a/"))
    assert len(starts) == 6
    # the workers space their starts by 0.5 s; the server sees arrivals, which a loaded
    # machine delays unevenly: half the delay, at least, is left of every gap
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.25
    assert starts[-1] - starts[0] >= 5 * 0.5 - 0.25


def test_robots_txt_is_honoured_by_the_workers(runner, tmp_path, hosts, cluster):
    hosts.site.robots = "User-agent: *\nDisallow: /a/1\n"
    urls = hosts.urls(16)
    args = ["batch", _list(tmp_path, urls), "--state", str(tmp_path / "s"), "--delay", "0"]
    result = runner.invoke(app, [*args, "--scheduler-file", cluster[0]])
    assert result.exit_code == 6
    assert "disallowed by robots.txt" in result.stderr or "robots.txt: 2" in result.stderr
    assert sorted(json.loads(x)["url"] for x in result.stdout.splitlines()) == sorted(
        u for u in urls if "/a/1" not in u
    )


def test_a_worker_killed_mid_run_still_every_url_once(tmp_path, hosts):
    hosts.site.delay = 0.01
    urls = hosts.urls(200)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "newskit", "batch", _list(tmp_path, urls), "-o", str(out)]
    command += ["--state", str(tmp_path / "s"), "--engine", "dask", "--workers", "2"]
    command += ["--delay", "0", "--per-host", "2", "--report", str(tmp_path / "report.json")]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(out) < 50 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children_running("distributed", proc.pid)
    assert workers, "no worker process found"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert _seen(out) == sorted(urls)
    assert max(hosts.site.peak.values()) <= 2
    report = json.loads((tmp_path / "report.json").read_text())
    assert sum(w["done"] for w in report["workers"].values()) == 200


def _count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _children_running(word: str, parent: int) -> list[int]:
    """Worker processes of a LocalCluster: spawned descendants of `parent` (any thread's)."""
    found, todo = [], [parent]
    while todo:
        pid = todo.pop()
        children: list[int] = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                children += map(int, (task / "children").read_text().split())
            except OSError:
                continue
        for child in children:
            todo.append(child)
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline or word.encode() in cmdline:
                found.append(child)
    return found
