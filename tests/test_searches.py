"""newskit.article.meta.searches gives trafilatura's own author, category and tag answers."""

from __future__ import annotations

import pytest
from trafilatura.metadata import extract_author, extract_catstags

from newskit.article.extraction import parse
from newskit.article.meta import searches

PAGES = {
    "rel-author": '<p>Text</p><a rel="author" href="/u/1">Mara Quill</a>',
    "class-author-name": '<div><span class="post-author-name">Tomas Brenn</span></div>',
    "second-rule": '<h4 class="byline">By Ilse Varga and Omar Pell</h4><p>Body.</p>',
    "third-rule": '<section class="ArticleByline">Written by Juno Reyes</section>',
    "itemprop": '<span itemprop="author">Kai Lindqvist</span>',
    "in-comments": (
        '<div class="comments"><span class="author">Commenter Name</span></div>'
        '<em class="author-box">Real Writer</em>'
    ),
    "time-inside": (
        '<div class="author">By Nadia Kern<time>May 3</time>, staff</div><p>Story text.</p>'
    ),
    "tail-glued": '<div class="author">Anna<span class="print">x</span>Berg</div>',
    "too-short": '<span class="author">AB</span><div class="writer">Piet Mondo</div>',
    "too-long": '<span class="author">' + "word " * 40 + '</span><p class="byline">Lia Sorn</p>',
    "figure-author": '<figure><span class="author">Photo Person</span></figure>',
    "none": "<p>No credit anywhere on this page at all.</p>",
    "categories": (
        '<div class="post-meta"><a href="/category/world/">World</a>'
        '<div class="entry-meta"><a href="/category/asia/">Asia</a></div>'
        '<a href="/about/">About</a></div>'
    ),
    "category-footer": (
        '<footer class="entry-footer"><a href="/categories/tech">Tech</a></footer>'
        '<div class="tags"><a href="/tag/chips/">chips</a><a href="/tags/ai/">AI</a></div>'
    ),
    "category-meta": (
        '<head><meta property="article:section" content="Sport"></head><p>Match report.</p>'
    ),
    "tags-topics": '<ul class="topics"><li><a href="/tag/rain/">rain</a></li></ul>',
    "tags-nested": (
        '<div class="meta-box"><div class="meta-inner"><a href="/tag/a/">A</a></div>'
        '<a href="/tag/b/">B</a></div>'
    ),
}


def _page(body: str) -> str:
    head = "" if body.startswith("<head>") else "<head><title>t</title></head>"
    return f"<html>{head}<body>{body}<p>{'Filler sentence. ' * 20}</p></body></html>"


@pytest.mark.parametrize("name", sorted(PAGES))
def test_same_answers_as_trafilatura(name: str) -> None:
    tree = parse(_page(PAGES[name]))
    found = searches.scan(tree)
    assert searches.author(found) == extract_author(tree)
    assert searches.links("category", found, tree) == extract_catstags("category", tree)
    assert searches.links("tag", found, tree) == extract_catstags("tag", tree)


def test_pruned_text_keeps_tails_glued() -> None:
    tree = parse(_page(PAGES["tail-glued"]))
    assert searches.author(searches.scan(tree)) == "AnnaBerg"


def test_discarded_bylines_are_skipped() -> None:
    tree = parse(_page(PAGES["in-comments"]))
    assert searches.author(searches.scan(tree)) == "Real Writer"


def test_nested_containers_give_each_link_once() -> None:
    tree = parse(_page(PAGES["tags-nested"]))
    assert searches.links("tag", searches.scan(tree), tree) == ["A", "B"]


# Values for each alternative of trafilatura's class and id rules, so that a value the
# one-walk prefilter skipped by mistake shows up as an answer that differs from trafilatura's.
CLASSES = [
    "author",
    "post-author-name",
    "AuthorName",
    "authorName",
    "byline",
    "username",
    "byl",
    "BBL",
    "story-Byline",
    "channel-name",
    "zuozhe",
    "bianji",
    "xiaobian",
    "submitted-by",
    "posted-by",
    "journalist-name",
    "screenname",
    "writer",
    "Author",
    "comments",
    "Comments-box",
    "commentlist",
    "comments-list",
    "sidebar",
    "is-hidden",
    "quote",
    "embedly-instagram",
    "article-share",
    "article-support",
    "print",
    "category",
    "meta-date",
    "meta-reviewer",
    "title",
    "date",
    "postinfo",
    "post-info",
    "postmeta",
    "post-meta",
    "meta",
    "entry-meta",
    "entry-info",
    "entry-utility",
    "entry-categories",
    "entry-footer",
    "post-category",
    "postcategory",
    "entry-category",
    "cat-links",
    "entry-header",
    "row",
    "tags",
    "tag-list",
    "entry-tags",
    "jp-relatedposts",
    "topics",
    "tags-links",
    "plain",
]
IDS = "author main-author zuozhe bianji xiaobian comments-1 comment-list commentlist "
IDS += "ProductReviews postpath-1 filedunder Author-box plain"
TAGS = ("div", "span", "p", "a", "h3", "h4", "li", "footer", "header", "section", "strong")


@pytest.mark.parametrize("tag", TAGS)
def test_every_rule_value_as_trafilatura(tag: str) -> None:
    links = '<a href="/tag/t1/">T1</a> <a href="/category/c1/">C1</a>'
    for attribute, values in (("class", CLASSES), ("id", IDS.split())):
        for value in values:
            body = f'<{tag} {attribute}="{value}">By Rhea Tolman {links}</{tag}>'
            tree = parse(_page(f"<div>{body}</div>"))
            found = searches.scan(tree)
            assert searches.author(found) == extract_author(tree), (tag, attribute, value)
            for kind in ("category", "tag"):
                theirs = extract_catstags(kind, tree)
                assert searches.links(kind, found, tree) == theirs, (tag, kind, value)
