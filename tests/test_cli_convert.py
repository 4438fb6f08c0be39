"""`newskit convert` end to end: text streamed, JSON / JSON Lines records, stdin, errors."""

from __future__ import annotations

import io

import orjson
from conftest import page

from newskit.cli import app
from newskit.cli.convert import read_head, text_chunks
from newskit.text.scripts import convert, convert_stream

NOTES = "zh-hans-notes.txt"
NOTES_TW = (
    "這款軟體佔用的記憶體不大。\nThe mouse (滑鼠) costs 99 元, v2.0\n\n印表機和網路都正常。\n"
)
URL = "https://www.example.cn/news/2024/09/20/park.html"
RECORD = {
    "title": "软件更新",
    "text": "内存和鼠标",
    "url": "https://example.cn/软件",
    "site_name": "科技网",
    "authors": ["张伟"],
    "script": "zh-Hans",
    "chars": 5,
}
RECORD_TW = {
    **RECORD,
    "title": "軟體更新",
    "text": "記憶體和滑鼠",
    "authors": ["張偉"],
    "script": "zh-Hant-TW",
}


def test_convert_a_text_file(runner, fixture_path):
    result = runner.invoke(app, ["convert", "--to", "zh-TW", fixture_path(NOTES)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == NOTES_TW
    assert result.stderr == ""


def test_character_level_configuration(runner, fixture_path):
    result = runner.invoke(app, ["convert", "--to", "s2t", fixture_path(NOTES)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "這款軟件佔用的內存不大。"


def test_convert_reads_stdin_with_dash_and_when_piped(runner):
    for args in (["convert", "-t", "s2twp", "-"], ["convert", "-t", "s2twp"]):
        result = runner.invoke(app, args, input="软件\n内存\n".encode())
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "軟體\n記憶體\n"
        assert result.stderr == ""


def test_several_text_files_are_written_one_after_the_other(runner, tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("鼠标\n", encoding="utf-8")
    second.write_text("网络\n", encoding="utf-8")
    result = runner.invoke(app, ["convert", "-t", "zh-TW", str(first), str(second)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "滑鼠\n網路\n"


def test_unknown_conversion_exits_2_with_one_stderr_line(runner, fixture_path):
    result = runner.invoke(app, ["convert", "--to", "zh-XX", fixture_path(NOTES)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("newskit: unknown conversion 'zh-XX' (valid: zh-Hans, ")
    assert result.stderr.endswith(", t2jp, jp2t)\n")
    assert result.stderr.count("\n") == 1


def test_missing_file_exits_5_and_the_other_sources_still_convert(runner, fixture_path):
    result = runner.invoke(app, ["convert", "-t", "zh-TW", "missing.txt"])
    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr == "newskit: missing.txt: no such file\n"
    result = runner.invoke(app, ["convert", "-t", "zh-TW", "missing.txt", fixture_path(NOTES)])
    assert result.exit_code == 6
    assert result.stdout == NOTES_TW
    assert result.stderr == "newskit: missing.txt: no such file\n"


def test_text_that_is_not_utf8_exits_5_unless_encoding_is_given(runner):
    data = "软件\n".encode("gbk")
    result = runner.invoke(app, ["convert", "-t", "s2twp", "-"], input=data)
    assert result.exit_code == 5
    assert result.stdout == ""
    assert (
        result.stderr == "newskit: -: not utf-8 text (invalid continuation byte); try --encoding\n"
    )
    result = runner.invoke(app, ["convert", "-t", "s2twp", "--encoding", "gbk", "-"], input=data)
    assert (result.exit_code, result.stdout) == (0, "軟體\n")


def test_empty_input_gives_empty_output(runner):
    result = runner.invoke(app, ["convert", "-t", "s2t", "-"], input=b"")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_a_byte_order_mark_is_dropped(runner):
    result = runner.invoke(app, ["convert", "-t", "s2t", "-"], input="\ufeff软件\n".encode())
    assert result.stdout == "軟件\n"


def test_json_in_json_out_with_only_text_fields_converted(runner):
    pretty = orjson.dumps(RECORD, option=orjson.OPT_INDENT_2)
    result = runner.invoke(app, ["convert", "-t", "zh-TW"], input=pretty)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{\n  ")
    assert orjson.loads(result.stdout) == RECORD_TW
    assert result.stderr == ""


def test_a_json_list_stays_a_list(runner):
    result = runner.invoke(app, ["convert", "-t", "zh-TW"], input=orjson.dumps([RECORD]))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("[\n  {\n")
    assert orjson.loads(result.stdout) == [RECORD_TW]


def test_json_lines_in_json_lines_out(runner, tmp_path):
    source = tmp_path / "records.jsonl"
    other = {"title": "Hello", "url": "https://example.com/"}
    source.write_bytes(orjson.dumps(RECORD) + b"\n" + orjson.dumps(other) + b"\n")
    result = runner.invoke(app, ["convert", "-t", "zh-TW", str(source)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [orjson.loads(line) for line in lines] == [RECORD_TW, other]


def test_fields_chooses_what_is_converted(runner):
    args = ["convert", "-t", "zh-TW", "--convert-fields", "title,site_name"]
    result = runner.invoke(app, args, input=orjson.dumps(RECORD) + b"\n")
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout) == {
        **RECORD,
        "title": "軟體更新",
        "site_name": "科技網",
        "script": "zh-Hant-TW",
    }


def test_input_text_converts_json_as_plain_text(runner):
    args = ["convert", "-t", "s2twp", "--input", "text"]
    result = runner.invoke(app, args, input='{"title": "软件"}\n'.encode())
    assert (result.exit_code, result.stdout) == (0, '{"title": "軟體"}\n')


def test_broken_json_lines_exit_5_naming_the_line(runner):
    result = runner.invoke(app, ["convert", "-t", "s2t", "-"], input=b'{"title": "a"}\n{oops\n')
    assert result.exit_code == 5
    assert result.stdout == '{"title":"a"}\n'
    assert result.stderr.startswith("newskit: -: line 2: invalid JSON: ")


def test_output_file_is_written_and_stdout_stays_empty(runner, tmp_path, fixture_path):
    target = tmp_path / "out.txt"
    result = runner.invoke(app, ["convert", "-t", "zh-TW", "-o", str(target), fixture_path(NOTES)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert target.read_text(encoding="utf-8") == NOTES_TW


def test_chunks_end_at_line_breaks_so_phrases_are_never_cut():
    text = "".join(f"第{n}行：软件、内存和鼠标。\n" for n in range(200))
    stream = io.BytesIO(text.encode())
    head = read_head(stream)
    chunks = list(text_chunks(head, stream, "utf-8", "-", size=64))
    assert len(chunks) > 10
    assert all(chunk.endswith("\n") for chunk in chunks)
    assert "".join(chunks) == text
    assert "".join(convert_stream(chunks, "zh-TW")) == convert(text, "zh-TW")


def test_extract_then_convert_in_a_pipe(runner):
    extracted = runner.invoke(app, ["extract", "--url", URL, "-"], input=page("zh-gbk-portal.html"))
    assert extracted.exit_code == 0, extracted.stderr
    result = runner.invoke(app, ["convert", "--to", "zh-TW"], input=extracted.stdout.encode())
    assert result.exit_code == 0, result.stderr
    record = orjson.loads(result.stdout)
    assert record["title"] == "湖畔新城:以科技創新帶動製造業轉型升級"
    assert record["script"] == "zh-Hant-TW"
    assert record["url"] == URL
    assert record["source"] == "江南日報"


def test_extract_convert_option_converts_the_record_on_the_way_out(runner, fixture_path):
    args = ["extract", "--url", URL, "--convert", "zh-HK", "--fields", "title,script,url"]
    result = runner.invoke(app, [*args, fixture_path("zh-gbk-portal.html")])
    assert result.exit_code == 0, result.stderr
    assert orjson.loads(result.stdout) == {
        "title": "湖畔新城:以科技創新帶動製造業轉型升級",
        "script": "zh-Hant-HK",
        "url": URL,
    }


def test_extract_sets_the_script_and_refuses_an_unknown_convert(runner, fixture_path):
    args = ["extract", "--fields", "script", fixture_path("zh-gbk-portal.html")]
    result = runner.invoke(app, args)
    assert orjson.loads(result.stdout) == {"script": "zh-Hans"}
    result = runner.invoke(app, [*args, "--convert", "nope"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("newskit: unknown conversion 'nope' (valid: ")


def test_several_json_sources_come_out_as_json_lines(runner, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_bytes(orjson.dumps(RECORD, option=orjson.OPT_INDENT_2))
    second.write_bytes(orjson.dumps([RECORD, RECORD]))
    result = runner.invoke(app, ["convert", "-t", "zh-TW", str(first), str(second)])
    assert result.exit_code == 0, result.stderr
    assert [orjson.loads(line) for line in result.stdout.splitlines()] == [RECORD_TW] * 3


def test_the_script_is_detected_on_the_first_chunk_not_the_first_line(runner):
    data = "中文\n這個軟體的記憶體\n".encode()
    result = runner.invoke(app, ["convert", "-t", "zh-Hans", "-"], input=data)
    assert (result.exit_code, result.stdout) == (0, "中文\n这个软件的内存\n")


def test_convert_a_url_with_the_fetch_options(runner, httpserver):
    httpserver.expect_request("/notes.txt", headers={"X-Test": "1"}).respond_with_data(
        "软件和内存\n", content_type="text/plain; charset=utf-8"
    )
    url = httpserver.url_for("/notes.txt")
    result = runner.invoke(app, ["convert", "--to", "s2twp", "-H", "X-Test: 1", url])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "軟體和記憶體\n"


def test_convert_an_unreachable_url_is_a_fetch_error(runner):
    url = "http://127.0.0.1:9/notes.txt"
    result = runner.invoke(app, ["convert", "--to", "s2t", "--retries", "0", url])
    assert result.exit_code == 3
    assert result.stderr == f"newskit: {url}: connection refused\n"
