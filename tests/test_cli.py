"""The extract command end to end: stdout data, stderr talk, exit codes, stdin, -o."""

from __future__ import annotations

import orjson
import pytest
from conftest import page

from newskit.cli import app

PORTAL = "zh-gbk-portal.html"
URL = "https://www.example.cn/news/2024/09/20/park.html"


def test_extract_one_page_is_one_json_record(runner, fixture_path):
    result = runner.invoke(app, ["extract", "--url", URL, fixture_path(PORTAL)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    record = orjson.loads(result.stdout)
    assert record["title"] == "湖畔新城:以科技创新带动制造业转型升级"
    assert record["published"] == "2024-09-20T09:32:00"
    assert record["date"] == "2024-09-20"
    assert record["source"] == "江南日报"
    assert record["url"] == URL
    assert "研发平台聚人才" in record["text"]
    # JSON is UTF-8, not \u escapes
    assert "湖畔新城" in result.stdout


def test_extract_reads_stdin_with_dash(runner):
    result = runner.invoke(app, ["extract", "-", "--fields", "title,date"], input=page(PORTAL))
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout) == {
        "title": "湖畔新城:以科技创新带动制造业转型升级",
        "date": "2024-09-20",
    }


def test_extract_reads_piped_stdin_without_source(runner):
    result = runner.invoke(app, ["extract", "--fields", "date"], input=page(PORTAL))
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout) == {"date": "2024-09-20"}


def test_several_sources_stream_jsonl_and_report_failures(runner, fixture_path, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    args = ["extract", "--fields", "title", fixture_path(PORTAL), str(empty), fixture_path(PORTAL)]
    result = runner.invoke(app, [*args, "--errors", "inline"])
    assert result.exit_code == 6
    lines = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"title": "湖畔新城:以科技创新带动制造业转型升级"}
    assert lines[1] == {"source": str(empty), "error": "empty input", "stage": "input"}
    assert lines[2] == lines[0]
    assert result.stderr == f"newskit: {empty}: empty input\n"


def test_failed_sources_are_reported_on_stderr_only_by_default(runner, fixture_path, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    args = ["extract", "--fields", "title", fixture_path(PORTAL), str(empty), "--jobs", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 6
    assert [orjson.loads(line) for line in result.stdout.splitlines()] == [
        {"title": "湖畔新城:以科技创新带动制造业转型升级"}
    ]
    assert result.stderr == f"newskit: {empty}: empty input\n"


def test_a_failed_source_among_parallel_ones_lets_the_process_end(fixture_path, tmp_path):
    """The worker processes stop with the run; they once kept a process waiting at exit."""
    import subprocess
    import sys

    missing = str(tmp_path / "missing.html")
    runs = [
        ([fixture_path(PORTAL), missing], 6),
        ([fixture_path(PORTAL), missing, "--fail-fast"], 5),
    ]
    for args, code in runs:
        done = subprocess.run(
            [sys.executable, "-m", "newskit", "extract", "--jobs", "2", *args],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, len(done.stdout.splitlines())) == (code, 1)
        assert done.stderr.decode() == f"newskit: {missing}: no such file\n"


def test_fail_fast_stops_at_first_failure(runner, fixture_path, tmp_path):
    missing = str(tmp_path / "missing.html")
    args = ["extract", "--fail-fast", "--errors", "inline", missing, fixture_path(PORTAL)]
    result = runner.invoke(app, args)
    assert result.exit_code == 5
    assert orjson.loads(result.stdout) == {
        "source": missing,
        "error": "no such file",
        "stage": "input",
    }
    assert result.stderr == f"newskit: {missing}: no such file\n"


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [
        (b"", "empty input", 5),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not an HTML page (binary content)", 5),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an HTML page (binary content)", 5),
    ],
)
def test_bad_input_gives_one_line_and_exit_code(runner, tmp_path, content, message, code):
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr == f"newskit: {path}: {message}\n"


def test_page_without_article_is_extraction_error(runner, tmp_path):
    path = tmp_path / "nav.html"
    path.write_text("<html><body><a href='/a'>首页</a><a href='/b'>新闻</a></body></html>")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 4
    assert result.stderr == f"newskit: {path}: no article found\n"


def test_a_folder_with_no_page_is_input_error(runner, tmp_path):
    (tmp_path / "notes.txt").write_text("not a page")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 5
    assert result.stderr == f"newskit: {tmp_path}: no file matches '*.htm*'\n"


def test_output_file_is_written_whole(runner, fixture_path, tmp_path):
    target = tmp_path / "out.jsonl"
    result = runner.invoke(
        app,
        ["extract", "-o", str(target), "-f", "jsonl", fixture_path(PORTAL), fixture_path(PORTAL)],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = target.read_bytes().splitlines()
    assert len(lines) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_output_to_missing_directory_is_output_error(runner, fixture_path, tmp_path):
    target = tmp_path / "nope" / "out.json"
    result = runner.invoke(app, ["extract", "-o", str(target), fixture_path(PORTAL)])
    assert result.exit_code == 7
    assert result.stderr == f"newskit: {target}: directory {target.parent} does not exist\n"
    assert not target.exists()


def test_unknown_field_is_usage_error(runner, fixture_path):
    result = runner.invoke(app, ["extract", "--fields", "title,nope", fixture_path(PORTAL)])
    assert result.exit_code == 2
    assert result.stderr.startswith("newskit: unknown field(s) for --fields: nope (valid: title,")
    assert result.stdout == ""


def test_table_format_aligns_chinese(runner, fixture_path):
    result = runner.invoke(
        app, ["extract", "-f", "table", "--fields", "title,source,authors", fixture_path(PORTAL)]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    from wcwidth import wcswidth

    assert len({wcswidth(line) for line in lines}) == 1
    assert "│ source  │ 江南日报" in result.stdout


def test_text_format_has_title_facts_and_body(runner, fixture_path):
    result = runner.invoke(app, ["extract", "-f", "text", fixture_path(PORTAL)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "title: 湖畔新城:以科技创新带动制造业转型升级"
    assert "published: 2024-09-20T09:32:00" in lines and "source: 江南日报" in lines
    assert "" in lines and not any(line.startswith("date:") for line in lines)


def test_no_source_on_a_terminal_is_usage_error(runner, monkeypatch):
    import sys

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty())
    from newskit.cli.inputs import resolve_sources
    from newskit.core.errors import UsageError

    with pytest.raises(UsageError):
        resolve_sources(None)


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("newskit ")


def test_help_and_version_import_no_heavy_module():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from newskit.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('trafilatura', 'opencc', 'lxml', 'urllib3', 'orjson', 'tabulate')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr


def test_a_one_shot_extract_imports_only_what_it_needs(fixture_path):
    """Another command's module, the crawler, dateparser or urllib.request would slow it down."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from newskit.cli import app\n"
        "try:\n"
        "    app(['extract', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, fixture_path(PORTAL)], capture_output=True, check=True
    )
    assert orjson.loads(done.stdout)["title"]
    loaded = set(done.stderr.decode().split())
    assert "newskit.cli.extract" in loaded
    unwanted = ("newskit.cli.batch", "newskit.cli.fetch", "newskit.cli.teasers", "newskit.crawl")
    assert not [name for name in loaded if name.startswith(unwanted)]
    assert "dateparser" not in loaded  # htmldate's deep search never ran on this page
