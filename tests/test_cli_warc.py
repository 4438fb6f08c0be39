"""`newskit warc` on the command line: same records as extract, filters, damage, state."""

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
from warc_files import DATE, Entry, record_offsets, write

from newskit.cli import app

EN = page("en-article.html")
ZH = page("zh-gbk-header-charset.html")
BIG5 = page("zh-big5-taiwan.html")
PAGES = [
    ("http://news.example.com/en.html", EN, "text/html; charset=utf-8"),
    ("http://news.example.com/zh.html", ZH, "text/html; charset=GBK"),
    ("http://news.example.tw/tw.html", BIG5, "text/html"),
]


def _archive(tmp_path: Path, gzip: bool = True, name: str = "a.warc.gz") -> Path:
    entries = [Entry(url, body, ctype) for url, body, ctype in PAGES]
    entries.insert(1, Entry("http://news.example.com/x.png", b"\x89PNG..", "image/png"))
    return write(tmp_path / name, entries, gzip)


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def _extracted(runner, url: str, body: bytes, ctype: str) -> dict:
    """What `newskit extract --url` gives for the same bytes (HTTP charset in the marker)."""
    charset = ctype.partition("charset=")[2].lower()
    marker = f'<!-- newskit:fetch url="{url}" charset="{charset}" -->\n' if charset else ""
    result = runner.invoke(app, ["extract", "--url", url, "-"], input=marker.encode() + body)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("gzip", [True, False])
def test_every_html_response_gives_the_record_extract_gives(runner, tmp_path, gzip):
    path = _archive(tmp_path, gzip, "a.warc.gz" if gzip else "a.warc")
    result = runner.invoke(app, ["warc", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    records = _lines(result.stdout)
    assert [r["fetched"] for r in records] == [DATE] * 3
    for record, (url, body, ctype) in zip(records, PAGES, strict=True):
        expected = _extracted(runner, url, body, ctype)
        assert expected.pop("fetched") is None
        assert {k: v for k, v in record.items() if k != "fetched"} == expected


def test_stdin_and_output_options(runner, tmp_path):
    data = _archive(tmp_path).read_bytes()
    out = tmp_path / "out.csv"
    args = [
        "warc",
        "-",
        "--fields",
        "url,title",
        "-f",
        "csv",
        "-o",
        str(out),
        "--url-glob",
        "*.tw/*",
    ]
    result = runner.invoke(app, [*args, "--convert", "zh-Hans"], input=data)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    header, row = out.read_text(encoding="utf-8").splitlines()
    assert header == "url,title" and row.startswith("http://news.example.tw/tw.html,")
    summed = runner.invoke(app, ["warc", "-", "--summary", "1", "--teaser", "30"], input=data)
    assert all(r["summary"] and r["teaser"] for r in _lines(summed.stdout))
    assert runner.invoke(app, ["warc", "-", "--mime", "image/png"], input=data).stdout == ""


def test_truncated_final_record_is_reported_and_the_rest_kept(runner, tmp_path):
    data = _archive(tmp_path).read_bytes()
    last = record_offsets(data)[-1]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: last + 500])
    result = runner.invoke(app, ["warc", str(cut)])
    assert result.exit_code == 6
    assert len(_lines(result.stdout)) == 2
    first, summary = result.stderr.splitlines()
    assert first.startswith(f"newskit: {cut}@{last}: truncated record (")
    assert summary == "newskit: warc: 2 records from 1 files, 1 failed (input: 1)."


def test_missing_file_fails_alone_and_others_finish(runner, tmp_path):
    path = _archive(tmp_path)
    result = runner.invoke(app, ["warc", str(tmp_path / "nope.warc"), str(path)])
    assert result.exit_code == 6
    assert len(_lines(result.stdout)) == 3
    assert result.stderr.splitlines()[0] == f"newskit: {tmp_path / 'nope.warc'}: no such file"
    alone = runner.invoke(app, ["warc", str(tmp_path / "nope.warc"), "-o", str(tmp_path / "o")])
    assert alone.exit_code == 5


def test_usage_errors(runner, tmp_path):
    path = str(_archive(tmp_path))
    result = runner.invoke(app, ["warc", path, "--state", str(tmp_path / "s"), "-f", "table"])
    assert result.exit_code == 2 and "--state appends JSON Lines" in result.stderr
    result = runner.invoke(app, ["warc", "-", "--engine", "dask"], input=b"")
    assert result.exit_code == 2 and "stdin" in result.stderr
    result = runner.invoke(app, ["warc", path, "--convert", "klingon"])
    assert result.exit_code == 2 and result.stdout == ""


def test_state_skips_done_files(runner, tmp_path):
    path = str(_archive(tmp_path))
    out, state = str(tmp_path / "out.jsonl"), str(tmp_path / "state.sqlite")
    args = ["warc", path, "-o", out, "--state", state]
    assert runner.invoke(app, args).exit_code == 0
    first = Path(out).read_bytes()
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and again.stderr == ""
    assert Path(out).read_bytes() == first and len(first.splitlines()) == 3
    os.utime(path, ns=(1, 1))  # a changed file is read again
    assert runner.invoke(app, args).exit_code == 0
    assert len(Path(out).read_bytes().splitlines()) == 6


def _count(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.slow
def test_killed_run_restarts_a_file_without_a_record_twice(tmp_path):
    n = 150
    entries = [
        Entry(f"http://x.test/{i}.html", EN.replace(b"ferry", f"ferry {i}".encode()))
        for i in range(n)
    ]
    path = write(tmp_path / "big.warc.gz", entries)
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "newskit", "warc", str(path), "-o", str(out)]
    command += ["--state", str(tmp_path / "state.sqlite")]
    for stop_at in (20, 70):
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while _count(out) < stop_at and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    done = subprocess.run(command, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    urls = [json.loads(line)["url"] for line in out.read_bytes().splitlines()]
    assert sorted(urls) == sorted(f"http://x.test/{i}.html" for i in range(n))


def test_help_and_version_do_not_import_warcio_or_dask():
    code = (
        "import sys; from newskit.cli import app\n"
        "try:\n    app(['warc', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('warcio', 'distributed', 'dask') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_dask_engine_without_dask_is_a_usage_error(tmp_path):
    path = str(_archive(tmp_path))
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "from newskit.cli import app\n"
        f"app(['warc', {path!r}, '--engine', 'dask'])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == (
        "newskit: --engine dask needs the dask extra: pip install 'newskit[dask]'\n"
    )
    assert result.stdout == ""


def test_progress_bar_only_on_request(capsys, monkeypatch):
    from newskit.cli.progress import progress

    monkeypatch.setenv("NO_COLOR", "1")
    with progress(False, label="warc") as off:
        assert off is None
    with progress(True, label="warc", total="files", steps=frozenset({"file"})) as on_event:
        assert on_event is not None
        for kind in ("files", "files", "done", "failed", "file", "workers"):
            on_event(kind, "2" if kind == "workers" else "a.warc.gz")
        assert on_event.tally.counts == {
            "files": 2,
            "done": 1,
            "failed": 1,
            "file": 1,
            "workers": 2,
        }
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "\x1b[3" not in captured.err
