"""What shell users expect of every command: -h, one-line usage errors, completion, inputs
(folders, -i lists, file:// URLs), output formats picked by extension, --errors, -q/-v, --jobs."""

from __future__ import annotations

import csv
import io
import shutil

import orjson
import pytest

from newskit.cli import app

PORTAL = "zh-gbk-portal.html"
ARTICLES = [
    "zh-gbk-portal.html",
    "zh-summary-article.html",
    "en-article.html",
    "zh-big5-taiwan.html",
]
COMMANDS = ["extract", "fetch", "convert", "summarize", "teasers", "batch"]


@pytest.mark.parametrize("command", COMMANDS)
def test_dash_h_is_help_with_examples(runner, command):
    result = runner.invoke(app, [command, "-h"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: newskit {command} [OPTIONS]")
    assert "Examples:" in result.stdout


def test_dash_h_on_the_group(runner):
    result = runner.invoke(app, ["-h"])
    assert result.exit_code == 0
    assert "--install-completion" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["extract", "--nosuch"],
            "newskit: extract: No such option: --nosuch (see 'newskit extract -h')",
        ),
        (["extract", "-f", "xml", "x.html"], "newskit: extract: Invalid value for '--format'"),
        (["nope"], "newskit: No such command 'nope' (see 'newskit -h')"),
        (["extract", "--jobs", "0", "x.html"], "newskit: extract: Invalid value for '--jobs'"),
    ],
)
def test_usage_errors_are_one_newskit_line_and_exit_2(runner, args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


def test_completion_script_is_shown(runner):
    # What `--show-completion` prints in bash, asked for by name: the flag itself detects the
    # shell it runs under, and pytest may run under make's sh, which completion does not know.
    env = {"_NEWSKIT_COMPLETE": "source_bash"}
    result = runner.invoke(app, [], env=env, prog_name="newskit")
    assert result.exit_code == 0
    assert "_NEWSKIT_COMPLETE" in result.stdout


def test_format_values_complete(runner):
    result = runner.invoke(
        app,
        [],
        env={
            "_NEWSKIT_COMPLETE": "complete_bash",
            "COMP_WORDS": "newskit extract -f j",
            "COMP_CWORD": "3",
        },
        prog_name="newskit",
    )
    assert set(result.stdout.split()) >= {"json", "jsonl"}


def test_a_folder_source_reads_the_pages_under_it(runner, fixture_path, tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    shutil.copy(fixture_path(PORTAL), nested / "one.html")
    shutil.copy(fixture_path("en-article.html"), tmp_path / "two.htm")
    (tmp_path / "notes.txt").write_text("not a page")
    result = runner.invoke(app, ["extract", str(tmp_path), "--fields", "title", "-j", "1"])
    assert result.exit_code == 0, result.stderr
    titles = [orjson.loads(line)["title"] for line in result.stdout.splitlines()]
    assert len(titles) == 2 and titles[0].startswith("湖畔新城")


def test_glob_picks_the_files_of_a_folder(runner, fixture_path, tmp_path):
    shutil.copy(fixture_path(PORTAL), tmp_path / "page.shtml")
    shutil.copy(fixture_path("en-article.html"), tmp_path / "other.html")
    result = runner.invoke(
        app, ["extract", str(tmp_path), "--glob", "*.shtml", "--fields", "title"]
    )
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout)["title"].startswith("湖畔新城")


def test_an_input_file_lists_sources_with_bom_crlf_and_comments(runner, fixture_path, tmp_path):
    listing = tmp_path / "sources.txt"
    text = f"\ufeff# pages to read\r\n\r\n{fixture_path(PORTAL)}\r\n  # skipped\r\nfile://{fixture_path('en-article.html')}\r\n"
    listing.write_bytes(text.encode("utf-8"))
    result = runner.invoke(app, ["extract", "-i", str(listing), "--fields", "title", "-j", "1"])
    assert result.exit_code == 0, result.stderr
    titles = [orjson.loads(line)["title"] for line in result.stdout.splitlines()]
    assert len(titles) == 2 and titles[0].startswith("湖畔新城")


def test_an_input_file_line_too_long_names_its_line(runner, tmp_path):
    listing = tmp_path / "sources.txt"
    listing.write_bytes(b"a.html\n" + b"x" * 9000 + b"\n")
    result = runner.invoke(app, ["extract", "-i", str(listing)])
    assert result.exit_code == 5
    assert result.stderr == f"newskit: {listing}: line 2 is over 8192 bytes\n"


def test_a_file_url_reads_the_local_file(runner, fixture_path):
    result = runner.invoke(app, ["extract", f"file://{fixture_path(PORTAL)}", "--fields", "title"])
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout)["title"].startswith("湖畔新城")


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.csv", lambda data: data.startswith(b"title\n")),
        ("out.jsonl", lambda data: orjson.loads(data.splitlines()[0])["title"]),
        ("out.ndjson", lambda data: orjson.loads(data.splitlines()[0])["title"]),
        ("out.json", lambda data: isinstance(orjson.loads(data), dict)),
        ("out.md", lambda data: data.startswith("# 湖畔新城".encode())),
        ("out.txt", lambda data: data.startswith("title: 湖畔新城".encode())),
    ],
)
def test_output_format_follows_the_extension(runner, fixture_path, tmp_path, name, check):
    target = tmp_path / name
    args = ["extract", fixture_path(PORTAL), "--fields", "title", "-o", str(target)]
    if name == "out.md":
        args[3] = "title,text"
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert check(target.read_bytes())


def test_format_overrides_the_extension(runner, fixture_path, tmp_path):
    target = tmp_path / "out.csv"
    runner.invoke(app, ["extract", fixture_path(PORTAL), "-f", "jsonl", "-o", str(target)])
    assert orjson.loads(target.read_bytes())["title"].startswith("湖畔新城")


def test_excel_csv_has_a_bom_and_crlf(runner, fixture_path):
    result = runner.invoke(
        app, ["extract", fixture_path(PORTAL), "-f", "excel", "--fields", "title,source"]
    )
    assert result.exit_code == 0, result.stderr
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbftitle,source\r\n")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][1] == "江南日报"


def test_json_of_several_records_is_indented_inside_the_array(runner, fixture_path):
    args = [
        "extract",
        "-f",
        "json",
        "--fields",
        "title,authors",
        fixture_path(PORTAL),
        fixture_path(PORTAL),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith('[\n  {\n    "title": ')
    assert len(orjson.loads(result.stdout)) == 2


def test_verbose_says_one_line_per_source_and_quiet_says_nothing(runner, fixture_path):
    loud = runner.invoke(app, ["extract", fixture_path(PORTAL), "-v"])
    assert loud.exit_code == 0
    assert loud.stderr.startswith(f"newskit: {fixture_path(PORTAL)}: done in ")
    quiet = runner.invoke(app, ["extract", fixture_path(PORTAL), "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_jobs_keep_the_input_order(runner, fixture_path):
    sources = [fixture_path(name) for name in ARTICLES * 2]
    one = runner.invoke(app, ["extract", *sources, "--fields", "title,url,chars", "-j", "1"])
    two = runner.invoke(app, ["extract", *sources, "--fields", "title,url,chars", "-j", "2"])
    assert one.exit_code == two.exit_code == 0, two.stderr
    assert two.stdout == one.stdout
    assert len(two.stdout.splitlines()) == len(sources)


def test_jobs_report_a_failed_source_in_its_place(runner, fixture_path, tmp_path):
    missing = str(tmp_path / "missing.html")
    sources = [fixture_path(ARTICLES[0]), missing, fixture_path(ARTICLES[1])]
    result = runner.invoke(
        app, ["extract", *sources, "--fields", "title", "-j", "2", "--errors", "inline"]
    )
    assert result.exit_code == 6
    lines = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert lines[1] == {"source": missing, "error": "no such file", "stage": "input"}
    assert result.stderr == f"newskit: {missing}: no such file\n"


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "--fields", "title,teaser"],
        ["teasers", "--fields", "title,published"],
        ["fetch", "--fields", "status"],
        ["batch", "--fields", "title,teaser", "-o", "out.jsonl"],
    ],
)
def test_fields_no_record_can_have_are_refused_before_any_fetch(runner, httpserver, tmp_path, args):
    httpserver.expect_request("/a").respond_with_data(b"<p>x</p>", content_type="text/html")
    url = httpserver.url_for("/a")
    if args[0] == "batch":
        args = [*args[:-1], str(tmp_path / "out.jsonl")]
    result = runner.invoke(app, [*args, url])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("newskit: unknown field(s) for --fields:")
    assert httpserver.log == []


@pytest.mark.parametrize("command", ["extract", "summarize", "teasers"])
def test_an_unknown_encoding_is_a_usage_error(runner, fixture_path, command):
    result = runner.invoke(app, [command, "--encoding", "foo", fixture_path(PORTAL)])
    assert result.exit_code == 2
    assert result.stderr == "newskit: unknown encoding 'foo' for --encoding\n"


def test_lang_keeps_only_records_in_those_languages(runner, fixture_path):
    sources = [fixture_path(PORTAL), fixture_path("en-article.html")]
    result = runner.invoke(
        app, ["extract", *sources, "--lang", "en", "--fields", "language", "-j", "1"]
    )
    assert result.exit_code == 0, result.stderr
    assert [orjson.loads(line) for line in result.stdout.splitlines()] == [{"language": "en"}]


def test_field_names_complete(runner):
    env = {
        "_NEWSKIT_COMPLETE": "complete_bash",
        "COMP_WORDS": "newskit extract --fields title,pub",
        "COMP_CWORD": "3",
    }
    result = runner.invoke(app, [], env=env, prog_name="newskit")
    assert "title,published" in result.stdout.split()


def test_tz_attaches_the_zone_to_local_times(runner, fixture_path):
    args = ["extract", fixture_path(PORTAL), "--fields", "published", "--tz", "Asia/Shanghai"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout) == {"published": "2024-09-20T09:32:00+08:00"}


def test_tz_applies_to_records_read_back_by_summarize(runner):
    record = {"title": "t", "text": "第一句话。第二句话。", "published": "2024-01-02T03:04:00"}
    args = ["summarize", "--tz", "Europe/Paris", "--fields", "published"]
    result = runner.invoke(app, args, input=orjson.dumps(record) + b"\n")
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout) == {"published": "2024-01-02T03:04:00+01:00"}


def test_an_unknown_zone_is_a_usage_error(runner, fixture_path):
    result = runner.invoke(app, ["extract", fixture_path(PORTAL), "--tz", "Mars/Olympus"])
    assert result.exit_code == 2
    assert result.stderr.startswith("newskit: unknown time zone 'Mars/Olympus'")


def test_a_page_over_the_time_limit_fails_alone(runner, fixture_path, tmp_path):
    # No page is extracted within a millisecond: each one fails in its worker, named on
    # its own line, and the command goes on to the next.
    sources = [fixture_path(PORTAL), fixture_path("en-article.html")]
    args = ["extract", *sources, "--fields", "title", "-j", "2", "--page-timeout", "0.001"]
    result = runner.invoke(app, args)
    assert result.exit_code == 4
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(
        "took longer than" in line or "timeout" in line for line in lines
    )
    assert lines[0].startswith(f"newskit: {sources[0]}: ")


@pytest.mark.parametrize("command", [*COMMANDS, "warc", "dedup"])
def test_every_command_takes_quiet_and_verbose(runner, command):
    result = runner.invoke(app, [command, "-h"])
    assert "-q, --quiet" in result.stdout and "-v, --verbose" in result.stdout


def test_convert_reads_an_input_list_and_says_each_source(runner, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("这款软件占用的内存不大", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"# one note\n{note}\n", encoding="utf-8")
    result = runner.invoke(app, ["convert", "--to", "zh-TW", "-i", str(listing), "-v"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("這款軟體")
    assert result.stderr.startswith(f"newskit: {note}: done in ")


def _table_through_a_pipe(fixture_path, columns: int, env_columns: str | None) -> list[str]:
    """`newskit extract -f table page | …` with standard error on a terminal `columns` wide."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if env_columns is not None:
        env["COLUMNS"] = env_columns
    try:
        done = subprocess.run(
            [sys.executable, "-m", "newskit", "extract", "-f", "table", fixture_path(PORTAL)],
            stdout=subprocess.PIPE,
            stderr=follower,
            env=env,
            check=True,
        )
    finally:
        os.close(follower)
        os.close(leader)
    return done.stdout.decode().splitlines()


@pytest.mark.parametrize(("columns", "env_columns", "width"), [(70, None, 70), (70, "60", 60)])
def test_a_piped_table_fits_the_terminal_it_is_read_at(fixture_path, columns, env_columns, width):
    from wcwidth import wcswidth

    lines = _table_through_a_pipe(fixture_path, columns, env_columns)
    assert lines and max(wcswidth(line) for line in lines) == width
