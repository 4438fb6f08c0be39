"""`batch --dedup`: a story fetched in one run groups with its copy fetched in the next."""

from __future__ import annotations

import json

import pytest
from batch_server import Server, Site
from syndication import stories

import newskit
from newskit.cli import app
from newskit.crawl.runner import batch
from newskit.crawl.types import BatchOptions
from newskit.net.options import FetchOptions

STORIES = {story["story"]: story for story in stories()}
FAST = {"delay": 0.0, "per_host": 4, "procs": 1, "jobs": 2, "fetch": FetchOptions(retries=0)}


def _page(title: str, text: str, when: str, source: str) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><nav><a href='/'>首页</a></nav>"
        f"<article><h1>{title}</h1><div class='info'>{when} 来源：{source}</div>{body}</article>"
        "<footer>版权所有</footer></body></html>"
    ).encode()


@pytest.fixture
def server():
    alert, levee = STORIES["flood-alert"], STORIES["flood-levee"]
    site = Site()
    site.extra["/day1/alert.html"] = (
        "text/html",
        _page(alert["title"], alert["text"], "2025-07-08 07:30", "青禾日报"),
    )
    copy = newskit.convert(alert["text"], "s2tw") + "\n責任編輯：劉穎"
    site.extra["/day2/copy.html"] = (
        "text/html",
        _page(newskit.convert(alert["title"], "s2tw"), copy, "2025-07-09 10:05", "青禾日報"),
    )
    site.extra["/day2/levee.html"] = (
        "text/html",
        _page(levee["title"], levee["text"], "2025-07-09 11:00", "青禾电视台"),
    )
    srv = Server(site)
    yield srv
    srv.close()


def _run(tmp_path, server, paths, name, **options):
    listing = tmp_path / f"{name}.txt"
    listing.write_text("\n".join(server.url(p) for p in paths) + "\n", encoding="utf-8")
    out = tmp_path / f"{name}.jsonl"
    opts = BatchOptions(**{**FAST, **options})
    batch([str(listing)], str(out), str(tmp_path / "state.sqlite"), opts)
    return {r["url"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_todays_copy_groups_with_yesterdays_story(tmp_path, server):
    first = _run(tmp_path, server, ["/day1/alert.html"], "day1", dedup=2 * 86400.0)
    story = first[server.url("/day1/alert.html")]
    assert story["duplicate_of"] is None
    second = _run(
        tmp_path, server, ["/day2/copy.html", "/day2/levee.html"], "day2", dedup=2 * 86400.0
    )
    copy = second[server.url("/day2/copy.html")]
    levee = second[server.url("/day2/levee.html")]
    assert copy["cluster"] == story["cluster"]
    assert copy["duplicate_of"] == story["url"]
    assert copy["similarity"] > 0.9
    assert levee["cluster"] != story["cluster"] and levee["duplicate_of"] is None


def test_without_dedup_records_have_no_cluster(tmp_path, server):
    records = _run(tmp_path, server, ["/day1/alert.html"], "plain")
    record = records[server.url("/day1/alert.html")]
    assert "cluster" not in record and record["fingerprint"] == newskit.fingerprint(record["text"])


def test_cli_dedup_flag_and_fields(runner, tmp_path, server):
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "\n".join(server.url(p) for p in ("/day1/alert.html", "/day2/copy.html")) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    args = ["batch", str(listing), "-o", str(out), "--state", str(tmp_path / "s.sqlite")]
    args += ["--dedup", "--fields", "url,cluster,duplicate_of", "--delay", "0", "--procs", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len({r["cluster"] for r in records}) == 1
    assert sorted(r["duplicate_of"] is None for r in records) == [False, True]
