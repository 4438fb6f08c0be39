"""Who wrote and who edited a Chinese news page: bylines (记者/作者/通讯员) and editors (编辑)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newskit.article.meta import sources
from newskit.core.text import words

if TYPE_CHECKING:
    from newskit.article.meta.facts import PageMeta

_CJK_NAME = re.compile(r"^[\u4e00-\u9fa5][\u4e00-\u9fa5·•]{1,4}$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3}$")
_ORG = re.compile(r"publish|press|news|media|journal|editor|staff|admin|\binc\b|\bltd\b", re.I)
_ROLE_PREFIX = re.compile(r"^[\u4e00-\u9fa5]{0,6}?(?:记者|記者|通讯员|通訊員|实习生|實習生)")
_DIGIT = re.compile(r"\d")
_STAFF_CODE = re.compile(r"_?[A-Z]{1,4}\d{2,6}$")  # NetEase: 荀建国_NF4425
# A longer role ending in one of these (苏报融媒记者, 每经记者) is a role too.
_AUTHOR_ROLES = tuple(words("记者 記者 通讯员 通訊員 作者 撰文 撰稿 执笔 執筆 实习生 實習生"))
_EDITOR_ROLES = tuple(words("责任编辑 責任編輯 责编 責編 编辑 編輯 值班编辑"))
_PHOTO = words("摄 攝 摄影 攝影 图 圖 供图 制图 视频")
_SUFFIXES = re.compile(r"(?:报道|報導|报导|整理|编译|編譯|发自\S*|撰写|供稿)$")
_NOT_NAMES = words(
    "发布 来源 时间 编辑 记者 通讯员 报道 摄影 日电 综合 获悉 了解 注意 表示 介绍 采访 调查 发现 "
    "观察 看到 近日 日前 昨日 今日 今天 昨天 从中 联系 现场 走访 探访 实习生 本报 网友 作者 原创 "
    "转载 责任 更多 查看 相关 阅读 评论 分享 我们 他们 暗访 独家 特约 见习 首席 新华社 中新社 完 "
    "待续 无内容 评论员 特约评论员 关注 粉丝 专栏 主页 首页 频道 博客 登录 注册 收藏 打印 关闭 字号 "
    "返回 顶部 本站 图集 图片 视频 快讯 专题 直播 热点 要闻 头条 推荐 新闻 资讯 正文 全文 摘要 导读 "
    "简介 声明 提示 公告 通知"
)
# Never inside a person's name: 作者单位, 作者个人观点, 作者最新文章, outlets.
_NOT_NAME_PART = re.compile(
    r"转载|注明|单位|观点|简介|最新|文章|信息|出处|更多|相关|推荐|投稿|报道|[社网報报台]$"
)

_ROLE = (
    r"(?P<role>[\u4e00-\u9fa5·]{0,10}?(?:记者|記者|通讯员|通訊員|实习生|實習生)"
    r"|作者|撰文|撰稿|执笔|執筆|(?<![\u4e00-\u9fa5])文(?=\s*[/／|｜:：]))"
)
# A role, how it meets the names (label colon, slash, space or nothing), then the names.
_AUTHOR = re.compile(_ROLE + r"(?P<sep>\s*[:：/／|｜]\s*|\s+|)(?P<rest>[^\n]{0,60})")
_AUTHOR_HINT = re.compile(r"记|記|通讯|通訊|作者|撰|执笔|執筆|文|实习|實習")
_EDITOR = re.compile(
    r"(?:责任编辑|責任編輯|责编|責編|值班编辑|(?<![\u4e00-\u9fa5])编辑|(?<![\u4e00-\u9fa5])編輯)"
    r"(?:\s*[:：/／]\s*|\s+)(?P<rest>[^\n]{0,40})"
)
_EDITOR_LABEL_ONLY = re.compile(r"(?:责任编辑|責任編輯|责编|責編|编辑|編輯)\s*[:：]\s*$")
_TOKEN_SPLIT = re.compile(r"[\s、，,&＆;；]+")
_STOP = re.compile(r"[)）】\]」』》。！!？?\"“”'|｜:：<>]")
# Two-character names padded to the width of three: "赵  培".
_SPACED_NAME = re.compile(
    r"(?<![\u4e00-\u9fa5])([\u4e00-\u9fa5])\s+([\u4e00-\u9fa5])(?![\u4e00-\u9fa5])"
)
_AND_PHOTOS = re.compile(r"^[图圖]\s*[:：/／|｜]?\s*")  # "文/图 张三": text and photos by one
_CLOSER = re.compile(r"[)）】\]]")
_OPENERS = ("（", "(", "【", "[", "□", "■", "●", "◎", "▲", "|", "｜", "电", "電")

_SLASH_BYLINE = re.compile(
    r"^([\u4e00-\u9fa5]{2,4})\s*[/／|｜]\s*"
    r"([\u4e00-\u9fa5·]{2,12}(?:报|報|社|网|網|台|刊|新闻|新聞|杂志|雜誌))$"
)
_NAMES_LINE = re.compile(r"^[\u4e00-\u9fa5·]{2,4}(?:[、，,\s]+[\u4e00-\u9fa5·]{2,4}){0,3}$")
_TRAILING_BYLINE = re.compile(
    r"[（(]\s*([\u4e00-\u9fa5·]{2,4}(?:[、，,\s]+[\u4e00-\u9fa5·]{2,4}){0,3})"
    r"(?:\s+[\u4e00-\u9fa5]{2,4}报道)?\s*[)）]$"
)
_PLACE_REPORT = re.compile(r"\s+[\u4e00-\u9fa5]{2,4}报道$")
_BBS_POSTER = re.compile(r"(?:本贴|本帖)由\s*([^\s于]{1,12}?)\s*于")


@dataclass
class Credits:
    """The people and outlet a page credits."""

    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    source: str | None = None


def _name(token: str) -> str | None:
    token = _SUFFIXES.sub("", _STAFF_CODE.sub("", token.strip("·•.。 ")))
    token = _ROLE_PREFIX.sub("", token)
    if _CJK_NAME.match(token) and token not in _NOT_NAMES and not _NOT_NAME_PART.search(token):
        return token
    return None


def _all_names(text: str) -> list[str]:
    """Every token of `text` as a name, or [] when any token is not one."""
    names = [_name(t) for t in _TOKEN_SPLIT.split(text.strip()) if t]
    return [n for n in names if n] if names and all(names) else []


def _names(rest: str, *, editor: bool) -> list[str]:
    """Names at the start of `rest`, up to the first thing that is not a name or a role."""
    stop = _STOP.search(rest)
    rest = _SPACED_NAME.sub(r"\1\2", rest[: stop.start()] if stop else rest).strip()
    if stop and stop[0] in ":：" and " " in rest:
        # "宪瑞 人气：123": the word before a colon is the next label, not a name.
        rest = rest.rpartition(" ")[0]
    names: list[str] = []
    tokens = [t for t in _TOKEN_SPLIT.split(rest.strip()) if t]
    for i, token in enumerate(tokens):
        if token in _PHOTO:
            # "张蕊 摄": the name just read was a photo credit; "摄影 张强" labels the next one.
            if names and (token in ("摄", "攝") or i == len(tokens) - 1):
                names.pop()
            break
        if len(token) > 2 and token.endswith(("摄", "攝")):
            break
        is_editor_role = token.endswith(_EDITOR_ROLES)
        if is_editor_role and not editor:
            break
        if is_editor_role or (token.endswith(_AUTHOR_ROLES) and len(token) <= 12):
            continue
        name = _name(token)
        if name is None:
            break
        names.append(name)
    return names


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def editors_in(lines: Iterable[str]) -> list[str]:
    """Names credited as 编辑/责任编辑/责编 on the first short line that credits any."""
    lines = list(lines)
    for i, line in enumerate(lines):
        if len(line) > 80 or ("编" not in line and "編" not in line):
            continue
        found = [n for m in _EDITOR.finditer(line) for n in _names(m["rest"], editor=True)]
        if not found and _EDITOR_LABEL_ONLY.search(line) and i + 1 < len(lines):
            found = _names(
                lines[i + 1], editor=True
            )  # "责任编辑：" with the name in the next block
        if found:
            return _dedupe(found)
    return []


def _byline_ok(line: str, match: re.Match[str]) -> bool:
    """A role counts where bylines sit: before a label mark or a space, in brackets, or alone."""
    sep = match["sep"]
    # Chinese prose has no spaces: "记者 林晓岚" or "作者：林晓岚" is a credit, not a sentence.
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
        for match in _AUTHOR.finditer(line):
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
                # Glued to its role ("（记者胡晓蓉）"), a name must fill the rest of the byline.
                found.extend(_all_names(_CLOSER.split(match["rest"], maxsplit=1)[0]))
    return _dedupe(found)


def _names_line(lines: Sequence[str]) -> list[str]:
    """A line of nothing but names just under the headline (old pages, blogs)."""
    return next((n for line in lines if _NAMES_LINE.match(line) and (n := _all_names(line))), [])


def _hinted_names(hints: Sequence[str], header: Sequence[str]) -> list[str]:
    """Bare names in an element marked class="author" near the headline (accounts are longer)."""
    shown = "\n".join(header)
    for hint in hints:
        names = _all_names(hint)
        if names and all(len(n) <= 4 for n in names) and hint in shown:
            return names
    return []


def _trailing_byline(paras: Sequence[str], strict: bool = False) -> list[str]:
    """Names in brackets closing a paragraph: （袁源）, （姚峰 上海报道）.

    Strict (any page line, not just the body's end): the bracket is the whole line or says 报道.
    """
    for para in paras:
        match = _TRAILING_BYLINE.search(para.strip())
        if not match or (strict and match.start() > 0 and "报道" not in match[0]):
            continue
        # "（姚峰 上海报道）": the place before 报道 is not a second name.
        if names := _all_names(_PLACE_REPORT.sub("", match[1])):
            return names
    return []


def _bbs_poster(lines: Sequence[str]) -> list[str]:
    """The poster of a forum thread (本贴由X于…发表)."""
    return next(([m[1]] for line in lines if (m := _BBS_POSTER.search(line))), [])


def _doc_authors(author: str | None, chinese: bool) -> list[str]:
    """trafilatura's author: kept on other pages, on Chinese pages only when it looks like a name."""
    if not chinese:  # trafilatura joins several authors with "; ", and may keep a byline's date
        return [a.strip() for a in (author or "").split(";") if a.strip() and not _DIGIT.search(a)]
    names = [a.strip() for a in re.split(r"[;；,，]", author or "") if a.strip()]
    return [n for n in names if _name(n) or (_LATIN_NAME.match(n) and not _ORG.search(n))]


def credits(
    page: PageMeta, doc: Any, start: int, *, chinese: bool = True, headline_shown: bool = True
) -> Credits:
    """Authors, editors and source, looked for near the headline first, then in the body."""
    lines = page.lines
    header = lines[max(0, start - 2) : start + 12]
    # What sits right under the headline means something only when the headline was found.
    below = (
        [ln for ln in lines[start + 1 : start + 4] if ln != lines[start]] if headline_shown else []
    )
    paras = [p for p in (doc.text or "").split("\n") if p.strip()]
    slash = next((m for line in header[:6] if (m := _SLASH_BYLINE.match(line))), None)
    hinted = set(page.hints.get("source", []))
    found = Credits(editors=editors_in(lines[start:]))
    found.authors = (
        authors_in(header)
        or ([slash[1]] if slash else [])
        or authors_in(page.hints.get("author", []))
        or _hinted_names(page.hints.get("author", []), header)
        or authors_in(paras[:3] + paras[-5:])
        or _names_line([line for line in below[:1] if line not in hinted])
        or _trailing_byline(paras[-3:])
        or _trailing_byline(lines[start : start + 300], strict=True)
        or _bbs_poster(lines[start : start + 400])
        or authors_in(lines[start : start + 300], labelled_only=True)
    )
    if not found.authors:
        found.authors = [a for a in _doc_authors(doc.author, chinese) if a not in found.editors]
    if not chinese:  # 来源 credits are a Chinese-page habit; class="source" means little elsewhere
        found.source = sources.labelled(header)
        return found
    source = (
        sources.labelled(header)
        or sources.hinted(page.hints.get("source", []), header)
        or (slash[2] if slash else None)
        or sources.outlet_line(below[:2])
        or sources.labelled(lines[start : start + 400])
        or sources.clean(page.meta.get("source", ""))
    )
    found.source = None if source is None or sources.is_generic(source) else source
    return found
