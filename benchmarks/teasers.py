"""Score `newskit.teasers` on the zh-lists bench pages next to two plain heuristics.

Per page: precision and recall of the item URLs against gold.items (hrefs compared as
written when gold marks them url_unresolved, since the page's own URL is unknown), and
date accuracy over gold items that show a date and were found. Averages are per page;
F1 is taken of the two averages.
"""

from __future__ import annotations

import json
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newskit.article.extraction import ExtractOptions, parse, to_text
from newskit.lists.teasers import anchor_title, teasers

Items = list[tuple[str, str | None, str]]


def bench_dir() -> Path:
    """The shared bench folder: $NEWSKIT_BENCH or ../shared/bench beside the project."""
    env = os.environ.get("NEWSKIT_BENCH")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "bench"


def _usable(href: str | None) -> bool:
    low = (href or "").strip().lower()
    return bool(low) and not low.startswith(("javascript:", "#", "mailto:"))


def run_newskit(data: bytes, url: str | None) -> Items:
    """newskit.teasers: (url, date, title) per item."""
    return [(t.url or "", t.date, t.title) for t in teasers(data, url)]


def run_all_links(data: bytes, url: str | None) -> Items:
    """Baseline: every link whose text is 6+ characters, first occurrence kept."""
    tree = parse(to_text(data, ExtractOptions())[0])
    seen: dict[str, str] = {}
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if _usable(href) and len(anchor_title(anchor)) >= 6:
            seen.setdefault(href, anchor_title(anchor))
    return [(href, None, title) for href, title in seen.items()]


def run_largest_list(data: bytes, url: str | None) -> Items:
    """Baseline: the first usable link of each <li> of the <ul>/<ol> with most items."""
    tree = parse(to_text(data, ExtractOptions())[0])
    lists = [e for e in tree.iter("ul", "ol")]
    if not lists:
        return []
    biggest = max(lists, key=lambda e: len(e.findall("li")))
    out: Items = []
    for li in biggest.findall("li"):
        anchor = next((a for a in li.iter("a") if _usable(a.get("href"))), None)
        if anchor is not None:
            out.append((anchor.get("href").strip(), None, anchor_title(anchor)))
    return out


METHODS: dict[str, Callable[[bytes, str | None], Items]] = {
    "newskit teasers": run_newskit,
    "all links, text >= 6 chars": run_all_links,
    "largest <ul>/<ol>": run_largest_list,
}


def score_page(found: Items, gold: list[dict[str, Any]]) -> dict[str, float]:
    """Precision and recall of item URLs, plus right/scored counts for dates and titles."""
    gold_urls = {g["url"].strip() for g in gold}
    by_url = {u: (d, t) for u, d, t in reversed(found)}
    hits = set(by_url) & gold_urls
    result = {
        "p": len(hits) / len(by_url) if by_url else 0.0,
        "r": len(hits) / len(gold_urls) if gold_urls else 0.0,
        "dates_right": 0,
        "dates": 0,
        "titles_right": 0,
        "titles": 0,
    }
    for g in gold:
        shown = by_url.get(g["url"].strip())
        if shown is None:
            continue
        result["titles"] += 1
        result["titles_right"] += _fold(shown[1]) == _fold(g["title"])
        if g.get("date"):
            result["dates"] += 1
            result["dates_right"] += (shown[0] or "")[:10] == g["date"]
    return result


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _ratio(right: float, total: float) -> str:
    return f"{right / total:.2f} ({right:.0f}/{total:.0f})" if total else "n/a"


def main() -> int:
    """Print the table; exit 0 (also when the bench is absent)."""
    folder = bench_dir() / "zh-lists"
    if not (folder / "manifest.jsonl").is_file():
        print(f"bench not found at {folder}; set NEWSKIT_BENCH to run this benchmark")
        return 0
    pages = [json.loads(line) for line in (folder / "manifest.jsonl").open(encoding="utf-8")]
    rows = []
    detail = []
    for name, method in METHODS.items():
        sums: dict[str, float] = {}
        elapsed = 0.0
        for page in pages:
            data = (folder / page["html"]).read_bytes()
            start = time.perf_counter()
            try:
                found = method(data, page.get("url"))
            except Exception as err:
                found = []
                detail.append(f"  {name} {page['id']}: {err.__class__.__name__}: {err}")
            elapsed += time.perf_counter() - start
            score = score_page(found, page["gold"]["items"])
            for key, value in score.items():
                sums[key] = sums.get(key, 0) + value
            if name == "newskit teasers":
                detail.append(
                    f"  {page['id']:<40} P {score['p']:.2f}  R {score['r']:.2f}"
                    f"  found {len(found):>3}  gold {len(page['gold']['items']):>3}"
                    f"  dates {score['dates_right']:.0f}/{score['dates']:.0f}"
                )
        n = len(pages)
        precision, recall = sums["p"] / n, sums["r"] / n
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append(
            (
                name,
                precision,
                recall,
                f1,
                _ratio(sums["dates_right"], sums["dates"]),
                _ratio(sums["titles_right"], sums["titles"]),
                elapsed / n * 1000,
            )
        )
    print(f"zh-lists: {len(pages)} pages; item URLs scored per page, then averaged\n")
    head = f"| {'method':<28} | {'P':>5} | {'R':>5} | {'F1':>5} | {'date acc':<16} |"
    print(f"{head} {'title acc':<18} | ms/page |")
    print(f"|{'-' * 30}|{'-' * 7}|{'-' * 7}|{'-' * 7}|{'-' * 18}|{'-' * 20}|---------|")
    for name, p, r, f1, dates, titles, ms in rows:
        print(
            f"| {name:<28} | {p:5.2f} | {r:5.2f} | {f1:5.2f} | {dates:<16} | {titles:<18} | {ms:7.0f} |"
        )
    print("\nnewskit per page:")
    print("\n".join(detail))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
