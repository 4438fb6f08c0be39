"""The headline of a page as shown on it, where it sits among the page's lines, the breadcrumb."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newskit.article.meta import dates, lexicon
from newskit.article.meta.facts import SPACES, PageMeta, clean
from newskit.core.patterns import lazy_compile

_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|--|(?<!-)-(?!-)|–|—(?!—)(?<!——)|::|»)\s*")


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    return SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def title_parts(full: str) -> list[str]:
    """A <title> cut at its separators (_ | - — ::), the headline first, the site last."""
    return [p for p in _TITLE_SPLIT.split(full) if p.strip()]


def _shown_at(text: str, lines: list[str]) -> int | None:
    """Index of the first line that is `text` (or nearly all of it)."""
    key = _norm(text)
    if len(key) < 4:
        return None
    for i, line in enumerate(lines[:600]):
        if len(line) <= len(key) + 12 and _norm(line).startswith(key):
            return i
    return None


def _shown(text: str, lines: list[str]) -> bool:
    return _shown_at(text, lines) is not None


_SPACE = re.compile(r"\s+")
_BRACKET_TAIL = lazy_compile(r"^\s*[(（\[【].{0,12}[)）\]】]\s*$")


def _strip_site(title: str, lines: list[str]) -> str:
    """A title minus the site suffix: the prefix shown earliest on the page, else its main part."""
    prefixes = [title.strip()]
    prefixes += [title[: m.start()].strip() for m in _TITLE_SPLIT.finditer(title)]
    shown = [(at, -len(p), p) for p in prefixes if (at := _shown_at(p, lines)) is not None]
    if not shown:
        # A site or section name glued on with a bare space: "Headline SiteName".
        cuts = [title[: m.start()] for m in _SPACE.finditer(title) if len(title) - m.end() <= 12]
        prefixes = [p for p in cuts if len(p) >= 6]
        shown = [(at, -len(p), p) for p in prefixes if (at := _shown_at(p, lines)) is not None]
    if shown:
        return min(shown)[2]
    parts = title_parts(title)
    main = max(parts, key=len) if parts and len(parts[0]) < 4 else (parts or [title])[0]
    # The headline may be shown without a tail the <title> adds, like "(页 1)".
    key = _norm(main)
    heads = [ln for ln in lines[:600] if 6 <= len(ln) < len(key) and key.startswith(_norm(ln))]
    if heads and _BRACKET_TAIL().match(key[len(_norm(head := max(heads, key=len))) :]):
        return head
    return main.strip()


_META_LINE = lazy_compile(
    r"来源|來源|作者|记者|記者|编辑|編輯|时间|時間|发布|發布|日期|点击|http|www\."
)
_NAV_LINE = lazy_compile(r"首页|首頁|当前位置|您的位置|你的位置|>|»|›|＞|\||│|┃|-->")
_JUNK_LINE = re.compile(r"[=<>{}]")  # markup shown as text
_CRUMB = re.compile(
    r"^(?:.{0,6}(?:当前位置|您的位置|你的位置|所在位置|位置)\s*[:：]?\s*)?"
    r"(?:首页|首頁|主页|网站首页|Home)\s*(?:>>?|»|›|＞|->|/|\\)",
    re.I,
)
_CRUMB_SPLIT = re.compile(r"\s*(?:->|>>?|»|›|＞|/|\\)\s*")
_CRUMB_TAIL = re.compile(r"\s*(?:正文|正文内容|内容|详情|文章详情|详细内容)$")


def _headline_like(line: str, shortest: int = 4) -> bool:
    return (
        shortest <= len(line) <= 60
        and not line.endswith(("。", "，", "；", "：", ":"))
        and not _META_LINE().search(line)
        and not _NAV_LINE().search(line)
        and not _JUNK_LINE.search(line)
        and not dates.parse_date(line)
        and not not_headline(line, set())
    )


def _dateline(line: str) -> bool:
    """A short line showing a date, or a labelled one (发布时间：…)."""
    if len(line) > 80 or not dates.parse_date(line):
        return False
    return len(line) <= 30 or bool(_META_LINE().search(line))


def _look_back(lines: list[str], anchor: int) -> str | None:
    """The nearest headline-like line above `anchor`, skipping metadata lines."""
    for i in range(anchor - 1, max(-1, anchor - 7), -1):
        line = lines[i]
        if _headline_like(line):
            return line
        if not (_META_LINE().search(line) or _JUNK_LINE.search(line) or dates.parse_date(line)):
            return None
    return None


def _headline_line(lines: list[str], body_start: int | None) -> str | None:
    """Without a usable <title>: the line after the breadcrumb, above the dateline or the body."""
    for i, line in enumerate(lines[:300]):
        # Right under the breadcrumb even a two-character line is the headline.
        if _CRUMB.search(line) and i + 1 < len(lines) and _headline_like(lines[i + 1], 2):
            return lines[i + 1]
    for i, line in enumerate(lines[:300]):
        if _dateline(line) and (found := _look_back(lines, i)):
            return found
    if body_start is not None:
        return _look_back(lines, body_start)
    return None


_TITLE_LABEL = re.compile(r"^(?:主题|主題|标题|標題)\s*[:：]\s*")
_KICKERS = "|".join(lexicon.KICKERS)
_KICKER = re.compile(
    rf"^\s*(?:[\[【（(〔]\s*(?:{_KICKERS})\s*[\]】）)〕]|(?:{_KICKERS})\s*[|｜丨:：])\s*"
)
_SIDEBAR = lazy_compile(f"(?:{'|'.join(lexicon.SIDEBAR_ENDINGS)})$")
_RULE = re.compile(r"^[\W_]+$")


def not_headline(text: str, menu: set[str]) -> bool:
    """A separator line, a sidebar heading (…统计, 最新评论) or a menu label: no headline."""
    return bool(_RULE.match(text) or (len(text) <= 12 and _SIDEBAR().search(text)) or text in menu)


def strip_kicker(title: str) -> str:
    """A headline without the kicker label in front (【原创】, 独家｜)."""
    rest = _KICKER.sub("", title)
    return rest if len(rest) >= 4 else title


_NAME_LIKE = re.compile(r"^[^\W\d_][\w·]{1,5}$")


def _longer_above_body(page: PageMeta, title: str, body_start: int) -> str:
    """A title of a few characters is the site's or a section's name when a longer
    headline sits right above the body (a portal whose <title> names no story)."""
    if not _NAME_LIKE.match(_norm(title)):
        return title
    above = _look_back(page.lines, body_start)
    # A heading that repeats the title ("X的生平" under "X") is a section of its page.
    if above and len(above) > len(title) and title not in above:
        return above if not not_headline(above, page.menu) else title
    return title


def pick_title(
    page: PageMeta, doc_title: str | None, body_start: int | None = None, doc_text: str = ""
) -> str | None:
    """The headline as shown: a heading that agrees with <title>, else <title> minus the site."""
    title = _pick_title(page, doc_title, body_start, doc_text)
    if title and body_start is not None:
        title = _longer_above_body(page, title, body_start)
    # A forum's "主题：" label and a kicker are never part of the headline.
    return strip_kicker(_TITLE_LABEL.sub("", title)) if title else title


def _pick_title(
    page: PageMeta, doc_title: str | None, body_start: int | None, doc_text: str
) -> str | None:
    full = page.html_title or ""
    parts = title_parts(full)
    site_parts = {_norm(p) for p in parts[1:]} if len(parts) > 1 else set()
    cands = [page.meta.get("og:title"), *page.jsonld.get("headline", [])[:1]]
    cands += [*page.headings, doc_title]
    agreeing: list[str] = []
    for cand in cands:
        cand = clean(cand)
        if not cand or _norm(cand) in site_parts or not_headline(cand, page.menu):
            continue
        short_ok = parts and _norm(cand) == _norm(parts[0]) and cand in page.lines[:300]
        if len(cand) < 4 and not short_ok:
            continue
        if not full or cand in full or (full in cand and len(cand) - len(full) < 10):
            agreeing.append(_strip_site(cand, page.lines))
        if not full:
            break
    if agreeing:
        return max(agreeing, key=len)
    stripped = _strip_site(full, page.lines) if full else None
    if stripped and (_shown(stripped, page.lines) or stripped in page.lines[:300]):
        return stripped
    cands = [doc_title, *page.headings]
    shown = next(
        (
            clean(c)
            for c in cands
            if c and _shown(c, page.lines) and not not_headline(c.strip(), page.menu)
        ),
        None,
    )
    guess = shown or _headline_line(page.lines, body_start)
    if stripped and len(stripped) < 4:
        return guess or _first_line(doc_text) or stripped
    return guess or stripped or _first_line(doc_text)


def _first_line(text: str) -> str | None:
    """The body's first line, when it looks like a headline (the last resort)."""
    first = text.strip().split("\n", 1)[0].strip()
    return first if _headline_like(first) and len(first) <= 30 else None


def find_line(lines: list[str], text: str | None, limit: int = 3000) -> int | None:
    """Index of the first line showing `text` (its first characters)."""
    if not text:
        return None
    if (at := _shown_at(text, lines[:limit])) is not None:
        return at
    key = _norm(text)[:15]
    if len(key) < 4:
        return next((i for i, line in enumerate(lines[:limit]) if line == text), None)
    for i, line in enumerate(lines[:limit]):
        if len(line) < len(text) + 40 and key in _norm(line):
            return i
    return None


def body_start(lines: list[str], text: str) -> int | None:
    """Index of the line where trafilatura's body text begins."""
    for para in text.split("\n")[:5]:
        head = SPACES.sub(" ", para).strip()[:10]
        if len(head) >= 8:
            found = next((i for i, line in enumerate(lines[:3000]) if line.startswith(head)), None)
            if found is not None:
                return found
    return None


def pick_categories(lines: list[str], start: int, title: str | None) -> list[str]:
    """Sections named by the breadcrumb above the headline (首页 > 资讯中心 > 苏州资讯 正文)."""
    for line in lines[max(0, start - 40) : start + 1]:
        match = _CRUMB.search(line)
        if not match or len(line) > 80:
            continue
        crumbs = _CRUMB_SPLIT.split(line[match.end() :])
        found = []
        for crumb in crumbs:
            crumb = _CRUMB_TAIL.sub("", crumb).strip()
            if crumb and len(crumb) <= 12 and crumb != title:
                found.append(crumb)
        return found[:5]
    return []
