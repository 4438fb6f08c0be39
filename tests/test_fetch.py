"""newskit.net.http against real loopback servers: pages, redirects, retries, caps, errors."""

from __future__ import annotations

import hashlib
import socket
import tracemalloc
from datetime import datetime, timezone
from email.utils import format_datetime

import pytest
from conftest import page
from fetch_servers import answer, drip, gzip_bomb, serve, slow_headers
from werkzeug import Response

from newskit.core.errors import (
    ConnectError,
    DNSError,
    FetchError,
    HTTPStatusError,
    NotHTMLError,
    TimeoutError,
    TLSError,
    TooLargeError,
    TooManyRedirectsError,
    UsageError,
)
from newskit.core.models import Page
from newskit.net.http import fetch, marker_line, page_filename, split_marker
from newskit.net.options import (
    DEFAULT_USER_AGENT,
    MAX_RETRY_AFTER,
    FetchOptions,
    check_url,
    make_pool,
    parse_header,
    parse_size,
    retry_after,
)

FAST = FetchOptions(timeout=5, connect_timeout=2, retries=0, backoff=0.01)


class Sleeps(list[float]):
    """An injected sleep that records the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def options(**changes: object) -> FetchOptions:
    values = {"timeout": 5, "connect_timeout": 2, "retries": 0, "backoff": 0.01, **changes}
    return FetchOptions(**values)  # type: ignore[arg-type]


# -- pages ---------------------------------------------------------------------------


def test_gbk_page_with_charset_only_in_the_header(httpserver):
    body = page("zh-gbk-header-charset.html")
    httpserver.expect_request("/gbk").respond_with_data(body, content_type="text/html; charset=GBK")
    result = fetch(httpserver.url_for("/gbk"), FAST)
    assert result.status == 200
    assert result.url == result.final_url == httpserver.url_for("/gbk")
    assert result.content == body
    assert result.charset == "gbk"
    assert result.headers["content-type"] == "text/html; charset=GBK"
    assert all(key == key.lower() for key in result.headers)
    record = result.to_dict()
    assert (record["encoding"], record["bytes"], record["status"]) == ("gbk", len(body), 200)


def test_default_and_extra_headers_are_sent_and_304_is_no_error(httpserver):
    httpserver.expect_request(
        "/cond",
        headers={"User-Agent": DEFAULT_USER_AGENT, "X-Token": "abc", "If-None-Match": '"v1"'},
    ).respond_with_data(b"", status=304)
    opts = options(headers=(("X-Token", "abc"),))
    result = fetch(httpserver.url_for("/cond"), opts, headers={"If-None-Match": '"v1"'})
    assert (result.status, result.content) == (304, b"")


def test_gzip_page_is_decompressed(httpserver):
    import gzip

    body = page("en-library-article.html")
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(body), content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    assert fetch(httpserver.url_for("/gz"), FAST).content == body


# -- redirects ------------------------------------------------------------------------


def redirect(httpserver, source: str, target: str, status: int = 302) -> None:
    httpserver.expect_request(source).respond_with_data(
        b"", status=status, headers={"Location": target}
    )


def test_redirect_chain_gives_the_final_url(httpserver):
    redirect(httpserver, "/a", "/b", 301)
    redirect(httpserver, "/b", httpserver.url_for("/c"), 307)
    httpserver.expect_request("/c").respond_with_data(b"<p>here</p>", content_type="text/html")
    result = fetch(httpserver.url_for("/a"), FAST)
    assert result.url == httpserver.url_for("/a")
    assert result.final_url == httpserver.url_for("/c")
    assert result.content == b"<p>here</p>"


def test_redirect_loop_is_named(httpserver):
    redirect(httpserver, "/loop1", "/loop2")
    redirect(httpserver, "/loop2", "/loop1")
    one, two = httpserver.url_for("/loop1"), httpserver.url_for("/loop2")
    with pytest.raises(TooManyRedirectsError) as caught:
        fetch(one, FAST)
    assert str(caught.value) == f"{one}: redirect loop: {one} -> {two} -> {one}"
    assert caught.value.exit_code == 3


def test_error_after_a_redirect_names_where_it_happened(httpserver):
    redirect(httpserver, "/old", "/new", 301)
    httpserver.expect_request("/new").respond_with_data(b"", status=410)
    with pytest.raises(HTTPStatusError) as caught:
        fetch(httpserver.url_for("/old"), FAST)
    new = httpserver.url_for("/new")
    assert str(caught.value) == f"{httpserver.url_for('/old')}: HTTP 410 Gone (redirected to {new})"


def test_redirect_limit(httpserver):
    for n in range(3):
        redirect(httpserver, f"/r{n}", f"/r{n + 1}")
    with pytest.raises(TooManyRedirectsError) as caught:
        fetch(httpserver.url_for("/r0"), options(max_redirects=2))
    assert caught.value.message == "too many redirects (more than 2)"


def test_redirect_to_another_scheme_is_refused(httpserver):
    redirect(httpserver, "/ftp", "ftp://files.example.cn/a.html")
    with pytest.raises(FetchError) as caught:
        fetch(httpserver.url_for("/ftp"), FAST)
    assert caught.value.message == (
        "redirect to ftp://files.example.cn/a.html: "
        "unsupported URL scheme 'ftp' (only http and https)"
    )


def test_cross_host_redirect_drops_credentials(httpserver):
    here = httpserver.url_for("/landed")
    other = (
        here.replace("localhost", "127.0.0.1")
        if "localhost" in here
        else here.replace("127.0.0.1", "localhost")
    )
    redirect(httpserver, "/secret", other)
    httpserver.expect_request("/landed").respond_with_data(b"<p>x</p>", content_type="text/html")
    opts = options(headers=(("Authorization", "Bearer t0ken"), ("X-Keep", "1")))
    fetch(httpserver.url_for("/secret"), opts)
    first, second = (request for request, _ in httpserver.log)
    assert first.headers.get("Authorization") == "Bearer t0ken"
    assert second.headers.get("Authorization") is None
    assert second.headers.get("X-Keep") == "1"


# -- status codes and retries ------------------------------------------------------------


def test_404_is_an_error_and_not_retried(httpserver):
    httpserver.expect_request("/x").respond_with_data(b"gone", status=404)
    sleeps = Sleeps()
    with pytest.raises(HTTPStatusError) as caught:
        fetch(httpserver.url_for("/x"), options(retries=3), sleep=sleeps)
    assert str(caught.value) == f"{httpserver.url_for('/x')}: HTTP 404 Not Found"
    assert caught.value.status == 404
    assert len(httpserver.log) == 1
    assert sleeps == []


def test_500_then_200_is_retried_with_backoff(httpserver):
    httpserver.expect_ordered_request("/flaky").respond_with_data(b"oops", status=500)
    httpserver.expect_ordered_request("/flaky").respond_with_data(
        b"<p>ok</p>", content_type="text/html"
    )
    sleeps = Sleeps()
    result = fetch(httpserver.url_for("/flaky"), options(retries=2, backoff=0.5), sleep=sleeps)
    assert result.status == 200
    assert len(sleeps) == 1
    assert 0.25 <= sleeps[0] < 0.75  # 0.5 s with jitter


def test_5xx_gives_up_after_the_retries(httpserver):
    httpserver.expect_request("/down").respond_with_data(b"", status=503)
    sleeps = Sleeps()
    with pytest.raises(HTTPStatusError) as caught:
        fetch(httpserver.url_for("/down"), options(retries=2, backoff=0.5), sleep=sleeps)
    assert caught.value.message == "HTTP 503 Service Unavailable (after 3 attempts)"
    assert len(httpserver.log) == 3
    assert 0.25 <= sleeps[0] < 0.75 and 0.5 <= sleeps[1] < 1.5  # exponential


def test_429_honours_retry_after(httpserver):
    httpserver.expect_ordered_request("/busy").respond_with_data(
        b"", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/busy").respond_with_data(
        b"<p>ok</p>", content_type="text/html"
    )
    sleeps = Sleeps()
    assert fetch(httpserver.url_for("/busy"), options(retries=1), sleep=sleeps).status == 200
    assert sleeps == [7.0]


def test_retry_after_forms_and_cap():
    now = datetime(2024, 3, 18, 10, 0, 0, tzinfo=timezone.utc)
    later = datetime(2024, 3, 18, 10, 0, 12, tzinfo=timezone.utc)
    clock = now.timestamp
    assert retry_after(format_datetime(later, usegmt=True), now=clock) == 12.0
    assert retry_after("3600") == MAX_RETRY_AFTER == 60.0
    assert retry_after("-5") == 0.0
    assert retry_after("soon") is None
    assert retry_after("nan") is None
    assert retry_after(None) is None


# -- failures of the connection -------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_is_retried_then_named():
    url = f"http://127.0.0.1:{closed_port()}/x"
    sleeps = Sleeps()
    with pytest.raises(ConnectError) as caught:
        fetch(url, options(retries=1), sleep=sleeps)
    assert str(caught.value) == f"{url}: connection refused (after 2 attempts)"
    assert len(sleeps) == 1


def test_dns_failure_is_named_without_touching_the_network():
    from urllib3.exceptions import NameResolutionError

    from newskit.net.failures import failure

    cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    error = NameResolutionError("news.example.invalid", None, cause)  # type: ignore[arg-type]
    mapped = failure(error, "http://news.example.invalid/a", FAST)
    assert isinstance(mapped, DNSError)
    assert mapped.message == "cannot resolve host news.example.invalid"


def test_slow_answer_times_out():
    with serve(slow_headers) as base, pytest.raises(TimeoutError) as caught:
        fetch(base + "/slow", options(timeout=0.3))
    assert caught.value.message == "timed out after 0.3 s"


def test_whole_read_deadline_stops_a_dripping_body():
    with serve(drip) as base, pytest.raises(TimeoutError) as caught:
        fetch(base + "/drip", options(timeout=0.3))
    assert caught.value.message == "timed out after 0.3 s"


def test_self_signed_certificate_is_a_tls_error_unless_insecure():
    def hello(request, stop):
        answer(request, b"<p>secure</p>")

    with serve(hello, tls=True) as base:
        with pytest.raises(TLSError) as caught:
            fetch(base + "/", FAST)
        assert caught.value.message.startswith("TLS error: certificate verify failed")
        assert fetch(base + "/", options(insecure=True)).content == b"<p>secure</p>"


# -- size cap and content checks --------------------------------------------------------


def test_content_length_over_the_cap_is_refused_before_reading(httpserver):
    httpserver.expect_request("/big").respond_with_data(
        b"<p>" + b"a" * 997, content_type="text/html"
    )
    with pytest.raises(TooLargeError) as caught:
        fetch(httpserver.url_for("/big"), options(max_bytes=100))
    assert caught.value.message == "body over the size cap of 100 bytes (Content-Length 1000)"


def test_streamed_body_over_the_cap_is_refused(httpserver):
    chunks = [b"<p>" + b"a" * 1000] * 50
    httpserver.expect_request("/stream").respond_with_response(
        Response(iter(chunks), content_type="text/html")
    )
    with pytest.raises(TooLargeError) as caught:
        fetch(httpserver.url_for("/stream"), options(max_bytes=10_000))
    assert caught.value.message == "body over the size cap of 10000 bytes (streamed)"


def test_the_gzip_bomb_is_valid_gzip():
    import zlib

    assert zlib.decompress(gzip_bomb(8), 31) == bytes(8 << 20)
    assert len(gzip_bomb()) < 1_100_000  # 1 GB of zeros


def test_gzip_bomb_is_refused_without_inflating_it(httpserver):
    bomb = gzip_bomb()  # 1 GB of zeros in about 1 MB
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    tracemalloc.start()
    try:
        with pytest.raises(TooLargeError) as caught:
            fetch(httpserver.url_for("/bomb"), options(max_bytes=2_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.message == "body over the size cap of 2000000 bytes (decompressed)"
    assert peak < 30_000_000  # inflating would take 1 GB


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"%PDF-1.7\n...", "application/pdf", "not HTML (Content-Type application/pdf)"),
        (b"%PDF-1.7\n...", "text/html", "not HTML (PDF document)"),
        (b"\x89PNG\r\n\x1a\n....", "application/octet-stream", "not HTML (PNG image)"),
        (b"<html>\x00\x00\x00</html>", "text/html", "not HTML (binary data)"),
        (b"", "text/html", "empty body (HTTP 200 OK)"),
        (b" \n\t ", "text/html", "empty body (HTTP 200 OK)"),
    ],
)
def test_not_a_web_page(httpserver, body, content_type, reason):
    httpserver.expect_request("/doc").respond_with_data(body, content_type=content_type)
    with pytest.raises(NotHTMLError) as caught:
        fetch(httpserver.url_for("/doc"), FAST)
    assert caught.value.message == reason


def test_a_plain_urllib3_pool_and_a_missing_content_type_are_fine(httpserver):
    import urllib3

    bare = Response(b"<p>untyped</p>")
    del bare.headers["Content-Type"]
    httpserver.expect_request("/bare").respond_with_response(bare)
    result = fetch(httpserver.url_for("/bare"), FAST, pool=urllib3.PoolManager())
    assert "content-type" not in result.headers
    assert (result.content, result.charset) == (b"<p>untyped</p>", None)


def test_text_and_feeds_are_accepted(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data(b"User-agent: *\nDisallow:\n")
    httpserver.expect_request("/feed").respond_with_data(
        b"<rss></rss>", content_type="application/rss+xml"
    )
    assert fetch(httpserver.url_for("/robots.txt"), FAST).content.startswith(b"User-agent")
    assert fetch(httpserver.url_for("/feed"), FAST).content == b"<rss></rss>"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.cn/a", "unsupported URL scheme 'ftp' (only http and https)"),
        ("page.html", "not an http(s) URL"),
        ("http:///nohost", "invalid URL: no host"),
    ],
)
def test_only_http_urls(url, message):
    with pytest.raises(FetchError) as caught:
        check_url(url)
    assert caught.value.message == message


# -- proxies ------------------------------------------------------------------------------


def test_proxy_from_the_environment_is_used():
    seen = []

    def proxy(request, stop):
        seen.append(request.path)
        answer(request, b"<p>via proxy</p>")

    with serve(proxy) as base:
        pool = make_pool(FAST, proxies={"http": base})
        result = fetch("http://news.example.invalid/a.html", FAST, pool=pool)
    assert result.content == b"<p>via proxy</p>"
    assert seen == ["http://news.example.invalid/a.html"]


def test_no_proxy_bypasses_the_proxy(httpserver):
    httpserver.expect_request("/direct").respond_with_data(b"<p>x</p>", content_type="text/html")
    dead = f"http://127.0.0.1:{closed_port()}"
    pool = make_pool(FAST, proxies={"http": dead, "no": "127.0.0.1,localhost"})
    assert fetch(httpserver.url_for("/direct"), FAST, pool=pool).status == 200
    assert pool.proxy_for("http://example.cn/") == dead


# -- options ------------------------------------------------------------------------------


def test_options_from_environment_and_overrides():
    env = {
        "NEWSKIT_TIMEOUT": "12.5",
        "NEWSKIT_RETRIES": "4",
        "NEWSKIT_MAX_BYTES": "5M",
        "NEWSKIT_USER_AGENT": "bot/1",
        "NEWSKIT_INSECURE": "1",
    }
    opts = FetchOptions.from_env(env, retries=None, timeout=3.0)
    assert opts == FetchOptions(
        timeout=3.0, retries=4, max_bytes=5_000_000, user_agent="bot/1", insecure=True
    )
    assert FetchOptions.from_env({}) == FetchOptions()


@pytest.mark.parametrize(
    ("env", "overrides", "message"),
    [
        ({"NEWSKIT_TIMEOUT": "soon"}, {}, "bad value for NEWSKIT_TIMEOUT: 'soon'"),
        ({"NEWSKIT_MAX_BYTES": "lots"}, {}, "bad value for NEWSKIT_MAX_BYTES: 'lots'"),
        ({}, {"speed": 1}, "unknown fetch option(s): speed"),
        ({}, {"retries": -1}, "bad fetch option retries=-1"),
    ],
)
def test_bad_options_are_usage_errors(env, overrides, message):
    with pytest.raises(UsageError) as caught:
        FetchOptions.from_env(env, **overrides)
    assert caught.value.message == message


def test_parse_size_and_header():
    assert [parse_size(v) for v in ("123", "500k", "20M", "1G", "1.5MB")] == [
        123,
        500_000,
        20_000_000,
        1_000_000_000,
        1_500_000,
    ]
    assert parse_header("X-Token:  abc def ") == ("X-Token", "abc def")
    with pytest.raises(UsageError):
        parse_header("no colon here")
    with pytest.raises(UsageError):
        parse_size("big")


# -- saved pages ----------------------------------------------------------------------------


def test_marker_line_round_trip():
    saved = Page("http://a.cn/x", 'http://a.cn/新闻/"q"', 200, {}, b"<html>", "gbk")
    line = marker_line(saved)
    assert line == (
        b'<!-- newskit:fetch url="http://a.cn/%E6%96%B0%E9%97%BB/%22q%22" charset="gbk" -->\n'
    )
    assert split_marker(line + b"<html>") == (
        b"<html>",
        "http://a.cn/%E6%96%B0%E9%97%BB/%22q%22",
        "gbk",
    )
    assert split_marker(b"<html>") == (b"<html>", None, None)
    no_charset = Page("http://a.cn/", "http://a.cn/", 200, {}, b"", None)
    assert marker_line(no_charset) == b'<!-- newskit:fetch url="http://a.cn/" -->\n'


def test_page_filename_is_safe_and_deterministic():
    url = "https://www.example.cn/news/2024/09/20/park.html"
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    assert page_filename(url) == f"www.example.cn_news-2024-09-20-park_{digest}.html"
    assert page_filename("http://127.0.0.1:8000/").startswith("127.0.0.1-8000_index_")
    evil = page_filename("http://x.cn/../../etc/passwd")
    assert "/" not in evil and not evil.startswith(".")
    assert page_filename("http://x.cn/a?id=1") != page_filename("http://x.cn/a?id=2")
    assert page_filename("http://x.cn/feed", "application/rss+xml").endswith(".xml")


def test_page_filename_fits_a_file_system_for_the_longest_host():
    host = ".".join(["a" * 63] * 3 + ["b" * 61])  # 253 characters, the most DNS allows
    name = page_filename(f"http://{host}:65535/{'p' * 300}.html")
    assert len(name.encode()) <= 200
    assert name.startswith("a" * 63 + ".")
