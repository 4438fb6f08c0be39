"""The teasers command end to end: records on stdout, talk on stderr, exit codes, --follow."""

from __future__ import annotations

import orjson
from conftest import page
from wcwidth import wcswidth

from newskit.cli import app

CHANNEL = "zh-list-channel.html"
URL = "https://www.example.cn/news/local/"


def test_teasers_stream_one_jsonl_line_per_story(runner, fixture_path):
    result = runner.invoke(app, ["teasers", "--url", URL, fixture_path(CHANNEL)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 5
    assert records[0] == {
        "title": "湖畔新城：以科技创新带动制造业转型升级",
        "url": "https://www.example.cn/news/2024/09/20/1001.html",
        "date": "2024-09-20T09:32",
        "blurb": "今年以来，湖畔新城围绕先进制造业集群，推动一批重点项目落地投产，全年工业投资同比增长百分之十二。",
        "image": "https://www.example.cn/img/1001.jpg",
    }
    assert "teaser" not in records[0]


def test_teasers_read_stdin_with_dash(runner):
    result = runner.invoke(app, ["teasers", "--fields", "url", "-"], input=page(CHANNEL))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == '{"url":"/news/2024/09/20/1001.html"}'


def test_teasers_json_format_is_one_array(runner, fixture_path):
    args = ["teasers", "-f", "json", "--fields", "title", fixture_path("en-list-page.html")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert [r["title"] for r in orjson.loads(result.stdout)][1] == (
        "Rail strike talks resume in the capital on Thursday"
    )


def test_teasers_table_shows_title_date_url(runner, fixture_path):
    result = runner.invoke(app, ["teasers", "-f", "table", fixture_path(CHANNEL)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [cell.strip() for cell in lines[1].split("│")[1:4]] == ["title", "date", "url"]
    # Chinese is two columns wide: every line of the grid has the same display width.
    assert len({wcswidth(line) for line in lines}) == 1
    assert "│ 湖畔新城：以科技创新带动制造业转型升级  │ 2024-09-20T09:32 │" in result.stdout


def test_a_page_without_a_list_exits_4(runner, fixture_path):
    source = fixture_path("zh-no-list.html")
    result = runner.invoke(app, ["teasers", source])
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr == f"newskit: {source}: no list of stories found\n"


def test_several_sources_with_one_missing_exit_6(runner, fixture_path, tmp_path):
    missing = str(tmp_path / "missing.html")
    args = ["teasers", "--fields", "title", missing, fixture_path("en-list-page.html")]
    args += ["--errors", "inline"]
    result = runner.invoke(app, args)
    assert result.exit_code == 6
    lines = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert lines[0] == {"source": missing, "error": "no such file", "stage": "input"}
    assert lines[1] == {"title": "Harbour reopens after a week of storm repairs"}
    assert len(lines) == 4
    assert result.stderr == f"newskit: {missing}: no such file\n"


def test_follow_reads_no_local_files(runner, fixture_path):
    """Links of a page are followed only over http(s): a file page's relative links are not
    files to read (issue 9), they need the page's address."""
    source = fixture_path("zh-list-local-links.html")
    result = runner.invoke(app, ["teasers", "--follow", "--teaser-chars", "60", source])
    assert result.exit_code == 0
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 3
    assert all("teaser" not in record for record in records)
    names = ("zh-gbk-portal.html", "zh-article-related.html", "zh-missing-article.html")
    assert result.stderr == "".join(
        f"newskit: {source}: {name}: relative link with no page address (pass --url) (no teaser)\n"
        for name in names
    )


def test_follow_fetches_linked_articles_over_http(runner, httpserver):
    listing = page("zh-list-local-links.html").replace(b"zh-missing-article.html", b"/gone.html")
    httpserver.expect_request("/list.html").respond_with_data(
        listing, content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/zh-gbk-portal.html").respond_with_data(
        page("zh-gbk-portal.html"), content_type="text/html"
    )
    httpserver.expect_request("/zh-article-related.html").respond_with_data(
        page("zh-article-related.html"), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/gone.html").respond_with_data("gone", status=404)
    result = runner.invoke(app, ["teasers", "--follow", httpserver.url_for("/list.html")])
    assert result.exit_code == 0, result.stderr
    records = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert records[0]["url"] == httpserver.url_for("/zh-gbk-portal.html")
    assert records[0]["teaser"].startswith("今年以来，湖畔新城")
    assert "teaser" not in records[2]
    assert result.stderr.startswith(
        f"newskit: {httpserver.url_for('/list.html')}: {httpserver.url_for('/gone.html')}: "
    )
    assert result.stderr.endswith("(no teaser)\n")
    assert result.stderr.count("\n") == 1
