"""Whether a credited value is a person's name: the check every author and editor passes.

A name is a short run of Chinese characters (a transliterated name may join its parts
with ·), or a Latin name of a few words; never a role, section, kicker, account,
placeholder or boilerplate word (lists in `lexicon`), and never a word the page uses in
its menu or breadcrumb.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from newskit.article.meta import lexicon
from newskit.core.patterns import lazy_compile
from newskit.core.text import CJK

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Transliterated names join their parts with a middle dot: 阿卜杜勒·拉赫曼.
_DOTTED_NAME = lazy_compile(rf"^[{_HAN}]{{1,8}}(?:[·•‧・][{_HAN}]{{1,8}}){{1,3}}$")
# A one-word pen name or handle: maomaobear, NightOwl.
_LATIN_HANDLE = re.compile(r"^[A-Za-z][A-Za-z_]{2,23}$")
_STOP_WORDS = (
    lexicon.PLACEHOLDERS
    | lexicon.SECTION_WORDS
    | lexicon.BOILERPLATE
    | lexicon.AUTHOR_ROLES
    | lexicon.EDITOR_ROLES
    | lexicon.OTHER_ROLES
    | lexicon.PHOTO_WORDS
)
_ROLE_PARTS = tuple(lexicon.AUTHOR_ROLES | lexicon.EDITOR_ROLES | lexicon.OTHER_ROLES)


def _is_han(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"
    )


def _has_han(value: str) -> bool:
    # CJK also spans the hexagram block between two Han ranges: a hit there looks further.
    first = CJK.search(value)
    return first is not None and (_is_han(first[0]) or any(map(_is_han, value)))


def normalize(value: str) -> str:
    """A credited value as written, without the padding between its Chinese characters."""
    # Spaces are single once split and joined; one between two Chinese characters is padding.
    words = value.split()
    joined = words[:1]
    for word in words[1:]:
        if _is_han(joined[-1][-1]) and _is_han(word[0]):
            joined[-1] += word
        else:
            joined.append(word)
    return " ".join(joined)


def _cjk_name(value: str) -> bool:
    # Chinese names are two to four characters; pen names run a little longer.
    plain = 2 <= len(value) <= 6 and all(map(_is_han, value))
    if not (plain or _DOTTED_NAME().match(value)):
        return False
    if value in _STOP_WORDS or any(part in value for part in lexicon.NOT_NAME_PARTS):
        return False
    if value.endswith(_ROLE_PARTS) or value.startswith(_ROLE_PARTS):
        return False
    # "王明摄", "王明翻攝": a photo credit glued to its name.
    if len(value) > 2 and value.endswith(("摄", "攝")):
        return False
    # 江南网, 湖畔社, 电视台: an outlet, not a person (a two-character name may end so).
    return not (len(value) > 2 and value.endswith(lexicon.OUTLET_ENDINGS))


def _latin_word(word: str) -> bool:
    """Jane, Harris-Perry, O'Neil, C., JANE (bylines in capitals), or a particle (de, van, bin)."""
    if len(word) == 2 and word[0].isupper() and word[1] == ".":
        return True
    core = word.rstrip(".").replace("-", "").replace("'", "").replace("’", "")
    if not core.isalpha():
        return False
    return word[0].isupper() or (word.islower() and len(word) <= 3)


def _latin_name(value: str) -> bool:
    parts = value.split()
    if not 1 <= len(parts) <= 5 or any(c.isdigit() or c in "@/:|" for c in value):
        return False
    if any(p.lower().strip(".,") in lexicon.LATIN_NOT_NAMES for p in parts):
        return False
    if len(parts) == 1:
        # A one-word credit: a pen name or handle (an all-capitals word is an acronym).
        return bool(_LATIN_HANDLE.match(value)) and not value.isupper()
    capitals = sum(p[0].isupper() for p in parts)
    # Initials alone ("K A") are no name: one word at least is spelled out.
    spelled = any(len(p.rstrip(".")) > 1 for p in parts)
    return capitals >= 2 and spelled and all(_latin_word(p) for p in parts)


def is_name(value: str | None, menu: Collection[str] = ()) -> bool:
    """True when `value` can be a person's name (and is no label of the page's menu)."""
    if not value:
        return False
    value = normalize(value)
    if not value or value in menu or value.lower() in lexicon.PLACEHOLDERS:
        return False
    if _has_han(value):
        return _cjk_name(value)
    return _latin_name(value)
