"""Shared fixtures: the CLI runner, fixture pages, a real loopback HTTP server (pytest-httpserver)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"
BIN = Path(sys.executable).parent  # where the venv's `dask` command is


@pytest.fixture(scope="session", autouse=True)
def _fork_server_started_clean():
    """Start the fork server before any test changes the environment.

    Every worker process (batch extraction, parallel extract) forks from one fork server
    per process, which keeps the environment it was started with: started inside a test
    that sets HTTP_PROXY, it would hand that proxy to the workers of every later test.
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        multiprocessing.set_forkserver_preload(["trafilatura", "newskit.article.extraction"])
        forkserver.ensure_running()


@pytest.fixture
def runner() -> CliRunner:
    """A CliRunner; result.stdout and result.stderr are kept apart."""
    return CliRunner()


def page(name: str) -> bytes:
    """The raw bytes of a fixture page."""
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def fixture_path():
    """Path of a fixture page by name."""
    return lambda name: str(FIXTURES / name)


@pytest.fixture(autouse=True)
def _no_columns(monkeypatch):
    """Tables take their default width whatever terminal runs the tests (it may export COLUMNS)."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A real `dask scheduler` and two real `dask worker` processes (nanny-managed) on
    127.0.0.1, shared by one module's tests and stopped after them (no later test runs
    beside idle workers); yields (scheduler file, a Client)."""
    from distributed import Client

    where = tmp_path_factory.mktemp("dask")
    scheduler_file = str(where / "scheduler.json")
    env = {
        **os.environ,
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
        "DASK_DISTRIBUTED__SCHEDULER__LOCKS__LEASE_TIMEOUT": "10s",
    }
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env}
    scheduler = subprocess.Popen(
        [
            BIN / "dask",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            scheduler_file,
        ],
        **quiet,
    )
    workers = subprocess.Popen(
        [
            BIN / "dask",
            "worker",
            "--scheduler-file",
            scheduler_file,
            "--nworkers",
            "2",
            "--nthreads",
            "1",
            "--memory-limit",
            "700MB",
            "--no-dashboard",
            "--host",
            "127.0.0.1",
        ],
        **quiet,
    )
    try:
        deadline = time.monotonic() + 60
        while not os.path.exists(scheduler_file) and time.monotonic() < deadline:
            time.sleep(0.1)
        client = Client(scheduler_file=scheduler_file, timeout=30)
        client.wait_for_workers(2, timeout=60)
        yield scheduler_file, client
        client.close()
    finally:
        for proc in (workers, scheduler):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
