"""Text helpers every stage shares: the CJK range, "is this Chinese?", binary sniffing, word sets."""

from __future__ import annotations

import re

# Chinese characters (CJK unified ideographs, extension A, compatibility ideographs).
CJK_CHARS = "\u3400-\u9fff\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARS}]")
KANA = re.compile(r"[\u3040-\u30ff]")
# How much text, from the first Chinese character on, the script checks look at.
SAMPLE_CHARS = 4000

_SIGNATURES = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"\x7fELF", "executable"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7-Zip archive"),
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read than a list)."""
    return frozenset(text.split())


def is_cjk(char: str) -> bool:
    """Whether a character is a Chinese character."""
    return bool(CJK.match(char))


def chinese_sample(text: str) -> str | None:
    """Up to SAMPLE_CHARS of text from its first Chinese character; None when it is not Chinese.

    Text with more than one kana per ten Han characters is Japanese, not Chinese.
    """
    first = CJK.search(text)
    if first is None:
        return None
    sample = text[first.start() : first.start() + SAMPLE_CHARS]
    if len(KANA.findall(sample)) * 10 > len(CJK.findall(sample)):
        return None
    return sample


def is_chinese(text: str, least: int = 1) -> bool:
    """Whether the text is Chinese, with at least `least` Chinese characters in its sample."""
    sample = chinese_sample(text)
    return sample is not None and len(CJK.findall(sample)) >= least


def sniff_binary(head: bytes) -> str | None:
    """What a body that is plainly no text is (`PDF document`, `binary data`, ...), else None."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[8:12] == b"WEBP" or head[4:8] == b"ftyp":
        return "image or video"
    if b"\x00" in head[:1024] and not head.startswith(_UTF16_BOMS):
        return "binary data"
    return None


def is_url(name: str) -> bool:
    """True for an http(s) URL (anything else is a local path, or not fetched)."""
    return name.lower().startswith(("http://", "https://"))
