"""Byline forms of Chinese news pages, read line by line: who wrote (记者/作者) and who edited.

Each reader follows one printed convention and returns names that pass the name check;
`people` weighs what they find by where on the page it sits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from newskit.article.meta import lexicon
from newskit.article.meta.names import is_name
from newskit.core.patterns import lazy_compile

_HAN = r"\u4e00-\u9fa5"
_STAFF_ROLES = ("记者", "記者", "通讯员", "通訊員", "实习生", "實習生")
_ROLE_PREFIX = lazy_compile(rf"^[{_HAN}]{{0,6}}?(?:{'|'.join(_STAFF_ROLES)})")
# A staff code some portals glue to an editor's name: 王小明_AB1234, 王小明 SF001.
_STAFF_CODE = re.compile(r"[_\s]?[A-Z]{1,4}\d{2,6}$")
# A longer role ending in one of these (本报融媒记者, 每日新闻记者) is a role too.
_AUTHOR_ROLES = tuple(lexicon.AUTHOR_ROLES)
_EDITOR_ROLES = tuple(lexicon.EDITOR_ROLES)
_OTHER_ROLES = tuple(lexicon.OTHER_ROLES)
_SUFFIXES = re.compile(r"(?:报道|報導|报导|報道|整理|编译|編譯|发自\S*|撰写|供稿)$")

_ROLE = (
    rf"(?P<role>[{_HAN}·]{{0,10}}?(?:记者|記者|通讯员|通訊員|实习生|實習生)"
    rf"|作者|撰文|撰稿|执笔|執筆|(?<![{_HAN}])文(?=\s*[/／|｜:：]))"
)
# A role, how it meets the names (label colon, slash, space or nothing), then the names.
_AUTHOR = lazy_compile(_ROLE + r"(?P<sep>\s*[:：/／|｜]\s*|\s+|)(?P<rest>[^\n]{0,60})")
_AUTHOR_HINT = re.compile(r"记|記|通讯|通訊|作者|撰|执笔|執筆|文|实习|實習")
_EDITOR = lazy_compile(
    r"(?:责任编辑|責任編輯|责编|責編|值班编辑|值班編輯"
    rf"|(?<![{_HAN}])(?:编辑|編輯))(?:\s*[:：/／]\s*|\s+)(?P<rest>[^\n]{{0,40}})"
)
# An editor credit in brackets closing a paragraph (（編輯：王明）1120221), however long the line.
_EDITOR_ROLE = "责任编辑|責任編輯|责编|責編|编辑|編輯"
_BRACKET_EDITOR = lazy_compile(rf"[（(]\s*(?:{_EDITOR_ROLE})\s*[:：/／]\s*([^（）()]{{2,30}})[）)]")
_EDITOR_LABEL_ONLY = lazy_compile(rf"(?:{_EDITOR_ROLE})\s*[:：]\s*$")
_TOKEN_SPLIT = re.compile(r"[\s、，,&＆;；]+")
_STOP = re.compile(r"[)）】\]」』》。！!？?\"“”'|｜:：<>]")
_SPACES = re.compile(r"(\s+)")
_AND_PHOTOS = re.compile(r"^[图圖]\s*[:：/／|｜]?\s*")  # "文/图 X": text and photos by one
_CLOSER = lazy_compile(r"[)）】\]]")
_OPENERS = ("（", "(", "【", "[", "□", "■", "●", "◎", "▲", "|", "｜", "电", "電")

# Name / outlet under the headline (王明 / 江南日报).
_SLASHES = "/／|｜"  # a cheap look before the pattern is compiled
_SLASH_BYLINE = lazy_compile(
    rf"^([{_HAN}]{{2,4}})\s*[/／|｜]\s*"
    rf"([{_HAN}·]{{2,12}}(?:报|報|社|网|網|台|刊|新闻|新聞|杂志|雜誌))$"
)
_NAMES_LINE = lazy_compile(rf"^[{_HAN}·]{{2,4}}(?:[、，,\s]+[{_HAN}·]{{2,4}}){{0,3}}$")
_NAME_LIST = rf"[{_HAN}·]{{2,4}}(?:(?:\s*[、，,]\s*|\s+)[{_HAN}·]{{2,4}}){{0,3}}"
# Names in brackets closing a paragraph, maybe with the place of report: （王明 上海报道）.
_TRAILING_BYLINE = lazy_compile(
    rf"[（(]\s*({_NAME_LIST})(?:\s*[/／]?\s*[{_HAN}]{{2,6}}(?:报道|報導|報道))?\s*[)）]$"
)
_PLACE_REPORT = lazy_compile(rf"\s+[{_HAN}]{{2,4}}(?:报道|報導|報道)$")
# Hong Kong and Taiwan bylines: 記者王小明／台北報導, 【記者王小明／台北報導】, （王小明／台北報導）.
_REPORTED_FROM = lazy_compile(
    rf"(?:^|[【\[（(\s])(?:[{_HAN}]{{0,8}}?(?:記者|记者)\s*)?([{_HAN}]{{2,4}}(?:[、,，][{_HAN}]{{2,4}}){{0,3}})"
    rf"\s*[／/]\s*[{_HAN}]{{1,8}}(?:報導|报道|報道|特稿|綜合報導|综合报道)"
)
# A wire dateline with the reporter in it: 中央社記者王小明台北1日電 (CNA's form), and
# 新华社北京5月1日电（记者王明、李华）or （王明、李华） (Xinhua's form).
_WIRE_REPORTER = lazy_compile(
    rf"(?:社|台)(?:記者|记者)([{_HAN}]{{2,7}}?)\s*([{_HAN}]{{2}})(?:\d{{1,2}}日|傳真|传真)"
)
_WIRE_DATELINE = lazy_compile(
    rf"(?:社|台|网|網|报|報)[{_HAN}]{{0,8}}\d{{1,2}}月\d{{1,2}}日(?:电|電)\s*"
    rf"[（(]\s*(?:(?:[{_HAN}]{{0,6}}(?:记者|記者))\s*)?({_NAME_LIST})\s*[)）]"
)
# A name in brackets right after the publish time, as some portals print it: 08:19 [ 王明 ].
_AFTER_TIME = lazy_compile(
    rf"\d{{1,2}}[:：]\d{{2}}(?:[:：]\d{{2}})?\s*[\[【(（]\s*({_NAME_LIST})\s*[\]】)）]"
)
_BBS_POSTER = lazy_compile(r"(?:本贴|本帖)由\s*([^\s于於]{1,12}?)\s*[于於]")
# Blog engines' footer: 由X张贴 @ time, 由X发表于 time, Posted by X.
_BLOG_POSTER = lazy_compile(
    r"(?:^|\s)由\s*([^\s@]{2,12}?)\s*(?:张贴|張貼|发表|發表|发布|發佈)(?:于|於|\s|@|$)"
)


def clean_token(token: str) -> str:
    """A credited token without staff codes, report suffixes and a role in front."""
    token = _SUFFIXES.sub("", _STAFF_CODE.sub("", token.strip("·•.。 ")))
    if not any(role in token for role in _STAFF_ROLES):
        return token
    return _ROLE_PREFIX().sub("", token)


def as_name(token: str) -> str | None:
    """The token as a person's name, or None when it is not one."""
    name = clean_token(token)
    return name if is_name(name) else None


def all_names(text: str) -> list[str]:
    """Every token of `text` as a name, or [] when any token is not one."""
    names = [as_name(t) for t in _TOKEN_SPLIT.split(text.strip()) if t]
    return [n for n in names if n] if names and all(names) else []


def _lone_han(word: str, at: int) -> bool:
    """Whether word[at] (0 or -1) is a Chinese character with none beside it in the word."""
    inner = -2 if at else 1
    return "\u4e00" <= word[at] <= "\u9fa5" and not (
        len(word) > 1 and "\u4e00" <= word[inner] <= "\u9fa5"
    )


def _join_spaced(text: str) -> str:
    """Two-character names padded to the width of three ("王  明") written as one word."""
    parts = _SPACES.split(text)  # words at even indexes, the spaces after them at odd ones
    taken = False  # the last word's one character was joined to the word before it
    for i in range(1, len(parts) - 1, 2):
        left, right = parts[i - 1], parts[i + 1]
        joined = bool(left and right and not taken and _lone_han(left, -1) and _lone_han(right, 0))
        if joined:
            parts[i] = ""
        taken = joined and len(right) == 1
    return "".join(parts)


def _names(rest: str, *, editor: bool) -> list[str]:
    """Names at the start of `rest`, up to the first thing that is not a name or a role."""
    stop = _STOP.search(rest)
    rest = _join_spaced(rest[: stop.start()] if stop else rest).strip()
    if stop and stop[0] in ":：" and " " in rest:
        # "王明 人气：12": the word before a colon is the next label, not a name.
        rest = rest.rpartition(" ")[0]
    names: list[str] = []
    tokens = [t for t in _TOKEN_SPLIT.split(rest.strip()) if t]
    for i, token in enumerate(tokens):
        if token in lexicon.PHOTO_WORDS:
            # "王明 摄": the name just read was a photo credit; "摄影 王明" labels the next one.
            if names and (token in ("摄", "攝") or i == len(tokens) - 1):
                names.pop()
            break
        if len(token) > 2 and token.endswith(("摄", "攝")):
            break
        if token.endswith(_OTHER_ROLES):
            break  # 校对, 审核: the next names are no author's and no editor's
        is_editor_role = token.endswith(_EDITOR_ROLES)
        if is_editor_role and not editor:
            break
        if is_editor_role or (token.endswith(_AUTHOR_ROLES) and len(token) <= 12):
            continue
        name = as_name(token)
        if name is None:
            break
        names.append(name)
    return names


def dedupe(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, each once."""
    return list(dict.fromkeys(items))


def editors_in(lines: Iterable[str]) -> list[str]:
    """Names credited as 编辑/责任编辑/责编 on the first short line that credits any."""
    lines = list(lines)
    for i, line in enumerate(lines):
        if "编" not in line and "編" not in line:
            continue
        if len(line) > 80:
            bracketed = [n for m in _BRACKET_EDITOR().finditer(line) for n in all_names(m[1])]
            if bracketed:
                return dedupe(bracketed)
            continue
        found = [n for m in _EDITOR().finditer(line) for n in _names(m["rest"], editor=True)]
        if not found and _EDITOR_LABEL_ONLY().search(line) and i + 1 < len(lines):
            found = _names(lines[i + 1], editor=True)  # the label's name in the next block
        if found:
            return dedupe(found)
    return []


def _byline_ok(line: str, match: re.Match[str]) -> bool:
    """A role counts where bylines sit: before a label mark or a space, in brackets, or alone."""
    sep = match["sep"]
    # Chinese prose has no spaces: "记者 X" or "作者：X" is a credit, not a sentence.
    if sep:
        return match["role"] != "文" or bool(sep.strip())
    before = line[: match.start("role")].rstrip()
    # Glued to the name ("记者注意到…"), only a bracketed or very short line is a byline.
    return before.endswith(_OPENERS) or len(line) <= 30


def authors_in(lines: Iterable[str], *, labelled_only: bool = False) -> list[str]:
    """People credited as 作者/记者/通讯员/撰文 (bylines, also in brackets inside a paragraph).

    labelled_only: just "作者：X"-style credits (a colon or slash after the role), for wide windows.
    """
    found: list[str] = []
    lines = list(lines)
    for i, line in enumerate(lines):
        if not _AUTHOR_HINT.search(line):
            continue
        found.extend(reported_from([line]))
        for match in _AUTHOR().finditer(line):
            if labelled_only and not match["sep"].strip():
                continue
            if not _byline_ok(line, match):
                continue
            rest = _AND_PHOTOS.sub("", match["rest"])
            if not rest.strip() and match["sep"].strip() and i + 1 < len(lines):
                rest = lines[i + 1]  # "作者：" with the name in the next block
            if match["sep"]:
                found.extend(_names(rest, editor=False))
            else:
                # Glued to its role ("（记者王明）"), a name must fill the rest of the byline.
                found.extend(all_names(_CLOSER().split(match["rest"], maxsplit=1)[0]))
    return dedupe(found)


def reported_from(lines: Iterable[str]) -> list[str]:
    """Names of a "記者X／台北報導" byline (the Hong Kong and Taiwan form)."""
    found: list[str] = []
    for line in lines:
        if "／" not in line and "/" not in line:
            continue
        for match in _REPORTED_FROM().finditer(line):
            before = line[: match.start(1)]
            if before.endswith(("圖", "图", "攝", "摄")):
                continue  # 圖／記者X翻攝: a photo credit
            found.extend(all_names(match[1].replace("，", "、")))
    return dedupe(found)


def wire_dateline(lines: Iterable[str]) -> list[str]:
    """The reporters a wire-service dateline names (CNA's and Xinhua's printed forms)."""
    for line in lines:
        if "日" not in line and "傳真" not in line:
            continue
        match = _WIRE_DATELINE().search(line[:120])
        if match and (names := all_names(match[1])):
            return names
        for match in _WIRE_REPORTER().finditer(line[:120]):
            if names := all_names(match[1]):
                return names
    return []


def after_time(lines: Iterable[str]) -> list[str]:
    """Names in brackets right after the time on the date line: 2024年3月1日08:19 [ 王明 ]."""
    for line in lines:
        bracketed = len(line) <= 80 and any(mark in line for mark in "[【(（")
        match = _AFTER_TIME().search(line) if bracketed else None
        if match and (names := all_names(match[1])):
            return names
    return []


def names_line(lines: Sequence[str]) -> list[str]:
    """A line of nothing but names just under the headline (old pages, blogs)."""
    return next((n for line in lines if _NAMES_LINE().match(line) and (n := all_names(line))), [])


def hinted_names(hints: Sequence[str], header: Sequence[str]) -> list[str]:
    """Bare names in an element marked class="author" near the headline (accounts are longer)."""
    shown = "\n".join(header)
    for hint in hints:
        names = all_names(hint)
        if names and all(len(n) <= 4 for n in names) and hint in shown:
            return names
    return []


def trailing_byline(paras: Sequence[str], strict: bool = False) -> list[str]:
    """Names in brackets closing a paragraph: （王明）, （王明 上海报道）, （王明／台北報導）.

    Strict (any page line, not just the body's end): the bracket is the whole line or says 报道.
    """
    for para in paras:
        match = _TRAILING_BYLINE().search(para.strip())
        reported = any(word in match[0] for word in ("报道", "報導", "報道")) if match else False
        if not match or (strict and match.start() > 0 and not reported):
            continue
        # "（王明 上海报道）": the place before 报道 is not a second name.
        if names := all_names(_PLACE_REPORT().sub("", match[1])):
            return names
    return []


def slash_byline(lines: Sequence[str]) -> tuple[str, str] | None:
    """A "name / outlet" line under the headline: (name, outlet)."""
    for line in lines:
        if not any(mark in line for mark in _SLASHES):
            continue
        if (match := _SLASH_BYLINE().match(line)) and is_name(match[1]):
            return match[1], match[2]
    return None


def poster(lines: Sequence[str]) -> list[str]:
    """The poster of a forum thread (本帖由X于…发表) or a blog entry (由X张贴 @ …)."""
    for line in lines:
        match = _BBS_POSTER().search(line) or (len(line) <= 80 and _BLOG_POSTER().search(line))
        if match and (name := as_name(match[1])):
            return [name]
    return []
