"""newskit.article.discards finds what trafilatura's OVERALL_DISCARD_XPATH finds, in its order."""

from __future__ import annotations

from copy import copy

import pytest
from lxml.etree import tostring
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.xpaths import OVERALL_DISCARD_XPATH

from newskit.article.discards import OVERALL_DISCARD, boilerplate, hidden
from newskit.article.extraction import parse

PAGES = {
    "roles": (
        '<div role="navigation">a</div><div role="Navigation">b</div><div role="NAV">c</div>'
        '<span role="main">d</span><p data-lp-replacement-content="">e</p>'
        '<section data-component="MostPopularStoriesList">f</section>'
    ),
    # which of id and class comes first decides the consent test (cookie pages keep the other)
    "attribute-order": (
        '<div class="cookie-bar" id="main">a</div><div id="main" class="cookie-bar">b</div>'
        '<div id="cookie-note">c</div><span class="x" id="cookie">d</span>'
    ),
    "ids-and-classes": (
        '<div id="footer">a</div><div id="share-tools">b</div><div class="navbar">c</div>'
        '<p class="byline">d</p><div class="post-body">e</div><div id="ad-top">f</div>'
        '<div class="article content">g</div><aside class="sidebar">h</aside>'
    ),
    "nested": (
        '<div class="sidebar"><div class="share-box"><p class="meta">a</p>tail</div>b</div>'
        "<p>Body text stays.</p><!-- a comment --><div>after</div>"
    ),
    "hidden": (
        '<p style="display:none">a</p><p style="display: none">b</p><span aria-hidden="true">c'
        '</span><li class="comments-title">d</li><div id="reply-3" class="x">e</div>'
        '<div class="reply-x" id="y">f</div><div id="hidden-box" style="color:red">g</div>'
        '<div style="color:red" id="hidden-box">h</div><p class="noprint">i</p>'
        '<em class="is hidden">j</em><div id="akismet-field">k</div><b class="sr-message">l</b>'
    ),
    "none": "<p>Nothing to discard on this page at all.</p><div><span>plain</span></div>",
}


def _tree(name: str) -> object:
    return parse(f"<html><body>{PAGES[name]}</body></html>")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_same_elements_in_the_same_order_as_the_xpath(name: str) -> None:
    tree = _tree(name)
    assert boilerplate(tree) == OVERALL_DISCARD_XPATH[0](tree)
    assert hidden(tree) == OVERALL_DISCARD_XPATH[1](tree)


def test_the_cases_above_do_match_and_do_not() -> None:
    """The side-by-side test means something: each kind of rule matches, and some do not."""
    counts = {name: (len(boilerplate(_tree(name))), len(hidden(_tree(name)))) for name in PAGES}
    assert counts["roles"] == (4, 0)  # "NAV" is not translated to "nav"
    assert counts["attribute-order"] == (3, 0)
    assert counts["hidden"][1] == 11  # all but the one whose style comes before its id
    assert counts["none"] == (0, 0)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pruning_leaves_the_same_page(name: str) -> None:
    tree = _tree(name)
    ours = prune_unwanted_nodes(copy(tree), OVERALL_DISCARD)
    theirs = prune_unwanted_nodes(copy(tree), OVERALL_DISCARD_XPATH)
    assert tostring(ours) == tostring(theirs)
