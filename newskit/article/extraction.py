"""HTML to Article: decode once, parse once, trafilatura for the body, our metadata layer."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from newskit.article import parts
from newskit.article.body import document, main_only
from newskit.article.cleaning import clean_text
from newskit.article.decoding import decode, looks_utf16
from newskit.article.meta import assembly, facts
from newskit.clusters.fingerprint import fingerprint
from newskit.core.errors import ExtractionError, InputError
from newskit.core.models import Article, options_from
from newskit.core.text import CJK, CJK_CHARS, sniff_binary
from newskit.core.times import localize
from newskit.text.scripts import detect_script


@dataclass(frozen=True)
class ExtractOptions:
    """Everything that tunes one extraction; built once by the CLI, passed to the API."""

    encoding: str | None = None
    precision: bool = True
    tables: bool = True
    comments: bool = False
    # The zone (IANA name) of times the page states without an offset: `--tz Asia/Shanghai`.
    tz: str | None = None

    @classmethod
    def from_kwargs(cls, **kwargs: Any) -> ExtractOptions:
        """Build options from keyword arguments, refusing unknown names."""
        return options_from(cls, kwargs, "extract")


_LATIN_WORD = re.compile(rf"[^\W{CJK_CHARS}]+")


# In ASCII text a word is a run of letters, digits and "_": every other character → a space.
_ASCII_NOT_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
)


def _counts(text: str) -> tuple[int, int]:
    """Chinese characters and other words in the text (ASCII text split in C, no regex)."""
    if text.isascii():
        return 0, len(text.translate(_ASCII_NOT_WORD).split())
    return len(CJK.findall(text)), len(_LATIN_WORD.findall(text))


def _minutes(cjk: int, other: int) -> int:
    """Minutes to read, rounded up; 0 for a text with no words."""
    return max(1, math.ceil(cjk / 400 + other / 230)) if cjk or other else 0


def measure(article: Article) -> None:
    """Fill `chars`, `words` (each Chinese character one word) and `reading_minutes` (~400
    Chinese characters or ~230 other words a minute) from the text, read once."""
    cjk, other = _counts(article.text)
    article.chars = len(article.text)
    article.words = cjk + other
    article.reading_minutes = _minutes(cjk, other)


def to_text(
    data: bytes | str, options: ExtractOptions, http_charset: str | None = None
) -> tuple[str, str | None]:
    """Page bytes to text, refusing empty and binary input."""
    if isinstance(data, str):
        if not data.strip():
            raise InputError("empty input")
        return data, None
    if not data.strip():
        raise InputError("empty input")
    kind = sniff_binary(data[:1024])
    if kind and not (kind == "binary data" and looks_utf16(data, http_charset, options.encoding)):
        raise InputError("not an HTML page (binary content)")
    return decode(data, http_charset=http_charset, override=options.encoding)


_BLOCK_IN_CELL = ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "form", "iframe")


def _own_rows(table: Any) -> list[Any]:
    """This table's own <tr> rows, not those of tables nested in it."""
    return [row for row in table.iter("tr") if next(row.iterancestors("table"), None) is table]


def _cells(rows: list[Any]) -> list[Any]:
    """The <td>/<th> cells of these rows."""
    return [cell for row in rows for cell in row if cell.tag in ("td", "th")]


def _is_data_table(rows: list[Any]) -> bool:
    """Header cells, or a grid of several rows and columns: a table of data."""
    cells = _cells(rows)
    return any(cell.tag == "th" for cell in cells) or (
        len(rows) >= 4 and len(cells) >= 3 * len(rows)
    )


def _is_layout_table(table: Any, rows: list[Any]) -> bool:
    """A table used for page layout (cells holding blocks or long prose) rather than data."""
    cells = _cells(rows)
    if any(cell.tag == "th" for cell in cells):
        return False
    if table.find(".//table") is not None:
        return True
    # A grid of several rows and columns is data even when its cells wrap text in <p>.
    grid = _is_data_table(rows)
    for cell in cells:
        size = len(cell.text_content().strip())
        if size > 150 or (
            not grid and size > 60 and any(child.tag in _BLOCK_IN_CELL for child in cell)
        ):
            return True
    return False


def unwrap_layout_tables(tree: Any) -> None:
    """Turn layout tables into plain blocks, so trafilatura reads their prose as paragraphs.

    Small tables nested in a layout table (menus, link boxes) go with it; data tables stay.
    """
    tables = [(table, _own_rows(table)) for table in tree.iter("table")]
    layout = {table for table, rows in tables if _is_layout_table(table, rows)}
    doomed = [
        (table, rows)
        for table, rows in tables
        if table in layout
        or (
            not _is_data_table(rows)
            and any(outer in layout for outer in table.iterancestors("table"))
        )
    ]
    for table, rows in doomed:
        sections = [node for node in table if node.tag in ("tbody", "thead", "tfoot")]
        for node in [table, *sections, *rows, *_cells(rows)]:
            node.tag = "div"


# Control characters lxml refuses in element text (tab, LF and CR are fine).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s>/]|!--)")


@functools.cache
def _parser() -> Any:
    """trafilatura's HTML parser settings, with lxml.html's element classes chosen in C.

    lxml.html's own parser picks each element's class in a Python callback, once per element
    touched (over a million calls on the bench pages); every element here is an HtmlElement.
    """
    from lxml import etree, html

    parser = etree.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=html.HtmlElement,
            comment=html.HtmlComment,
            pi=html.HtmlProcessingInstruction,
            entity=html.HtmlEntity,
        )
    )
    return parser


def parse(text: str) -> Any:
    """Parse HTML text into an lxml tree, the one parse every later step shares.

    Does what trafilatura's load_html does for a decoded page, in C where it can: the
    control-character scrub runs on bytes, the doctype/<html/> repairs on the head only.
    It also accepts documents that do not open with <html> (browsers do, trafilatura not).
    """
    from lxml.html import fromstring
    from trafilatura.utils import repair_faulty_html

    if not _TAG.search(text[:65536]):
        raise ExtractionError("not an HTML page")
    head = repair_faulty_html(text[:4096], text[:50].lower())
    data = (head + text[4096:]).encode("utf-8", "ignore").translate(None, _CONTROL_BYTES)
    for noncharacter in (b"\xef\xbf\xbe", b"\xef\xbf\xbf"):  # U+FFFE, U+FFFF
        if noncharacter in data:
            data = data.replace(noncharacter, b"")
    try:
        tree = fromstring(data, parser=_parser())
    except (ValueError, TypeError) as err:
        raise ExtractionError(f"not an HTML page ({err})") from err
    if tree is None or not isinstance(tree.tag, str):
        raise ExtractionError("not an HTML page")
    return tree


def _trafilatura(
    tree: Any,
    url: str | None,
    opts: ExtractOptions,
    focus: str,
    fast: bool = False,
    raw: Any = None,
) -> str:
    """Body text by trafilatura in one focus ("precision", "balanced" or "recall"), or "".

    `raw`: the page as body.pruned left it, where a pass already made it (shared, not redone).
    """
    doc = document(tree, url, opts, focus, fast, raw=raw)
    return clean_text(doc.text or "") if doc is not None else ""


def _precise(
    tree: Any, url: str | None, opts: ExtractOptions, prose: int, page_chars: int
) -> tuple[str, Any]:
    """The precise pass, without trafilatura's fallbacks where they would change nothing;
    and the pruned page where it made one (see body.main_only)."""
    text, raw = main_only(tree, url, opts, prose, page_chars)
    if text is None:
        return _trafilatura(tree, url, opts, "precision", raw=raw), raw
    return clean_text(text), raw


def _paragraph_chars(tree: Any) -> int:
    """How much text the page holds in <p> elements: what an article extraction should reach."""
    return sum(len(part.strip()) for part in tree.xpath("//p//text()"))


def _link_chars(tree: Any) -> int:
    """How much of the page's text sits inside links."""
    return sum(len(part.strip()) for part in tree.xpath("//a//text()"))


def _rescued(
    tree: Any, url: str | None, opts: ExtractOptions, text: str, prose: int, raw: Any = None
) -> str:
    """A balanced re-run when the precise output is empty or misses most of the page's prose."""
    if len(text) >= 2000:
        return text
    # Short outputs are cheap to double-check, long ones only when they miss a lot.
    if text and len(text) >= prose * (0.45 if len(text) < 1000 else 0.25):
        return text
    # A page made of links (a channel or list page) would only yield more links, slowly.
    if _link_chars(tree) > 2.5 * max(prose, len(text), 200):
        return text
    # fast: trafilatura's own fallbacks (readability, jusText) cost much and add little here
    wider = _trafilatura(tree, url, opts, "balanced", fast=True, raw=raw)
    if len(wider) <= 1.5 * len(text) or not _keeps(wider, text):
        return text
    return wider


def _keeps(wider: str, text: str) -> bool:
    """Whether a wider text still holds most of the precise one (not comments in its place)."""
    paragraphs = [p for p in text.split("\n") if len(p) >= 20]
    if not paragraphs:
        return True
    return sum(p in wider for p in paragraphs) * 2 >= len(paragraphs)


def _fallback(tree: Any, url: str | None, opts: ExtractOptions, raw: Any = None) -> str:
    """When the usual pass finds nothing: the recall pass, then trafilatura's own fallbacks.

    A page whose article is very short (a notice) or very long can fall through the precise
    pass; trafilatura's readability and jusText fallbacks find it, so we never say "no
    article found" before trying them.
    """
    for focus, fast in (("recall", True), ("balanced", False)):
        body = _trafilatura(tree, url, opts, focus, fast=fast, raw=raw)
        if body.strip() and _reads_as_prose(body) and not looks_like_list(tree, body):
            return body
    return ""


_SENTENCE_END = ("。", "！", "？", "…", ".", "!", "?", "”", '"', "」", "）", ")")


def _reads_as_prose(text: str) -> bool:
    """Most of the text is sentences, not list items, ranks, dates or footer links.

    The fallbacks also read list and footer pages; only prose proves an article there.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    prose = sum(len(line) for line in lines if len(line) >= 15 and line.endswith(_SENTENCE_END))
    return prose >= 0.6 * sum(len(line) for line in lines)


def _anchor_texts(tree: Any) -> set[str]:
    """The labels of the page's links, whitespace folded."""
    texts = set()
    for node in tree.iter("a"):
        value = " ".join(node.text_content().split())
        if value:
            texts.add(value)
    return texts


def looks_like_list(tree: Any, text: str) -> bool:
    """True when the text is mostly the page's link labels: an index page, not an article."""
    lines = text.split("\n")
    if len(text) >= 200 and (len(lines) < 5 or len(text) / len(lines) >= 60):
        return False  # long lines of prose: no need to collect the page's links
    anchors = _anchor_texts(tree)
    linked = sum(len(line) for line in lines if " ".join(line.split()) in anchors)
    if len(lines) >= 5 and linked >= 0.5 * len(text):
        return True
    if len(text) < 200:
        # a short text glued from menu labels: what is left once the labels are gone
        rest = text
        for label in sorted(anchors, key=len, reverse=True):
            rest = rest.replace(label, "")
        return len(rest.strip()) <= 0.1 * len(text)
    return False


def extract(
    data: bytes | str,
    url: str | None = None,
    *,
    http_charset: str | None = None,
    options: ExtractOptions | None = None,
    **kwargs: Any,
) -> Article:
    """Extract the article of a page given as bytes (decoded here) or text.

    Raises InputError for unusable input and ExtractionError when there is no article.
    """
    opts = options or ExtractOptions.from_kwargs(**kwargs)
    text, codec = to_text(data, opts, http_charset)
    tree = parse(text)
    page_meta = facts.from_tree(tree)
    # trafilatura's own metadata rules, run once here so the body may be extracted twice.
    doc = assembly.TrafilaturaMeta(tree, url)
    if opts.tables:
        unwrap_layout_tables(tree)
    raw = None  # the page as the passes prune it first, once made (see body.pruned)
    if opts.precision:
        page_chars = sum(map(len, page_meta.lines))
        prose = _paragraph_chars(tree)  # the passes copy the tree: it stays as parsed
        text, raw = _precise(tree, url, opts, prose, page_chars)
        body = _rescued(tree, url, opts, text, prose, raw)
    else:
        body = _trafilatura(tree, url, opts, "recall")
    if not body.strip() or looks_like_list(tree, body):
        body = _fallback(tree, url, opts, raw)
    if not body.strip():
        raise ExtractionError("no article found")
    doc.text = body
    article = assembly.build(doc, page_meta, url)
    parts.page_parts(article, tree, article.url)
    if not article.text.strip():
        raise ExtractionError("no article found")
    article.encoding = codec
    if opts.tz:
        article.published = localize(article.published, opts.tz)
    article.script = detect_script(article.text)
    measure(article)
    article.fingerprint = fingerprint(article.text)
    if article.url and not article.site_name:
        article.site_name = urlsplit(article.url).hostname
    return article
