"""Renderers are pure and exact; writers stream; -o files appear whole or not at all."""

from __future__ import annotations

import io

import orjson
import pytest

from newskit.core.errors import UsageError
from newskit.records.files import OutputFile
from newskit.records.writers import (
    OutputFormat,
    Writer,
    parse_fields,
    project,
    render_csv_row,
    render_json,
    render_markdown,
    render_table,
    render_text,
)

RECORD = {"title": "标题一", "published": "2024-09-20T09:32:00", "authors": ["林晓岚", "周文博"]}


def written(fmt: OutputFormat, records, **kwargs) -> str:
    stream = io.BytesIO()
    writer = Writer(stream, fmt, **kwargs)
    for record in records:
        writer.write(record)
    writer.close()
    return stream.getvalue().decode()


def test_json_keeps_chinese_unescaped():
    assert render_json({"t": "中文"}) == '{\n  "t": "中文"\n}\n'.encode()


def test_jsonl_is_one_line_per_record():
    out = written(OutputFormat.jsonl, [RECORD, RECORD], many=True)
    assert out.splitlines() == [orjson.dumps(RECORD).decode()] * 2


def test_json_of_several_records_is_one_array():
    out = written(OutputFormat.json, [RECORD, {"title": "二"}], many=True)
    assert orjson.loads(out) == [RECORD, {"title": "二"}]


def test_json_of_no_record_in_a_many_run_is_an_empty_array():
    assert orjson.loads(written(OutputFormat.json, [], many=True)) == []


def test_fields_pick_and_order():
    assert parse_fields("published, title") == ["published", "title"]
    assert project(RECORD, ["published", "title"]) == {
        "published": "2024-09-20T09:32:00",
        "title": "标题一",
    }
    assert list(project(RECORD, ["published", "title"])) == ["published", "title"]


def test_unknown_field_lists_the_valid_ones():
    with pytest.raises(
        UsageError, match=r"unknown field\(s\): nope \(valid: title, published, authors\)"
    ):
        project(RECORD, ["nope"])


def test_error_records_pass_projection_untouched():
    error = {"source": "x", "error": "boom", "stage": "fetch"}
    assert project(error, ["title"]) == error


def test_table_of_several_records_has_one_row_each():
    table = render_table([RECORD, {"title": "标题二", "published": None, "authors": []}])
    lines = table.splitlines()
    assert "title" in lines[1] and "published" in lines[1] and "authors" in lines[1]
    assert "林晓岚, 周文博" in table
    from wcwidth import wcswidth

    assert len({wcswidth(line) for line in lines}) == 1


def test_table_shortens_long_text_unless_fields_are_chosen():
    record = {"title": "t", "text": "字" * 500}
    assert "…" in render_table([record])
    assert "…" not in render_table([record], fields=["title", "text"])


def test_text_rendering():
    assert render_text({"title": "标题", "source": "江南日报", "text": "正文。"}) == (
        "title: 标题\nsource: 江南日报\n\n正文。\n"
    )


def test_markdown_rendering():
    md = render_markdown({"title": "标题", "source": "江南日报", "text": "一段。\n二段。"})
    assert md == "# 标题\n\n- **source**: 江南日报\n\n一段。\n\n二段。\n"


def test_csv_joins_lists():
    assert render_csv_row(RECORD, ["title", "authors"]) == "标题一,林晓岚; 周文博\n"


def test_csv_writer_has_a_header_and_skips_error_records():
    out = written(OutputFormat.csv, [RECORD, {"source": "x", "error": "e", "stage": "input"}])
    assert out.splitlines() == [
        "title,published,authors",
        "标题一,2024-09-20T09:32:00,林晓岚; 周文博",
    ]


def test_atomic_file_appears_only_on_commit(tmp_path):
    target = tmp_path / "out.json"
    out = OutputFile(target)
    out.stream.write(b"{}")
    assert not target.exists()
    out.commit()
    assert target.read_bytes() == b"{}"


def test_atomic_file_discard_leaves_target_alone(tmp_path):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")
    out = OutputFile(target)
    out.stream.write(b"half")
    out.discard()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_text_rendering_shows_a_teasers_date_but_not_an_articles_twice():
    teaser = {"title": "标题", "url": "http://x/1", "date": "2024-09-20", "blurb": "摘要。"}
    assert render_text(teaser) == "title: 标题\nurl: http://x/1\ndate: 2024-09-20\nblurb: 摘要。\n"
    article = {"title": "标题", "published": "2024-09-20T09:32:00", "date": "2024-09-20"}
    assert render_text(article) == "title: 标题\npublished: 2024-09-20T09:32:00\n"


def test_markdown_places_each_figure_where_it_stood():
    record = {
        "title": "标题",
        "text": "一段。\n二段。\n三段。",
        "figures": [
            {"url": "http://a.cn/0.jpg", "caption": None, "alt": "封面", "paragraph": 0},
            {"url": "http://a.cn/2.jpg", "caption": "图为[现场]。", "alt": None, "paragraph": 2},
            {"url": "http://a.cn/a b.jpg", "caption": "末尾", "alt": None, "paragraph": 9},
        ],
    }
    assert render_markdown(record) == (
        "# 标题\n\n"
        "![封面](http://a.cn/0.jpg)\n\n一段。\n\n二段。\n\n"
        "![图为\\[现场\\]。](http://a.cn/2.jpg)\n\n三段。\n\n"
        "![末尾](<http://a.cn/a b.jpg>)\n"
    )


def test_lists_of_objects_are_json_in_csv_and_table_cells():
    record = {
        "title": "标题",
        "pages_missing": [{"url": "http://a.cn/2.html", "error": "HTTP 404"}],
    }
    row = render_csv_row(record, ["title", "pages_missing"])
    assert row == '标题,"{""url"":""http://a.cn/2.html"",""error"":""HTTP 404""}"\n'
