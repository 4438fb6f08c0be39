"""Decoding: BOM, HTTP charset, <meta>, detection, WHATWG labels, lying declarations."""

from __future__ import annotations

import codecs

import pytest
from conftest import page

from newskit.article.decoding import declared_charset, decode, detect, normalize_label
from newskit.core.errors import InputError
from newskit.core.text import sniff_binary

GBK_BODY = "今年以来，湖畔新城把科技创新作为制造业转型升级的主引擎"
BIG5_BODY = "這是臺灣港口第一次全面以電動拖船協助大型貨輪進出港"


def _without_meta(data: bytes) -> bytes:
    """The page with its <meta> charset declaration taken out."""
    start = data.index(b"<meta http-equiv")
    end = data.index(b">", start) + 1
    return data[:start] + data[end:]


def _html(body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("x-gbk", "gb18030"),
        ("big5", "big5hkscs"),
        ("Big5-HKSCS", "big5hkscs"),
        ("iso-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("UTF8", "utf-8"),
        ("'utf-8'", "utf-8"),
    ],
)
def test_whatwg_labels(label, codec):
    assert normalize_label(label) == codec


def test_gbk_page_with_meta():
    text, codec = decode(page("zh-gbk-portal.html"))
    assert codec == "gb18030"
    assert GBK_BODY in text


def test_big5_taiwan_page():
    text, codec = decode(page("zh-big5-taiwan.html"))
    assert codec == "big5hkscs"
    assert BIG5_BODY in text
    assert "責任編輯" in text


def test_utf8_bytes_declaring_gb2312_are_utf8():
    text, codec = decode(page("zh-utf8-declares-gb2312.html"))
    assert codec == "utf-8"
    assert "山区小学用上了新图书馆" in text


def test_gb2312_bytes_declaring_utf8_are_gbk():
    text, codec = decode(page("zh-gb2312-declares-utf8.html"))
    assert codec == "gb18030"
    assert "老街改造后重新开街" in text
    assert "\ufffd" not in text


def test_http_charset_only():
    data = _without_meta(page("zh-gbk-portal.html"))
    assert declared_charset(data) is None
    text, codec = decode(data, http_charset="gbk")
    assert codec == "gb18030"
    assert GBK_BODY in text


def test_http_charset_beats_meta_when_bytes_agree():
    data = _without_meta(page("zh-big5-taiwan.html")).replace(
        b"<head>", b'<head><meta charset="gb2312">', 1
    )
    text, codec = decode(data, http_charset="big5")
    assert codec == "big5hkscs"
    assert BIG5_BODY in text


def test_http_charset_is_ignored_when_bytes_disagree():
    text, codec = decode(page("zh-utf8-declares-gb2312.html"), http_charset="gbk")
    assert codec == "utf-8"
    assert "山区小学" in text


def test_wrong_chinese_declaration_is_corrected():
    # Big5 bytes declared as GB2312 decode without errors as GBK, but into rare characters.
    data = page("zh-big5-taiwan.html").replace(b"charset=big5", b"charset=gb2312")
    text, codec = decode(data)
    assert codec == "big5hkscs"
    assert BIG5_BODY in text


@pytest.mark.parametrize("name", ["zh-gbk-portal.html", "zh-big5-taiwan.html"])
def test_detection_without_any_declaration(name):
    data = _without_meta(page(name))
    text, codec = decode(data)
    assert codec == {"zh-gbk-portal.html": "gb18030", "zh-big5-taiwan.html": "big5hkscs"}[name]
    assert (GBK_BODY if "gbk" in name else BIG5_BODY) in text


@pytest.mark.parametrize(
    ("head", "label"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb2312"),
        ('<meta http-equiv="Content-Type" content="charset=gbk">', "gbk"),
        ("<meta charset=gbk>", "gbk"),
        ("<META CHARSET='GB2312'>", "GB2312"),
        ('<meta content="text/html;charset = big5" http-equiv="content-type">', "big5"),
    ],
)
def test_declared_charset_forms(head, label):
    data = _html("中文", head).encode("gbk" if "gb" in label.lower() else "big5")
    assert declared_charset(data) == label


def test_legacy_content_charset_gbk_decodes():
    body = "苏州古城保护条例正式施行，老城区的街巷格局将得到整体保护。" * 4
    data = _html(body, '<meta http-equiv="Content-Type" content="charset=gbk">').encode("gbk")
    text, codec = decode(data)
    assert codec == "gb18030"
    assert body in text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")],
)
def test_bom_wins(bom, codec):
    html = _html("字节顺序标记", '<meta charset="gbk">')
    data = bom + html.encode(codec)
    text, found = decode(data)
    assert found == codec
    assert text == html


def test_override_is_obeyed():
    data = page("zh-big5-taiwan.html")
    text, codec = decode(data, override="big5")
    assert codec == "big5hkscs"
    assert BIG5_BODY in text
    _, forced = decode(data, override="gbk")
    assert forced == "gb18030"


@pytest.mark.parametrize("label", ["no-such-charset", "base64"])
def test_unusable_override_is_input_error(label):
    with pytest.raises(InputError):
        decode(page("zh-gbk-portal.html"), override=label)


def test_unknown_declared_label_falls_back_to_detection():
    body = "新建的北岸货柜码头正式启用，首批三艘电动拖船同步投入营运。" * 3
    data = _html(body, '<meta charset="x-made-up">').encode("gbk")
    assert decode(data) == (_html(body, '<meta charset="x-made-up">'), "gb18030")


def test_undecodable_bytes_are_dropped_not_replaced():
    good = _html("老街改造后重新开街，吸引了不少市民前来游览。" * 3, '<meta charset="gbk">')
    data = good.encode("gbk").replace(b"<p>", b"<p>\xff", 1)
    text, codec = decode(data)
    assert codec == "gb18030"
    assert "\ufffd" not in text
    assert "老街改造后重新开街" in text


def test_mostly_utf8_with_a_broken_byte_stays_utf8():
    body = "一座藏书八千册的新图书馆正式开放，每个班级每周都有两节阅读课。" * 5
    data = _html(body, '<meta charset="utf-8">').encode("utf-8")
    data = data.replace("阅读课".encode(), "阅读课".encode()[:-1], 1)
    text, codec = decode(data)
    assert codec == "utf-8"
    assert "新图书馆正式开放" in text
    assert "\ufffd" not in text


def test_replacement_character_of_the_page_itself_is_kept():
    data = _html("坏字符\ufffd在原文里").encode("utf-8")
    assert "\ufffd" in decode(data)[0]


def test_western_page_without_declaration_is_cp1252():
    data = _html("Caf\u00e9 cr\u00e8me \u2013 na\u00efve \u201cquotes\u201d").encode("cp1252")
    text, codec = decode(data)
    assert codec == "cp1252"
    assert "Café crème – naïve “quotes”" in text


def test_ascii_page_reports_its_declared_charset():
    data = _html("plain", '<meta charset="gb2312">').encode("ascii")
    assert detect(data) == "gb18030"
    assert detect(_html("plain").encode("ascii")) == "utf-8"


@pytest.mark.parametrize(
    "data",
    [
        page("binary.pdf"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"<html>\x00\x00</html>",
    ],
)
def test_binary_bodies_are_recognised(data):
    assert sniff_binary(data)


@pytest.mark.parametrize(
    "data",
    [
        page("zh-gbk-portal.html"),
        page("zh-big5-taiwan.html"),
        codecs.BOM_UTF16_LE + "<html></html>".encode("utf-16-le"),
    ],
)
def test_pages_are_not_binary(data):
    assert sniff_binary(data) is None


@pytest.mark.parametrize("header", ["iso-8859-1", "utf-8", "windows-1251"])
def test_server_default_charset_does_not_garble_a_gbk_page(header):
    text, codec = decode(page("zh-gbk-portal.html"), http_charset=header)
    assert codec == "gb18030"
    assert GBK_BODY in text


def test_cyrillic_page_is_not_read_as_latin1():
    html = _html("Привет, это новости нашего города. " * 20, '<meta charset="windows-1251">')
    text, codec = decode(html.encode("cp1251"), http_charset="iso-8859-1")
    assert codec == "cp1251"
    assert "новости нашего города" in text


# -- UTF-16 without a BOM, UTF-8 with a few broken bytes (issue 9) ----------------------

FERRY = "东湾渡口昨天正式启用两艘电动渡轮"
MARKET = "烤鱼, 牛肉面 and 手工灯笼: grilled"


def _utf16(order: str) -> bytes:
    """The UTF-16LE fixture page in the byte order asked for, still without a BOM."""
    return page("zh-utf16le-nobom.html").decode("utf-16-le").encode(f"utf-16-{order}")


@pytest.mark.parametrize(
    "label, order",
    [("utf-16le", "le"), ("UTF-16BE", "be"), ("utf-16", "le"), ("utf-16", "be")],
)
def test_utf16_without_bom_when_the_header_says_so(label, order):
    text, codec = decode(_utf16(order), http_charset=label)
    assert codec == f"utf-16-{order}"
    assert FERRY in text


def test_utf16_label_on_bytes_that_are_not_utf16_is_ignored():
    data = _html(GBK_BODY, '<meta charset="utf-8">').encode("utf-8")
    assert decode(data, http_charset="utf-16") == (data.decode("utf-8"), "utf-8")


def test_utf8_page_with_a_few_broken_bytes_stays_utf8():
    text, codec = decode(page("en-utf8-broken-bytes.html"))
    assert codec == "utf-8"
    assert MARKET in text and "旧港夜" in text


@pytest.mark.parametrize("order", ["le", "be"])
def test_extract_a_utf16_page_over_http(runner, httpserver, order):
    from newskit.cli import app

    httpserver.expect_request("/ferry.html").respond_with_data(
        _utf16(order), content_type="text/html; charset=utf-16"
    )
    result = runner.invoke(app, ["extract", httpserver.url_for("/ferry.html")])
    assert result.exit_code == 0, result.stderr
    assert FERRY in result.stdout


def test_extract_a_utf16_file_with_encoding(runner, fixture_path):
    from newskit.cli import app

    path = fixture_path("zh-utf16le-nobom.html")
    result = runner.invoke(app, ["extract", path, "--encoding", "utf-16", "-f", "text"])
    assert result.exit_code == 0, result.stderr
    assert FERRY in result.stdout
    unlabelled = runner.invoke(app, ["extract", path])
    assert (unlabelled.exit_code, unlabelled.stderr) == (
        5,
        f"newskit: {path}: not an HTML page (binary content)\n",
    )


def test_extract_a_utf8_page_with_broken_bytes(runner, fixture_path):
    from newskit.cli import app

    result = runner.invoke(app, ["extract", fixture_path("en-utf8-broken-bytes.html")])
    assert result.exit_code == 0, result.stderr
    assert MARKET in result.stdout
    assert "\ufffd" not in result.stdout and "ç" not in result.stdout
