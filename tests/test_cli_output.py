"""`-o FILE` as a user meets it: devices, FIFOs, symlinks, modes, full and unwritable outputs."""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from newskit.cli import app

PORTAL = "zh-gbk-portal.html"


@pytest.fixture
def umask():
    """Set the process umask for one test; the old one comes back afterwards."""
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def _extract(runner, fixture_path, target: Path):
    return runner.invoke(app, ["extract", "-o", str(target), fixture_path(PORTAL)])


def _others(directory: Path, *keep: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p not in keep)


def test_a_character_device_is_written_into_not_replaced(runner, fixture_path, tmp_path):
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    result = _extract(runner, fixture_path, node)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert os.lstat(node).st_rdev == os.makedev(1, 3)
    assert _others(tmp_path, node) == []


def test_a_full_device_is_an_output_error_naming_the_file(runner, fixture_path, tmp_path):
    node = tmp_path / "full"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a /dev/full of our own
    result = _extract(runner, fixture_path, node)
    assert result.exit_code == 7
    assert result.stderr == f"newskit: {node}: cannot write: No space left on device\n"
    assert result.stdout == ""
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_fifo_is_written_into(runner, fixture_path, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = _extract(runner, fixture_path, fifo)
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert "科技创新" in json.loads(received[0])["title"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _others(tmp_path, fifo) == []


def test_a_symlink_is_followed_and_its_target_replaced(runner, fixture_path, tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    result = _extract(runner, fixture_path, link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == real.name
    assert "科技创新" in json.loads(real.read_text())["title"]
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert _others(tmp_path) == ["link.json", "real.json"]


def test_a_dangling_symlink_gets_its_target_created(runner, fixture_path, tmp_path):
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    result = _extract(runner, fixture_path, link)
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and (tmp_path / "made.json").is_file()


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_0666_minus_the_umask(runner, fixture_path, tmp_path, umask, mask, mode):
    umask(mask)
    target = tmp_path / "new.json"
    assert _extract(runner, fixture_path, target).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_an_existing_file_keeps_its_mode(runner, fixture_path, tmp_path, umask):
    umask(0o077)
    target = tmp_path / "shared.json"
    target.write_text("old")
    target.chmod(0o664)
    assert _extract(runner, fixture_path, target).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
    assert target.read_text() != "old"


def test_a_directory_is_refused(runner, fixture_path, tmp_path):
    result = _extract(runner, fixture_path, tmp_path)
    assert result.exit_code == 7
    assert result.stderr == f"newskit: {tmp_path}: is a directory\n"


def test_a_file_too_large_for_the_disk_leaves_the_old_file_whole(fixture_path, tmp_path):
    """A write that fails half-way (here: the file size limit, as a full disk would) keeps
    the old file, leaves no temporary file, and exits with the output code."""
    target = tmp_path / "out.json"
    target.write_text("old")

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))

    command = [sys.executable, "-m", "newskit", "extract", "-o", str(target)]
    done = subprocess.run(
        [*command, fixture_path(PORTAL)],
        capture_output=True,
        preexec_fn=small_files,
        timeout=120,
    )
    assert done.returncode == 7, done.stderr
    assert done.stderr.decode() == f"newskit: {target}: cannot write: File too large\n"
    assert target.read_text() == "old"
    assert _others(tmp_path) == ["out.json"]
