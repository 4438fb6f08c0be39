"""`newskit batch` on the command line: streams, exit codes, reports, kills and resumes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_server import Server, Site

from newskit.cli import app

FAST = ["--delay", "0", "--per-host", "4", "--procs", "1", "--retries", "0"]


@pytest.fixture
def server():
    srv = Server(Site())
    yield srv
    srv.close()


def _urls(tmp_path: Path, server: Server, ids, name: str = "urls.txt") -> str:
    path = tmp_path / name
    path.write_text("# test list\n" + "\n".join(server.url(f"/a/{i}.html") for i in ids) + "\n")
    return str(path)


def _state(tmp_path: Path) -> list[str]:
    return ["--state", str(tmp_path / "state.sqlite")]


def test_stdout_jsonl_and_silence_on_success(runner, tmp_path, server):
    result = runner.invoke(
        app, ["batch", _urls(tmp_path, server, range(4)), *FAST, *_state(tmp_path)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["url"] for r in records) == sorted(server.url(f"/a/{i}.html") for i in range(4))


def test_stdin_list(runner, tmp_path, server):
    urls = "\n".join(server.url(f"/a/{i}.html") for i in range(2))
    result = runner.invoke(app, ["batch", "-", *FAST, *_state(tmp_path)], input=urls)
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2


def test_some_failed_exit_6_with_summary_and_report(runner, tmp_path, server):
    server.site.status["/a/1.html"] = 404
    report = tmp_path / "report.json"
    args = ["batch", _urls(tmp_path, server, range(3)), "-o", str(tmp_path / "out.jsonl")]
    result = runner.invoke(app, [*args, *FAST, *_state(tmp_path), "--report", str(report)])
    assert result.exit_code == 6
    assert result.stdout == ""
    assert result.stderr.startswith("newskit: batch: 2 done, 0 unchanged")
    assert "1 failed (HTTP 404: 1)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    summary = json.loads(report.read_text())
    assert (summary["done"], summary["failed"], summary["exit_code"]) == (2, 1, 6)
    assert summary["reasons"] == {"HTTP 404": 1}
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2


def test_all_failed_at_fetch_exit_3(runner, tmp_path, server):
    for i in range(2):
        server.site.status[f"/a/{i}.html"] = 500
    result = runner.invoke(
        app, ["batch", _urls(tmp_path, server, range(2)), *FAST, *_state(tmp_path)]
    )
    assert result.exit_code == 3
    assert "2 failed (HTTP 500: 2)" in result.stderr


def test_out_dir_one_file_per_article(runner, tmp_path, server):
    out = tmp_path / "articles"
    args = ["batch", _urls(tmp_path, server, range(3)), "--out-dir", str(out), *FAST]
    result = runner.invoke(app, [*args, *_state(tmp_path), "--fields", "title,url,date"])
    assert result.exit_code == 0, result.stderr
    files = sorted(p for p in out.rglob("*.json") if ".partial" not in p.parts)
    assert len(files) == 3
    assert all(f.relative_to(out).parts[0] == "127.0.0.1" for f in files)
    assert set(json.loads(files[0].read_text())) == {"title", "url", "date"}
    assert list((out / ".partial").iterdir()) == []


def test_usage_errors(runner, tmp_path, server):
    urls = _urls(tmp_path, server, [0])
    result = runner.invoke(
        app, ["batch", urls, "-o", "x.jsonl", "--out-dir", "d", *_state(tmp_path)]
    )
    assert result.exit_code == 2
    assert "either -o/--output or --out-dir" in result.stderr
    result = runner.invoke(app, ["batch", urls, "--convert", "klingon", *_state(tmp_path)])
    assert result.exit_code == 2 and result.stdout == ""


def test_missing_list_file(runner, tmp_path):
    result = runner.invoke(app, ["batch", str(tmp_path / "nope.txt"), *FAST, *_state(tmp_path)])
    assert result.exit_code == 5
    assert "nope.txt" in result.stderr


def _line_count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _command(tmp_path: Path, urls: str) -> list[str]:
    out = str(tmp_path / "out.jsonl")
    return [sys.executable, "-m", "newskit", "batch", urls, "-o", out, *_state(tmp_path), *FAST[:4]]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_run_resumes_every_url_exactly_once(tmp_path, server, sig):
    server.site.delay = 0.02
    n = 120
    urls = _urls(tmp_path, server, range(n))
    command = _command(tmp_path, urls)
    out = tmp_path / "out.jsonl"
    for stop_at in (15, 60):
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _line_count(out) < stop_at and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)  # no orphan keeps the pipes open
        if sig == signal.SIGTERM and proc.returncode != 0:
            assert proc.returncode == 130, err
            assert b"rerun the same command to resume" in err
    # killed once more, rerun at once: no leftover worker may hold the run lock
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while _line_count(out) < 80 and proc.poll() is None:
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = out.read_bytes().splitlines()
    seen = [json.loads(line)["url"] for line in lines]
    assert sorted(seen) == sorted(server.url(f"/a/{i}.html") for i in range(n))
    again = subprocess.run(command, capture_output=True, timeout=120)
    assert again.returncode == 0 and out.read_bytes().splitlines() == lines


def test_partial_line_from_a_crash_is_cut(runner, tmp_path, server):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"url": "old"}\n{"url": "half')
    args = ["batch", _urls(tmp_path, server, [0]), "-o", str(out), *FAST, *_state(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    lines = out.read_bytes().splitlines()
    assert json.loads(lines[0]) == {"url": "old"}
    assert json.loads(lines[1])["url"] == server.url("/a/0.html")
    assert len(lines) == 2


def test_default_state_belongs_to_the_job(runner, tmp_path, server, monkeypatch):
    """A trial run to one file, then the real run to another: the second writes everything."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    urls = _urls(tmp_path, server, range(3))
    for name in ("trial.jsonl", "real.jsonl"):
        result = runner.invoke(app, ["batch", urls, "-o", str(tmp_path / name), *FAST])
        assert result.exit_code == 0, result.stderr
        assert len((tmp_path / name).read_bytes().splitlines()) == 3
        assert (tmp_path / f"{name}.state.sqlite").is_file()
    result = runner.invoke(app, ["batch", urls, "--out-dir", str(tmp_path / "d"), *FAST])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "d" / ".state.sqlite").is_file()
    assert len([p for p in (tmp_path / "d").rglob("*.json") if ".partial" not in p.parts]) == 3
    assert not (tmp_path / "xdg").exists()


def test_an_older_shared_state_is_mentioned_once(runner, tmp_path, server, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg" / "newskit").mkdir(parents=True)
    (tmp_path / "xdg" / "newskit" / "batch.sqlite").write_bytes(b"")
    args = ["batch", _urls(tmp_path, server, [0]), "-o", str(tmp_path / "o.jsonl"), *FAST]
    first = runner.invoke(app, args)
    assert first.exit_code == 0
    assert first.stderr.startswith("newskit: the state is now kept beside the output (")
    assert "--state " in first.stderr and len(first.stderr.splitlines()) == 1
    assert runner.invoke(app, args).stderr == ""


def test_stdout_without_state_is_refused(runner, tmp_path, server):
    result = runner.invoke(app, ["batch", _urls(tmp_path, server, [0]), *FAST])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("newskit: a batch writing to stdout, a device or a FIFO")
    assert "--state" in result.stderr and len(result.stderr.splitlines()) == 1
    assert server.site.paths() == []


def test_summary_teaser_and_convert_are_applied(runner, tmp_path, server):
    from conftest import page

    server.site.extra["/zh.html"] = ("text/html; charset=gbk", page("zh-gbk-portal.html"))
    (tmp_path / "urls.txt").write_text(server.url("/zh.html") + "\n")
    args = ["batch", str(tmp_path / "urls.txt"), "--summary", "2", "--teaser", "40"]
    result = runner.invoke(app, [*args, "--convert", "zh-Hant", *FAST, *_state(tmp_path)])
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["summary"] and len(record["teaser"]) <= 40
    assert record["script"].startswith("zh-Hant")
    assert "科技創新" in record["title"] and "科技创新" not in record["text"]


def test_progress_bar_only_when_enabled(capsys, monkeypatch):
    from newskit.cli.progress import progress

    monkeypatch.setenv("NO_COLOR", "1")
    with progress(False) as off:
        assert off is None
    with progress(True) as on_event:
        for kind in ("queued", "queued", "done", "failed"):
            on_event(kind, "https://ex.cn/a")
        on_event("workers", "2")  # --engine dask: a gauge, not a step
        assert on_event.tally.counts["workers"] == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "\x1b[3" not in captured.err  # no colour codes with NO_COLOR


def _pages_hit(server: Server) -> list[str]:
    return sorted(h.path for h in server.site.hits if h.path != "/robots.txt")


def test_a_cron_rerun_fetches_only_new_urls_and_says_what_it_skipped(runner, tmp_path, server):
    out = str(tmp_path / "out.jsonl")
    first = runner.invoke(app, ["batch", _urls(tmp_path, server, range(3)), "-o", out, *FAST])
    assert first.exit_code == 0, first.stderr
    server.site.hits.clear()
    grown = _urls(tmp_path, server, range(5))  # the list grew by two URLs
    again = runner.invoke(app, ["batch", grown, "-o", out, *FAST, "-v"])
    assert again.exit_code == 0, again.stderr
    assert _pages_hit(server) == ["/a/3.html", "/a/4.html"]
    assert "2 done, 0 unchanged, 0 duplicate, 3 already done, 0 failed" in again.stderr
    assert f"newskit: {server.url('/a/0.html')}: skipped" in again.stderr.splitlines()
    assert len(Path(out).read_text().splitlines()) == 5


def test_recheck_asks_again_with_the_pages_validators(runner, tmp_path, server):
    out = str(tmp_path / "out.jsonl")
    urls = _urls(tmp_path, server, range(2))
    assert runner.invoke(app, ["batch", urls, "-o", out, *FAST]).exit_code == 0
    server.site.hits.clear()
    result = runner.invoke(app, ["batch", urls, "-o", out, *FAST, "--recheck"])
    assert result.exit_code == 0, result.stderr
    assert _pages_hit(server) == ["/a/0.html", "/a/1.html"]
    assert all(h.headers.get("If-None-Match") for h in server.site.hits if h.path != "/robots.txt")


@pytest.mark.parametrize(("age", "fetched"), [("7d", 0), ("0s", 2)])
def test_recheck_after_an_age(runner, tmp_path, server, age, fetched):
    out = str(tmp_path / "out.jsonl")
    urls = _urls(tmp_path, server, range(2))
    assert runner.invoke(app, ["batch", urls, "-o", out, *FAST]).exit_code == 0
    server.site.hits.clear()
    result = runner.invoke(app, ["batch", urls, "-o", out, *FAST, "--recheck-after", age])
    assert result.exit_code == 0, result.stderr
    assert len(_pages_hit(server)) == fetched


def test_a_bad_recheck_age_is_a_usage_error(runner, tmp_path, server):
    args = ["batch", _urls(tmp_path, server, range(1)), "-o", str(tmp_path / "o.jsonl")]
    result = runner.invoke(app, [*args, "--recheck-after", "soon"])
    assert result.exit_code == 2
    assert result.stderr == "newskit: not a duration: 'soon' (7d, 12h, 30m, 90s or seconds)\n"
    assert server.site.hits == []


def test_tz_gives_stated_times_their_offset(runner, tmp_path, server):
    body = (
        "<html><head><title>Harbour ferry timetable changes</title></head><body><article>"
        "<h1>Harbour ferry timetable changes</h1><p>By Ana Pereira, 2024-05-03 14:20</p>"
        + "<p>The ferry company said the new timetable adds two evening crossings.</p>" * 8
        + "</article></body></html>"
    ).encode()
    server.site.extra["/timed.html"] = ("text/html; charset=utf-8", body)
    urls = tmp_path / "urls.txt"
    urls.write_text(server.url("/timed.html") + "\n")
    runs = {}
    for zone in (None, "Asia/Shanghai"):
        state = ["--state", str(tmp_path / f"state-{zone is None}.sqlite")]
        result = runner.invoke(
            app, ["batch", str(urls), *FAST, *state, *(["--tz", zone] if zone else [])]
        )
        assert result.exit_code == 0, result.stderr
        runs[zone] = json.loads(result.stdout)["published"]
    assert runs == {None: "2024-05-03T14:20:00", "Asia/Shanghai": "2024-05-03T14:20:00+08:00"}


def test_an_unknown_tz_is_refused_before_any_fetch(runner, tmp_path, server):
    result = runner.invoke(
        app,
        ["batch", _urls(tmp_path, server, range(1)), *FAST, *_state(tmp_path), "--tz", "Mars/Base"],
    )
    assert result.exit_code == 2
    assert "Mars/Base" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert server.site.paths() == []
