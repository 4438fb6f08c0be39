"""`newskit summarize`: pages and article records in, summary and teaser out."""

from __future__ import annotations

import json

from conftest import page
from typer.testing import CliRunner
from wcwidth import wcswidth

from newskit.cli import app

ZH_PAGE = "zh-summary-article.html"
EN_PAGE = "en-summary-article.html"
ZH_LEAD = "今年，滨江新区计划完成四十二个老旧小区改造，惠及居民一万八千余户。"


def test_page_file_gets_summary_and_teaser(runner: CliRunner, fixture_path) -> None:
    result = runner.invoke(app, ["summarize", fixture_path(ZH_PAGE)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    record = json.loads(result.stdout)
    assert record["title"] == "滨江新区推进老旧小区改造"
    assert record["summary"].startswith(ZH_LEAD)
    assert record["teaser"].startswith(ZH_LEAD)
    assert len(record["teaser"]) <= 120
    for noise in ("记者", "责任编辑", "（完）", "本报讯"):
        assert noise not in record["summary"]
        assert noise not in record["teaser"]


def test_english_page_from_stdin(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["summarize", "-", "--sentences", "1", "--max-chars", "60", "--fields", "summary,teaser"],
        input=page(EN_PAGE),
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == {
        "summary": "The city council on Tuesday approved a $3.5 million plan to turn an old "
        "rail yard into a riverside park.",
        "teaser": "The city council on Tuesday approved a $3.5 million plan…",
    }


def _records_jsonl(runner: CliRunner, fixture_path) -> bytes:
    extracted = runner.invoke(
        app, ["extract", "-f", "jsonl", fixture_path(ZH_PAGE), fixture_path(EN_PAGE)]
    )
    assert extracted.exit_code == 0, extracted.stderr
    return extracted.stdout_bytes


def test_jsonl_records_in_jsonl_out(runner: CliRunner, fixture_path) -> None:
    data = _records_jsonl(runner, fixture_path)
    result = runner.invoke(app, ["summarize", "--fields", "title,teaser"], input=data)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["title"] == "滨江新区推进老旧小区改造"
    assert first["teaser"].startswith(ZH_LEAD)
    assert second["teaser"].startswith("The city council on Tuesday approved")


def test_pretty_json_from_extract(runner: CliRunner, fixture_path) -> None:
    extracted = runner.invoke(app, ["extract", fixture_path(ZH_PAGE)])
    result = runner.invoke(
        app, ["summarize", "--sentences", "1", "--fields", "summary"], input=extracted.stdout_bytes
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == json.dumps({"summary": ZH_LEAD}, ensure_ascii=False, indent=2) + "\n"
    assert result.stderr == ""


def test_error_records_pass_through(runner: CliRunner) -> None:
    data = (
        b'{"source": "gone.html", "error": "no such file", "stage": "input"}\n'
        + json.dumps({"title": "T", "text": "第一句话。第二句话。"}, ensure_ascii=False).encode()
        + b"\n"
    )
    result = runner.invoke(app, ["summarize", "-"], input=data)
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"source": "gone.html", "error": "no such file", "stage": "input"}
    assert lines[1]["summary"] == "第一句话。第二句话。"


def test_width_counts_display_columns(runner: CliRunner, fixture_path) -> None:
    args = ["summarize", fixture_path(ZH_PAGE), "--max-chars", "40", "--fields", "teaser"]
    by_chars = json.loads(runner.invoke(app, args).stdout)["teaser"]
    result = runner.invoke(app, [*args, "--width"])
    assert result.exit_code == 0, result.stderr
    by_columns = json.loads(result.stdout)["teaser"]
    assert len(by_chars) <= 40 < wcswidth(by_chars)
    assert wcswidth(by_columns) <= 40
    assert by_columns.endswith("…")


def test_rank_method_and_csv(runner: CliRunner, fixture_path) -> None:
    args = ["--method", "rank", "-n", "2", "-f", "csv", "--fields", "title,summary"]
    result = runner.invoke(app, ["summarize", fixture_path(EN_PAGE), *args])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("title,summary\nCity council approves new riverside park,")
    assert "Reporting by" not in result.stdout


def test_convert_after_extract(runner: CliRunner, fixture_path) -> None:
    result = runner.invoke(
        app, ["summarize", fixture_path(ZH_PAGE), "--convert", "zh-Hant", "--fields", "teaser"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["teaser"].startswith("今年，濱江新區計劃完成")


def test_output_file(runner: CliRunner, fixture_path, tmp_path) -> None:
    target = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["summarize", fixture_path(ZH_PAGE), fixture_path(EN_PAGE), "-o", str(target)]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    records = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    assert [bool(r["summary"]) for r in records] == [True, True]


def test_missing_file_is_an_input_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summarize", "missing.html"])
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr == "newskit: missing.html: no such file\n"


def test_bad_jsonl_line_reports_and_keeps_earlier_records(runner: CliRunner) -> None:
    data = b'{"title": "T", "text": "A sentence here."}\n{broken\n'
    result = runner.invoke(app, ["summarize", "-"], input=data)
    assert result.exit_code == 5
    assert json.loads(result.stdout.splitlines()[0])["summary"] == "A sentence here."
    assert result.stderr.startswith("newskit: -: line 2: invalid JSON")


def test_record_without_text_is_an_input_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summarize", "-"], input=b'{"title": "no body"}\n')
    assert result.exit_code == 5
    assert result.stdout == ""
    assert (
        result.stderr
        == "newskit: -: record has no text field (is it an article record from newskit extract?)\n"
    )


def test_unknown_method_is_a_usage_error(runner: CliRunner, fixture_path) -> None:
    result = runner.invoke(app, ["summarize", fixture_path(ZH_PAGE), "--method", "llm"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--method" in result.stderr


def test_one_bad_source_of_two_is_partial(runner: CliRunner, fixture_path) -> None:
    args = ["summarize", fixture_path(ZH_PAGE), "missing.html", "--errors", "inline"]
    result = runner.invoke(app, args)
    assert result.exit_code == 6
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["teaser"].startswith(ZH_LEAD)
    assert lines[1] == {"source": "missing.html", "error": "no such file", "stage": "input"}
    assert result.stderr == "newskit: missing.html: no such file\n"


def test_plain_text_in(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["summarize", "-n", "1", "--fields", "summary,teaser"], input="今天下雨。明天晴。"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"summary": "今天下雨。", "teaser": "今天下雨。明天晴。"}
    assert result.stderr == ""


def test_undecodable_text_is_an_input_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["summarize", "-"], input=b"\xb9\xfa\xbc\xd2")
    assert result.exit_code == 5
    assert result.stdout == ""
    assert result.stderr == "newskit: -: not utf-8 text (invalid start byte); try --encoding\n"
    gbk = runner.invoke(app, ["summarize", "-", "--encoding", "gbk"], input="国家。".encode("gbk"))
    assert gbk.exit_code == 0, gbk.stderr
    assert json.loads(gbk.stdout)["summary"] == "国家。"


def test_url_source_and_table_counts_columns(runner: CliRunner, httpserver) -> None:
    httpserver.expect_request("/a/1.html").respond_with_data(
        page(ZH_PAGE), content_type="text/html; charset=utf-8"
    )
    url = httpserver.url_for("/a/1.html")
    result = runner.invoke(app, ["summarize", url, "--max-chars", "60", "--fields", "url,teaser"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert json.loads(result.stdout) == {"url": url, "teaser": ZH_LEAD}  # 33 characters
    table = runner.invoke(app, ["summarize", url, "--max-chars", "60", "-f", "table"])
    assert table.exit_code == 0, table.stderr
    assert "今年，滨江新区计划完成四十二个老旧小区改造…" in table.stdout


def test_text_without_a_sentence_end_gets_a_short_summary(runner):
    text = "海风吹过长长的堤岸，渔船一艘接一艘回到港口，" * 10_000
    result = runner.invoke(app, ["summarize", "-", "-f", "json"], input=text.encode())
    assert result.exit_code == 0, result.stderr
    record = json.loads(result.stdout)
    assert len(record["text"]) == len(text)
    assert 0 < len(record["summary"]) <= 1200 and record["summary"].endswith("…")
    assert 0 < len(record["teaser"]) <= 120
