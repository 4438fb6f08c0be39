"""Shared fixtures: the CLI runner, fixture pages, a real loopback HTTP server (pytest-httpserver)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


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
