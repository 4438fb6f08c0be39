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
