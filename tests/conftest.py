"""Shared fixtures: the CLI runner, fixture pages, a real loopback HTTP server (pytest-httpserver)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


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


@pytest.fixture(scope="session", autouse=True)
def _forkserver_with_a_clean_environment():
    """Start multiprocessing's forkserver before any test changes os.environ.

    The forkserver is started once per process and every worker it forks inherits the
    environment of that moment: started inside a `runner.invoke(..., env={"HTTP_PROXY":
    ...})`, it would send every later test's worker fetches through a proxy long gone.
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        from multiprocessing import forkserver

        forkserver.ensure_running()
    yield
