"""A loopback news site whose stories run over several pages, built like real portals.

Each story has its own pager style (下一页 + numbers, 共N页/第N页, index_N, ?page=N,
rel=next + Next », /N/ paths), its own encoding (GBK or UTF-8), a site header with a logo,
a dateline, a lead box repeated on every page, pictures with captions, the pager, 上一篇/
下一篇 links to other stories and a footer. One story has a dead page, one a pager that
loops back to its first page.
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

from fetch_servers import answer


@dataclass
class Story:
    """One multi-page story: its pages' URLs, paragraphs and how its pager is drawn."""

    name: str
    title: str
    style: str  # xiayiye, gongye, index, query, relnext, path
    pages: int
    encoding: str = "utf-8"
    header_charset: bool = True
    dead: set[int] = field(default_factory=set)
    loop: bool = False
    lead: str | None = None

    def url(self, n: int) -> str:
        """The path (and query) of page n, 1-based, in the story's URL style."""
        name, style = self.name, self.style
        if style == "index":
            return f"/zt/2024/{name}/index{'' if n == 1 else f'_{n - 1}'}.html"
        if style == "query":
            return f"/article.php?id=4217{'' if n == 1 else f'&page={n}'}"
        if style in ("relnext", "path"):
            return f"/2024/05/{name}/{'' if n == 1 else f'{n}/'}"
        ext = "shtml" if style == "gongye" else "html"
        return f"/news/2024/0501/c1001-{name}{'' if n == 1 else f'_{n}'}.{ext}"

    def paragraphs(self, n: int) -> list[str]:
        """The story text of page n: three paragraphs no other page shares."""
        if self.style in ("relnext", "path"):
            return [
                f"Part {n}, paragraph {k}: the {self.name} story goes on with new facts about "
                f"the harbour works and the people living next to them, told at length."
                for k in (1, 2, 3)
            ]
        return [
            f"{self.title}第{n}页第{k}段：这一段讲述了工程进展的新情况，记者走访了附近的居民和"
            f"施工单位，听取了他们的意见和建议，了解到许多细节。"
            for k in (1, 2, 3)
        ]

    def story_text(self) -> str:
        """What the joined record's text must be: every page's paragraphs once, in order."""
        lines = [self.lead] if self.lead else []
        for n in range(1, self.pages + 1):
            if n not in self.dead:
                lines.extend(self.paragraphs(n))
        return "\n".join(lines)


def _pager(story: Story, n: int) -> str:
    """The pager a portal draws under page n."""
    last = story.pages
    nxt = 1 if story.loop and n == last else n + 1
    if story.style == "xiayiye":
        links = [
            f"<span>{k}</span>" if k == n else f'<a href="{story.url(k)}">{k}</a>'
            for k in range(1, last + 1)
        ]
        prev = f'<a href="{story.url(n - 1)}">上一页</a>' if n > 1 else "上一页"
        more = f'<a href="{story.url(nxt)}">下一页</a>' if n < last or story.loop else ""
        return f'<div class="page">{prev} {" ".join(links)} {more}</div>'
    if story.style == "gongye":
        links = [
            f"<b>第{k}页</b>" if k == n else f'<a href="{story.url(k)}">第{k}页</a>'
            for k in range(1, last + 1)
        ]
        return f'<div class="pages"><span>共{last}页</span> {" ".join(links)}</div>'
    if story.style == "index":
        items = [f'<li><a href="{story.url(k)}">[{k}]</a></li>' for k in range(1, last + 1)]
        nexts = f'<li><a href="{story.url(nxt)}">下页</a></li>' if n < last else ""
        return f'<ul class="fenye">{"".join(items)}{nexts}</ul>'
    if story.style == "query":
        more = f'<a href="{story.url(nxt)}">下一頁 »</a>' if n < last else ""
        back = f'<a href="{story.url(n - 1)}">« 上一頁</a>' if n > 1 else ""
        return f'<p class="pagination">{back} 第{n}頁／共{last}頁 {more}</p>'
    more = f'<a href="{story.url(nxt)}" rel="next">Next »</a>' if n < last else ""
    return f'<nav class="post-pages">Page {n} of {last} {more}</nav>'


def _head(story: Story, n: int) -> str:
    rel = ""
    if story.style == "relnext" and n < story.pages:
        rel = f'<link rel="next" href="{story.url(n + 1)}">'
    return (
        f'<head><meta charset="{story.encoding}"><title>{story.title}_示例新闻网</title>'
        f'{rel}<link rel="prev" href="/news/other-story.html"></head>'
    )


def page_html(story: Story, n: int) -> bytes:
    """Page n of a story, encoded as the portal would send it."""
    paras = "\n".join(f"<p>{p}</p>" for p in story.paragraphs(n))
    picture = ""
    if n == 2:
        picture = (
            f'<p style="text-align:center"><img src="/pics/{story.name}-2.jpg" width="640" '
            f'height="420" alt="现场"></p>\n<p style="text-align:center">图为{story.title}的施工现场。'
            "</p>\n"
        )
    lead = f'<div class="summary">{story.lead}</div>' if story.lead else ""
    body = (
        '<body><div class="top"><a href="/"><img src="/images/logo.png" width="180" height="50">'
        '</a> <a href="/">首页</a> <a href="/news/">新闻</a> <a href="/society/">社会</a></div>'
        f'<div class="main"><h1>{story.title}</h1>'
        '<div class="info">2024-05-01 09:30 来源：示例日报 作者：李文</div>'
        f'<div class="content" id="article">{lead}\n{picture}{paras}\n{_pager(story, n)}</div>'
        '<div class="share"><img src="/images/share-weixin.png" width="24" height="24"></div>'
        '<div class="nearby"><a href="/news/2024/0430/c1001-prev.html">上一篇：另一个故事的标题</a>'
        '<br><a href="/news/2024/0502/c1001-next.html">下一篇：再一个故事的标题</a></div>'
        '<div class="footer">关于我们 | 联系我们 | 版权所有 示例新闻网</div></div></body>'
    )
    html = f"<!DOCTYPE html><html>{_head(story, n)}{body}</html>"
    return html.encode(story.encoding)


LEAD = "导读：江边的改造工程进入第二阶段，本报记者连续走访，记录下工地内外的变化和居民的期待。"

STORIES = [
    Story("riverside", "江边改造工程进展", "xiayiye", 3, "gbk", lead=LEAD),
    Story("heating", "老城区供暖改造纪实", "gongye", 5, "utf-8"),
    Story("trees", "春季植树活动专题", "index", 2, "gbk", header_charset=False),
    Story("school", "山區學校的新教室", "query", 3, "utf-8"),
    Story("harbour", "Harbour", "relnext", 2, "utf-8"),
    Story("walk", "River", "path", 3, "utf-8"),
    Story("lakeside", "湖畔公园开放记", "xiayiye", 4, "gbk", dead={3}),
    Story("nightmarket", "夜市经济观察", "xiayiye", 3, "utf-8", loop=True),
]


class Site:
    """Serves every page of every story; counts the requests each path got."""

    def __init__(self, stories: list[Story], robots: str | None = None) -> None:
        self.robots = robots
        self.pages: dict[str, tuple[Story, int]] = {}
        for story in stories:
            for n in range(1, story.pages + 1):
                self.pages[story.url(n)] = (story, n)
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, request: http.server.BaseHTTPRequestHandler, stop: threading.Event) -> None:
        with self.lock:
            self.hits[request.path] = self.hits.get(request.path, 0) + 1
        if request.path == "/robots.txt" and self.robots is not None:
            answer(request, self.robots.encode(), Content_Type="text/plain")
            return
        found = self.pages.get(request.path)
        if found is None or found[1] in found[0].dead:
            request.send_response(404)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        story, n = found
        kind = f"text/html; charset={story.encoding}" if story.header_charset else "text/html"
        answer(request, page_html(story, n), Content_Type=kind)
