"""Bytes to text: BOM, HTTP charset, <meta>, then detection, with WHATWG label mapping.

Declared charsets lie in both directions (utf-8 pages that are GBK, gb2312 pages that
are UTF-8), so a declared charset is only believed when the bytes agree with it.
"""

from __future__ import annotations

import codecs
import re

from newskit.core.errors import InputError
from newskit.core.text import CJK

# WHATWG: these labels mean a superset in every browser.
_WHATWG = {
    "gb2312": "gb18030",
    "gb_2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "csgb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "iso-ir-58": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "cp936": "gb18030",
    "windows-936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "cp950": "big5hkscs",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "windows-1252": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "x-sjis": "shift_jis",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    # A <meta> naming UTF-16 on a page readable as ASCII means UTF-8 (HTML spec).
    "utf-16": "utf-8",
    "utf-16le": "utf-8",
    "utf-16be": "utf-8",
}

# Labels of UTF-16 (WHATWG, plus Python's spellings); believed from HTTP and --encoding only.
_UTF16_LABELS = frozenset(
    {"utf-16", "utf16", "utf-16le", "utf-16be", "utf16le", "utf16be", "unicode", "ucs-2"}
    | {"csunicode", "iso-10646-ucs-2", "unicodefeff", "unicodefffe", "utf-16-le", "utf-16-be"}
)
# A page that declares UTF-8 is UTF-8 when read so it has this many good non-ASCII
# characters per broken sequence, or more: legacy pages mislabelled UTF-8 have at most 0.3
# (GBK and Big5 pages of the bench and the fixtures: 0.1 to 0.29; cp1252 and Shift_JIS: less).
_UTF8_GOOD_PER_BAD = 2.0

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# <meta charset=x>, <meta http-equiv content="text/html; charset=x"> and the legacy
# content="charset=x"; also an XML declaration's encoding="x".
_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""",
    re.IGNORECASE,
)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE)

# The most frequent characters of Chinese news text, in both scripts: a decoding that
# yields many of them is right, one that yields rare characters is mojibake.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
    "也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物"
    "现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全"
    "表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无"
    "系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基"
    "资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取"
    "据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
    "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离"
    "华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低"
    "持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历"
    "市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却"
    "專業會來時們個說經過這為與對學國後動開關發實現電問從當還進長頭無種點將義應體員華區門語"
    "記報經濟習產導樣機灣臺"
)
# A right decoding of Chinese text has well over half its characters among _COMMON;
# a legacy page read with the wrong Chinese codec has a small fraction.
_PLAUSIBLE = 0.3
_SAMPLE = 65536
# Tried after what the page declares, in this order: most legacy pages newskit sees are
# Chinese; cp1252 takes Western pages without a declaration.
_FALLBACKS = ("gb18030", "big5hkscs", "cp1252")


def normalize_label(label: str) -> str:
    """Map a charset label to the Python codec a browser would really use."""
    name = label.strip().strip("\"'").lower()
    name = _WHATWG.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _known(label: str | None) -> str | None:
    """The Python codec for a label, or None when the label names no usable codec."""
    if not label:
        return None
    name = normalize_label(label)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # A page is parsed as ASCII-compatible text; a utf-7/utf-32 or bytes-to-bytes label
    # (base64, zlib) cannot be what the page is in.
    if info.name.startswith(("utf-16", "utf-32", "utf-7")):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def utf16_codec(label: str | None, data: bytes, sniff: bool = True) -> str | None:
    """The UTF-16 codec a label (HTTP header, --encoding) names for these bytes, or None.

    A plain `utf-16` without a BOM takes the byte order the NULs of ASCII markup show.
    With `sniff`, bytes with no NUL in their head are not UTF-16, whatever the label says
    (a server naming the wrong charset); an --encoding is believed.
    """
    name = (label or "").strip().strip("\"'").lower().replace("_", "-")
    if name not in _UTF16_LABELS or (sniff and b"\x00" not in data[:1024]):
        return None
    if name.endswith(("le", "be")):
        return f"utf-16-{name[-2:]}"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:1024]
    return "utf-16-be" if head[0::2].count(0) > head[1::2].count(0) else "utf-16-le"


def looks_utf16(data: bytes, http_charset: str | None, override: str | None) -> bool:
    """Whether bytes full of NULs are the UTF-16 text --encoding or the HTTP header names."""
    return utf16_codec(override or http_charset, data) is not None


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (<meta> or XML declaration), if any."""
    head = data[:4096]
    match = _META.search(head) or _XML_DECL.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def _cjk_score(text: str) -> tuple[int, float]:
    """How many CJK characters the text has, and the share of common ones among them."""
    cjk = CJK.findall(text)
    if not cjk:
        return 0, 0.0
    return len(cjk), sum(map(_COMMON.__contains__, cjk)) / len(cjk)


_HIGH = bytes(range(0x80, 0x100))
_ACCENTED_RUN = re.compile("[\u00c0-\u00ff]{3,}")


def _latin_garbage(text: str, high: int) -> float:
    """Share of the high bytes read as runs of 3+ accented Latin letters: real Western
    words rarely have them, other scripts read as cp1252 are made of them."""
    return sum(len(m) for m in _ACCENTED_RUN.findall(text)) / high


def _high_bytes(data: bytes) -> int:
    """How many bytes are outside ASCII (counted in C, not byte by byte in Python)."""
    return len(data) - len(data.translate(None, _HIGH))


def _sample(data: bytes) -> bytes:
    """Enough of the page to judge a codec: the head, or all of it when the head is ASCII."""
    head = data[:_SAMPLE]
    if _high_bytes(head[-16384:]) < 200 and len(data) > _SAMPLE:
        return data[: _SAMPLE * 4]
    return head


def _trial(sample: bytes, codec: str, high: int) -> tuple[float, str]:
    """Errors per non-ASCII byte (the sample has `high`) decoding it with codec, and the text."""
    text = sample.decode(codec, "replace")
    return text.count("\ufffd") / high, text


def _auto(data: bytes, http_charset: str | None) -> tuple[str | None, str]:
    """Detect the codec; returns (text when already decoded along the way, codec)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return None, codec
    wide = utf16_codec(http_charset, data)
    if wide is not None:
        return None, wide
    declared = [c for c in (_known(http_charset), _known(declared_charset(data))) if c]
    if data.isascii():
        return None, next((c for c in declared if c != "utf-8"), "utf-8")
    try:
        # Valid non-ASCII UTF-8 almost never happens by accident in a legacy encoding.
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = _sample(data)
    high = _high_bytes(sample) or 1
    rate, text = _trial(sample, "utf-8", high)
    if rate < 0.02 or ("utf-8" in declared and _fits_utf8(text)):
        # UTF-8 with a few broken bytes (a cut character), not a legacy encoding.
        return None, "utf-8"
    candidates = [c for c in dict.fromkeys([*declared, *_FALLBACKS]) if c != "utf-8"]
    trusted = len([c for c in declared if c != "utf-8"])
    best, best_score = candidates[0], -1e9
    for rank, codec in enumerate(candidates):
        rate, text = _trial(sample, codec, high)
        count, share = _cjk_score(text)
        if rank < trusted and rate < 0.005 and count >= 20 and share >= _PLAUSIBLE:
            # The declared codec reads the bytes cleanly into ordinary Chinese: done.
            return None, codec
        if count < 20:
            share = 0.2 - _latin_garbage(text, high)
        score = share - rate * 2 - rank * 0.01
        if score > best_score:
            best, best_score = codec, score
    return None, best


def _fits_utf8(text: str) -> bool:
    """Whether bytes read as UTF-8 (into `text`) are UTF-8 with a few broken sequences."""
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", "ignore")) - bad
    return good >= _UTF8_GOOD_PER_BAD * bad


def detect(data: bytes, http_charset: str | None = None) -> str:
    """Pick the codec for these bytes: BOM, then the declared charset if the bytes agree."""
    return _auto(data, http_charset)[1]


def decode(
    data: bytes, http_charset: str | None = None, override: str | None = None
) -> tuple[str, str]:
    """Decode page bytes to text; returns (text, codec used).

    Undecodable bytes are dropped rather than turned into U+FFFD, so the text never holds
    a replacement character the page did not.
    """
    text: str | None = None
    if override:
        known = utf16_codec(override, data, sniff=False) or _known(override)
        if known is None:
            raise InputError(f"unknown encoding {override!r}")
        codec = known
    else:
        text, codec = _auto(data, http_charset)
    if text is None:
        text = data.decode(codec, "ignore")
    text = text.removeprefix("\ufeff")
    return text, codec
