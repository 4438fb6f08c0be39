"""newskit.store (the SQLite state of batch runs) and newskit.sinks (crash-safe outputs)."""

from __future__ import annotations

import io
import json
import os
from dataclasses import replace

import pytest

from newskit.core.errors import InputError, OutputError, UsageError
from newskit.crawl.sinks import (
    DirSink,
    JsonlFileSink,
    StreamSink,
    article_path,
    default_state_path,
    safe_name,
)
from newskit.crawl.state import Emit, Store, digest, fingerprint

URL = "https://news.example.cn/a/1.html"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "state" / "batch.sqlite")
    yield s
    s.close()


def test_default_state_belongs_to_the_output(tmp_path):
    jsonl = JsonlFileSink(tmp_path / "news.jsonl")
    assert default_state_path(jsonl) == tmp_path / "news.jsonl.state.sqlite"
    jsonl.close()
    assert default_state_path(DirSink(tmp_path / "d")) == tmp_path / "d" / ".state.sqlite"
    with pytest.raises(UsageError, match="needs --state"):
        default_state_path(StreamSink(io.BytesIO()))


def test_state_uses_wal(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_state_unopenable_is_input_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="cannot open state"):
        Store(tmp_path / "file" / "batch.sqlite")


def test_claim_new_then_seen_in_same_run(store):
    claim = store.claim(URL, "run1", "urls.txt")
    assert not isinstance(claim, str) and claim.action == "new"
    assert store.claim(URL, "run1", "urls.txt") == "seen"


def test_done_url_is_skipped_unless_a_recheck_is_due(store):
    store.claim(URL, "r1", "o")
    assert store.begin_emit(URL, "fp1", Emit("out.jsonl", "h"))
    store.finish_emit(URL, None, None)
    assert store.claim(URL, "r2", "o") == "done"
    store.unchanged(URL, '"v1"', None)
    claim = store.claim(URL, "r3", "o", recheck=0)
    assert not isinstance(claim, str)
    assert (claim.action, claim.etag, claim.fingerprint) == ("recheck", '"v1"', "fp1")
    assert store.claim(URL, "r4", "o") == "done"
    assert store.claim(URL, "r5", "o", recheck=3600) == "done"  # checked moments ago


def test_failed_url_is_retried_then_given_up(store):
    for run in ("r1", "r2", "r3"):
        claim = store.claim(URL, run, "o", max_attempts=3)
        assert not isinstance(claim, str)
        assert claim.action == ("new" if run == "r1" else "retry")
        store.fail(URL, "fetch", "HTTP 500", "server error")
    assert store.claim(URL, "r4", "o", max_attempts=3) == "gave-up"
    row = store.status(URL)
    assert row is not None
    assert (row["status"], row["attempts"], row["reason"]) == ("failed", 3, "HTTP 500")


def test_fingerprint_owned_by_one_url(store):
    other = "https://news.example.cn/b/2.html"
    store.claim(URL, "r", "o")
    store.claim(other, "r", "o")
    assert store.begin_emit(URL, "fp", Emit("t", "h"))
    store.finish_emit(URL, '"e"', "Mon")
    assert store.owner("fp") == URL
    assert not store.begin_emit(other, "fp", Emit("t", "h2"))
    row = store.status(URL)
    assert row is not None
    assert (row["status"], row["etag"], row["last_modified"]) == ("done", '"e"', "Mon")


def test_resolve_emit_written_marks_done(store):
    store.claim(URL, "r", "o")
    store.begin_emit(URL, "fp", Emit("t", "h"))
    assert store.emitting() == [(URL, Emit("t", "h"))]
    store.resolve_emit(URL, written=True)
    assert store.status(URL)["status"] == "done"  # type: ignore[index]
    assert store.emitting() == []


def test_resolve_emit_not_written_redoes_url_and_frees_fingerprint(store):
    store.claim(URL, "r", "o")
    store.begin_emit(URL, "fp", Emit("t", "h"))
    store.resolve_emit(URL, written=False)
    assert store.status(URL)["status"] == "pending"  # type: ignore[index]
    assert store.owner("fp") is None
    claim = store.claim(URL, "r2", "o")
    assert not isinstance(claim, str)


def test_unfinished_lists_pending_and_retryable(store):
    for i in range(3):
        store.claim(f"{URL}?{i}", "r", "feed")
    store.fail(f"{URL}?1", "fetch", "timeout", "t")
    store.begin_emit(f"{URL}?2", "fp", Emit("t", "h"))
    store.finish_emit(f"{URL}?2", None, None)
    assert list(store.unfinished("feed", 3)) == [f"{URL}?0", f"{URL}?1"]
    assert list(store.unfinished("other", 3)) == []


def test_source_validators_round_trip(store):
    assert store.source_validators("feed") == (None, None)
    store.set_source_validators("feed", '"x"', "Tue")
    assert store.source_validators("feed") == ('"x"', "Tue")


def test_fingerprint_ignores_space_and_width():
    assert fingerprint("今天 天气\n很好") == fingerprint("今天天气很好")
    assert fingerprint("ＡＢＣ") == fingerprint("abc")
    assert fingerprint("a") != fingerprint("b")


def test_jsonl_sink_cuts_partial_tail(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    sink = JsonlFileSink(path)
    sink.start()
    emit, data = sink.render({"d": "中文"}, URL)
    assert emit.offset == len(b'{"a": 1}\n{"b": 2}\n')
    sink.write(emit, data)
    assert sink.written(emit)
    assert not sink.written(replace(emit, digest=digest(b'{"x":1}\n')))
    sink.close()
    lines = path.read_bytes().splitlines()
    assert [json.loads(x) for x in lines] == [{"a": 1}, {"b": 2}, {"d": "中文"}]


def test_jsonl_sink_keeps_complete_file(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    sink = JsonlFileSink(path)
    assert sink.repair() == 0
    sink.close()
    assert path.read_bytes() == b'{"a": 1}\n'


def test_article_path_is_deterministic_and_safe():
    record = {"date": "2024-09-20", "published": "2024-09-20 10:00"}
    path = article_path(record, "https://www.example.cn/news/../a b/园区 新闻.html?x=1")
    assert path == article_path(record, "https://www.example.cn/news/../a b/园区 新闻.html?x=1")
    site, date, name = path.split("/")
    assert (site, date) == ("example.cn", "2024-09-20")
    assert name.startswith("园区-新闻-") and name.endswith(".json")
    assert article_path({}, "https://x.org/").split("/")[1:2] == ["undated"]
    assert article_path({}, "https://x.org/a") != article_path({}, "https://x.org/a?page=2")
    assert safe_name("../..") == "_"
    assert safe_name(".hidden/../x") == "hidden-..-x"


def test_dir_sink_writes_whole_files(tmp_path):
    (tmp_path / "out" / ".partial").mkdir(parents=True)
    (tmp_path / "out" / ".partial" / "killed.json").write_bytes(b'{"half": ')
    sink = DirSink(tmp_path / "out")
    sink.start()
    emit, data = sink.render({"title": "t", "date": "2024-01-02"}, URL)
    sink.write(emit, data)
    assert sink.written(emit)
    assert not sink.written(replace(emit, digest=digest(b"other")))
    written = tmp_path / "out" / emit.target
    assert json.loads(written.read_bytes())["title"] == "t"
    assert list((tmp_path / "out" / ".partial").iterdir()) == []
    assert os.path.relpath(written, tmp_path / "out").startswith("news.example.cn/2024-01-02/1-")


def test_one_run_holds_the_state(tmp_path):
    first = Store(tmp_path / "s.sqlite")
    first.hold()
    second = Store(tmp_path / "s.sqlite")
    with pytest.raises(InputError, match="another batch run"):
        second.hold()
    first.close()
    second.hold()
    second.close()


def test_a_full_state_is_an_output_error_naming_the_file(store):
    """SQLite's 'database or disk is full' (here: its page limit) names the state file, and
    a failed COMMIT is not hidden behind 'cannot rollback - no transaction is active'."""
    store.claim(URL, "r", "o")
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count={pages}")
    big = "x" * 20000  # needs new pages
    with pytest.raises(OutputError) as caught:
        store.begin_emit(URL, "fp", Emit(big, "h"))
    assert str(caught.value) == (f"{store.path}: cannot write the state: database or disk is full")
    store.db.execute(f"PRAGMA max_page_count={pages + 1000}")
    assert store.status(URL)["status"] == "pending"  # type: ignore[index]
    assert store.begin_emit(URL, "fp", Emit(big, "h"))


def test_a_url_that_killed_its_workers_is_given_up_for_good(store):
    store.claim(URL, "r1", "o")
    store.fail(URL, "extract", "crash", "died twice", give_up=True)
    assert store.claim(URL, "r2", "o", max_attempts=10) == "gave-up"
    assert list(store.unfinished("o", 10)) == []


def test_a_long_record_is_found_at_its_offset_after_a_kill(tmp_path, store):
    from newskit.crawl.runner import resume

    sink = JsonlFileSink(tmp_path / "o.jsonl")
    sink.start()
    store.claim(URL, "r", "o")
    emit, data = sink.render({"url": URL, "text": "新闻" * 400_000}, URL)
    assert len(data) > 2 << 20
    store.begin_emit(URL, "fp", emit)
    sink.write(emit, data)  # killed here, before finish_emit
    sink.close()
    again = JsonlFileSink(tmp_path / "o.jsonl")
    assert resume(store, again) == 1
    assert store.status(URL)["status"] == "done"  # type: ignore[index]
    again.close()
