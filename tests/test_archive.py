"""newskit.archive: reading WARC/ARC records, broken and truncated ones, and newskit.warc()."""

from __future__ import annotations

import io

import pytest
from conftest import page
from warc_files import DATE, Entry, arc_bytes, record_offsets, warc_bytes, write

import newskit
from newskit.archive.reader import ArchiveOptions, Broken, Capture, read_records
from newskit.core.errors import InputError, UsageError

EN = page("en-article.html")
ZH = page("zh-gbk-header-charset.html")


def _entries() -> list[Entry]:
    return [
        Entry("http://example.com/", b"", kind="warcinfo"),
        Entry("http://news.example.com/en.html", EN),
        Entry("http://news.example.com/logo.png", b"\x89PNG....", "image/png"),
        Entry("http://news.example.com/zh.html", ZH, "text/html; charset=GBK"),
        Entry("http://news.example.com/gone.html", EN, status="404 Not Found"),
        Entry("http://news.example.com/en.html", b"GET / HTTP/1.1\r\n\r\n", kind="request"),
    ]


@pytest.mark.parametrize("gzip", [True, False])
def test_html_responses_only_with_offsets_dates_and_charsets(gzip):
    data = warc_bytes(_entries(), gzip)
    items = list(read_records(io.BytesIO(data), "a.warc"))
    assert all(isinstance(i, Capture) for i in items)
    assert [i.url for i in items] == [
        "http://news.example.com/en.html",
        "http://news.example.com/zh.html",
    ]
    offsets = record_offsets(data)
    assert [i.offset for i in items] == [offsets[1], offsets[3]]
    assert [i.charset for i in items] == ["utf-8", "gbk"]
    assert items[1].content == ZH and items[0].fetched == DATE


def test_filters_by_url_glob_and_mime():
    data = warc_bytes(_entries())
    only_zh = ArchiveOptions(url_globs=("*/zh.*",))
    assert [i.url for i in read_records(io.BytesIO(data), "a", only_zh)] == [
        "http://news.example.com/zh.html"
    ]
    images = ArchiveOptions(mimes=("image/*",))
    assert [i.url for i in read_records(io.BytesIO(data), "a", images)] == [
        "http://news.example.com/logo.png"
    ]


def test_size_cap_reports_the_record():
    data = warc_bytes([Entry("http://x.test/big.html", EN), Entry("http://x.test/b.html", EN)])
    items = list(read_records(io.BytesIO(data), "a", ArchiveOptions(max_bytes=100)))
    assert all(isinstance(i, Broken) for i in items)
    assert "over the size cap of 100 bytes" in items[0].error.message
    with pytest.raises(UsageError):
        ArchiveOptions(max_bytes=0)


@pytest.mark.parametrize("gzip", [True, False])
def test_truncated_final_record_is_reported_and_the_rest_kept(gzip):
    data = warc_bytes([Entry(f"http://x.test/{i}.html", EN) for i in range(3)], gzip)
    last = record_offsets(data)[2]
    items = list(read_records(io.BytesIO(data[: last + 600]), "t.warc"))
    assert [type(i) for i in items] == [Capture, Capture, Broken]
    assert items[2].offset == last
    assert str(items[2].error).startswith(f"t.warc@{last}: truncated record (")


def test_damaged_record_is_skipped_and_the_walk_goes_on():
    entries = [Entry(f"http://x.test/{i}.html", EN) for i in range(3)]
    plain = warc_bytes(entries, gzip=False)
    second = record_offsets(plain)[1]
    damaged = plain[:second] + b"XARC/1.1" + plain[second + 8 :]
    items = list(read_records(io.BytesIO(damaged), "p.warc"))
    assert [type(i) for i in items] == [Capture, Broken, Capture]
    assert items[1].offset == second and items[2].url == "http://x.test/2.html"
    zipped = warc_bytes(entries)
    second = record_offsets(zipped)[1]
    damaged = zipped[: second + 20] + b"\0" * 30 + zipped[second + 50 :]
    items = list(read_records(io.BytesIO(damaged), "z.warc.gz"))
    assert [type(i) for i in items] == [Capture, Broken, Capture]
    assert items[1].offset == second


def test_wrong_content_length_is_reported_not_printed(capfd):
    plain = warc_bytes([Entry(f"http://x.test/{i}.html", EN) for i in range(2)], gzip=False)
    size = int(plain.split(b"Content-Length: ")[1].split(b"\r")[0])
    old, new = f"Content-Length: {size}", f"Content-Length: {size - 30}"
    shorter = plain.replace(old.encode(), new.encode(), 1)
    items = list(read_records(io.BytesIO(shorter), "m.warc"))
    assert [type(i) for i in items] == [Broken, Capture]
    assert "Content-Length" in items[0].error.message
    assert capfd.readouterr().err == ""


def test_arc_files_are_read_with_iso_dates():
    data = arc_bytes("http://old.example.com/a.html", EN)
    (item,) = read_records(io.BytesIO(data), "old.arc")
    assert isinstance(item, Capture)
    assert (item.url, item.fetched) == ("http://old.example.com/a.html", "2024-05-06T07:08:09Z")


def test_unseekable_streams_are_spooled():
    data = warc_bytes(_entries())

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    assert len(list(read_records(io.BufferedReader(Pipe()), "-"))) == 2


def test_python_api_yields_records_and_reports_failures(tmp_path):
    path = write(
        tmp_path / "a.warc.gz",
        [Entry("http://x.test/a.html", EN), Entry("http://x.test/e.html", b"<html></html>")],
    )
    errors: list[newskit.NewskitError] = []
    records = list(newskit.warc(path, on_error=errors.append))
    assert [(r["url"], r["fetched"]) for r in records] == [("http://x.test/a.html", DATE)]
    assert records[0]["title"] == newskit.extract(EN, "http://x.test/a.html").title
    assert len(errors) == 1 and errors[0].source and errors[0].source.startswith(f"{path}@")
    with pytest.raises(InputError, match="no such file"):
        list(newskit.warc(tmp_path / "nope.warc"))
