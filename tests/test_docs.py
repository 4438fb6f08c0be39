"""Docs stay true to the code: every command has help and a docs/cli.md section, the
generated reference is current, every record field is documented."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newskit.cli import COMMANDS as REGISTRY
from newskit.cli import command_function
from newskit.core.models import Article

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = list(REGISTRY)


def test_there_are_commands():
    assert "extract" in COMMANDS


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name):
    assert (command_function(name).__doc__ or "").strip()


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
        if field.metadata.get("record", True):
            assert f"| `{field.name}` |" in doc, field.name


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make demo" in readme
    assert "make test" in ci


def _dotted_paths(text: str) -> set[str]:
    """Every `newskit.a.b` path and `from newskit.a import b` name the text shows."""
    found = {m.group(0).rstrip(".") for m in re.finditer(r"\bnewskit(?:\.[A-Za-z_]\w*)+", text)}
    for m in re.finditer(r"from (newskit(?:\.\w+)*) import (\w+)", text):
        found.add(f"{m.group(1)}.{m.group(2)}")
    return found


def _resolve(path: str) -> object:
    """Import the longest module prefix of a dotted path, then walk its attributes."""
    import importlib

    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            target = getattr(target, name)
        return target
    raise ModuleNotFoundError(path)


PYTHON_API_PATHS = sorted(_dotted_paths((ROOT / "docs" / "python-api.md").read_text()))


def test_python_api_shows_dotted_paths():
    assert len(PYTHON_API_PATHS) > 10


@pytest.mark.parametrize("path", PYTHON_API_PATHS)
def test_every_dotted_path_in_python_api_imports(path):
    assert _resolve(path) is not None
