"""Sentence splitting for Chinese and English, and filters for bylines, editor lines, end marks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newskit.core.text import CJK_CHARS, is_cjk

# Sentence ends that always end a sentence in Chinese text, full-width and half-width forms.
CJK_TERMS = set("。！？；｡．…")
_LATIN_TERMS = set(".!?")
TERMS = CJK_TERMS | _LATIN_TERMS
CLOSERS = set("”’」』）)】》〕]\"'")
_CLOSER_CHARS = "".join(CLOSERS)
# A sentence is complete when it ends with one of these (before closing quotes).
_COMPLETE_ENDS = TERMS | {";"}
_OPENERS = {"“": "”", "「": "」", "『": "』"}
_OPENER = re.compile("[“「『]")
# Sentence ends, and a photo credit glued to the next sentence (剧院供图时隔十年).
_TERM_RUN = re.compile(
    rf"[。！？；｡．…;.!?][。！？；｡．…;.!?”’」』）)】》〕\]\"']*|供[图圖](?=[{CJK_CHARS}])"
)
# A quoted speech up to this long stays one sentence with its closing quote.
_QUOTE_SPAN = 150

_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "sen", "rep", "gov",
    "lt", "col", "capt", "sgt", "rev", "hon", "messrs", "mme", "no", "vs", "e.g", "i.e",
    "cf", "approx", "fig", "pp", "vol",
}  # fmt: skip
_ABBREVS = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "corp", "ltd", "co", "dept", "univ", "ave", "est", "al", "etc", "bros",
}  # fmt: skip
# After an abbreviation ("U.S.", "Inc."), these words still start a new sentence.
_STARTERS = {
    "The", "A", "An", "It", "He", "She", "They", "We", "I", "In", "On", "At", "But", "And",
    "This", "That", "These", "Those", "There", "His", "Her", "Their", "Its", "As", "After",
    "When", "While", "If", "For", "Some", "Many", "Most", "According", "However", "Meanwhile",
    "Still", "So", "Yet", "Officials", "Now", "Then", "What", "Why", "How",
}  # fmt: skip

# Lead-ins that sit before the first sentence of a paragraph: 新华社北京9月20日电（记者 X）,
# 苏报讯（记者 张叶）, WASHINGTON (Reuters) -.
_CREDIT_WORDS = r"记者|記者|通讯员|通訊員|实习生|實習生|特约|见习|编译|綜合|综合|报道|報道|摄|攝"
_DATELINE = re.compile(
    rf"^(?:[^\s，。,（(“”]{{0,20}}?(?:[日社](?:电|電)|讯|訊)(?=[\s（(：:])\s*[:：]?\s*(?:[（(][^（()）]{{0,40}}[）)])?"
    rf"|[（(][^（()）]{{0,30}}(?:{_CREDIT_WORDS})[^（()）]{{0,30}}[）)])\s*(?=\S)"
    r"|^[A-Z][A-Z .,'-]{2,40}\s*(?:\([A-Za-z .]{2,30}\))?\s*[-—–]\s+(?=\S)"
)
_END_MARK = re.compile(r"\s*[（(【\[]\s*(?:完|終|终|全文完|END|end)\s*[）)】\]]\s*$")

PHOTO_CREDIT = re.compile(
    r"(?:供图|供圖|摄|攝|资料图片?|資料圖片?|资料|視覺中國|视觉中国|新华社发|新華社發|图片来源[:：].*|图源[:：].*)\s*[）)]?$"
)
_NOISE = [
    re.compile(rf"^[（(【\[][^）)】\]]{{0,40}}(?:{_CREDIT_WORDS}|编辑|編輯|作者|来源|來源|供图|图|圖)[^）)】\]]{{0,40}}[）)】\]][。.]?$"),
    re.compile(r"^[（(【\[]?\s*(?:完|終|终|全文完|END|end)\s*[）)】\]]?$"),
    re.compile(r"^[（(【\[]?\s*(?:责任编辑|責任編輯|值班编辑|编辑|編輯|责编|責編|校对|校對|审核|審核|审校|监制|監製|主编|統籌|统筹|策划|制作|編審|编审)\s*[:：|｜/]"),
    re.compile(r"^[（(【\[]?\s*(?:原标题|原標題|来源|來源|稿源|出处|文章来源|本文来源|图片来源|圖片來源|图源)\s*[:：]"),
    re.compile(rf"^(?:本报|本報|新华社|特约|见习|首席)?(?:记者|記者|通讯员|通訊員|作者|撰文|文|图|圖|摄影|攝影|实习生)\s*[:：/｜|]?\s*[{CJK_CHARS}·]{{2,4}}(?:[\s、，,]+(?:(?:本报|本報)?(?:记者|記者|通讯员|通訊員|摄影|实习生)\s*)?[{CJK_CHARS}·]{{2,4}})*\s*(?:报道|報道|摄|攝)?[。.]?$"),
    PHOTO_CREDIT,
    re.compile(r"^(?:图为|圖為|图片|图：|图/|圖：)"),
    re.compile(r"^(?:首页|首頁|位置)\s*[:：>»]|(?:当前|當前|您的|你的)位置\s*[:：]|\s[>»]\s.*\s[>»]\s"),
    re.compile(r"^[【\[]?\s*(?:字号|字體|字体|打印|关闭|關閉|分享到|扫一扫|掃一掃|返回首页|返回顶部|纠错|糾錯|点击进入|上一篇|下一篇|相关阅读|相关新闻|推荐阅读|延伸阅读|热点推荐|相关文章)"),
    re.compile(r"^\s*[|｜]|(?:\s[-–]\s\S{1,8}){4}|->|^\[[^\]]+\]$"),
    re.compile(r"^(?:Topics?|Tags?|Filed under|标签|標籤|关键词|關鍵詞|关键字)\s*[:：]", re.I),
    re.compile(r"版权所有|版權所有|Copyright\s*(?:©|\([Cc]\)|\d{4})|©|All rights reserved"),
    re.compile(r"^By\s+(?:[A-Z][\w.'’-]*\s*(?:,|and|&)?\s*){1,8}$"),
    re.compile(r"^\(?\s*(?:(?:Additional\s+)?Reporting|Writing|Editing|Compiled)\s+by\b", re.I),
    re.compile(r"^\(?\s*(?:Photo(?:graph)?s?|Image|Picture|Credit|Illustration|Source)\s*(?:by\b|:|credit)", re.I),
    re.compile(r"(?:Getty Images|AP Photo|Reuters/|AFP via|/AFP|/Reuters)[^.]{0,40}\)?$"),
    re.compile(r"仅供其表达个人看法|不代表本[站网报]|并不表明.{0,8}立场|免责声明|版权声明|转载请注明|未经授权"),
    re.compile(r"^(?:Advertisement|Share this|Read more|Related:|Sign up|Subscribe|Follow us|Click here|Skip to)\b", re.I),
]  # fmt: skip


@dataclass
class Sentence:
    """One sentence of a text and the number of its paragraph."""

    text: str
    para: int
    complete: bool  # ends with sentence punctuation (not a fragment cut mid-sentence)


def _quote_spans(para: str) -> bytearray:
    """Marks positions inside short balanced Chinese quotes, where a 。 ends no sentence."""
    inside = bytearray(len(para))
    for match in _OPENER.finditer(para):
        start = match.start()
        if inside[start]:
            continue
        end = para.find(_OPENERS[match.group(0)], start + 1, start + 2 + _QUOTE_SPAN)
        if end > 0:
            inside[start + 1 : end] = b"\x01" * (end - start - 1)
    return inside


def _latin_break(para: str, start: int, dot: int, after: int) -> bool:
    """Whether a `.`, `!` or `?` at `dot` ends an English sentence (abbreviations, decimals)."""
    if after >= len(para):
        return True
    if not para[after].isspace():
        # “…debt.”That would: a missing space after a closing quote still ends it.
        return is_cjk(para[after]) or (para[after - 1] in CLOSERS and para[after].isupper())
    following = para[after : after + 40].lstrip()
    if not following or following[0].islower():
        return False
    if para[dot] != ".":
        return True
    word = re.search(r"[A-Za-z.]*$", para[max(start, dot - 40) : dot])
    token = (word.group(0) if word else "").lower().lstrip(".")
    next_word = re.match(r"[A-Za-z]+", following)
    starter = bool(next_word and next_word.group(0) in _STARTERS)
    if token in _TITLES or (len(token) == 1 and para[dot - 1].isupper()):
        return False
    if token in _ABBREVS or "." in token:
        return starter
    return True


def _split_paragraph(para: str) -> list[str]:
    """One paragraph's sentences, with a dateline lead-in and an end mark split off."""
    pieces: list[str] = []
    lead = _DATELINE.match(para)
    if lead:
        pieces.append(lead.group(0).strip())
        para = para[lead.end() :]
    tail = _END_MARK.search(para)
    end_mark = tail.group(0).strip() if tail and tail.start() > 0 else None
    if end_mark is not None and tail is not None:
        para = para[: tail.start()]
    inside = _quote_spans(para)
    start = 0
    for match in _TERM_RUN.finditer(para):
        i, j = match.span()
        if inside[i]:
            # A 。 inside a quote ends a sentence only with the quote: “……。”
            if all(inside[i:j]) or para[i] == ";":
                continue
        elif para[i] != "供" and not _ends_here(para, start, i, j):
            continue
        pieces.append(para[start:j])
        start = j
    pieces.append(para[start:])
    if end_mark:
        pieces.append(end_mark)
    return _merge_speech_tags([p.strip() for p in pieces if p.strip()])


def _ends_here(para: str, start: int, term: int, after: int) -> bool:
    char = para[term]
    if char == "." and term + 1 < len(para) and para[term + 1].isdigit():
        return False
    if char in "．." and after < len(para) and para[after].isdigit():
        return False
    if char in "。！？；｡":
        return True
    if char == ";":
        return term > 0 and is_cjk(para[term - 1])
    prev = para[term - 1] if term > 0 else ""
    if char == "．":  # old pages sprinkle it inside words (主．义) against copying
        return after >= len(para) or para[after].isspace() or para[after - 1] in CLOSERS
    cjk_context = char == "…" or (bool(prev) and is_cjk(prev) and char in ".!?")
    if cjk_context and (after >= len(para) or is_cjk(para[after])):
        return True
    return _latin_break(para, start, term, after)


_SPEECH_TAG = re.compile(
    rf"^[{CJK_CHARS}·]{{0,14}}(?:说|說|表示|介绍|介紹|称|稱|道|指出|坦言|告诉记者|告訴記者)[。！]$"
)


def _merge_speech_tags(pieces: list[str]) -> list[str]:
    """“……。”他说。 stays one sentence: a short speech tag joins the quote before it."""
    merged: list[str] = []
    for piece in pieces:
        if merged and merged[-1][-1] in "”」』" and _SPEECH_TAG.match(piece):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def segments(text: str, head: int | None = None) -> list[Sentence]:
    """The sentences of text, of its first `head` paragraphs when given."""
    out: list[Sentence] = []
    paragraphs = [p.strip() for p in re.split(r"[\r\n]+", text) if p.strip()]
    for number, para in enumerate(paragraphs[:head]):
        for piece in _split_paragraph(para):
            last = piece.rstrip(_CLOSER_CHARS)
            out.append(Sentence(piece, number, bool(last) and last[-1] in _COMPLETE_ENDS))
    return out


def split_sentences(text: str) -> list[str]:
    """Split text into sentences: Chinese and English punctuation, quotes, paragraphs."""
    return [s.text for s in segments(text)]


def is_noise(sentence: str) -> bool:
    """True for bylines, editor lines, end marks, photo credits, 原标题 and navigation text."""
    text = sentence.strip()
    if text.count("|") + text.count("｜") >= 2:  # a menu or a table row
        return True
    # Credits and menus are short: a long sentence is only checked at its start.
    return any(pattern.search(text if len(text) < 300 else text[:300]) for pattern in _NOISE)
