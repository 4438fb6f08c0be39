"""Files and stdin as every command reads them (cli/run.py): capped at --max-bytes."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

from newskit.cli import app

CAP = "newskit: {}: input over the size cap of {} bytes (--max-bytes)\n"


@pytest.mark.parametrize("command", ["extract", "summarize", "teasers", "convert"])
def test_a_file_that_never_ends_is_refused(runner, command):
    more = ["--to", "zh-TW"] if command == "convert" else []
    result = runner.invoke(app, [command, "/dev/zero", "--max-bytes", "1M", *more])
    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr in (
        CAP.format("/dev/zero", 1_000_000),
        "newskit: /dev/zero: a line over the size cap of 1000000 bytes (--max-bytes)\n",
    )


def test_the_default_cap_is_20_mb(runner):
    result = runner.invoke(app, ["extract", "/dev/zero"])
    assert (result.exit_code, result.stderr) == (5, CAP.format("/dev/zero", 20_000_000))


@pytest.mark.parametrize("command", ["extract", "summarize", "convert"])
def test_stdin_that_never_ends_is_refused(command):
    """`newskit extract < /dev/zero` as a shell runs it: a real pipe-less stdin."""
    more = ["--to", "zh-TW"] if command == "convert" else []
    with open("/dev/zero", "rb") as zero:
        done = subprocess.run(
            [sys.executable, "-m", "newskit", command, "-", "--max-bytes", "2M", *more],
            stdin=zero,
            capture_output=True,
            timeout=120,
        )
    assert (done.returncode, done.stdout) == (5, b"")
    assert done.stderr.decode() in (
        CAP.format("-", 2_000_000),
        "newskit: -: a line over the size cap of 2000000 bytes (--max-bytes)\n",
    )


def test_the_cap_comes_from_the_environment_too(runner, fixture_path):
    path = fixture_path("en-article.html")
    result = runner.invoke(app, ["extract", path], env={"NEWSKIT_MAX_BYTES": "1k"})
    assert (result.exit_code, result.stderr) == (5, CAP.format(path, 1000))


def test_json_lines_stream_past_the_cap_one_record_at_a_time(runner):
    """The cap bounds one record of a JSON Lines stream, not the stream."""
    record = {"title": "t", "text": "第一句话。" * 60}
    lines = orjson.dumps(record) + b"\n"
    result = runner.invoke(app, ["summarize", "-", "--max-bytes", "2k"], input=lines * 20)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 20
