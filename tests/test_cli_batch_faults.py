"""`newskit batch` under faults: odd outputs, shared states, write errors, dead workers,
signals, closed pipes and full disks. Everything here goes through the command line."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from batch_server import Server, Site, article_html

from newskit.cli import app
from newskit.crawl.sinks import JsonlFileSink
from newskit.crawl.state import Store

FAST = ["--delay", "0", "--per-host", "4", "--procs", "1", "--retries", "0"]


@pytest.fixture
def server():
    srv = Server(Site())
    yield srv
    srv.close()


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def _urls(tmp_path: Path, server: Server, ids, name: str = "urls.txt") -> str:
    path = tmp_path / name
    path.write_text("\n".join(server.url(f"/a/{i}.html") for i in ids) + "\n")
    return str(path)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newskit", "batch", *args]


# item 1: odd outputs ----------------------------------------------------------------


def test_output_fifo_is_written_into(runner, tmp_path, server):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    args = ["batch", _urls(tmp_path, server, range(3)), "-o", str(fifo), *FAST]
    result = runner.invoke(app, [*args, "--state", str(tmp_path / "s.sqlite")])
    reader.join(timeout=60)
    assert result.exit_code == 0, result.stderr
    assert len(received[0].splitlines()) == 3
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_device_needs_a_state_and_is_never_replaced(runner, tmp_path, server):
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    urls = _urls(tmp_path, server, range(2))
    result = runner.invoke(app, ["batch", urls, "-o", str(node), *FAST])
    assert result.exit_code == 2
    assert "needs --state" in result.stderr
    report = tmp_path / "report-null"
    os.mknod(report, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    state = ["--state", str(tmp_path / "s.sqlite"), "--report", str(report)]
    result = runner.invoke(app, ["batch", urls, "-o", str(node), *FAST, *state])
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode) and stat.S_ISCHR(os.lstat(report).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "null",
        "report-null",
        "s.sqlite",
        "urls.txt",
    ]


def test_report_through_a_symlink_replaces_its_target(runner, tmp_path, server):
    real = tmp_path / "reports" / "last.json"
    real.parent.mkdir()
    real.write_text("{}")
    real.chmod(0o640)
    link = tmp_path / "last-run.json"
    link.symlink_to(real)
    args = ["batch", _urls(tmp_path, server, [0]), "-o", str(tmp_path / "o.jsonl"), *FAST]
    result = runner.invoke(app, [*args, "--report", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and json.loads(real.read_text())["done"] == 1
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_new_output_report_and_article_files_get_0666_minus_umask(runner, tmp_path, server, umask):
    umask(0o002)
    urls = _urls(tmp_path, server, range(2))
    out, report = tmp_path / "o.jsonl", tmp_path / "r.json"
    result = runner.invoke(app, ["batch", urls, "-o", str(out), "--report", str(report), *FAST])
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o664
    assert stat.S_IMODE(report.stat().st_mode) == 0o664
    result = runner.invoke(app, ["batch", urls, "--out-dir", str(tmp_path / "d"), *FAST])
    assert result.exit_code == 0, result.stderr
    files = [p for p in (tmp_path / "d").rglob("*.json") if ".partial" not in p.parts]
    assert len(files) == 2
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o664}


# items 3: one run per state, one run per output ----------------------------------------


@pytest.mark.parametrize("alias", ["symlink", "hard link"])
def test_a_state_held_is_refused_through_any_link(runner, tmp_path, server, alias):
    real = tmp_path / "state.sqlite"
    holder = Store(real)
    holder.hold()
    other = tmp_path / "other.sqlite"
    if alias == "symlink":
        other.symlink_to(real)
    else:
        os.link(real, other)
    out = tmp_path / "out.jsonl"
    args = ["batch", _urls(tmp_path, server, range(2)), "-o", str(out), *FAST]
    try:
        result = runner.invoke(app, [*args, "--state", str(other)])
    finally:
        holder.close()
    assert result.exit_code == 5
    assert result.stderr == f"newskit: another batch run is using the state {other}\n"
    assert server.site.paths() == []
    assert not out.exists() or out.read_bytes() == b""


def test_two_runs_never_write_into_one_output(runner, tmp_path, server):
    out = tmp_path / "out.jsonl"
    holder = JsonlFileSink(out)
    holder.start()
    args = ["batch", _urls(tmp_path, server, range(2)), "-o", str(out), *FAST]
    try:
        result = runner.invoke(app, [*args, "--state", str(tmp_path / "another.sqlite")])
    finally:
        holder.close()
    assert result.exit_code == 5
    assert result.stderr == f"newskit: another batch run is writing to {out}\n"
    assert out.read_bytes() == b""


# item 4: a record longer than any fixed tail ---------------------------------------------


def test_a_record_over_a_mebibyte_in_flight_at_a_kill_is_not_written_twice(
    runner, tmp_path, server
):
    words = b"harbour bridge river school budget transit market festival " * 40
    paras = b"".join(b"<p>Long paragraph %d: %s</p>" % (k, words) for k in range(480))
    server.site.extra["/big.html"] = (
        "text/html; charset=utf-8",
        article_html(3).replace(b"</article>", paras + b"</article>"),
    )
    (tmp_path / "urls.txt").write_text(server.url("/big.html") + "\n")
    out, state = tmp_path / "out.jsonl", tmp_path / "state.sqlite"
    args = ["batch", str(tmp_path / "urls.txt"), "-o", str(out), "--state", str(state), *FAST]
    assert runner.invoke(app, args).exit_code == 0
    assert len(out.read_bytes()) > 1 << 20
    with sqlite3.connect(state) as db:  # as if killed between the write and marking it done
        db.execute(
            "UPDATE urls SET status='emitting', pending_fp=fingerprint, fingerprint=NULL,"
            " etag=NULL, last_modified=NULL"
        )
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert len(out.read_bytes().splitlines()) == 1
    assert server.site.paths().count("/big.html") == 1


# item 5: a write error belongs to its URL ----------------------------------------------


def test_a_write_error_fails_its_url_and_the_run_goes_on(runner, tmp_path, server):
    out = tmp_path / "articles"
    (out / "127.0.0.1").mkdir(parents=True)
    (out / "127.0.0.1" / "2024-05-01").write_text("a file where a folder should be")
    report = tmp_path / "report.json"
    args = ["batch", _urls(tmp_path, server, range(5)), "--out-dir", str(out), *FAST]
    result = runner.invoke(app, [*args, "--report", str(report)])
    assert result.exit_code == 6, result.stderr
    assert "4 done" in result.stderr and "1 failed (write error: 1)" in result.stderr
    errors = json.loads(report.read_text())["errors"]
    assert [(e["url"], e["stage"]) for e in errors] == [(server.url("/a/0.html"), "output")]
    (out / "127.0.0.1" / "2024-05-01").unlink()
    result = runner.invoke(app, [*args, "--report", str(report)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(report.read_text())["done"] == 1
    files = [p for p in out.rglob("*.json") if ".partial" not in p.parts]
    assert len(files) == 5


def test_a_state_left_with_an_impossible_file_name_does_not_stop_later_runs(
    runner, tmp_path, server
):
    """A run of an older newskit marked a record `emitting` under a name too long for the
    file system, then died: every rerun used to crash while settling it."""
    from newskit.crawl.state import Emit

    out = tmp_path / "articles"
    url = server.url("/a/0.html")
    store = Store(out / ".state.sqlite")
    store.claim(url, "old-run", "urls.txt")
    store.begin_emit(url, "fp", Emit("𠀀" * 80 + "/undated/x.json", "0" * 64))
    store.close()
    args = ["batch", _urls(tmp_path, server, range(2)), "--out-dir", str(out), *FAST]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert len([p for p in out.rglob("*.json") if ".partial" not in p.parts]) == 2


# items 6 and 10: extraction processes that die or hang -----------------------------------


def _extraction_workers(pid: int) -> list[int]:
    """Descendants of `pid` that run extraction: not its children (the fork server, the
    resource tracker), unless they are leaves that run newskit itself (forked workers)."""
    children: dict[int, list[int]] = {}
    cmdlines: dict[int, bytes] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdlines[int(entry)] = f.read()
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], list(children.get(pid, []))
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        direct = p in children.get(pid, [])
        helper = b"multiprocessing" in cmdlines.get(p, b"")
        if not children.get(p) and not (direct and helper):
            found.append(p)
    return found


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_worker_killed_mid_run_costs_no_url(tmp_path, server):
    server.site.delay = 0.02
    n = 60
    out = tmp_path / "out.jsonl"
    command = _command(_urls(tmp_path, server, range(n)), "-o", str(out), *FAST[:4], "--procs", "2")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    killed: list[int] = []
    while proc.poll() is None and not killed:
        workers = _extraction_workers(proc.pid)
        if workers and out.exists() and out.read_bytes().count(b"\n") >= 10:
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])
        time.sleep(0.01)
    _, err = proc.communicate(timeout=300)
    assert killed, "the run finished before a worker could be killed"
    assert proc.returncode == 0, err
    assert err == b""
    urls = sorted(r["url"] for r in _lines(out))
    assert urls == sorted(server.url(f"/a/{i}.html") for i in range(n))


def test_a_page_over_the_time_limit_fails_alone_with_its_url_named(runner, tmp_path, server):
    report = tmp_path / "report.json"
    args = ["batch", _urls(tmp_path, server, range(2)), "-o", str(tmp_path / "o.jsonl"), *FAST]
    result = runner.invoke(app, [*args, "--page-timeout", "0.001", "--report", str(report)])
    assert result.exit_code == 4, result.stderr
    assert "2 failed (page timeout: 2)" in result.stderr
    errors = json.loads(report.read_text())["errors"]
    assert sorted(e["url"] for e in errors) == [server.url(f"/a/{i}.html") for i in range(2)]
    assert {e["error"] for e in errors} == {"extraction took longer than 0.001 s"}


# item 16: output errors -------------------------------------------------------------------


def test_unwritable_output_is_exit_7_naming_the_file(runner, tmp_path, server):
    urls = _urls(tmp_path, server, [0])
    target = tmp_path / "missing" / "out.jsonl"
    result = runner.invoke(app, ["batch", urls, "-o", str(target), *FAST])
    assert result.exit_code == 7
    assert result.stderr == f"newskit: {target}: directory {target.parent} does not exist\n"
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    state = ["--state", str(tmp_path / "s.sqlite")]
    result = runner.invoke(app, ["batch", urls, "-o", str(full), *FAST, *state])
    assert result.exit_code == 7
    assert result.stderr.startswith(f"newskit: {full}: cannot write: No space left on device")
    assert len(result.stderr.splitlines()) == 1
    report = tmp_path / "gone" / "report.json"
    server.site.hits.clear()
    result = runner.invoke(
        app, ["batch", urls, "-o", str(tmp_path / "o.jsonl"), "--report", str(report)]
    )
    assert result.exit_code == 7
    assert result.stderr == f"newskit: {report}: directory {report.parent} does not exist\n"
    assert server.site.paths() == []  # said before the run, not after it


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KiB tmpfs (root only; skipped where mounting is not allowed)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_stops_the_run_and_the_rerun_loses_nothing(tmp_path, server, small_disk):
    n = 80
    out, state = small_disk / "out.jsonl", small_disk / "state.sqlite"
    command = _command(_urls(tmp_path, server, range(n)), "-o", str(out), "--state", str(state))
    done = subprocess.run([*command, *FAST], capture_output=True, timeout=300)
    err = done.stderr.decode()
    assert done.returncode == 7, err
    assert len(err.splitlines()) == 1
    assert err.startswith((f"newskit: {out}: cannot write: ", f"newskit: {state}: cannot write"))
    assert "Traceback" not in err and "rollback" not in err
    subprocess.run(["mount", "-o", "remount,size=16m", str(small_disk)], check=True)
    again = subprocess.run([*command, *FAST], capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr
    urls = [r["url"] for r in _lines(out)]
    assert sorted(urls) == sorted(server.url(f"/a/{i}.html") for i in range(n))


# item 17: signals ---------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_process_group_is_quiet_and_the_report_says_interrupted(
    tmp_path, server, sig
):
    server.site.delay = 0.05
    out, report = tmp_path / "out.jsonl", tmp_path / "report.json"
    report.write_text('{"previous": "run"}')
    urls = _urls(tmp_path, server, range(200))
    command = _command(urls, "-o", str(out), "--report", str(report), *FAST[:4], "--procs", "2")
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    while proc.poll() is None and (not out.exists() or out.read_bytes().count(b"\n") < 5):
        time.sleep(0.01)
    os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert (
        err == b"newskit: interrupted; what was written is kept: rerun the same command to resume\n"
    )
    summary = json.loads(report.read_text())
    assert summary["interrupted"] is True and summary["exit_code"] == 130
    written = len(out.read_bytes().splitlines())  # the last may be written, not yet marked
    assert summary["done"] in (written, written - 1)


# item 18: a closed output ---------------------------------------------------------------


def test_a_reader_that_goes_away_with_urls_pending_is_not_success(tmp_path, server):
    state = tmp_path / "s.sqlite"
    command = _command(_urls(tmp_path, server, range(80)), "--state", str(state), *FAST)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert json.loads(first)["url"].startswith(server.url("/a/"))
    assert proc.returncode == 7
    assert err == (
        b"newskit: stdout: output closed by its reader, with URLs still to write:"
        b" rerun with the same --state to resume\n"
    )


# item 20: the progress tally ------------------------------------------------------------


def test_progress_tally_counts_every_event_from_many_threads(monkeypatch):
    from newskit.cli.progress import progress

    monkeypatch.setenv("NO_COLOR", "1")
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with progress(True) as on_event:

            def hammer() -> None:
                for _ in range(5000):
                    on_event("skipped", "https://ex.cn/a")

            threads = [threading.Thread(target=hammer) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            counts = on_event.tally.counts
    finally:
        sys.setswitchinterval(switch)
    assert counts == {"skipped": 20000}
