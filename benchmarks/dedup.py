"""Measure `newskit dedup`: no false groups on bench articles, and speed and memory at scale.

1. Bench articles (when ../shared/bench is there): every article page is extracted, then
   copies of it are made (Traditional script, first half, 0.5% of characters edited, another
   template with 来源 and editor lines, rewrapped), all published on one day so everything
   is compared with everything. Reported: pairs of different articles grouped (must be 0;
   listed), copies grouped with their article, originals named right, and the time to
   fingerprint an article (CPU).
2. Synthetic records (always): N records over N / 5000 days, 30% of them copies of a
   recent story (edited, cut to a first half, credited), fed through `Deduper` in a
   subprocess per size. Reported: records per second (generation timed apart), peak RSS,
   and the most records ever indexed or held, which must stay at about one window.

Usage: python benchmarks/dedup.py [--sizes 10000,100000] [--million] [--skip-bench]
(NEWSKIT_BENCH overrides the bench folder; --million adds a 1,000,000-record run.)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import bench_dir, load_sets

import newskit
from newskit.clusters.stream import Deduper, DedupOptions
from newskit.core.errors import NewskitError
from newskit.text.scripts import has_traditional

SETS = (
    "zh-cwced",
    "zh-news",
    "zh-more",
    "zh-libtests",
    "zh-trafilatura-eval",
    "en-cleanportaleval",
    "mixed-readability",
)
PER_DAY = 5000
# Two bench pages whose texts are this alike are one article (some sets share pages).
SAME_TEXT = 0.8
_SENTENCE_END = re.compile(r"(?<=[。！？!?.])")
_HAN = re.compile(r"[\u4e00-\u9fff]")


# -- copies -----------------------------------------------------------------------------


def _first_half(text: str) -> str:
    kept = ""
    for sentence in (s for s in _SENTENCE_END.split(text) if s):
        if len(kept) >= len(text) / 2:
            break
        kept += sentence
    return kept


def _edit(text: str, rng: random.Random, share: float = 0.005) -> str:
    chars = list(text)
    places = [i for i, c in enumerate(chars) if c.isalnum()]
    for i in rng.sample(places, max(1, round(len(places) * share))) if places else []:
        chars[i] = chr(rng.randint(0x4E00, 0x9FA5)) if _HAN.match(chars[i]) else "x"
    return "".join(chars)


def _rewrap(text: str) -> str:
    return "\n".join(s for s in _SENTENCE_END.split(text.replace("\n", "")) if s)


def copies(text: str, rng: random.Random) -> dict[str, str]:
    """The variants every bench article gets."""
    made = {
        "first-half": _first_half(text),
        "edit": _edit(text, rng),
        "template": f"来源：北岸新闻网\n（图片来自网络）\n{text}\n（完）\n责任编辑：刘颖",
        "rewrap": _rewrap(text),
    }
    if _HAN.search(text):
        made["traditional"] = newskit.convert(text, "s2tw")
    return made


# -- bench articles ---------------------------------------------------------------------


def bench_records(bench: Path) -> tuple[list[dict[str, Any]], list[float]]:
    """Every bench article and its copies as records; the CPU ms to fingerprint each article."""
    rng = random.Random(16)
    records: list[dict[str, Any]] = []
    timings: list[float] = []
    for name, pages in load_sets(bench, [s for s in SETS if (bench / s).is_dir()]).items():
        for page in pages:
            if page.is_list:
                continue
            try:
                article = newskit.extract(page.read(), page.url)
            except NewskitError:
                continue
            text = article.text
            if len(text) < 50:
                continue
            start = time.process_time()
            for _ in range(5):
                newskit.fingerprint(text)
            timings.append((time.process_time() - start) / 5 * 1000)
            key = f"{name}/{page.id}"
            base = {"published": "2025-03-01T08:00:00", "story": key, "title": article.title}
            records.append({**base, "text": text, "url": key, "site_name": key, "copy": None})
            for label, variant in copies(text, rng).items():
                url = f"{key}#{label}"
                published = "2025-03-01T12:00:00"
                records.append(
                    {**base, "text": variant, "url": url, "published": published, "copy": label}
                )
    return records, timings


def bench_report(bench: Path) -> None:
    records, timings = bench_records(bench)
    out = list(newskit.dedup(records))
    clusters: dict[str, list[dict[str, Any]]] = {}
    for record in out:
        clusters.setdefault(record["cluster"], []).append(record)
    texts = {r["story"]: r["text"] for r in out if r["copy"] is None}
    grouped = _grouped_pairs(clusters, texts)
    same_text = [p for p in grouped if p[2] >= SAME_TEXT]
    filler = [p for p in grouped if p[2] < SAME_TEXT and _is_filler(texts, p)]
    wrong = [p for p in grouped if p[2] < SAME_TEXT and p not in filler]
    by_story: dict[str, list[dict[str, Any]]] = {}
    for record in out:
        by_story.setdefault(record["story"], []).append(record)
    joined = missed = named = 0
    missed_kinds: dict[str, int] = {}
    for members in by_story.values():
        first = next(r for r in members if r["copy"] is None)
        for record in members:
            if record is first:
                continue
            if record["cluster"] == first["cluster"]:
                joined += 1
            else:
                missed += 1
                missed_kinds[record["copy"]] = missed_kinds.get(record["copy"], 0) + 1
        cluster = clusters[first["cluster"]]
        heads = [r for r in cluster if r["duplicate_of"] is None]
        shared = len({r["story"] for r in cluster}) > 1
        named += heads == [first] or shared
    articles = len(by_story)
    print(f"bench articles: {articles}, records with copies: {len(out)}")
    print("| measure | value |")
    print("|---|---|")
    print(f"| pairs of bench pages grouped | {len(grouped)} |")
    print(f"| … the same text in two pages (exact similar ≥ {SAME_TEXT}) | {len(same_text)} |")
    print(f"| … Lorem ipsum filler pages sharing paragraphs | {len(filler)} |")
    print(f"| … different articles grouped | {len(wrong)} |")
    print(f"| copies grouped with their article | {joined}/{joined + missed} |")
    print(
        f"| originals named right (a page sharing its text with another counts as right) | {named}/{articles} |"
    )
    print(
        f"| fingerprint, CPU ms per article (median / p95 / max) | "
        f"{statistics.median(timings):.3f} / {_p95(timings):.3f} / {max(timings):.3f} |"
    )
    chars = [len(r["text"]) for r in out if r["copy"] is None]
    print(
        f"| article length, characters (median / max) | {statistics.median(chars):.0f} / {max(chars)} |"
    )
    if missed_kinds:
        print("missed copies by kind:", json.dumps(missed_kinds))
    for group in _groups(same_text):
        shown = ", ".join(group[:4]) + (f" and {len(group) - 4} more" if len(group) > 4 else "")
        print(f"  same text: {shown}")
    for pair in wrong:
        print(f"  WRONG: {pair[0]} + {pair[1]} (similar {pair[2]:.2f})")


def _grouped_pairs(
    clusters: dict[str, list[dict[str, Any]]], texts: dict[str, str]
) -> list[tuple[str, str, float]]:
    """Pairs of different bench pages in one cluster, with their exact similarity."""
    pairs = []
    for cluster in clusters.values():
        stories = sorted({r["story"] for r in cluster})
        for i, a in enumerate(stories):
            for b in stories[i + 1 :]:
                pairs.append((a, b, newskit.similar(texts[a], texts[b])))
    return pairs


def _groups(pairs: list[tuple[str, str, float]]) -> list[list[str]]:
    """Pairs joined into groups of pages (connected components)."""
    groups: list[set[str]] = []
    for a, b, _ in pairs:
        joined = [g for g in groups if a in g or b in g]
        merged = {a, b}.union(*joined)
        groups = [g for g in groups if g not in joined] + [merged]
    return [sorted(g) for g in groups]


_FILLER = re.compile(r"\blorem\b|\bincididunt\b", re.IGNORECASE)  # Lorem ipsum filler


def _is_filler(texts: dict[str, str], pair: tuple[str, str, float]) -> bool:
    return all(_FILLER.search(texts[key]) for key in pair[:2])


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


# -- synthetic records ------------------------------------------------------------------


def synthetic(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """News-like records in published order: Zipf-weighted characters, 30% copies."""
    rng = random.Random(seed)
    # Simplified news: characters that exist in Traditional text only are left out.
    pool = [c for c in map(chr, range(0x4E00, 0x4E00 + 4000)) if not has_traditional(c)]
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    cumulative = list(_accumulate(weights))
    start = datetime(2025, 1, 1)
    recent: list[tuple[str, str]] = []
    for number in range(count):
        when = start + timedelta(seconds=number * 86400 / PER_DAY)
        if recent and rng.random() < 0.3:
            text, origin = rng.choice(recent)
            text = _first_half(text) if rng.random() < 0.3 else _edit(text, rng)
            source = origin
        else:
            sentences = rng.randint(15, 40)
            text = "。".join(
                "".join(rng.choices(pool, cum_weights=cumulative, k=rng.randint(12, 36)))
                for _ in range(sentences)
            )
            source = None
            origin = f"outlet{number % 97}"
            recent.append((text, origin))
            if len(recent) > 200:
                recent.pop(0)
        yield {
            "text": text,
            "url": f"https://n{number % 97}.example/{number}.html",
            "site_name": f"outlet{number % 97}",
            "source": source,
            "published": when.isoformat(),
        }


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def run_synthetic(count: int) -> dict[str, Any]:
    """One size, in this process: generation timed apart, then dedup."""
    start = time.process_time()
    for _ in synthetic(count):
        pass
    generation = time.process_time() - start
    newskit.fingerprint("這是繁體")  # loads OpenCC's dictionaries before the baseline
    base = _peak_kb()
    deduper = Deduper(DedupOptions())
    indexed = held = written = 0
    wall = time.perf_counter()
    start = time.process_time()
    for number, record in enumerate(synthetic(count)):
        written += len(deduper.add(record))
        if number % 500 == 0:
            indexed = max(indexed, len(deduper.index))
            held = max(held, len(deduper._queue))
    written += len(deduper.finish())
    cpu = time.process_time() - start - generation
    wall = time.perf_counter() - wall
    peak = _peak_kb()
    return {
        "records": count,
        "written": written,
        "records_per_s": round(count / cpu),
        "cpu_s": round(cpu, 1),
        "wall_s_with_generation": round(wall, 1),
        "peak_rss_mb": round(peak / 1024),
        "rss_growth_mb": round((peak - base) / 1024),
        "max_indexed": indexed,
        "max_held": held,
    }


def _peak_kb() -> int:
    """This process's peak resident memory (VmHWM: ru_maxrss would carry the parent's over exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def synthetic_report(sizes: list[int]) -> None:
    print(f"synthetic: {PER_DAY} records a day, window 2 days (about {2 * PER_DAY} records)")
    print(
        "| records | records/s (CPU) | CPU s | wall s (with generation) | peak RSS MB | RSS growth MB | most indexed | most held |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for size in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(done.stdout)
        assert r["written"] == size, r
        print(
            f"| {size:,} | {r['records_per_s']:,} | {r['cpu_s']} | {r['wall_s_with_generation']} | "
            f"{r['peak_rss_mb']} | {r['rss_growth_mb']} | {r['max_indexed']:,} | {r['max_held']:,} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 records")
    parser.add_argument("--skip-bench", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_synthetic(args.one)))
        return
    bench = bench_dir()
    if args.skip_bench:
        pass
    elif bench is None:
        print("bench folder absent: bench articles skipped")
    else:
        bench_report(bench)
        print()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.million:
        sizes.append(1_000_000)
    synthetic_report(sizes)


if __name__ == "__main__":
    main()
