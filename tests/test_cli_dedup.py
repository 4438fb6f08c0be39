"""`newskit dedup`: records in (files, stdin), annotated records out, one-line errors."""

from __future__ import annotations

import csv
import json

import orjson
import pytest
from syndication import corpus, originals_named, pair_scores

from newskit.cli import app


@pytest.fixture
def records_file(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in corpus(16)))
    return path


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_dedup_annotates_every_record(runner, records_file):
    result = runner.invoke(app, ["dedup", str(records_file)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = _lines(result.stdout)
    assert len(out) == len(corpus(16))
    assert pair_scores(out) == (1.0, 1.0)
    assert originals_named(out) == 1.0


def test_dedup_reads_stdin_and_a_json_document(runner, records_file, tmp_path):
    document = tmp_path / "records.json"
    document.write_bytes(orjson.dumps(corpus(16)[:5]))
    stdin = records_file.read_text(encoding="utf-8")
    result = runner.invoke(app, ["dedup", str(document), "-", "--keep", "original"], input=stdin)
    assert result.exit_code == 0, result.stderr
    out = _lines(result.stdout)
    assert all(r["duplicate_of"] is None for r in out)
    assert len({r["cluster"] for r in out}) == len(out) == 12


def test_dedup_writes_any_format_atomically(runner, records_file, tmp_path):
    target = tmp_path / "out.json"
    result = runner.invoke(
        app,
        ["dedup", str(records_file), "-f", "json", "--fields", "url,cluster", "-o", str(target)],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    written = json.loads(target.read_text(encoding="utf-8"))
    assert set(written[0]) == {"url", "cluster"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "records.jsonl"]


def test_a_broken_line_ends_its_source_and_what_came_before_is_written(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "甲乙丙丁"}\n{"text": oops}\n', encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["dedup", str(bad), "-o", str(target), "--window", "0"])
    assert result.exit_code == 5
    assert result.stderr.startswith(f"newskit: {bad}: line 2: invalid JSON")
    assert target.read_text(encoding="utf-8").count("\n") == 1


def test_a_missing_source_is_reported_and_the_others_finish(runner, records_file, tmp_path):
    missing = tmp_path / "missing.jsonl"
    result = runner.invoke(app, ["dedup", str(missing), str(records_file)])
    assert result.exit_code == 6
    assert result.stderr == f"newskit: {missing}: no such file\n"
    assert len(_lines(result.stdout)) == len(corpus(16))


def test_a_page_is_not_a_record_file(runner, fixture_path):
    result = runner.invoke(app, ["dedup", fixture_path("zh-gbk-portal.html")])
    assert result.exit_code == 5
    assert "not JSON or JSON Lines records" in result.stderr
    assert result.stdout == ""


def test_a_bad_window_is_a_usage_error(runner, records_file):
    result = runner.invoke(app, ["dedup", "--window", "soon", str(records_file)])
    assert result.exit_code == 2
    assert result.stderr == "newskit: invalid window 'soon' (try 2d, 36h or 90m)\n"


def test_dash_h_shows_examples(runner):
    result = runner.invoke(app, ["dedup", "-h"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: newskit dedup [OPTIONS] [RECORDS...]")
    assert "Examples:" in result.stdout


def test_a_folder_stands_for_its_record_files(runner, records_file, tmp_path):
    (tmp_path / "notes.txt").write_text("not records", encoding="utf-8")
    result = runner.invoke(app, ["dedup", str(tmp_path), "-o", str(tmp_path / "out.csv")])
    assert result.exit_code == 0, result.stderr
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(corpus(16))
    assert pair_scores(rows) == (1.0, 1.0)
