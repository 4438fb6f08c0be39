"""Docs stay true to the code: every command has help and a docs/cli.md section, the
generated reference is current, every record field is documented."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newskit.cli import app
from newskit.core.models import Article

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [info.name for info in app.registered_commands]


def test_there_are_commands():
    assert "extract" in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    info = next(i for i in app.registered_commands if i.name == name)
    assert info.callback is not None and (info.callback.__doc__ or "").strip()


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_a_cli_md_section_with_a_python_twin(name):
    doc = (ROOT / "docs" / "cli.md").read_text()
    match = re.search(rf"^## {name}\n(.*?)(?=^## |\Z)", doc, re.S | re.M)
    assert match, f"docs/cli.md has no '## {name}' section"
    assert "In Python" in match.group(1)


def test_cli_reference_is_current(tmp_path):
    out = tmp_path / "ref.md"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "typer",
            "newskit.cli",
            "utils",
            "docs",
            "--name",
            "newskit",
            "--output",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    current = (ROOT / "docs" / "cli-reference.md").read_text()
    assert out.read_text() == current, "run `make docs` and commit docs/cli-reference.md"


def test_every_article_field_is_in_record_md():
    doc = (ROOT / "docs" / "record.md").read_text()
    for field in dataclasses.fields(Article):
        assert f"| `{field.name}` |" in doc, field.name


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make demo" in readme
    assert "make test" in ci
