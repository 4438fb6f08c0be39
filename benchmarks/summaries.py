"""Check `newskit.summarize` and `newskit.teaser` on the bench articles (zh and en).

Each article page is extracted with newskit.extract; then, per article and method (lead,
rank; 3 sentences) and teaser mode (120 characters, 120 display columns):

- faithful: every sentence of the summary, split again, is a sentence of the article,
  in article order;
- teaser within limit, and ending at a sentence or clause end or with "…";
- noise: summaries/teasers holding a byline, editor line, end mark or navigation text,
  found by patterns of this script (not by newskit's own filter) or by the gold editors'
  names, listed for inspection;
- time per article for summarizing (extraction timed apart).

Usage: python benchmarks/summaries.py [SET ...]   (NEWSKIT_BENCH overrides the folder)
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import BenchPage, bench_dir, load_sets
from wcwidth import wcswidth

from newskit.article.extraction import extract
from newskit.core.errors import NewskitError
from newskit.core.models import Article
from newskit.text.summaries import select_sentences, split_sentences, summarize, teaser

# Article sets (list pages are left out); zh-news and zh-trafilatura-eval have no gold body,
# which none of these checks needs, and they hold the bylines and editor lines of portals.
SETS = (
    "zh-cwced",
    "zh-libtests",
    "zh-news",
    "zh-trafilatura-eval",
    "en-cleanportaleval",
    "mixed-readability",
)
LIMIT = 120
ENDINGS = tuple("。！？；｡．…”’」』）)》】].!?;\"'")
NOISE = re.compile(
    r"[（(][^（）()]{0,20}(?:记者|記者|通讯员|通訊員)[^（）()]{0,20}[）)]"
    r"|(?:本报|本報)记者\s?[\u4e00-\u9fff]{2,4}(?:\s|$)"
    r"|(?:责任编辑|責任編輯|责编|編輯|编辑)\s*[:：]"
    r"|原标题|原標題|[（(【\[](?:完|END)[）)】\]]"
    r"|首页\s*[>»]|当前位置|分享到|扫一扫|版权所有|版權所有|Copyright|©"
    r"|^By [A-Z][\w.'-]+(?: [A-Z][\w.'-]+)+$|\bBy [A-Z][a-z]+ [A-Z][a-z]+,? (?:and|Reuters|AP)\b"
    r"|(?:Reporting|Editing|Writing) by\b|\b(?:Share this|Click here|Read more|Sign up|Subscribe)\b"
    r"|\bAdvertisement\b|Getty Images|AP Photo",
    re.MULTILINE,
)


def faithful(article: Article, method: str, article_sentences: list[str]) -> bool:
    """Every summary sentence is an article sentence, and they keep article order."""
    chosen = select_sentences(article, 3, method)
    if len(chosen) > 3 or not all(s in summarize(article, 3, method) for s in chosen):
        return False
    last = -1
    for sentence in chosen:
        try:
            last = article_sentences.index(sentence, last + 1)
        except ValueError:
            return False
    return True


def teaser_ok(value: str, columns: bool) -> bool:
    """Within the limit, and ending at a sentence or clause end or with an ellipsis."""
    width = wcswidth(value) if columns else len(value)
    return width <= LIMIT and (not value or value.endswith(ENDINGS))


def pages(names: list[str]) -> list[BenchPage]:
    """Article pages (not list pages), in Chinese or English."""
    bench = bench_dir()
    assert bench is not None
    chosen = []
    for group in load_sets(bench, names).values():
        for page in group:
            lang = page.lang.lower()
            if not page.is_list and (lang.startswith("zh") or lang == "en"):
                chosen.append(page)
    return chosen


def main(argv: list[str]) -> int:
    """Run the checks and print one line per figure."""
    bench = bench_dir()
    if bench is None:
        print(
            "benchmarks/summaries.py: no bench folder (../shared/bench or $NEWSKIT_BENCH); skipped"
        )
        return 0
    names = argv or [name for name in SETS if (bench / name / "manifest.jsonl").exists()]
    counts = dict.fromkeys(("articles", "failed", "zh", "en", "lead", "rank", "chars", "cols"), 0)
    noisy: list[str] = []
    extract_times: list[float] = []
    times: list[float] = []
    for page in pages(names):
        started = time.perf_counter()
        try:
            article = extract(page.read(), page.url)
        except NewskitError:
            counts["failed"] += 1
            continue
        extract_times.append(time.perf_counter() - started)
        counts["articles"] += 1
        started = time.perf_counter()
        outputs = _summaries(article)
        times.append(time.perf_counter() - started)
        sentences = split_sentences(article.text)
        counts["lead"] += faithful(article, "lead", sentences)
        counts["rank"] += faithful(article, "rank", sentences)
        counts["chars"] += teaser_ok(outputs["teaser"], columns=False)
        counts["cols"] += teaser_ok(outputs["teaser-columns"], columns=True)
        counts["zh" if page.is_zh else "en"] += 1
        editors = [e for e in page.gold.get("editors") or [] if len(e) >= 2]
        for kind, value in outputs.items():
            named = next((e for e in editors if e in value), None)
            if named:
                noisy.append(f"  {page.key} [{kind}] names the editor {named}")
            hit = NOISE.search(value)
            if hit:
                noisy.append(
                    f"  {page.key} [{kind}] …{value[max(0, hit.start() - 20) : hit.end() + 20]}…"
                )
    _report(names, counts, noisy, extract_times, times)
    return 0


def _summaries(article: Article) -> dict[str, str]:
    return {
        "lead": summarize(article, 3, "lead"),
        "rank": summarize(article, 3, "rank"),
        "teaser": teaser(article, LIMIT),
        "teaser-columns": teaser(article, LIMIT, columns=True),
    }


def _report(
    names: list[str],
    counts: dict[str, int],
    noisy: list[str],
    extract_times: list[float],
    times: list[float],
) -> None:
    total = counts["articles"] or 1
    print(f"sets: {', '.join(names)}")
    print(
        f"articles: {counts['articles']} ({counts['zh']} zh, {counts['en']} en; "
        f"extraction failed: {counts['failed']})"
    )
    print(
        f"lead summaries, every sentence an article sentence in order: {counts['lead'] / total:.1%}"
    )
    print(
        f"rank summaries, every sentence an article sentence in order: {counts['rank'] / total:.1%}"
    )
    print(f"teasers within {LIMIT} characters, clean ending: {counts['chars'] / total:.1%}")
    print(f"teasers within {LIMIT} display columns, clean ending: {counts['cols'] / total:.1%}")
    print(f"summaries/teasers with a byline, editor line or navigation text: {len(noisy)}")
    for line in noisy:
        print(line)
    if times:
        print(
            f"summarize + teaser, per article (both methods, both teasers): mean "
            f"{statistics.mean(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
            f"(extraction alone: mean {statistics.mean(extract_times) * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
