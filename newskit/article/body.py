"""trafilatura's precise pass on our tree, its fallback comparison run only where it could matter."""

from __future__ import annotations

from typing import Any, Protocol


class ExtractOptions(Protocol):
    """What the body passes read of newskit.article.extraction.ExtractOptions."""

    @property
    def comments(self) -> bool: ...

    @property
    def tables(self) -> bool: ...


def document(tree: Any, url: str | None, opts: ExtractOptions, focus: str, fast: bool) -> Any:
    """trafilatura's body document in one focus ("precision", "balanced" or "recall"), or None."""
    from trafilatura import bare_extraction

    doc = bare_extraction(
        tree,
        url=url,
        fast=fast,
        with_metadata=False,
        favor_precision=focus == "precision",
        favor_recall=focus == "recall",
        include_comments=opts.comments,
        include_tables=opts.tables,
        output_format="python",
    )
    return None if doc is None or isinstance(doc, dict) else doc


_MIN_SIZE = 250  # trafilatura's MIN_EXTRACTED_SIZE (settings.cfg): shorter goes to jusText
# Elements trafilatura drops as teasers, except in fast mode (its TEASER_DISCARD_XPATH).
_TEASERS = ".//*[contains(translate(@id, 'T', 't'), 'teaser') or contains(translate(@class, 'T', 't'), 'teaser')]"


def _fallbacks_keep(doc: Any, tree: Any, prose: int) -> bool:
    """True when trafilatura's fallbacks (readability, jusText) would keep its main result.

    Its own rules (external.compare_extraction, precision focus): jusText is tried only on
    a result under MIN_EXTRACTED_SIZE or holding unclean elements; readability's output
    wins only over a result with no paragraph, more tables than paragraphs, or under half
    its length. Readability is run here only when the result is under half the page's own
    paragraph text, so most pages skip it.
    """
    from trafilatura.external import SANITIZED_XPATH

    body = doc.body
    if body is None or body.xpath(SANITIZED_XPATH):
        return False
    size = len(" ".join(body.itertext()).strip())
    paragraphs = len(body.findall(".//p"))
    if size < _MIN_SIZE or not paragraphs or len(body.findall(".//table")) > paragraphs:
        return False
    return 2 * size >= prose or not _readability_wins(body, size, tree)


def _readability_wins(body: Any, size: int, tree: Any) -> bool:
    """trafilatura's readability comparison of the precise pass, run on its own."""
    from copy import deepcopy
    from types import SimpleNamespace

    from lxml.etree import tostring
    from trafilatura.external import _prefer_readability, try_readability
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.utils import trim
    from trafilatura.xpaths import (
        OVERALL_DISCARD_XPATH,
        RAW_TREE_PRUNE_XPATH,
        REMOVE_COMMENTS_AND_LISTS_XPATH,
    )

    raw = deepcopy(tree)
    for xpaths in (RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH, OVERALL_DISCARD_XPATH):
        raw = prune_unwanted_nodes(raw, xpaths)
    algo = try_readability(raw)
    algo_text = trim(tostring(algo, method="text", encoding="utf-8").decode("utf-8"))
    options: Any = SimpleNamespace(focus="precision", min_extracted_size=_MIN_SIZE)
    return bool(_prefer_readability(body, algo, algo_text, size, len(algo_text), options))


def main_only(
    tree: Any, url: str | None, opts: ExtractOptions, prose: int, page_chars: int
) -> str | None:
    """The precise pass's text from trafilatura's main extractor alone, or None to run it in full.

    Its fallback comparison (readability, jusText) costs about a third of the pass and
    changes the result on few pages; fast mode differs otherwise only by keeping teaser
    blocks, so a page with any (or with comments asked for) goes the full way at once.
    """
    # With little paragraph text (in all, or under a tenth of the page's) the main extractor
    # alone mostly falls short, and the full pass would run after it.
    if prose < _MIN_SIZE or prose < 0.1 * page_chars:
        return None
    if opts.comments or tree.xpath(_TEASERS):
        return None
    doc = document(tree, url, opts, "precision", fast=True)
    if doc is None or not _fallbacks_keep(doc, tree, prose):
        return None
    text: str = doc.text or ""
    return text
