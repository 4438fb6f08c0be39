"""newskit.store (the SQLite state of batch runs) and newskit.sinks (crash-safe outputs)."""

from __future__ import annotations

import json
import os

import pytest

from newskit.core.errors import InputError
from newskit.crawl.sinks import DirSink, JsonlFileSink, article_path, safe_name
from newskit.crawl.state import Store, default_state_path, digest, fingerprint

URL = "https://news.example.cn/a/1.html"


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "state" / "batch.sqlite")
    yield s
    s.close()


def test_state_path_follows_xdg():
    assert str(default_state_path({"XDG_STATE_HOME": "/x"})) == "/x/newskit/batch.sqlite"
    assert str(default_state_path({})).endswith(".local/state/newskit/batch.sqlite")


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


def test_done_url_is_skipped_without_validators_and_rechecked_with(store):
    store.claim(URL, "r1", "o")
    assert store.begin_emit(URL, "fp1", "out.jsonl", "h")
    store.finish_emit(URL, None, None)
    assert store.claim(URL, "r2", "o") == "done"
    store.unchanged(URL, '"v1"', None)
    claim = store.claim(URL, "r3", "o")
    assert not isinstance(claim, str)
    assert (claim.action, claim.etag, claim.fingerprint) == ("recheck", '"v1"', "fp1")
    assert store.claim(URL, "r4", "o", recheck=False) == "done"


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
    assert store.begin_emit(URL, "fp", "t", "h")
    store.finish_emit(URL, '"e"', "Mon")
    assert store.owner("fp") == URL
    assert not store.begin_emit(other, "fp", "t", "h2")
    row = store.status(URL)
    assert row is not None
    assert (row["status"], row["etag"], row["last_modified"]) == ("done", '"e"', "Mon")


def test_resolve_emit_written_marks_done(store):
    store.claim(URL, "r", "o")
    store.begin_emit(URL, "fp", "t", "h")
    assert store.emitting() == [(URL, "t", "h")]
    store.resolve_emit(URL, written=True)
    assert store.status(URL)["status"] == "done"  # type: ignore[index]
    assert store.emitting() == []


def test_resolve_emit_not_written_redoes_url_and_frees_fingerprint(store):
    store.claim(URL, "r", "o")
    store.begin_emit(URL, "fp", "t", "h")
    store.resolve_emit(URL, written=False)
    assert store.status(URL)["status"] == "pending"  # type: ignore[index]
    assert store.owner("fp") is None
    claim = store.claim(URL, "r2", "o")
    assert not isinstance(claim, str)


def test_unfinished_lists_pending_and_retryable(store):
    for i in range(3):
        store.claim(f"{URL}?{i}", "r", "feed")
    store.fail(f"{URL}?1", "fetch", "timeout", "t")
    store.begin_emit(f"{URL}?2", "fp", "t", "h")
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
    target, data = sink.render({"d": "中文"}, URL)
    sink.write(target, data)
    assert sink.written(target, digest(data))
    assert not sink.written(target, digest(b'{"x":1}\n'))
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
    target, data = sink.render({"title": "t", "date": "2024-01-02"}, URL)
    sink.write(target, data)
    assert sink.written(target, digest(data))
    assert not sink.written(target, digest(b"other"))
    written = tmp_path / "out" / target
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
