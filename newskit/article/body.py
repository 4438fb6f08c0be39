"""trafilatura's precise pass on our tree, its fallback comparison run only where it could matter."""

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


def document(tree: Any, url: str | None, opts: ExtractOptions, focus: str, fast: bool) -> Any:
    """trafilatura's body document in one focus ("precision", "balanced" or "recall"), or None.

    Its `text` is the body as text, as bare_extraction's "python" output gives it.
    """
    from trafilatura import bare_extraction
    from trafilatura.xml import xmltotxt

    options = _extractor(url, opts, focus, fast)
    doc = bare_extraction(tree, url=url, options=options)
    if doc is None or isinstance(doc, dict):
        return None
    doc.text = xmltotxt(doc.body, options.formatting)
    return doc


def _main_document(tree: Any, options: Any) -> tuple[Any, Any]:
    """The precise pass in fast mode without comments, step by step as bare_extraction runs
    it (trafilatura_sequence's stages 1-2), and the raw tree as its first prunes left it.

    That tree is readability's input before one more prune: the fallback comparison after
    it starts from there, instead of copying and pruning the page again.
    """
    from copy import copy

    from lxml.etree import Element
    from trafilatura.core import _extract_and_compare, _forum_thread_page, _prepare_tree
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.settings import Document
    from trafilatura.xml import xmltotxt
    from trafilatura.xpaths import (
        RAW_TREE_PRUNE_XPATH,
        REMOVE_COMMENTS_AND_LISTS_XPATH,
        REMOVE_COMMENTS_XPATH,
    )

    raw = copy(tree)
    try:
        forum = _forum_thread_page(raw)
        raw = prune_unwanted_nodes(raw, RAW_TREE_PRUNE_XPATH)
        raw = prune_unwanted_nodes(raw, REMOVE_COMMENTS_AND_LISTS_XPATH)
        cleaned, backup = _prepare_tree(raw, options, options.url)
        if not forum:
            cleaned = prune_unwanted_nodes(cleaned, REMOVE_COMMENTS_XPATH)
        body, text = _extract_and_compare(cleaned, backup, raw, options)
    except (TypeError, ValueError):  # bare_extraction's "discarding data"
        return None, raw
    if len(text) < options.min_output_size:
        return None, raw
    doc = Document()
    doc.body, doc.raw_text, doc.commentsbody = body, text, Element("body")
    doc.text = xmltotxt(body, options.formatting)
    return doc, raw


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

    `raw` is the page as the pass's first prunes left it (see _main_document).
    """
    from copy import copy

    from lxml.etree import tostring
    from trafilatura.external import _prefer_readability, try_readability
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.utils import trim
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH

    algo = try_readability(prune_unwanted_nodes(copy(raw), OVERALL_DISCARD_XPATH))
    algo_text = trim(tostring(algo, method="text", encoding="utf-8").decode("utf-8"))
    if not _prefer_readability(body, algo, algo_text, size, len(algo_text), options):
        return None
    return algo, len(algo_text)


def main_only(
    tree: Any, url: str | None, opts: ExtractOptions, prose: int, page_chars: int
) -> str | None:
    """The precise pass's text without its full run where that gives the same, else None.

    The main extractor runs in fast mode, then the fallback comparison above (it costs about
    a third of the pass and changes the result on few pages). Fast mode differs otherwise
    only by keeping teaser blocks, so a page with any (or with comments asked for) goes the
    full way at once.
    """
    # With little paragraph text (in all, or under a tenth of the page's) the main extractor
    # alone mostly falls short, and the full pass would run after it.
    if prose < _MIN_SIZE or prose < 0.1 * page_chars:
        return None
    if opts.comments or tree.xpath(_TEASERS):
        return None
    options = _extractor(url, opts, "precision", fast=True)
    if options.max_tree_size:  # bare_extraction's tree size check: let it run whole
        return None
    doc, raw = _main_document(tree, options)
    if doc is None:
        return None
    return _compared(doc, raw, prose, _extractor(url, opts, "precision", fast=False))
