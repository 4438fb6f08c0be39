"""Check next-page detection and figures on every bench page (none of them is a paged story).

For each article page: does newskit claim a next page (a false following, since the bench
pages are single pages), and does any figure look like page furniture (a logo, an icon, a
share button, a QR code, an ad, a picture under 100 px)? Prints the counts per set and
every hit, so each can be checked by eye. Skips cleanly when the bench folder is absent.

    python benchmarks/paging.py [SET ...]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_dir, load_sets

from newskit.core.errors import NewskitError

# An independent, stricter test than the one figures.py applies: the words that name
# furniture in a picture's address or alt text.
FURNITURE = re.compile(
    r"logo|icon|favicon|avatar|share|weixin|wechat|weibo|qr[-_]?code|erweima|ewm|二维码|button|"
    r"btn|arrow|spacer|pixel|blank\b|loading|emoji|banner|(?<![a-z])ads?(?![a-z])|advert|guanggao|"
    r"广告|sponsor|track|beacon|公众号|关注我们|客户端",
    re.IGNORECASE,
)
SMALL = 100


def suspicious(figure: dict[str, object]) -> str | None:
    """Why a figure looks like furniture, or None."""
    name = str(figure.get("url")).split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    text = f"{name} {figure.get('alt') or ''}"
    if match := FURNITURE.search(text) or re.search(r"\.(?:ico|svg)$", name, re.IGNORECASE):
        return f"named {match.group(0)!r}"
    sides = [figure.get("width"), figure.get("height")]
    if sides == [0, 0]:
        return "0 x 0"
    for side, value in zip(("width", "height"), sides, strict=True):
        if isinstance(value, int) and 0 < value < SMALL:  # 0 alone means "auto"
            return f"{side} {value}"
    return None


def main(argv: list[str]) -> int:
    import newskit

    bench = bench_dir()
    if bench is None:
        print("bench folder absent: skipped")
        return 0
    totals: Counter[str] = Counter()
    hits: list[str] = []
    print(
        f"{'set':<22}{'pages':>6}{'articles':>9}{'next_page':>10}{'figures':>8}{'with fig':>9}{'furniture':>10}"
    )
    for name, pages in load_sets(bench, argv or None).items():
        row: Counter[str] = Counter()
        for page in pages:
            if page.is_list:
                continue
            row["pages"] += 1
            try:
                article = newskit.extract(page.read(), page.url)
            except NewskitError:
                continue
            row["articles"] += 1
            if article.next_page:
                row["next_page"] += 1
                hits.append(f"{page.key}: next_page {article.next_page}")
            figures = article.to_dict()["figures"]
            row["figures"] += len(figures)
            row["with fig"] += bool(figures)
            for figure in figures:
                why = suspicious(figure)
                if why:
                    row["furniture"] += 1
                    hits.append(f"{page.key}: figure {figure['url']} ({why})")
        totals.update(row)
        print(
            f"{name:<22}{row['pages']:>6}{row['articles']:>9}{row['next_page']:>10}"
            f"{row['figures']:>8}{row['with fig']:>9}{row['furniture']:>10}"
        )
    print(
        f"{'all':<22}{totals['pages']:>6}{totals['articles']:>9}{totals['next_page']:>10}"
        f"{totals['figures']:>8}{totals['with fig']:>9}{totals['furniture']:>10}"
    )
    for hit in hits:
        print("  " + hit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
