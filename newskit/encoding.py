"""Bytes to text: HTTP charset, BOM, <meta>, then detection, with WHATWG label mapping.

Declared charsets lie in both directions (utf-8 pages that are GBK, gb2312 pages that
are UTF-8), so a declared charset is only believed when the bytes agree with it.
"""

from __future__ import annotations

import codecs
import re

from newskit.errors import InputError

# WHATWG: these labels mean a superset in every browser.
_WHATWG = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "csgb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "iso-ir-58": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso8859-1": "cp1252",
    "windows-1252": "cp1252",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "x-sjis": "shift_jis",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_META = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""",
    re.IGNORECASE,
)

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


def normalize_label(label: str) -> str:
    """Map a charset label to the Python codec a browser would really use."""
    name = label.strip().strip("\"'").lower()
    name = _WHATWG.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _known(label: str | None) -> str | None:
    if not label:
        return None
    name = normalize_label(label)
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB of <meta>, if any."""
    match = _META.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _cjk_score(text: str) -> float:
    """How plausible a decoding is: the share of common characters among the CJK ones."""
    cjk = [c for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
    if not cjk:
        return 0.0
    return sum(c in _COMMON for c in cjk) / len(cjk)


def _errors(data: bytes, codec: str) -> int:
    """How many undecodable byte runs the codec meets, capped for speed."""
    count = 0
    start = 0
    decoder = codecs.getincrementaldecoder(codec)
    while count < 50:
        try:
            decoder().decode(data[start:], final=True)
            return count
        except UnicodeDecodeError as err:
            count += 1
            start += err.end
    return count


def detect(data: bytes, http_charset: str | None = None) -> str:
    """Pick the codec for these bytes: BOM, then the declared charset if the bytes agree."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    if _errors(data, "utf-8") == 0:
        # Valid non-ASCII UTF-8 almost never happens by accident in a legacy encoding.
        declared = _known(http_charset) or _known(declared_charset(data))
        if declared and declared not in ("utf-8",) and data.isascii():
            return declared
        return "utf-8"
    candidates: list[str] = []
    for label in (http_charset, declared_charset(data)):
        name = _known(label)
        if name and name != "utf-8" and name not in candidates:
            candidates.append(name)
    for name in ("gb18030", "big5hkscs", "cp1252"):
        if name not in candidates:
            candidates.append(name)
    sample = data[:65536]
    best, best_score = candidates[0], -1.0
    for rank, name in enumerate(candidates):
        errors = _errors(sample, name)
        text = sample.decode(name, "ignore")
        score = _cjk_score(text) - errors * 0.02 - rank * 0.01
        if name == "cp1252" and _cjk_score(text) == 0:
            score = 0.2 - errors * 0.02 - rank * 0.01
        if score > best_score:
            best, best_score = name, score
    return best


def decode(
    data: bytes, http_charset: str | None = None, override: str | None = None
) -> tuple[str, str]:
    """Decode page bytes to text; returns (text, codec used).

    Undecodable bytes are dropped rather than turned into U+FFFD, so the text never holds
    a replacement character the page did not.
    """
    if override:
        codec = _known(override)
        if codec is None:
            raise InputError(f"unknown encoding {override!r}")
    else:
        codec = detect(data, http_charset)
    text = data.decode(codec, "ignore")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, codec


def looks_binary(data: bytes) -> bool:
    """True for bodies that are plainly not text (PDF, images, archives, NUL bytes)."""
    head = data[:1024]
    signatures = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
    if head.startswith(signatures):
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head
