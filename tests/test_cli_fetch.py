"""`newskit fetch` and URL sources of `newskit extract`, against real loopback servers."""

from __future__ import annotations

import json
import re
import socket

import pytest
from conftest import page
from fetch_servers import gzip_bomb, serve, slow_headers

from newskit.cli import app
from newskit.net.http import page_filename

# (fixture page, Content-Type the server sends, codec of the record): the charset in the
# header only (Shift_JIS is misdetected without it), in header and page, in the page only.
PAGES = [
    ("zh-gbk-header-charset.html", "text/html; charset=GBK", "gb18030"),
    ("zh-big5-header-charset.html", "text/html; charset=big5", "big5hkscs"),
    ("ja-sjis-header-charset.html", "text/html; charset=Shift_JIS", "shift_jis"),
    ("zh-gbk-portal.html", "text/html; charset=gb2312", "gb18030"),
    ("en-library-article.html", "text/html", "utf-8"),
]
QUICK = ["--retries", "0", "--timeout", "5"]


def serve_page(httpserver, name: str, content_type: str, path: str = "/page") -> str:
    httpserver.expect_request(path).respond_with_data(page(name), content_type=content_type)
    return str(httpserver.url_for(path))


def test_fetch_writes_the_body_after_a_marker_line(runner, httpserver):
    url = serve_page(httpserver, "zh-gbk-header-charset.html", "text/html; charset=GBK")
    result = runner.invoke(app, ["fetch", url])
    assert result.exit_code == 0
    assert result.stderr == ""
    marker = f'<!-- newskit:fetch url="{url}" charset="gbk" -->\n'.encode()
    assert result.stdout_bytes == marker + page("zh-gbk-header-charset.html")


def test_url_option_wins_over_the_marker(runner, httpserver, tmp_path):
    url = serve_page(httpserver, "zh-gbk-portal.html", "text/html; charset=gbk")
    saved = tmp_path / "page.html"
    assert runner.invoke(app, ["fetch", url, "-o", str(saved)]).exit_code == 0
    other = "https://www.example.cn/news/2024/09/20/park.html"
    result = runner.invoke(app, ["extract", str(saved), "--url", other, "--fields", "url"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"url": other}


def test_fetch_raw_writes_the_body_alone(runner, httpserver):
    url = serve_page(httpserver, "en-library-article.html", "text/html")
    result = runner.invoke(app, ["fetch", "--raw", url])
    assert result.exit_code == 0
    assert result.stdout_bytes == page("en-library-article.html")


@pytest.mark.parametrize(("name", "content_type", "codec"), PAGES)
def test_fetch_then_extract_equals_extract_url(
    runner, httpserver, tmp_path, name, content_type, codec
):
    url = serve_page(httpserver, name, content_type)
    direct = runner.invoke(app, ["extract", url])
    assert direct.exit_code == 0, direct.stderr
    saved = tmp_path / "page.html"
    assert runner.invoke(app, ["fetch", url, "-o", str(saved)]).exit_code == 0
    from_file = runner.invoke(app, ["extract", str(saved)])
    piped = runner.invoke(app, ["fetch", url])
    from_stdin = runner.invoke(app, ["extract", "-"], input=piped.stdout_bytes)
    record = json.loads(direct.stdout)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record.pop("fetched"))
    # a saved page was read from a file: when it was fetched is not known there
    assert json.loads(from_file.stdout) == {**record, "fetched": None}
    assert json.loads(from_stdin.stdout) == {**record, "fetched": None}
    assert record["url"] == url
    assert record["encoding"] == codec


def test_meta_writes_the_fetch_record(runner, httpserver):
    url = serve_page(httpserver, "zh-gbk-header-charset.html", "text/html; charset=GBK")
    result = runner.invoke(app, ["fetch", "--meta", url])
    assert result.exit_code == 0
    assert result.stderr == ""
    record = json.loads(result.stdout)
    assert list(record) == [
        "url",
        "final_url",
        "status",
        "headers",
        "encoding",
        "bytes",
        "elapsed",
        "fetched",
    ]
    size = len(page("zh-gbk-header-charset.html"))
    assert (record["url"], record["final_url"], record["status"]) == (url, url, 200)
    assert (record["encoding"], record["bytes"]) == ("gbk", size)
    assert record["headers"]["content-type"] == "text/html; charset=GBK"


def test_meta_many_urls_from_stdin_as_json_lines(runner, httpserver):
    one = serve_page(httpserver, "en-library-article.html", "text/html", "/one")
    two = serve_page(httpserver, "zh-gbk-portal.html", "text/html", "/two")
    result = runner.invoke(app, ["fetch", "--meta", "-"], input=f"{one}\n# skipped\n\n{two}\n")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["final_url"] for line in lines] == [one, two]


def test_several_urls_need_a_directory_or_meta(runner, httpserver):
    result = runner.invoke(app, ["fetch", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "newskit: 2 URLs: save them with -o DIR/, or write their records with --meta\n"
    )


def test_fetch_into_a_directory(runner, httpserver, tmp_path):
    one = serve_page(httpserver, "en-library-article.html", "text/html", "/news/one.html")
    two = serve_page(httpserver, "zh-gbk-portal.html", "text/html; charset=gbk", "/news/two")
    target = tmp_path / "pages"
    result = runner.invoke(app, ["fetch", one, two, "-o", f"{target}/"])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [page_filename(one), page_filename(two)]
    )
    saved = (target / page_filename(two)).read_bytes()
    assert saved == f'<!-- newskit:fetch url="{two}" charset="gbk" -->\n'.encode() + page(
        "zh-gbk-portal.html"
    )
    meta = runner.invoke(app, ["fetch", "--meta", one, "-o", str(target)])
    assert json.loads(meta.stdout)["path"] == str(target / page_filename(one))


def test_failed_download_leaves_no_file(runner, httpserver, tmp_path):
    httpserver.expect_request("/x").respond_with_data(b"gone", status=404)
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["fetch", httpserver.url_for("/x"), "-o", str(out), *QUICK])
    assert result.exit_code == 3
    assert list(tmp_path.iterdir()) == []


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def setup_error(httpserver, case: str) -> tuple[str, list[str], str]:
    """Serve one failure case; returns (path, extra args, expected reason)."""
    expect = httpserver.expect_request
    if case == "404":
        expect("/e").respond_with_data(b"no", status=404)
        return "/e", [], "HTTP 404 Not Found"
    if case == "500":
        expect("/e").respond_with_data(b"", status=500)
        return "/e", [], "HTTP 500 Internal Server Error"
    if case == "loop":
        expect("/e").respond_with_data(b"", status=302, headers={"Location": "/f"})
        expect("/f").respond_with_data(b"", status=302, headers={"Location": "/e"})
        e, f = httpserver.url_for("/e"), httpserver.url_for("/f")
        return "/e", [], f"redirect loop: {e} -> {f} -> {e}"
    if case == "large":
        expect("/e").respond_with_data(b"<p>" + b"a" * 5000, content_type="text/html")
        return (
            "/e",
            ["--max-bytes", "1k"],
            "body over the size cap of 1000 bytes (Content-Length 5003)",
        )
    if case == "bomb":
        expect("/e").respond_with_data(
            gzip_bomb(), content_type="text/html", headers={"Content-Encoding": "gzip"}
        )
        return (
            "/e",
            ["--max-bytes", "2M"],
            "body over the size cap of 2000000 bytes (decompressed)",
        )
    if case == "pdf":
        expect("/e").respond_with_data(b"%PDF-1.4\n", content_type="application/pdf")
        return "/e", [], "not HTML (Content-Type application/pdf)"
    expect("/e").respond_with_data(b"", content_type="text/html")
    return "/e", [], "empty body (HTTP 200 OK)"


CASES = ["404", "500", "loop", "large", "bomb", "pdf", "empty"]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("command", ["fetch", "extract"])
def test_failures_name_the_url_and_exit_3(runner, httpserver, command, case):
    path, args, reason = setup_error(httpserver, case)
    url = httpserver.url_for(path)
    result = runner.invoke(app, [command, url, *QUICK, *args])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == f"newskit: {url}: {reason}\n"


def test_timeout_and_refused(runner):
    refused = f"http://127.0.0.1:{closed_port()}/x"
    result = runner.invoke(app, ["fetch", refused, *QUICK])
    assert (result.exit_code, result.stderr) == (3, f"newskit: {refused}: connection refused\n")
    with serve(slow_headers) as base:
        result = runner.invoke(app, ["fetch", base + "/slow", "--retries", "0", "--timeout", "0.2"])
    assert (result.exit_code, result.stderr) == (
        3,
        f"newskit: {base}/slow: timed out after 0.2 s\n",
    )


def test_429_with_retry_after_is_retried(runner, httpserver):
    httpserver.expect_ordered_request("/busy").respond_with_data(
        b"", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request("/busy").respond_with_data(
        b"<p>ok</p>", content_type="text/html"
    )
    result = runner.invoke(app, ["fetch", "--raw", httpserver.url_for("/busy"), "--retries", "1"])
    assert result.exit_code == 0
    assert result.stdout_bytes == b"<p>ok</p>"


def test_a_failed_url_among_many_gives_an_error_record(runner, httpserver):
    good = serve_page(httpserver, "zh-gbk-portal.html", "text/html; charset=gbk", "/good")
    httpserver.expect_request("/bad").respond_with_data(b"no", status=404)
    bad = httpserver.url_for("/bad")
    args = ["extract", good, bad, "-f", "jsonl", "--errors", "inline", "-j", "1", *QUICK]
    result = runner.invoke(app, args)
    assert result.exit_code == 6
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["url"] == good
    assert second == {"source": bad, "error": "HTTP 404 Not Found", "stage": "fetch"}
    assert result.stderr == f"newskit: {bad}: HTTP 404 Not Found\n"


def test_headers_and_user_agent_are_sent(runner, httpserver):
    httpserver.expect_request(
        "/h", headers={"User-Agent": "probe/2", "X-Token": "abc", "Accept-Language": "zh-CN"}
    ).respond_with_data(b"<p>ok</p>", content_type="text/html")
    args = ["--user-agent", "probe/2", "-H", "X-Token: abc", "--header", "Accept-Language: zh-CN"]
    result = runner.invoke(app, ["fetch", "--raw", httpserver.url_for("/h"), *args])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"<p>ok</p>"


def test_environment_sets_defaults_and_flags_win(runner, httpserver):
    url = serve_page(httpserver, "en-library-article.html", "text/html")
    env = {"NEWSKIT_MAX_BYTES": "100", "NEWSKIT_RETRIES": "0"}
    capped = runner.invoke(app, ["fetch", url], env=env)
    assert capped.exit_code == 3
    assert "body over the size cap of 100 bytes" in capped.stderr
    assert runner.invoke(app, ["fetch", url, "--max-bytes", "1M"], env=env).exit_code == 0


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--max-bytes", "lots"], {}, "bad size 'lots' (expected bytes, e.g. 5000000, 500k, 20M)"),
        ([], {"NEWSKIT_TIMEOUT": "soon"}, "bad value for NEWSKIT_TIMEOUT: 'soon'"),
        (["-H", "nocolon"], {}, "bad header 'nocolon' (expected 'Name: value')"),
    ],
)
def test_bad_fetch_options_are_usage_errors(runner, args, env, message):
    result = runner.invoke(app, ["fetch", "http://127.0.0.1:1/", *args], env=env)
    assert result.exit_code == 2
    assert result.stderr == f"newskit: {message}\n"


def test_proxy_from_the_environment(runner):
    seen = []

    def proxy(request, stop):
        seen.append(request.path)
        body = b"<p>proxied</p>"
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    with serve(proxy) as base:
        env = {"HTTP_PROXY": base, "http_proxy": base, "NO_PROXY": "", "no_proxy": ""}
        result = runner.invoke(app, ["fetch", "--raw", "http://news.example.invalid/a"], env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b"<p>proxied</p>"
    assert seen == ["http://news.example.invalid/a"]


def test_worker_processes_take_the_commands_environment(runner, httpserver, monkeypatch):
    # The fork server outlives one command (in this test process): a proxy set when it
    # started must not stick to the workers of a later command that has none.
    urls = [
        serve_page(httpserver, "zh-gbk-portal.html", "text/html; charset=gbk", f"/{i}")
        for i in range(2)
    ]
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    proxied = runner.invoke(app, ["extract", *urls, "-j", "2", *QUICK])
    assert proxied.exit_code == 3
    monkeypatch.delenv("HTTP_PROXY")
    direct = runner.invoke(app, ["extract", *urls, "-j", "2", *QUICK])
    assert direct.exit_code == 0, direct.stderr
