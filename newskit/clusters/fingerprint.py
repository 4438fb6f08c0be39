"""Fingerprints of article text: normalised tokens, 3-token shingles, a 64-bit simhash, a sample.

A token is one Chinese character (or kana) or one run of other letters and digits, read after
NFKC, case folding, Traditional → Simplified (so a Traditional copy matches its Simplified
original) and dropping credit lines (来源：, 责任编辑：); punctuation and whitespace are not
tokens, so rewrapping and re-punctuating a story change nothing. Each shingle (three tokens in
a row) is hashed to 64 bits from its code points (two multiply-fold rounds, all shingles at
once), so fingerprints are the same on every machine and run. The simhash sets bit j when
most shingles have bit j set: a copy with a few edits differs in a few bits. The sample keeps
the shingles whose hash ends in three zero bits (1 in 8, chosen by content, so two copies keep
the same shingles): the share of one sample found in another estimates containment, which
finds cut-down copies a simhash cannot.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import sys
import unicodedata
from array import array
from dataclasses import dataclass

from newskit.clusters.words import CREDIT_LINE, CREDIT_LINE_CHARS
from newskit.core.text import CJK_CHARS

SHINGLE = 3
# A shingle is sampled when the low bits of its hash are all zero: 1 in 8.
SAMPLE_MASK = 0b111
# Characters that are one token each: Chinese characters (with extension B and beyond) and kana.
_ONE_CHAR = CJK_CHARS + "\u3040-\u30ff\U00020000-\U0003134f"
# Other words become one private-use character each, so every token is one character.
_PRIVATE = 0xF0000
_PRIVATE_SPAN = 0x10FFFE - _PRIVATE
# Byte → 1 when a hash's low byte marks it sampled.
_SAMPLED = bytes(int(not byte & SAMPLE_MASK) for byte in range(256))
# A run of other letters and digits, captured so that split() keeps the words.
_WORD = re.compile(rf"([^\W_{_ONE_CHAR}]+)")
_NOT_WORD = re.compile(r"[\W_]+")
_NOT_TOKEN = re.compile(rf"[^{_ONE_CHAR}\U000f0000-\U0010fffd]+")


# Multiply-fold mixing (wyhash's constants): each lane's 63-bit shingle key, XORed with a
# seed and multiplied by an odd constant, folds its 128-bit product's halves together.
MULTIPLIERS = (0xA0761D6478BD642F, 0xE7037ED1A0B428DB)
SEEDS = (0x8EBC6AF09C88C6E3, 0x589965CC75374CC3)
_LANE = 16  # bytes per shingle while hashing: the 64-bit hash and room for its product
_LANES = 1024


class _WordTokens(dict[str, str]):
    """Word → its private-use character, each worked out once (a miss computes and keeps it)."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 16:
            self.clear()  # bounded: the values never change, only the time to get them
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest()
        token = self[word] = chr(_PRIVATE + int.from_bytes(digest, "little") % _PRIVATE_SPAN)
        return token


# Looked up in C (dict.__getitem__), where an lru_cache'd function costs a Python call a word.
_word_token = _WordTokens().__getitem__
# An ASCII character → itself lower-cased when a letter or digit, else a space.
_ASCII_WORDS = str.maketrans(
    {chr(c): chr(c).lower() if chr(c).isalnum() else " " for c in range(128)}
)


@functools.cache
def _lane_constants(blocks: int) -> tuple[int, int, int]:
    """The low-64-bit mask and the two seeds, repeated in every 16-byte lane."""
    count = _LANES * blocks

    def repeat(value: int) -> int:
        return int.from_bytes((value.to_bytes(8, "little") + bytes(8)) * count, "little")

    return repeat((1 << 64) - 1), repeat(SEEDS[0]), repeat(SEEDS[1])


def _lanes(chars: str) -> bytes:
    """Every shingle's 64-bit hash, one per 16 bytes, computed at once on one big integer.

    A shingle's key is its three code points side by side (21 bits each), so the hash is
    the same on every machine and in every run.
    """
    count = len(chars)
    codes = chars.encode("utf-32-le")
    spread = bytearray(_LANE * count)
    for byte in range(3):  # code points fit in 21 bits
        spread[byte::_LANE] = codes[byte::4]
    lanes = int.from_bytes(spread, "little")
    key = lanes | (lanes >> 128) << 21 | (lanes >> 256) << 42
    low, *seeds = _lane_constants(count // _LANES + 1)
    used = (1 << 128 * count) - 1
    for seed, multiplier in zip(seeds, MULTIPLIERS, strict=True):
        product = (key ^ (seed & used)) * multiplier
        key = (product & low) ^ (product >> 64 & low)
    return key.to_bytes(_LANE * count, "little")[: _LANE * (count - SHINGLE + 1)]


@functools.cache
def _bit_masks(blocks: int) -> tuple[int, ...]:
    """Bit k of every byte set (k = 0-7), for 4096 bytes per block: one bit of each hash."""
    return tuple(int.from_bytes(bytes([1 << k]) * (4096 * blocks), "little") for k in range(8))


def _drop_credits(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(
        line for line in lines if len(line) > CREDIT_LINE_CHARS or not CREDIT_LINE.match(line)
    )


def _to_simplified(text: str) -> str:
    from newskit.text.scripts import conversion

    return conversion("t2s")(text)


def tokens(text: str) -> str:
    """The text as its tokens, one character each: what fingerprints are made of."""
    from newskit.text.scripts import has_traditional

    text = _drop_credits(text)
    if text.isascii():  # the words are the runs of letters and digits: str.translate, no regex
        return "".join(map(_word_token, text.translate(_ASCII_WORDS).split()))
    # Punctuation goes first, so most Chinese text is already NFKC and skips normalising.
    text = _NOT_WORD.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    if has_traditional(text):
        text = _to_simplified(text)
    if text.isascii() and text.replace(" ", "").isalnum():
        return "".join(map(_word_token, text.split()))  # its only other letters were punctuation
    pieces = _WORD.split(text)  # the words at odd places, what lies between at even
    pieces[1::2] = map(_word_token, pieces[1::2])  # one loop in C, no callback per word
    return _NOT_TOKEN.sub("", "".join(pieces))


def _shingle_lanes(text: str) -> bytes:
    chars = tokens(text)
    if not chars:
        return b""
    return _lanes(chars.ljust(SHINGLE, "\0"))


def shingle_hashes(text: str) -> list[int]:
    """One 64-bit hash per shingle (three tokens in a row), in text order."""
    return _little(array("Q", _shingle_lanes(text)))[::2].tolist()


def _little(words: array[int]) -> array[int]:
    """Words read from little-endian bytes, whatever the machine's order."""
    if sys.byteorder == "big":
        words.byteswap()
    return words


def _simhash(lanes: bytes) -> int:
    """Bit j is set when more than half of the hashes have it set."""
    count = len(lanes) // _LANE
    half = count / 2
    masks = _bit_masks(count // 4096 + 1)
    value = 0
    for byte in range(8):
        column = int.from_bytes(lanes[byte::_LANE], "little")
        for bit, mask in enumerate(masks):
            if (column & mask).bit_count() > half:
                value |= 1 << (8 * byte + bit)
    return value


def _sample(lanes: bytes) -> array[int]:
    """The top 32 bits of the hashes whose low bits are zero, sorted, each once."""
    picked = lanes[0::_LANE].translate(_SAMPLED)
    tops = _little(array("I", lanes))[1::4]  # a lane holds four 32-bit words: low, high, 0, 0
    return array("I", sorted(set(itertools.compress(tops, picked))))


@dataclass(frozen=True, slots=True)
class Sketch:
    """What dedup keeps of a text: its simhash, its sample (sorted 32-bit values), its size."""

    simhash: int
    sample: array[int]
    shingles: int

    @property
    def fingerprint(self) -> str:
        """The simhash as 16 hex digits."""
        return f"{self.simhash:016x}"


def sketch(text: str) -> Sketch:
    """The simhash and sample of a text."""
    lanes = _shingle_lanes(text)
    return Sketch(_simhash(lanes), _sample(lanes), len(lanes) // _LANE)


def fingerprint(text: str) -> str:
    """The 64-bit simhash of a text's shingles as 16 hex digits; copies differ in a few bits."""
    return f"{_simhash(_shingle_lanes(text)):016x}"


def distance(a: str, b: str) -> int:
    """How many bits two fingerprints (16 hex digits) differ in."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def overlap(a: Sketch, b: Sketch, known: set[int] | None = None) -> float:
    """The share of the smaller sample found in the other: 1.0 for a copy or a cut-down copy.

    `known` may hold `a`'s sample as a set already (a query compared with many).
    """
    smaller = min(len(a.sample), len(b.sample))
    if not smaller:
        return 1.0 - (a.simhash ^ b.simhash).bit_count() / 64
    shared = (known if known is not None else set(a.sample)).intersection(b.sample)
    return len(shared) / smaller


def similar(a: str, b: str) -> float:
    """The share of the shorter text's shingles found in the other, 0.0-1.0.

    Copies of one story score near 1.0, cut-down copies too; different stories on the same
    topic stay low. `dedup` estimates the same number from the texts' samples.
    """
    first, second = set(shingle_hashes(a)), set(shingle_hashes(b))
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))
