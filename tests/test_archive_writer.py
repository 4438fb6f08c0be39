"""WARC out: WarcWriter, `fetch --warc`, `batch --warc` read back by `newskit warc`."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest
from batch_server import Server, Site
from warcio.archiveiterator import ArchiveIterator

from newskit.archive.writer import WarcWriter, archiving
from newskit.cli import app
from newskit.core.errors import UsageError
from newskit.core.models import Page
from newskit.net.http import fetch

FAST = ["--delay", "0", "--per-host", "4", "--procs", "1", "--retries", "0"]


@pytest.fixture
def server():
    srv = Server(Site())
    yield srv
    srv.close()


def _records(path: Path) -> list:
    """(type, target URI, WARC-Date, HTTP headers, payload) of each record, digests checked."""
    out = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            headers = record.rec_headers
            body = record.content_stream().read()
            out.append(
                (
                    record.rec_type,
                    headers.get_header("WARC-Target-URI"),
                    headers.get_header("WARC-Date"),
                    record.http_headers,
                    body,
                    headers.get_header("WARC-Payload-Digest"),
                )
            )
    return out


def _page(i: int, body: bytes = b"<html><body><p>hello</p></body></html>") -> Page:
    headers = {
        "content-type": "text/html; charset=utf-8",
        "content-encoding": "gzip",
        "content-length": "12",
    }
    return Page(
        f"http://x.test/{i}",
        f"http://x.test/{i}?p=1",
        200,
        headers,
        body,
        "utf-8",
        0.1,
        "2024-05-06T07:08:09Z",
    )


def test_pairs_of_records_with_dates_digests_and_decoded_bodies(tmp_path):
    target = tmp_path / "one.warc.gz"
    with WarcWriter(target, directory=False) as writer:
        writer.write(_page(1), {"User-Agent": "newskit-test"})
        assert not target.exists() and (tmp_path / "one.warc.gz.open").exists()
    assert not (tmp_path / "one.warc.gz.open").exists()
    (info, response, request) = _records(target)
    assert info[0] == "warcinfo"
    assert response[:3] == ("response", "http://x.test/1?p=1", "2024-05-06T07:08:09Z")
    assert response[4] == _page(1).content and response[5].startswith("sha1:")
    http = response[3]
    assert http.get_statuscode() == "200"
    assert http.get_header("Content-Encoding") is None
    assert http.get_header("Content-Length") == str(len(_page(1).content))
    assert request[0] == "request" and request[2] == response[2]
    assert f"{request[3].protocol} {request[3].statusline}" == "GET /1?p=1 HTTP/1.1"
    assert request[3].get_header("User-Agent") == "newskit-test"
    assert request[3].get_header("Host") == "x.test"
    # gzipped per record: each record is its own gzip member
    assert target.read_bytes().count(b"\x1f\x8b\x08") >= 3
    assert gzip.decompress(target.read_bytes()).startswith(b"WARC/1.0\r\n")


def test_rotation_at_the_size_limit(tmp_path):
    big = b"<html><body>" + os.urandom(1500).hex().encode() + b"</body></html>"
    writer = WarcWriter(tmp_path / "arch", directory=True, max_size=1500)
    for i in range(3):
        writer.write(_page(i, big))
    writer.close()
    files = sorted((tmp_path / "arch").iterdir())
    assert len(files) == 3 and all(f.name.endswith(".warc.gz") for f in files)
    assert [len([r for r in _records(f) if r[0] == "response"]) for f in files] == [1, 1, 1]
    named = WarcWriter(tmp_path / "f.warc.gz", directory=False, max_size=1500)
    for i in range(2):
        named.write(_page(i, big))
    named.close()
    assert (tmp_path / "f.warc.gz").exists() and (tmp_path / "f-00001.warc.gz").exists()
    with pytest.raises(UsageError):
        WarcWriter(tmp_path / "x", directory=True, max_size=0)


def test_the_archiving_fetcher_keeps_what_fetch_returns(tmp_path, server):
    writer = WarcWriter(tmp_path / "a.warc.gz", directory=False)
    page = archiving(fetch, writer)(server.url("/a/3.html"))
    writer.close()
    response = _records(tmp_path / "a.warc.gz")[1]
    assert (response[1], response[2], response[4]) == (page.final_url, page.fetched, page.content)


def test_fetch_warc_archives_many_urls_without_output(runner, tmp_path, server):
    target = tmp_path / "fetched.warc.gz"
    urls = [server.url(f"/a/{i}.html") for i in range(3)]
    result = runner.invoke(app, ["fetch", "--warc", str(target), *urls])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    responses = [r for r in _records(target) if r[0] == "response"]
    assert [r[1] for r in responses] == urls
    meta = runner.invoke(app, ["fetch", "--meta", "--warc", str(target), urls[0]])
    assert json.loads(meta.stdout)["fetched"] == _records(target)[1][2]


def test_batch_warc_then_warc_gives_the_same_records(runner, tmp_path, server):
    urls = tmp_path / "urls.txt"
    urls.write_text("\n".join(server.url(f"/a/{i}.html") for i in range(8)) + "\n")
    arch = tmp_path / "arch"
    out = tmp_path / "out.jsonl"
    args = ["batch", str(urls), "-o", str(out), "--state", str(tmp_path / "s"), *FAST]
    result = runner.invoke(app, [*args, "--warc", str(arch), "--warc-max-size", "6k"])
    assert result.exit_code == 0, result.stderr
    files = sorted(str(p) for p in arch.iterdir())
    assert len(files) > 1 and not any(f.endswith(".open") for f in files)
    again = runner.invoke(app, ["warc", *files])
    assert again.exit_code == 0, again.stderr
    batch = {r["url"]: r for r in map(json.loads, out.read_text().splitlines())}
    archived = {r["url"]: r for r in map(json.loads, again.stdout.splitlines())}
    assert len(batch) == 8 and archived == batch
    assert all(r["fetched"] for r in batch.values())


def test_bad_warc_max_size_is_a_usage_error(runner, tmp_path, server):
    result = runner.invoke(
        app, ["fetch", "--warc", str(tmp_path / "a.warc.gz"), "--warc-max-size", "lots", "x"]
    )
    assert result.exit_code == 2 and "bad size" in result.stderr


def test_records_gain_fetched_when_newskit_fetches(runner, server):
    result = runner.invoke(app, ["extract", server.url("/a/1.html")])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["fetched"].endswith("Z")
