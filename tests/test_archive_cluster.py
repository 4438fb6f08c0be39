"""The Dask engine of `newskit warc`: a real LocalCluster, real `dask scheduler`/`dask worker`
processes on 127.0.0.1, a worker killed mid-run, and a file that keeps killing workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import page
from warc_files import Entry, write

from newskit.archive.articles import WarcJob
from newskit.archive.engine import remote_file
from newskit.cli import app
from newskit.cluster.client import check_versions
from newskit.core.errors import UsageError

pytestmark = pytest.mark.slow
EN = page("en-article.html")


def _archives(tmp_path: Path, files: int, per_file: int) -> list[str]:
    paths = []
    for f in range(files):
        entries = [
            Entry(f"http://x.test/{f}/{i}.html", EN.replace(b"ferry", f"ferry {f}-{i}".encode()))
            for i in range(per_file)
        ]
        paths.append(str(write(tmp_path / f"part-{f}.warc.gz", entries)))
    return paths


def _urls(stdout: str | bytes) -> list[str]:
    return sorted(json.loads(line)["url"] for line in stdout.splitlines())


def test_local_cluster_gives_the_local_engine_records(runner, tmp_path):
    files = _archives(tmp_path, 3, 4)
    local = runner.invoke(app, ["warc", *files])
    assert local.exit_code == 0, local.stderr
    out, state = tmp_path / "out.jsonl", tmp_path / "state.sqlite"
    args = ["warc", *files, "--engine", "dask", "--workers", "2", "-o", str(out)]
    spread = runner.invoke(app, [*args, "--state", str(state)])
    assert spread.exit_code == 0, spread.stderr
    assert spread.stderr == ""
    by_url = lambda text: {r["url"]: r for r in map(json.loads, text.splitlines())}  # noqa: E731
    assert by_url(out.read_text()) == by_url(local.stdout)
    again = runner.invoke(app, [*args, "--state", str(state)])
    assert again.exit_code == 0 and len(out.read_text().splitlines()) == 12


def test_versions_are_checked():
    check_versions({"tcp://127.0.0.1:1": "0.1.0"}, "0.1.0")
    with pytest.raises(UsageError, match=r"worker tcp://127.0.0.1:2 runs newskit 9.9"):
        check_versions({"tcp://127.0.0.1:1": "0.1.0", "tcp://127.0.0.1:2": "9.9"}, "0.1.0")
    with pytest.raises(Exception, match="install the same newskit on every worker"):
        remote_file("x.warc.gz", WarcJob(), frozenset(), "9.9")


def _newskit(*args: str) -> list[str]:
    return [sys.executable, "-m", "newskit", "warc", *args]


def test_joins_a_running_scheduler(cluster, tmp_path):
    scheduler_file, _ = cluster
    files = _archives(tmp_path, 2, 3)
    done = subprocess.run(
        _newskit(*files, "--scheduler-file", scheduler_file), capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert _urls(done.stdout) == sorted(
        f"http://x.test/{f}/{i}.html" for f in range(2) for i in range(3)
    )


def test_a_worker_killed_mid_run_loses_and_repeats_nothing(cluster, tmp_path):
    scheduler_file, client = cluster
    client.wait_for_workers(2, timeout=60)
    files = _archives(tmp_path, 4, 30)
    proc = subprocess.Popen(
        _newskit(*files, "--scheduler-file", scheduler_file),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    pids = client.run(os.getpid)
    deadline, killed = time.monotonic() + 60, None
    while killed is None and time.monotonic() < deadline:
        busy = [w for w, tasks in client.processing().items() if tasks and w in pids]
        if busy:
            time.sleep(0.5)  # well into the file
            killed = pids[busy[0]]
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.05)
    assert killed is not None
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    urls = _urls(out)
    assert urls == sorted(f"http://x.test/{f}/{i}.html" for f in range(4) for i in range(30))


def test_a_file_that_keeps_killing_workers_fails_alone(cluster, tmp_path):
    """A file no worker gets through (a FIFO nobody writes: its task hangs) is killed with
    its worker on every try; after dask's allowed tries it fails alone, named."""
    scheduler_file, client = cluster
    client.wait_for_workers(2, timeout=60)
    stuck = tmp_path / "stuck.warc.gz"
    os.mkfifo(stuck)
    good = _archives(tmp_path, 1, 3)
    proc = subprocess.Popen(
        _newskit(str(stuck), *good, "--scheduler-file", scheduler_file),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    since: dict[str, float] = {}
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        pids = client.run(os.getpid)
        for worker, tasks in client.processing().items():
            if not tasks or worker not in pids:
                since.pop(worker, None)
            elif time.monotonic() - since.setdefault(worker, time.monotonic()) > 2:
                os.kill(pids[worker], signal.SIGKILL)  # stuck on the FIFO: kill it
                since.pop(worker)
        time.sleep(0.2)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 6, err
    assert _urls(out) == [f"http://x.test/0/{i}.html" for i in range(3)]
    first = err.decode().splitlines()[0]
    assert (
        first
        == f"newskit: {stuck}: its workers died on every try (KilledWorker): the file is skipped"
    )
