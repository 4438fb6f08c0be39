"""The pictures inside an article's body, each with its caption, and the caption lines out of the text.

The body is the element holding most of the paragraphs the extracted text came from; only
its pictures count, so the site's logo, menus and side columns never do. Inside it, icons,
share buttons, tracking pixels, QR codes and ads are dropped by size and by name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from newskit.core.models import Figure
from newskit.core.patterns import lazy_compile
from newskit.core.text import words

# Attributes lazy-loading scripts keep the real address in, before `src` (often a placeholder).
SOURCE_ATTRIBUTES = ("data-original", "data-src", "data-lazy-src", "data-url", "original", "src")
# Names (in the address, class, id or alt) of pictures that are no figures, in any case; both
# scripts.
NOT_FIGURE = (
    r"logo|icon|favicon|avatar|share|sharing|weixin|wechat|weibo|qrcode|qr[-_]?code|erweima|ewm|"
    r"二维码|二維碼|button|btn|arrow|spacer|pixel|blank\.gif|loading|placeholder|emoji|emoticon|"
    r"(?<![a-z])ads?(?![a-z])|advert|adv[-_]|banner|guanggao|广告|廣告|sponsor|tracking|beacon|"
    r"count\.|stat\.|1x1|clear\.gif|transparent|(?<![a-z])math(?![a-z])|formula|latex|smiley|"
    r"slogan|(?<![a-z])ic[-_]|(?<![a-z])(?:next|prev)[-_]?(?:page)?(?![a-z])|nextpage|xiayiye|"
    r"打印|列印|发送|發送|分享|收藏|推荐给|推薦給|关闭|關閉|返回|字号|字號|订阅|訂閱|扫码|掃碼|扫一扫|掃一掃|"
    r"关注我们|關注我們|关注微信|關注微信|关注官方|關注官方|公众号|公眾號|客户端下载|客戶端下載"
)
# The standard (IAB) ad sizes, width x height: a picture of exactly one of them is an ad.
AD_SIZES = frozenset(
    {
        (300, 250),
        (728, 90),
        (160, 600),
        (336, 280),
        (468, 60),
        (250, 250),
        (120, 600),
        (300, 600),
        (970, 90),
        (970, 250),
        (320, 50),
        (300, 100),
        (234, 60),
        (125, 125),
    }
)
_AD_SIZE_IN_NAME = lazy_compile(r"(?<!\d)(\d{2,3})x(\d{2,3})(?!\d)")
# Ancestors (class or id, in any case) that hold page furniture rather than the story.
FURNITURE = (
    r"share|social|toolbar|author[-_]?(?:box|info|avatar)|comment|related|recommend|sidebar|"
    r"footer|header|nav(?![a-z])|menu|qrcode|erweima|(?<![a-z])ad(?:s|v)?(?![a-z])|advert|banner|"
    r"pager|pagination|pagelink|nextpage|page-?nav|fenye|ewm|follow-?us|guanzhu"
)
# The smallest picture (width or height, pixels) that can be a figure: icons are smaller.
MIN_SIDE = 100
# Caption lines portals put under a picture (both scripts).
CAPTION_START = lazy_compile(
    r"^(?:图为|圖為|图：|圖：|图:|圖:|图/|圖/|图片[:：]|圖片[:：]|上图|上圖|下图|下圖|左图|左圖|右图|右圖|"
    r"[▲△▼↑]|[（(]\s*(?:图片|圖片|图|圖|摄影|攝影)|图片来源|圖片來源|图片由|圖片由|资料图|資料圖|"
    r"photo\b|image\b|pictured\b|credit\b)",
    re.IGNORECASE,
)
CAPTION_END = lazy_compile(
    r"(?:摄|攝|摄影|攝影|供图|供圖|视觉中国|視覺中國|图片来源[^）)]*|圖片來源[^）)]*)\s*[）)]?\s*$"
)
CAPTION_CLASS = lazy_compile(
    r"caption|center|pic|img|image|photo|figure|note|desc|explain|tuzhu|tushuo|imgtxt|图注",
    re.IGNORECASE,
)
# Longest caption set apart only by its style; one a caption pattern marks may run longer.
MAX_STYLED_CAPTION = 80
MAX_CAPTION = 150
# Caption lines leave the text, unless they hold this share of it: then they tell the story.
NARRATIVE_SHARE = 0.3
# Lines that open the body (a summary, an editor's note), never a picture's caption.
NOT_CAPTION = lazy_compile(
    r"^[\[【（(]?\s*(?:摘要|导读|導讀|编者按|編者按|核心提示|内容提要|內容提要)"
)
_CENTERED = lazy_compile(r"text-align\s*:\s*center", re.IGNORECASE)
_SMALL_FONT = lazy_compile(r"font-size\s*:\s*(?:1[0-3]px|[5-9]pt|1[01]pt|small|x-small|smaller)")
_BLOCKS = words("p div center td li figure section article dd h3 h4 h5 h6 table")
_NOT_BODY = words("head script style noscript template select textarea svg nav iframe")
_LINE_TAGS = words("p div td li span font center h2 h3 h4 blockquote dd")
_HIDDEN = lazy_compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NUMBER = lazy_compile(r"^\s*(\d{1,5})(?:px)?\s*$")
_STYLE_SIDE = lazy_compile(r"(?<![-\w])(width|height)\s*:\s*(\d{1,5})px", re.IGNORECASE)


def _case_blind(source: str) -> Callable[[str], bool]:
    """A case-blind search for a lower-case pattern, several times faster in `re` than IGNORECASE.

    ASCII text is lower-cased and searched without IGNORECASE: the same answer, since the
    pattern's letters are all lower case; other text is searched as before. Each of the two
    is compiled when first needed.
    """
    blind, exact = lazy_compile(source, re.IGNORECASE), lazy_compile(source)

    def search(text: str) -> bool:
        found = exact().search(text.lower()) if text.isascii() else blind().search(text)
        return found is not None

    return search


_not_figure, _furniture = _case_blind(NOT_FIGURE), _case_blind(FURNITURE)


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


def _holds_text(node: Any) -> bool:
    """True when some text lies inside (stops at the first piece found)."""
    text = node.text  # the first piece itertext() gives: most blocks answer here
    return bool(text and not text.isspace()) or any(
        not chunk.isspace() for chunk in node.itertext()
    )


def _body_nodes(tree: Any, lines: set[str]) -> dict[Any, str]:
    """Elements whose whole text is one line of the extracted body, in page order.

    Elements with a block child holding text are not read (a container's text is many
    lines; a block holding only a picture does not count), and a match's own descendants
    are skipped, so each element's text is read once at most. Only elements of the line
    tags are visited, found by lxml's own tag filter.
    """
    skipped: set[Any] = set()  # line elements of areas that are no body, or inside a match
    for area in tree.iter(*_NOT_BODY):
        skipped.update(area.iter(*_LINE_TAGS))
    found: dict[Any, str] = {}
    for node in tree.iter(*_LINE_TAGS):
        if node in skipped:
            continue
        if len(node):
            if any(child.tag in _BLOCKS and _holds_text(child) for child in node):
                continue
            text = node.text_content()
        else:
            text = node.text or ""  # a leaf's text, without asking XPath for it
        if len(text) < 8:
            continue  # folding only shortens it
        text = _fold(text)
        if len(text) >= 8 and text in lines:
            found[node] = text
            skipped.update(node.iter(*_LINE_TAGS))
    return found


def _container(nodes: list[Any]) -> Any | None:
    """The deepest element holding most (60%) of the body's paragraphs."""
    if not nodes:
        return None
    counts: Counter[Any] = Counter()
    depth: dict[Any, int] = {}
    for node in nodes:
        ancestors = list(node.iterancestors())
        for i, parent in enumerate(ancestors):
            counts[parent] += 1
            depth[parent] = len(ancestors) - i
    need = max(1, -(-len(nodes) * 3 // 5))
    fitting = [parent for parent, count in counts.items() if count >= need]
    return max(fitting, key=lambda parent: depth[parent]) if fitting else None


def _source(img: Any) -> str | None:
    for name in SOURCE_ATTRIBUTES:
        value = (img.get(name) or "").strip()
        if value and not value.startswith("data:") and not _not_figure(value):
            return value
    return None


def _side(img: Any, name: str) -> int | None:
    match = _NUMBER().match(img.get(name) or "")
    if match:
        return int(match.group(1))
    for key, value in _STYLE_SIDE().findall(img.get("style") or ""):
        if key.lower() == name:
            return int(value)
    return None


def _is_furniture(img: Any, container: Any) -> bool:
    """An icon, a button, a pixel or an ad rather than a picture of the story (by its file
    name too: see _ad_sized)."""
    names = " ".join(filter(None, (img.get("class"), img.get("id"), img.get("alt"))))
    if _not_figure(names):
        return True
    for parent in img.iterancestors():
        if parent is container:
            break
        marks = " ".join(filter(None, (parent.get("class"), parent.get("id"))))
        if marks and _furniture(marks):
            return True
    if img.get("hidden") is not None or _HIDDEN().search(img.get("style") or ""):
        return True  # a tracking pixel, or a picture the page does not show
    width, height = _side(img, "width"), _side(img, "height")
    return (
        (width, height) in AD_SIZES
        or width == height == 0
        or any(side < MIN_SIDE for side in (width, height) if side)
    )


def _ad_sized(src: str | None) -> bool:
    """A picture whose file name states an ad size (banner_728x90.jpg)."""
    name = (src or "").split("?")[0].rsplit("/", 1)[-1]
    return any((int(w), int(h)) in AD_SIZES for w, h in _AD_SIZE_IN_NAME().findall(name))


def _text_after(img: Any) -> tuple[str, Any]:
    """The text that follows the picture inside its own block, and that block."""
    block = img
    while block.getparent() is not None and block.tag not in _BLOCKS:
        block = block.getparent()
    parts: list[str] = []
    seen = False
    for node in block.iter():
        if node is img:
            seen = True
            parts.append(img.tail or "")
            continue
        if seen and not any(a is img for a in node.iterancestors()):
            if node.tag in ("script", "style"):
                continue
            parts.append((node.text or "") + (node.tail or ""))
    return _fold("".join(parts)), block


def _styled(node: Any) -> bool:
    """Centred or small text, or a block named as a caption: how portals set captions."""
    for each in (node, *list(node.iterancestors())[:2]):
        style = each.get("style") or ""
        marks = " ".join(filter(None, (each.get("class"), each.get("id"))))
        if each.tag in ("center", "small", "figcaption") or (each.get("align") or "") == "center":
            return True
        if (
            _CENTERED().search(style)
            or _SMALL_FONT().search(style)
            or CAPTION_CLASS().search(marks)
        ):
            return True
        if each.tag == "font" and (each.get("size") or "") in ("1", "2", "-1", "-2"):
            return True
    return any(child.tag in ("small", "font", "center") for child in node.iter())


def _caption_like(text: str, styled: bool, node: Any) -> bool:
    """Short, set apart or worded as a caption, and not a row of links."""
    if not text or len(text) > MAX_CAPTION or NOT_CAPTION().match(text):
        return False
    linked = sum(len(_fold(a.text_content())) for a in node.iter("a"))
    if linked > len(text) / 2:
        return False
    if CAPTION_START().match(text) or CAPTION_END().search(text):
        return True
    return styled and len(text) <= MAX_STYLED_CAPTION


def _caption(img: Any) -> str | None:
    """The picture's caption: <figcaption>, else the short styled line right under it."""
    figure = next((a for a in img.iterancestors() if a.tag == "figure"), None)
    if figure is not None:
        node = figure.find(".//figcaption")
        return _fold(node.text_content()) or None if node is not None else None
    text, block = _text_after(img)
    if text:
        return text if _caption_like(text, _styled(block), block) else None
    following = block.getnext()
    while following is not None and not _fold(following.text_content()):
        if following.find(".//img") is not None:
            return None
        following = following.getnext()
    if following is None or following.find(".//img") is not None:
        return None
    text = _fold(following.text_content())
    return text if _caption_like(text, _styled(following), following) else None


def _line_numbers(nodes: dict[Any, str], folded: list[str]) -> dict[Any, int]:
    """Each body element's line in the text (lines folded), matched in order (a line may repeat)."""
    numbers: dict[Any, int] = {}
    cursor = 0
    for node, text in nodes.items():
        try:
            cursor = folded.index(text, cursor)
        except ValueError:
            if text not in folded:
                continue
            cursor = folded.index(text)
        numbers[node] = cursor
    return numbers


def collect(tree: Any, url: str | None, text: str) -> tuple[str, list[Figure]]:
    """The body's figures in order, and the text without the lines that are only captions."""
    lines = text.split("\n")
    folded = [_fold(line) for line in lines]
    nodes = _body_nodes(tree, set(folded))
    container = _container(list(nodes))
    if container is None:
        return text, []
    numbers = _line_numbers(nodes, folded)
    figures: list[tuple[Figure, int]] = []
    seen: set[str] = set()
    last = -1  # the line the last body element held: a figure stands after it
    for node in container.iter("img", *_LINE_TAGS):  # body elements hold line tags only
        if node in numbers:
            last = numbers[node]
        elif node.tag == "img" and not _is_furniture(node, container):
            src = _source(node)  # read once: its pattern search is slow on long addresses
            address = urljoin(url, src) if src and url else src
            if address is None or address in seen or _ad_sized(src):
                continue
            seen.add(address)
            figure = Figure(address, _caption(node), _fold(node.get("alt")) or None)
            figure.width, figure.height = _side(node, "width"), _side(node, "height")
            holder = next((numbers[a] for a in node.iterancestors() if a in numbers), None)
            figures.append((figure, last if holder is None else holder - 1))
    captions = {figure.caption for figure, _ in figures if figure.caption}
    dropped = [i for i, line in enumerate(folded) if line in captions] if captions else []
    if sum(len(lines[i]) for i in dropped) > NARRATIVE_SHARE * len(text):
        dropped = []  # a photo essay: the lines under the pictures are the story itself
    for figure, after in figures:
        figure.paragraph = max(0, after + 1 - sum(1 for i in dropped if i <= after))
    gone = set(dropped)
    kept = [line for i, line in enumerate(lines) if i not in gone]
    return "\n".join(kept), [figure for figure, _ in figures]
