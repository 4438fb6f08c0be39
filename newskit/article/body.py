"""trafilatura's body passes on our tree: step by step where passes share their first prunes,
its fallback comparison run only where it could matter."""

from __future__ import annotations

from typing import Any, Protocol


class ExtractOptions(Protocol):
    """What the body passes read of newskit.article.extraction.ExtractOptions."""

    @property
    def comments(self) -> bool: ...

    @property
    def tables(self) -> bool: ...


def _extractor(url: str | None, opts: ExtractOptions, focus: str, fast: bool) -> Any:
    """trafilatura's options for one body pass, the same whether it runs whole or in parts.

    Output "txt", not "python": bare_extraction then keeps the main extractor's own text in
    `raw_text`, the length its fallback comparison weighs (the body drops repeats after it).
    """
    from trafilatura.settings import Extractor

    return Extractor(
        output_format="txt",
        fast=fast,
        precision=focus == "precision",
        recall=focus == "recall",
        comments=opts.comments,
        tables=opts.tables,
        url=url,
    )


def document(
    tree: Any, url: str | None, opts: ExtractOptions, focus: str, fast: bool, raw: Any = None
) -> Any:
    """trafilatura's body document in one focus ("precision", "balanced" or "recall"), or None.

    Its `text` is the body as text, as bare_extraction's "python" output gives it. Given
    `raw` (the page as `pruned` left it), a pass without comments starts from there.
    """
    from trafilatura import bare_extraction
    from trafilatura.core import _forum_thread_page
    from trafilatura.xml import xmltotxt

    options = _extractor(url, opts, focus, fast)
    # not a balanced full pass: its recall retry has a jusText candidate, not mirrored here
    shared = focus != "balanced" or fast
    if raw is not None and shared and not opts.comments and not options.max_tree_size:
        forum = _forum_thread_page(tree)
        # trafilatura keeps the comment areas of a forum thread page (its posts) unless precise
        if focus == "precision" or not forum:
            return _from_pruned(raw, forum, options)
    doc = bare_extraction(tree, url=url, options=options)
    if doc is None or isinstance(doc, dict):
        return None
    doc.text = xmltotxt(doc.body, options.formatting)
    return doc


def pruned(tree: Any) -> Any:
    """A copy of the page as a pass without comments prunes it first, or None where it fails.

    trafilatura_sequence's first two steps (embedded pages, then comment areas and lists);
    the passes and readability's comparison start from it (see document).
    """
    from copy import copy

    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

    try:
        raw = prune_unwanted_nodes(copy(tree), RAW_TREE_PRUNE_XPATH)
        return prune_unwanted_nodes(raw, REMOVE_COMMENTS_AND_LISTS_XPATH)
    except (TypeError, ValueError):
        return None


def _from_pruned(raw: Any, forum: bool, options: Any) -> Any:
    """bare_extraction's pass without comments from the pruned page: the rest of
    trafilatura_sequence (tree preparation, main extractor and, unless fast, its fallback
    comparison; a balanced pass's rescues), then bare_extraction's checks.
    """
    from lxml.etree import Element
    from trafilatura.core import _extract_and_compare, _prepare_tree
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.settings import Document
    from trafilatura.xml import xmltotxt
    from trafilatura.xpaths import REMOVE_COMMENTS_XPATH

    try:
        cleaned, backup = _prepare_tree(raw, options, options.url)
        if options.focus == "precision" and not forum:
            cleaned = prune_unwanted_nodes(cleaned, REMOVE_COMMENTS_XPATH)
        body, text = _extract_and_compare(cleaned, backup, raw, options)
        if options.focus != "precision":
            body, text = _rescues(raw, body, text, options)
    except (TypeError, ValueError):  # bare_extraction's "discarding data"
        return None
    if len(text) < options.min_output_size:
        return None
    doc = Document()
    doc.body, doc.raw_text, doc.commentsbody = body, text, Element("body")
    doc.text = xmltotxt(body, options.formatting)
    return doc


def _rescues(raw: Any, body: Any, text: str, options: Any) -> tuple[Any, str]:
    """trafilatura_sequence's stages 3-4 past a precise focus: the baseline where the main
    extractor fell short, then (balanced, fast) the recall retry where it covers little of
    the page."""
    from copy import copy

    from trafilatura import core
    from trafilatura.baseline import baseline, html2txt

    if len(text) < options.min_extracted_size:
        b_body, b_text, b_len = baseline(raw)
        if b_len > len(text):
            body, text = b_body, b_text
    short = options.focus == "balanced" and 0 < len(text) < core.ESCALATION_MAX_LENGTH
    if short and len(text) < core.ESCALATION_PAGE_SHARE * len(html2txt(raw)):
        retry = copy(options)
        retry.focus = "recall"
        r_text = ""
        try:
            r_body, r_text = core._recall_retry(raw, retry, options.url)
        except Exception:  # trafilatura guards the retry so: it is optional
            r_text = ""
        # fast mode: no jusText candidate
        ratio = core.ESCALATION_ACCEPT_RATIO
        if len(r_text) >= options.min_extracted_size and len(r_text) > ratio * len(text):
            body, text = r_body, r_text
    return body, text


_MIN_SIZE = 250  # trafilatura's MIN_EXTRACTED_SIZE (settings.cfg): shorter goes to jusText
# Elements trafilatura drops as teasers, except in fast mode (its TEASER_DISCARD_XPATH).
_TEASERS = ".//*[contains(translate(@id, 'T', 't'), 'teaser') or contains(translate(@class, 'T', 't'), 'teaser')]"


def _compared(doc: Any, raw: Any, prose: int, options: Any) -> str | None:
    """The precise pass's text from its main result and readability's, or None to run it in full.

    trafilatura's own rules (external.compare_extraction, precision focus): jusText is tried
    only on a result under MIN_EXTRACTED_SIZE or holding unclean elements; readability's
    output wins only over a result with no paragraph, more tables than paragraphs, or under
    half its length. Readability is run here only when the result is under half the page's
    own paragraph text, so most pages skip it. Where it wins with a body jusText would not
    be tried on, the pass ends as trafilatura's does: that body sanitized, then as text.
    """
    from trafilatura.external import SANITIZED_XPATH, sanitize_tree
    from trafilatura.xml import xmltotxt

    body = doc.body
    if body is None or body.xpath(SANITIZED_XPATH):
        return None
    size = len(doc.raw_text)
    paragraphs = len(body.findall(".//p"))
    if (
        size < options.min_extracted_size
        or not paragraphs
        or len(body.findall(".//table")) > paragraphs
    ):
        return None
    text: str = doc.text or ""
    if 2 * size >= prose:
        return text
    won = _readability_wins(body, size, raw, options)
    if won is None:
        return text
    algo, algo_size = won
    if options.max_tree_size or algo_size < options.min_extracted_size:
        return None
    if algo.xpath(SANITIZED_XPATH):
        return None
    algo, algo_text = sanitize_tree(algo, options)
    # bare_extraction's size check: a shorter text is no document at all
    if len(algo_text) < options.min_output_size:
        return ""
    algo_out: str = xmltotxt(algo, options.formatting)
    return algo_out


def _readability_wins(body: Any, size: int, raw: Any, options: Any) -> tuple[Any, int] | None:
    """Readability's body and text length where trafilatura would prefer it to the main result.

    `raw` is the page as the pass's first prunes left it (see `pruned`).
    """
    from copy import copy

    from lxml.etree import tostring
    from trafilatura.external import _prefer_readability, try_readability
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.utils import trim

    from newskit.article.discards import OVERALL_DISCARD

    algo = try_readability(prune_unwanted_nodes(copy(raw), OVERALL_DISCARD))
    algo_text = trim(tostring(algo, method="text", encoding="utf-8").decode("utf-8"))
    if not _prefer_readability(body, algo, algo_text, size, len(algo_text), options):
        return None
    return algo, len(algo_text)


def main_only(
    tree: Any, url: str | None, opts: ExtractOptions, prose: int, page_chars: int
) -> tuple[str | None, Any]:
    """The precise pass's text without its full run where that gives the same, else None;
    and the pruned page (see `pruned`; None with comments asked for), for later passes.

    The main extractor runs in fast mode, then the fallback comparison above (it costs about
    a third of the pass and changes the result on few pages). Fast mode differs otherwise
    only by keeping teaser blocks, so a page with any (or with comments asked for) goes the
    full way at once.
    """
    if opts.comments:
        return None, None
    raw = pruned(tree)  # every pass from here starts so: made once, shared
    # With little paragraph text (in all, or under a tenth of the page's) the main extractor
    # alone mostly falls short, and the full pass would run after it.
    if raw is None or prose < _MIN_SIZE or prose < 0.1 * page_chars or tree.xpath(_TEASERS):
        return None, raw
    doc = document(tree, url, opts, "precision", fast=True, raw=raw)
    if doc is None:
        return None, raw
    return _compared(doc, raw, prose, _extractor(url, opts, "precision", fast=False)), raw
