"""Who wrote and who edited a news page, and which outlet it credits: candidates, then a choice.

Every reader of a byline form yields a candidate with where it came from; a candidate's
weight says how much that place is to be trusted (the labelled line between headline and
body most, a name anywhere on the page least). The heaviest candidate whose names all
pass the name check, and are no editor, no outlet and no menu word, wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newskit.article.meta import bylines, lexicon, sources
from newskit.article.meta.headline import title_parts
from newskit.article.meta.names import is_name, normalize
from newskit.core.patterns import lazy_compile

if TYPE_CHECKING:
    from newskit.article.meta.facts import PageMeta

# Where a credit sits, and how much that place is trusted (higher wins).
WEIGHTS = {
    "jsonld-shown": 105,  # structured data that the header shows too: both agree
    "header": 100,  # a labelled byline between the headline and the body
    "reported": 95,  # 記者X／台北報導 near the headline or at the body's start
    "slash": 90,  # name / outlet under the headline
    "after-time": 88,  # [ 王明 ] right after the time on the date line
    "hint": 85,  # class="author" with a labelled byline
    "hint-names": 80,  # class="author" holding bare names in the header
    "body-edges": 75,  # a byline in the body's first or last paragraphs
    "wire": 72,  # a wire dateline naming its reporters
    "jsonld": 70,  # structured data (JSON-LD author)
    "names-line": 65,  # a line of bare names right under the headline
    "trailing": 60,  # （王明） closing the body
    "trailing-page": 50,  # the same form anywhere after the headline
    "poster": 45,  # forum and blog posters
    "page": 40,  # a labelled byline anywhere after the headline
    "meta": 35,  # <meta name="author">
    "trafilatura": 30,  # trafilatura's own author search
}
_DIGIT = re.compile(r"\d")
_LATIN_BY = lazy_compile(rf"^\s*(?:{'|'.join(lexicon.LATIN_BYLINE_PREFIXES)})\s+", re.I)
_LATIN_SPLIT = lazy_compile(r"\s*(?:;|\band\b|&)\s*", re.I)
# Other credits after the writers': "Edited by", "Photos by" name no author.
_LATIN_OTHER = lazy_compile(
    r"\s*\b(?:edited|updated|photos?|reviewed|illustrations?) by\b.*$", re.I
)
# What follows the name in a Latin byline: an outlet, a job title, a place, a date.
_LATIN_TAIL = lazy_compile(
    r"\s*(?:,|\||\s-\s|—|–|\bfor\b|\bat\b|\bin\b|\b(?:senior |chief |staff )?"
    r"(?:editor|writer|reporter|correspondent|contributor|columnist|producer)s?\b).*$",
    re.I,
)


@dataclass
class Credits:
    """The people and outlet a page credits."""

    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    source: str | None = None


@dataclass
class Candidate:
    """Names for one field, where they were found, and how much that place weighs."""

    names: list[str]
    origin: str
    weight: int


def latin_names(value: str | None) -> list[str]:
    """Names from a Latin byline or meta author: "Analysis by Jane Doe, Staff Writer"."""
    found = []
    for part in _LATIN_SPLIT().split(_LATIN_OTHER().sub("", value or "")):
        if "@" in part:
            part = part.split(",")[0] if "@" not in part.split(",")[0] else ""
        part = _LATIN_TAIL().sub("", _LATIN_BY().sub("", part)).strip()
        words = part.split()
        # A name followed by a word of another language or a section: the longest name in front.
        while len(words) > 2 and not is_name(" ".join(words)):
            words.pop()
        part = " ".join(words)
        if part and not _DIGIT.search(part) and is_name(part):
            found.append(part)
    return found


def _doc_authors(author: str | None, chinese: bool) -> list[str]:
    """trafilatura's author, kept only as far as it names people."""
    if not chinese:
        return latin_names(author)
    names = [a.strip() for a in re.split(r"[;；,，]", author or "") if a.strip()]
    return [n for n in names if is_name(n)]


def _structured(page: PageMeta, chinese: bool) -> list[str]:
    """Author names the page declares in JSON-LD."""
    values = page.jsonld.get("author", [])
    if chinese:
        return bylines.dedupe(n for v in values for n in bylines.all_names(v))
    return bylines.dedupe(n for v in values for n in latin_names(v))


def _shown_in(names: list[str], header: Sequence[str]) -> list[str]:
    """The names, when every one of them is printed in the header too."""
    shown = "\n".join(header)
    return names if names and all(name in shown for name in names) else []


def _trafilatura_authors(doc: Any, header: Sequence[str], chinese: bool) -> list[str]:
    """trafilatura's author; on Chinese pages only when the header or the body prints it
    (its search walks the whole page, sidebars and columnists' boxes included)."""
    names = _doc_authors(doc.author, chinese)
    if not chinese:
        return names
    shown = ("\n".join(header) + "\n" + (doc.text or "")).casefold()
    return [n for n in names if n.casefold() in shown]


def _below(lines: Sequence[str], start: int) -> list[str]:
    """The lines right under the headline (a repeat of the headline skipped)."""
    return [ln for ln in lines[start + 1 : start + 4] if ln != lines[start]]


def _author_candidates(
    page: PageMeta, doc: Any, start: int, chinese: bool, headline_shown: bool
) -> list[tuple[str, Callable[[], list[str]]]]:
    """Every place a byline may sit, with the reader for it (run lazily, heaviest first)."""
    lines = page.lines
    header = lines[max(0, start - 2) : start + 12]
    # What sits right under the headline means something only when the headline was found.
    below = _below(lines, start) if headline_shown else []
    paras = [p for p in (doc.text or "").split("\n") if p.strip()]
    edges = paras[:3] + paras[-5:]
    hinted = set(page.hints.get("source", []))
    after = lines[start : start + 300]
    slash = bylines.slash_byline(header[:6])
    return [
        ("jsonld-shown", lambda: _shown_in(_structured(page, chinese), header)),
        ("header", lambda: bylines.authors_in(header)),
        ("reported", lambda: bylines.reported_from(header + paras[:2] + paras[-3:])),
        ("slash", lambda: [slash[0]] if slash else []),
        ("after-time", lambda: bylines.after_time(header)),
        ("hint", lambda: bylines.authors_in(page.hints.get("author", []))),
        ("hint-names", lambda: bylines.hinted_names(page.hints.get("author", []), header)),
        ("body-edges", lambda: bylines.authors_in(edges)),
        ("wire", lambda: bylines.wire_dateline(paras[:3] + header)),
        ("jsonld", lambda: _structured(page, chinese)),
        ("names-line", lambda: bylines.names_line([ln for ln in below[:1] if ln not in hinted])),
        ("trailing", lambda: bylines.trailing_byline(paras[-3:])),
        ("trailing-page", lambda: bylines.trailing_byline(after, strict=True)),
        ("poster", lambda: bylines.poster(lines[start : start + 400])),
        ("page", lambda: bylines.authors_in(after, labelled_only=True)),
        ("meta", lambda: _doc_authors(page.meta.get("author"), chinese)),
        ("trafilatura", lambda: _trafilatura_authors(doc, header, chinese)),
    ]


# Elsewhere than on Chinese pages, trafilatura's author search reads the bylines best.
_LATIN_WEIGHTS = {"trafilatura": 99}
# Names the page declares in structured data.
_DECLARED = frozenset(("jsonld-shown", "jsonld", "meta"))
# Bare names with no role beside them: the ones an editor's name may be mistaken for.
_UNLABELLED = frozenset(("hint-names", "names-line", "poster", "meta", "trafilatura"))


def _site_word(name: str, banned: set[str], outlets: Collection[str]) -> bool:
    """A banned value, or the start of a site's or outlet's name (江南 in 江南新闻)."""
    key = normalize(name)
    if key in banned:
        return True
    return not key.isascii() and len(key) >= 2 and any(o.startswith(key) for o in outlets)


def choose(
    candidates: Sequence[Candidate], banned: set[str], outlets: Collection[str] = ()
) -> Candidate | None:
    """The heaviest candidate left with names once banned values and outlet names are dropped."""
    best: Candidate | None = None
    for cand in candidates:
        names = [n for n in cand.names if not _site_word(n, banned, outlets)]
        if names and (best is None or cand.weight > best.weight):
            best = Candidate(names, cand.origin, cand.weight)
    return best


def find_authors(
    page: PageMeta,
    doc: Any,
    start: int,
    outlets: set[str],
    editors: Sequence[str],
    menu: set[str],
    *,
    chinese: bool,
    headline_shown: bool,
) -> list[str]:
    """The authors from the heaviest place that credits anyone (readers run heaviest first).

    Outlets are never people; editors only count against names no role labels; menu
    words count against everything but the names the page declares in structured data.
    """
    readers = _author_candidates(page, doc, start, chinese, headline_shown)
    weights = WEIGHTS if chinese else {**WEIGHTS, **_LATIN_WEIGHTS}
    editor_names = {normalize(e) for e in editors}
    for origin, read in sorted(readers, key=lambda r: -weights[r[0]]):
        skip = set(outlets)
        # A labelled byline may credit the editor too; a bare name that is the editor's is not.
        if origin in _UNLABELLED:
            skip |= editor_names
        # A site named after its author shows that name in its menu: structured data decides.
        if origin not in _DECLARED:
            skip |= menu
        found = choose([Candidate(read(), origin, weights[origin])], skip, outlets)
        if found:
            return found.names
    return []


def credits(
    page: PageMeta, doc: Any, start: int, *, chinese: bool = True, headline_shown: bool = True
) -> Credits:
    """Authors, editors and source, looked for near the headline first, then in the body."""
    lines = page.lines
    editors = [e for e in bylines.editors_in(lines[start:]) if normalize(e) not in page.menu]
    found = Credits(editors=editors)
    if chinese:
        header = lines[max(0, start - 2) : start + 12]
        paras = [p for p in (doc.text or "").split("\n") if p.strip()]
        below = _below(lines, start) if headline_shown else []
        found.source = sources.pick(page, header, below, paras, start)
    else:  # 来源 credits are a Chinese-page habit; class="source" means little elsewhere
        found.source = sources.labelled(lines[max(0, start - 2) : start + 12])
    named = [found.source, page.meta.get("og:site_name"), *page.jsonld.get("publisher", [])]
    if chinese:  # the <title>'s site and section parts (an English blog is named after its author)
        named += title_parts(page.html_title or "")[1:]
    outlets = {normalize(o) for o in named if o}
    found.authors = find_authors(
        page,
        doc,
        start,
        outlets,
        editors,
        page.menu,
        chinese=chinese,
        headline_shown=headline_shown,
    )
    if found.source and any(normalize(found.source) == normalize(a) for a in found.authors):
        found.source = None  # a byline's name is no outlet
    return found
