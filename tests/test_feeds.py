"""newskit.crawl.sources: URL lists, RSS/Atom feeds, sitemaps (and indexes, gzipped) as URL streams."""

from __future__ import annotations

import gzip
import io

import pytest

from newskit.core.errors import InputError
from newskit.core.models import Page
from newskit.crawl.sources import Source, iter_urls, sniff, url_lines, xml_links

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title>
<item><title>One</title><link>https://ex.cn/a/1.html</link></item>
<item><title>Two</title><link> /a/2.html#top </link></item>
<item><title>Three</title><guid isPermaLink="true">https://ex.cn/a/3.html</guid></item>
<item><title>No link</title><guid isPermaLink="false">tag:1</guid></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
<entry><link rel="self" href="https://ex.cn/self"/><link href="https://ex.cn/e/1"/></entry>
<entry><link rel="alternate" type="text/html" href="https://ex.cn/e/2"/></entry>
</feed>"""

SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://ex.cn/s/1.html</loc><lastmod>2024-01-01</lastmod></url>
<url><loc>https://ex.cn/s/2.html</loc></url></urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://ex.cn/sitemap-1.xml.gz</loc></sitemap></sitemapindex>"""


def test_url_lines_skip_comments_and_blanks():
    lines = ["# list\n", "\n", "https://ex.cn/a#frag  title\n", "  https://ex.cn/b\n", "#x\n"]
    assert list(url_lines(lines)) == ["https://ex.cn/a", "https://ex.cn/b"]


def test_sniff():
    assert sniff(b"https://ex.cn/a\n") == "list"
    assert sniff(RSS) == "feed"
    assert sniff(ATOM) == "feed"
    assert sniff(SITEMAP) == "sitemap"
    assert sniff(gzip.compress(SITEMAP)) == "sitemap"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert sniff(b"<p>x</p>") == "list"


def test_rss_links_resolved_and_defragmented():
    got = list(xml_links(RSS, "https://ex.cn/feed.xml"))
    assert got == [
        ("page", "https://ex.cn/a/1.html"),
        ("page", "https://ex.cn/a/2.html"),
        ("page", "https://ex.cn/a/3.html"),
    ]


def test_atom_prefers_alternate_links():
    assert [u for _, u in xml_links(ATOM)] == ["https://ex.cn/e/1", "https://ex.cn/e/2"]


def test_sitemap_and_gzipped_index():
    assert [u for _, u in xml_links(SITEMAP)] == [
        "https://ex.cn/s/1.html",
        "https://ex.cn/s/2.html",
    ]
    assert list(xml_links(gzip.compress(INDEX))) == [("sitemap", "https://ex.cn/sitemap-1.xml.gz")]


def test_broken_xml_is_input_error():
    with pytest.raises(InputError, match="not a valid feed"):
        list(xml_links(b"<rss><channel><item>"))
    with pytest.raises(InputError, match="not a feed or sitemap"):
        list(xml_links(b"<html><body/></html>"))


def _no_fetch(url: str) -> Page:
    raise AssertionError(f"unexpected fetch of {url}")


def test_local_list_streams_past_the_sniffed_head(tmp_path):
    urls = [f"https://ex.cn/a/{i}.html" for i in range(500)]  # well over the 4 KB head
    path = tmp_path / "urls.txt"
    path.write_text("# mine\n" + "\n".join(urls))
    got = list(iter_urls(Source(str(path)), _no_fetch, lambda o: [], lambda *a: None))
    assert got == [(str(path), u) for u in urls]


def test_stdin_stream_feed():
    source = Source("-", "feed", io.BytesIO(RSS))
    got = [u for _, u in iter_urls(source, _no_fetch, lambda o: [], lambda *a: None)]
    # no base URL for stdin: a relative link stays relative (and later fails as not http)
    assert got == ["https://ex.cn/a/1.html", "/a/2.html", "https://ex.cn/a/3.html"]


def test_missing_file_is_input_error(tmp_path):
    with pytest.raises(InputError, match="No such file"):
        list(
            iter_urls(Source(str(tmp_path / "nope.txt")), _no_fetch, lambda o: [], lambda *a: None)
        )


def _page(url: str, body: bytes, status: int = 200) -> Page:
    return Page(url, url, status, {"etag": f'"{len(body)}"'}, body)


def test_remote_sitemap_index_followed_and_validators_kept_after_consumption():
    served = {
        "https://ex.cn/index.xml": INDEX,
        "https://ex.cn/sitemap-1.xml.gz": gzip.compress(SITEMAP),
    }
    remembered: list[str] = []
    seen: list[str] = []
    stream = iter_urls(
        Source("https://ex.cn/index.xml"),
        lambda url: _page(url, served[url]),
        lambda origin: [],
        lambda name, etag, modified: remembered.append(name),
    )
    for _origin, url in stream:
        seen.append(url)
        assert remembered == []  # not before every URL was taken
    assert seen == ["https://ex.cn/s/1.html", "https://ex.cn/s/2.html"]
    assert remembered == ["https://ex.cn/sitemap-1.xml.gz", "https://ex.cn/index.xml"]


def test_remote_page_url_is_its_own_source_but_a_local_page_is_refused(tmp_path):
    page = b"<!doctype html><html><body><p>story</p></body></html>"
    got = list(
        iter_urls(Source("https://ex.cn/a.html"), lambda u: _page(u, page), list, lambda *a: None)
    )
    assert got == [("https://ex.cn/a.html", "https://ex.cn/a.html")]
    (tmp_path / "a.html").write_bytes(page)
    with pytest.raises(InputError, match="a web page, not a URL list"):
        list(iter_urls(Source(str(tmp_path / "a.html")), _no_fetch, list, lambda *a: None))


def test_remote_304_replays_unfinished_urls():
    got = list(
        iter_urls(
            Source("https://ex.cn/feed.xml", "feed"),
            lambda url: _page(url, b"", 304),
            lambda origin: [f"{origin}#pending-1"],
            lambda *a: None,
        )
    )
    assert got == [("https://ex.cn/feed.xml", "https://ex.cn/feed.xml#pending-1")]


# -- long lines, size caps, gzip sitemaps over HTTP (issue 9) ---------------------------


def test_list_lines_refuse_a_line_over_8_kb_naming_it():
    from newskit.crawl.sources import list_lines

    data = b"https://ex.cn/1\n# note\nhttps://ex.cn/2\n" + b"h" * 9000 + b"\nhttps://ex.cn/3\n"
    lines = list_lines(io.BytesIO(data), "urls.txt")
    assert [next(lines) for _ in range(3)] == ["https://ex.cn/1", "# note", "https://ex.cn/2"]
    with pytest.raises(InputError) as caught:
        next(lines)
    assert str(caught.value) == "urls.txt: line 4 is over 8192 bytes"


def test_a_list_without_line_breaks_fails_at_once():
    """40 MB in one "line": refused on its first 64 KB, not read to the end (or quadratically)."""
    from newskit.crawl.sources import list_lines

    class NoBreaks(io.RawIOBase):
        """40 MB of one line, counting the reads asked of it."""

        left, reads = 40_000_000, 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            NoBreaks.reads += 1
            size = min(len(buffer), NoBreaks.left)
            buffer[:size] = b"x" * size
            NoBreaks.left -= size
            return size

    with pytest.raises(InputError, match="line 1 is over 8192 bytes"):
        list(list_lines(io.BufferedReader(NoBreaks()), "-"))
    assert NoBreaks.reads <= 2


def test_fetch_refuses_a_stdin_list_with_a_huge_line(runner):
    from newskit.cli import app

    data = b"http://127.0.0.1:9/a\n" + b"http://127.0.0.1:9/" + b"b" * 40_000_000
    result = runner.invoke(app, ["fetch", "--meta", "-"], input=data)
    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr == "newskit: -: line 2 is over 8192 bytes\n"


def test_a_local_sitemap_over_the_size_cap_is_an_input_error(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_bytes(SITEMAP)
    urls = iter_urls(Source(str(path), "sitemap"), _no_fetch, _no_fetch, _no_fetch, max_bytes=100)
    with pytest.raises(InputError) as caught:
        list(urls)
    assert str(caught.value) == f"{path}: over the size cap of 100 bytes (--max-bytes)"


@pytest.mark.parametrize(
    "content_type", ["application/gzip", "application/x-gzip", "application/octet-stream"]
)
def test_batch_reads_a_remote_xml_gz_sitemap(runner, tmp_path, content_type):
    import json

    from batch_server import Server, Site

    from newskit.cli import app

    server = Server(Site())
    try:
        urlset = b"".join(
            b"<url><loc>%s</loc></url>" % server.url(f"/a/{i}.html").encode() for i in range(3)
        )
        sitemap = b'<?xml version="1.0"?><urlset>' + urlset + b"</urlset>"
        server.site.extra["/sitemap.xml.gz"] = (content_type, gzip.compress(sitemap))
        state = ["--state", str(tmp_path / "state.sqlite"), "--procs", "1", "--delay", "0"]
        result = runner.invoke(
            app, ["batch", "--sitemap", server.url("/sitemap.xml.gz"), *state, "--retries", "0"]
        )
    finally:
        server.close()
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["url"] for r in records) == [server.url(f"/a/{i}.html") for i in range(3)]


def test_a_page_served_as_gzip_is_still_not_html(httpserver):
    """Only sources take gzip files: a page URL serving one is refused as before."""
    from newskit.core.errors import NotHTMLError
    from newskit.net.http import fetch
    from newskit.net.options import FetchOptions

    body = gzip.compress(b"<html><body><p>zipped</p></body></html>")
    httpserver.expect_request("/a.gz").respond_with_data(body, content_type="application/gzip")
    with pytest.raises(NotHTMLError):
        fetch(httpserver.url_for("/a.gz"), FetchOptions(retries=0))
    page = fetch(httpserver.url_for("/a.gz"), FetchOptions(retries=0), accept_gzip=True)
    assert page.content == body


def test_batch_stops_a_list_at_a_huge_line_and_keeps_it_out_of_the_state(runner, tmp_path):
    import sqlite3

    from newskit.cli import app

    urls = tmp_path / "urls.txt"
    urls.write_bytes(b"# list\n" + b"http://127.0.0.1:9/" + b"b" * 1_000_000)
    state = tmp_path / "state.sqlite"
    result = runner.invoke(app, ["batch", str(urls), "--state", str(state), "--retries", "0"])
    assert (result.exit_code, result.stdout) == (5, "")
    assert f"{urls}: line 2 is over 8192 bytes" in result.stderr
    assert len(result.stderr) < 1000  # the "URL" is not printed
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT COUNT(*) FROM urls").fetchone() == (0,)


def test_an_index_on_a_public_host_cannot_send_batch_into_private_space():
    from newskit.net.addresses import HopGuard, PrivateAddressError

    index = b"""<?xml version="1.0"?><sitemapindex>
    <sitemap><loc>http://169.254.169.254/sitemap.xml</loc></sitemap></sitemapindex>"""
    asked: list[str] = []

    def fetch_source(url: str) -> Page:
        asked.append(url)
        return _page(url, index)

    name = "https://news.example.cn/sitemap_index.xml"
    guard = HopGuard(proxied=lambda url: True)  # judge names as written: no DNS in tests
    urls = iter_urls(Source(name), fetch_source, list, lambda *a: None, links=guard)
    with pytest.raises(PrivateAddressError) as caught:
        list(urls)
    assert str(caught.value).startswith("http://169.254.169.254/sitemap.xml: refused: link-local")
    assert asked == [name]


def test_a_url_list_with_a_bom_crlf_and_comments_reads_cleanly():
    import io

    from newskit.crawl.sources import list_lines, url_lines

    data = "\ufeff# today\r\nhttps://a.example/1\r\n\r\n  # later\r\nhttps://a.example/2".encode()
    assert list(url_lines(list_lines(io.BytesIO(data), "urls.txt"))) == [
        "https://a.example/1",
        "https://a.example/2",
    ]
