"""Body text cleaning: widget lines, lead-box repeats, related-story tails and footers.

Runs on trafilatura's text, paragraph by paragraph; the word lists live in
`article.meta.lexicon`.
"""

from __future__ import annotations

import re

from newskit.article.meta import lexicon
from newskit.article.meta.facts import PRIVATE_USE
from newskit.core.text import CJK

_WIDGETS = "|".join(sorted(lexicon.WIDGET_WORDS, key=len, reverse=True))
_PHRASES = "|".join(lexicon.WIDGET_PHRASES)
_OPENING = r"^[\s|<«【\[（(]*"
# A widget word standing alone or before a separator (打印 | 关闭), or a labelled line.
_NOISE_LINE = re.compile(
    rf"{_OPENING}(?:{_PHRASES}|(?:{_WIDGETS})(?=$|[\s\d:：|｜/／】\]）)>»\-—·,，]|{_WIDGETS})"
    rf"|(?:{'|'.join(lexicon.BODY_LABELS)})\s*[:：])"
)
_NOISE_MAX = 60
# Headings of the related-story blocks that follow the body: everything after them goes.
_TAIL_MARKERS = re.compile(
    r"^[\s【\[-]*(?:相关阅读|相关新闻|相关报道|相关链接|相关文章|相关推荐|推荐阅读|延伸阅读|"
    r"热点推荐|热门推荐|热门文章|热点新闻|推荐新闻|为您推荐|猜你喜欢|更多精彩|关注我们|"
    r"上一篇|下一篇|上一條|下一條|相關新聞|相關閱讀|延伸閱讀|推薦閱讀|-?\s*THE END\b)"
)
_FOOTER_LINE = re.compile(
    r"版权所有|版權所有|copyright|©|ICP备|ICP证|关于我们|联系我们|广告服务|网站地图|"
    r"举报电话|举报邮箱|不良信息|扫描.{0,6}二维码|扫码关注|^特别声明|免责声明|版权声明|^Notice: The content above",
    re.IGNORECASE,
)
_EDITOR_TAIL = re.compile(
    r"\s*[（(【\[]\s*(?:责任编辑|責任編輯|责编|編輯|编辑)\s*[:：][^（）()]{1,20}[）)】\]]\s*$"
)
_WORD = re.compile(r"\w")
_LEAD_END = re.compile(r"[…\.。·\s]+$")
_SENTENCE_END = ("。", "！", "？", ".", "!", "?", "”", '"', "」")
_TAIL_WINDOW = 12
# Prose after a footer-like line, as a share of the text, that shows the line is inside the
# article (a sentence about copyright) rather than the page's footer.
_PROSE_AFTER = 0.15


def _drop_lead_duplicate(paragraphs: list[str]) -> list[str]:
    """Drop a summary box among the first paragraphs that repeats (or cuts short) the body."""
    for i, para in enumerate(paragraphs[:3]):
        stem = _LEAD_END.sub("", para)
        # A real summary box is a long passage; a short line that starts like the next
        # paragraph (a heading, a dateline) is not one.
        if len(stem) < 40 and len(CJK.findall(stem)) < 20:
            continue
        following = paragraphs[i + 1 : i + 6]
        later = "".join(following)
        if following[:1] == [para] or (later.startswith(stem) and stem != later):
            return paragraphs[:i] + paragraphs[i + 1 :]
    return paragraphs


def _prose(paragraphs: list[str]) -> int:
    """Characters of paragraphs that read as prose (long, ending a sentence)."""
    return sum(len(p) for p in paragraphs if len(p) >= 60 and p.endswith(_SENTENCE_END))


def _cut_tail(paragraphs: list[str]) -> list[str]:
    """Cut the page furniture after the body: related lists, follow-us boxes, footers."""
    total = sum(len(p) for p in paragraphs)
    start = max(1, len(paragraphs) - _TAIL_WINDOW)
    before = sum(len(p) for p in paragraphs[:start])
    for i in range(start, len(paragraphs)):
        para = paragraphs[i]
        marker = len(para) <= 20 and _TAIL_MARKERS.match(para)
        footer = len(para) <= 200 and _FOOTER_LINE.search(para)
        # A footer line followed by more prose is a sentence of the article, not its end.
        if footer and _prose(paragraphs[i + 1 :]) > _PROSE_AFTER * total:
            footer = None
        # Only past the middle of the text, so a short article never loses its body.
        if before > total / 2 and (marker or footer):
            return paragraphs[:i]
        before += len(para)
    return paragraphs


def clean_text(text: str) -> str:
    """Drop widget lines, trailing related-story lists and footers, and a lead-box duplicate."""
    if not text.isascii():  # private-use characters are none
        text = PRIVATE_USE.sub("", text)
    # Lines with no word at all: the empty rows of layout tables, rules, stray bullets.
    paragraphs = [p.strip() for p in text.split("\n") if _WORD.search(p)]
    total = sum(len(p) for p in paragraphs)
    kept: list[str] = []
    seen = 0
    for para in paragraphs:
        seen += len(para)
        if len(para) <= 20 and _TAIL_MARKERS.match(para) and seen > total / 2:
            break
        if len(para) <= _NOISE_MAX and (_NOISE_LINE.match(para) or _TAIL_MARKERS.match(para)):
            continue
        kept.append(para)
    kept = _cut_tail(kept)
    if kept:
        kept[-1] = _EDITOR_TAIL.sub("", kept[-1])
    return "\n".join(_drop_lead_duplicate(kept))
