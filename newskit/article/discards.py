"""trafilatura's OVERALL_DISCARD_XPATH (boilerplate and hidden areas) read in one walk each.

Both expressions test every element with EXSLT regexes, which libxml2 answers by calling
back into Python once per test and element: on a large page the prune before readability
costs tens of ms. Here each element's attributes are read once and the same regexes decide.
The answers are the XPath's, in its order: tests/test_discards.py runs both side by side.
`@a|@b` in XPath is whichever of the two attributes comes first on the element.
"""

from __future__ import annotations

import re
from typing import Any

# The first expression's tags, and its regexes, made from trafilatura's own token groups.
_TAGS = ("div", "item", "list", "p", "section", "span")


def _regexes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    from trafilatura import xpaths

    both = xpaths._OVERALL_DISCARD_BOTH_TOKENS
    return (
        re.compile(xpaths._alt(xpaths._CONSENT_ID_CLASS_TOKENS)),
        re.compile(xpaths._alt(both + xpaths._OVERALL_DISCARD_ID_TOKENS)),
        re.compile(xpaths._alt(both + xpaths._OVERALL_DISCARD_CLASS_TOKENS)),
    )


_CONSENT, _BY_ID, _BY_CLASS = _regexes()
# The second expression's regexes, as it spells them.
_HIDDEN = re.compile("hidden")
_HIDDEN_ID = re.compile("reader-comments|akismet")
_HIDDEN_CLASS = re.compile(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
    "| hidden| hide|noprint|notloaded"
)


def _first(elem: Any, one: str, other: str) -> str:
    """XPath's string(@one|@other): the value of whichever attribute the element lists first."""
    a, b = elem.get(one), elem.get(other)
    if a is None or b is None:
        return str(b or "") if a is None else str(a)
    keys = elem.keys()
    return str(a if keys.index(one) < keys.index(other) else b)


def boilerplate(tree: Any) -> list[Any]:
    """OVERALL_DISCARD_XPATH[0]: navigation, consent, share, ad and related blocks."""
    found = []
    for elem in tree.iter(*_TAGS):
        if elem is tree:
            continue  # `.//*`: descendants only
        get = elem.get
        ident, cls = get("id"), get("class")
        if (
            get("data-lp-replacement-content") is not None
            or "nav" in (get("role") or "").replace("N", "n")
            or "MostPopularStories" in (get("data-component") or "")
            or (
                (ident is not None or cls is not None)
                and _CONSENT.search(_first(elem, "id", "class"))
            )
            or (ident is not None and _BY_ID.search(ident))
            or (cls is not None and _BY_CLASS.search(cls))
        ):
            found.append(elem)
    return found


def hidden(tree: Any) -> list[Any]:
    """OVERALL_DISCARD_XPATH[1]: hidden elements, comment titles and replies, any tag."""
    from lxml.etree import Element

    found = []
    for elem in tree.iter(Element):
        if elem is tree:
            continue
        get = elem.get
        ident, cls, style = get("id"), get("class"), get("style")
        if (
            cls == "comments-title"
            or (
                (ident is not None or cls is not None)
                and _first(elem, "id", "class").startswith("reply-")
            )
            or (
                (ident is not None or style is not None)
                and _HIDDEN.search(_first(elem, "id", "style"))
            )
            or (style is not None and ("display:none" in style or "display: none" in style))
            or (ident is not None and _HIDDEN_ID.search(ident))
            or (cls is not None and _HIDDEN_CLASS.search(cls))
            or get("aria-hidden") == "true"
        ):
            found.append(elem)
    return found


# In OVERALL_DISCARD_XPATH's place for trafilatura's prune_unwanted_nodes, which only calls them.
OVERALL_DISCARD = [boilerplate, hidden]
