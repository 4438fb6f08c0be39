"""Page facts read off the tree: visible lines, headings, field hints, menu labels."""

from __future__ import annotations

from lxml.html import fromstring

from newskit.article.meta.facts import from_tree

PAGE = """<html><head><title>T</title><script>var x = 1;</script></head><body>
<div class="NAV-Bar"><a href="/">首页</a> <a class="menu-item" href="/a">Marked</a>
<noscript><a href="/n">Hidden</a></noscript><span>Nav text</span></div>
<h1>Headline&#160;one</h1><h2>  </h2>
<p>First <b>bold</b> line<br>second&#12288;line<script>no()</script> after script</p>
<ul><li>item one</li><li>item\u200b two\ue000</li></ul>
<div class="Article-Source">来源：本报</div><div id="writer-name">Reporter Name</div>
<svg class="menu"><a href="/s">In svg</a></svg>
</body></html>"""


def test_lines_break_at_blocks_and_skip_scripts_and_hidden_areas():
    page = from_tree(fromstring(PAGE))
    assert page.lines == [
        "首页 Marked",
        "Nav text",
        "Headline one",
        "First bold line",
        "second line after script",
        "item one",
        "item two",
        "来源：本报",
        "Reporter Name",
    ]


def test_headings_hints_and_menu_labels():
    page = from_tree(fromstring(PAGE))
    assert page.headings == ["Headline one"]
    assert page.hints == {"source": ["来源：本报"], "author": ["Reporter Name"]}
    # a link marked as a menu itself, one in <noscript> and one in an <svg> are no labels
    assert page.menu == {"首页"}
    assert page.html_title == "T"
