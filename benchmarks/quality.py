"""Extraction quality of newskit next to plain trafilatura, on every set of the shared bench.

Body text is scored the ScrapingHub article-extraction-benchmark way (multisets of
4-token shingles, precision averaged over pages with output, recall over pages with gold,
F1 of the two averages); metadata fields by exact or containment rules; see the bench
README for the method. Per set it also counts the author and editor values that fail
newskit's name check (non-name %), the values naming nobody the gold credits where the
gold lists every author and editor (stray %), and the "no article found" refusals where
the other tool returned text (refused). Usage: python benchmarks/quality.py [--set NAME]
[--show-misses FIELD] [--json FILE]. Skips (exit 0) when the bench folder is absent.
"""

from __future__ import annotations

import argparse
import codecs
import hashlib
import html
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from _common import BenchPage, bench_dir, fold, load_sets, tokenize

TOOLS = ("newskit", "trafilatura")
FIELDS = ("title", "day", "minute", "authors", "source", "editors")
MISS_FIELDS = ("body", "snippets", *FIELDS, "mojibake", "errors", "names", "stray", "refusals")
ZH_ALL = "zh ALL"


@dataclass
class Prediction:
    """What one tool made of one page, reduced to the scored fields."""

    title: str | None = None
    text: str = ""
    day: str | None = None
    minute: str | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    editors: list[str] = field(default_factory=list)
    error: str | None = None
    refused: bool = False  # "no article found"
    seconds: float = 0.0


def _split_published(value: str | None) -> tuple[str | None, str | None]:
    """ISO date or datetime to ("YYYY-MM-DD", "YYYY-MM-DD HH:MM" or None)."""
    if not value or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None, None
    day = value[:10]
    time_part = re.match(r"[T ](\d{2}:\d{2})", value[10:])
    return day, f"{day} {time_part.group(1)}" if time_part else None


def run_newskit(raw: bytes, url: str | None) -> Prediction:
    from newskit.article.extraction import extract
    from newskit.core.errors import NewskitError

    start = time.perf_counter()
    try:
        article = extract(raw, url=url)
    except NewskitError as err:
        refused = "no article" in str(err)
        return Prediction(error=f"{type(err).__name__}: {err}", refused=refused)
    except Exception as err:  # a crash is a finding to report, not a reason to stop
        return Prediction(error=f"CRASH {type(err).__name__}: {err}")
    seconds = time.perf_counter() - start
    day, minute = _split_published(article.to_dict()["published"])
    return Prediction(
        title=article.title,
        text=article.text or "",
        day=article.date or day,
        minute=minute,
        authors=list(article.authors),
        source=article.source,
        editors=list(article.editors),
        seconds=seconds,
    )


def run_trafilatura(raw: bytes, url: str | None) -> Prediction:
    from trafilatura import bare_extraction

    start = time.perf_counter()
    try:
        doc = bare_extraction(raw, url=url, with_metadata=True)
    except Exception as err:
        return Prediction(error=f"CRASH {type(err).__name__}: {err}")
    seconds = time.perf_counter() - start
    if doc is None:
        return Prediction(error="None (no article)", refused=True, seconds=seconds)
    day, minute = _split_published(doc.date)
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    # trafilatura has no 来源 and no editor field: source and editors stay empty.
    return Prediction(
        title=doc.title,
        text=doc.text or "",
        day=day,
        minute=minute,
        authors=authors,
        seconds=seconds,
    )


RUNNERS: dict[str, Callable[[bytes, str | None], Prediction]] = {
    "newskit": run_newskit,
    "trafilatura": run_trafilatura,
}


# --- body text -------------------------------------------------------------------------


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    """The multiset of n-token shingles (a short text gives one shorter shingle)."""
    tokens = tokenize(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens)


def shingle_match(gold: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) normalised to sum to 1, so long pages weigh no more than short ones."""
    true, guess = shingles(gold), shingles(pred)
    tp = float(sum((true & guess).values()))
    fp = float(sum((guess - true).values()))
    fn = float(sum((true - guess).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def page_recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def body_scores(matches: list[tuple[float, float, float]]) -> dict[str, float | int | None]:
    """Precision over pages with output, recall over pages with gold, F1 of the two."""
    precisions = [page_precision(*m) for m in matches if m[0] + m[1] > 0]
    recalls = [page_recall(*m) for m in matches if m[0] + m[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"f1": f1 if matches else None, "precision": p, "recall": r, "n": len(matches)}


# --- metadata fields --------------------------------------------------------------------


def _first(values: Any) -> str | None:
    if isinstance(values, list):
        values = next((v for v in values if v), None)
    return values if isinstance(values, str) and values.strip() else None


def gold_value(gold: dict[str, Any], name: str) -> Any:
    """The gold for one field, or None when it is not scored on this page."""
    if name == "title":
        titles = [_first(gold.get("title")), *(gold.get("title_alt") or [])]
        titles = [t for t in titles if t]
        return titles if _first(gold.get("title")) else None
    if name == "day":
        return _first(gold.get("date")) or (_first(gold.get("datetime")) or "")[:10] or None
    if name == "minute":
        return _first(gold.get("datetime"))
    if name == "authors":
        return _first(gold.get("authors")) or _first(gold.get("author"))
    if name == "source":
        return _first(gold.get("source"))
    if name == "editors":
        return _first(gold.get("editors"))
    raise ValueError(name)


def predicted_value(pred: Prediction, name: str) -> Any:
    return {
        "title": pred.title,
        "day": pred.day,
        "minute": pred.minute,
        "authors": pred.authors,
        "source": pred.source,
        "editors": pred.editors,
    }[name]


def _contains_match(gold: str, predicted: Iterable[str | None]) -> bool:
    want = fold(gold).casefold()
    for value in predicted:
        got = fold(value).casefold()
        if got and (want in got or got in want):
            return True
    return False


def field_right(name: str, gold: Any, predicted: Any) -> bool:
    if name == "title":
        return fold(predicted) in {fold(t) for t in gold}
    if name in ("day", "minute"):
        return predicted == gold
    if name == "source":
        return _contains_match(gold, [predicted])
    return _contains_match(gold, predicted or [])


def snippet_hits(gold: dict[str, Any], text: str) -> dict[str, list[str]]:
    """Which `with` snippets are missing and which `without` snippets slipped in."""
    body = fold(text)
    return {
        "with_missing": [s for s in gold.get("with") or [] if fold(s) not in body],
        "without_present": [s for s in gold.get("without") or [] if fold(s) in body],
    }


# --- names and refusals -------------------------------------------------------------------


def non_names(pred: Prediction) -> list[str]:
    """The author and editor values that fail newskit's name check (context-free)."""
    from newskit.article.meta.names import is_name

    return [v for v in [*pred.authors, *pred.editors] if not is_name(v)]


def stray_people(page: BenchPage, pred: Prediction) -> list[str] | None:
    """Author and editor values naming nobody the gold credits (None: gold not complete).

    Scored only where the gold lists both authors and editors (`[]` = nobody), so every
    person the page credits is known.
    """
    gold = page.gold
    if not isinstance(gold.get("editors"), list) or not (gold.get("authors") or gold.get("author")):
        return None
    people = [*(gold.get("authors") or [gold.get("author")]), *gold["editors"]]
    return [v for v in [*pred.authors, *pred.editors] if not _contains_match_any(people, v)]


def _contains_match_any(golds: list[str], value: str) -> bool:
    return any(_contains_match(g, [value]) for g in golds if g)


def refused_article(result: PageResult, tool: str, least: int = 1) -> bool:
    """This tool said "no article found" where the other tool returned `least`+ characters."""
    other = next(t for t in TOOLS if t != tool)
    return result.preds[tool].refused and len(result.preds[other].text.strip()) >= least


# --- mojibake ----------------------------------------------------------------------------

_LABELS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "big5": "big5hkscs",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.\-]+)""", re.IGNORECASE)
_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]{20,}")
# Runs of Latin-1 / cp1252 characters: what GBK or UTF-8 bytes look like read as Latin-1.
_LATIN_RUN = re.compile(
    "[\u00a1-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{4,}"
)
_LATIN_LETTER = re.compile("[\u00c0-\u00ff]")
_LATIN_SYMBOL = re.compile(
    "[\u00a1-\u00bf\u00d7\u00f7\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    name = _LABELS.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _error_rate(raw: bytes, codec: str) -> float:
    high = sum(b >= 0x80 for b in raw) or 1
    return raw.decode(codec, "replace").count("\ufffd") / high


def reference_text(page: BenchPage, raw: bytes) -> str:
    """The page decoded the way its bytes really are, independently of newskit's decoder.

    UTF-8 first (legacy bytes are almost never valid UTF-8), then what the bench or the
    page declares, then the usual Chinese encodings; cp1252 only when nothing else fits.
    """
    declared = _META_CHARSET.search(raw[:4096])
    labels = [
        page.record.get("decoded_as"),
        "utf-8",
        page.record.get("declared_charset"),
        declared.group(1).decode("ascii", "ignore") if declared else None,
        "gb18030",
        "big5hkscs",
    ]
    candidates = list(dict.fromkeys(c for c in map(_codec, labels) if c and c != "cp1252"))
    rates = {c: _error_rate(raw, c) for c in candidates}
    good = [c for c in candidates if rates[c] < 0.005]
    codec = good[0] if good else min(candidates, key=rates.__getitem__)
    if rates[codec] > 0.05:
        codec = "cp1252"
    return html.unescape(raw.decode(codec, "ignore"))


def mojibake(output: str, reference: str) -> list[str]:
    """The kinds of garbage (with a sample) in the output that the page itself lacks."""
    found = []
    if "\ufffd" in output and "\ufffd" not in reference:
        found.append(f"U+FFFD x{output.count(chr(0xFFFD))}")
    for match in _CYRILLIC_GREEK.finditer(output):
        if match.group() not in reference:
            found.append(f"cyrillic/greek {match.group()[:12]!r}")
            break
    for match in _LATIN_RUN.finditer(output):
        run = match.group()
        if _LATIN_LETTER.search(run) and _LATIN_SYMBOL.search(run) and run not in reference:
            found.append(f"latin-1 {run[:12]!r}")
            break
    return found


# --- one page, all tools -----------------------------------------------------------------


@dataclass
class PageResult:
    page: BenchPage
    preds: dict[str, Prediction]
    fields: dict[str, dict[str, bool]]  # field -> tool -> right
    body: dict[str, tuple[float, float, float]]  # tool -> (tp, fp, fn)
    snippets: dict[str, dict[str, list[str]]]  # tool -> with_missing / without_present
    garbage: dict[str, list[str]]  # tool -> mojibake kinds
    digest: str = ""  # of the raw bytes: sets share a few pages, pooled once


def score_page(page: BenchPage) -> PageResult:
    raw = page.read()
    preds = {tool: RUNNERS[tool](raw, page.url) for tool in TOOLS}
    gold = page.gold
    fields_right: dict[str, dict[str, bool]] = {}
    for name in FIELDS:
        want = gold_value(gold, name)
        if want is not None:
            fields_right[name] = {
                tool: field_right(name, want, predicted_value(preds[tool], name)) for tool in TOOLS
            }
    body = {}
    if _first(gold.get("text")):
        body = {tool: shingle_match(gold["text"], preds[tool].text) for tool in TOOLS}
    snippets = {}
    if gold.get("with") or gold.get("without"):
        snippets = {tool: snippet_hits(gold, preds[tool].text) for tool in TOOLS}
    reference = reference_text(page, raw)
    garbage = {
        tool: mojibake(f"{preds[tool].title or ''}\n{preds[tool].text}", reference)
        for tool in TOOLS
    }
    digest = hashlib.sha1(raw).hexdigest()
    return PageResult(page, preds, fields_right, body, snippets, garbage, digest)


# --- aggregation and the table -----------------------------------------------------------


def summarize(results: list[PageResult]) -> dict[str, dict[str, Any]]:
    """Every number of the table for one group of pages, per tool."""
    summary: dict[str, dict[str, Any]] = {}
    for tool in TOOLS:
        row: dict[str, Any] = {"pages": len(results)}
        row["body"] = body_scores([r.body[tool] for r in results if r.body])
        with_n = with_ok = without_n = without_ok = 0
        for r in results:
            if r.snippets:
                hits = r.snippets[tool]
                with_n += len(r.page.gold.get("with") or [])
                with_ok += len(r.page.gold.get("with") or []) - len(hits["with_missing"])
                without_n += len(r.page.gold.get("without") or [])
                without_ok += len(r.page.gold.get("without") or []) - len(hits["without_present"])
        row["snippets"] = {
            "with": with_ok / with_n if with_n else None,
            "without": without_ok / without_n if without_n else None,
            "with_n": with_n,
            "without_n": without_n,
        }
        for name in FIELDS:
            verdicts = [r.fields[name][tool] for r in results if name in r.fields]
            row[name] = {
                "right": sum(verdicts),
                "n": len(verdicts),
                "share": sum(verdicts) / len(verdicts) if verdicts else None,
            }
        values = sum(len(r.preds[tool].authors) + len(r.preds[tool].editors) for r in results)
        bad = sum(len(non_names(r.preds[tool])) for r in results)
        row["names"] = {"bad": bad, "n": values, "share": bad / values if values else None}
        strays = [s for r in results if (s := stray_people(r.page, r.preds[tool])) is not None]
        stray_n = sum(
            len(r.preds[tool].authors) + len(r.preds[tool].editors)
            for r in results
            if stray_people(r.page, r.preds[tool]) is not None
        )
        bad_people = sum(len(s) for s in strays)
        row["stray"] = {
            "bad": bad_people,
            "n": stray_n,
            "share": bad_people / stray_n if stray_n else None,
        }
        row["refused"] = sum(refused_article(r, tool) for r in results)
        row["refused200"] = sum(refused_article(r, tool, 200) for r in results)
        row["mojibake"] = sum(bool(r.garbage[tool]) for r in results)
        row["errors"] = sum(r.preds[tool].error is not None for r in results)
        row["seconds"] = sum(r.preds[tool].seconds for r in results)
        summary[tool] = row
    return summary


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.0f}"


def _pct1(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f}"


def _body_cell(row: dict[str, Any]) -> str:
    snip = row["snippets"]
    if row["body"]["n"] == 0 and (snip["with_n"] or snip["without_n"]):
        return f"{_pct(snip['with'])}/{_pct(snip['without'])}"
    f1 = row["body"]["f1"]
    return "-" if f1 is None else f"{f1:.3f}"


def render_table(groups: dict[str, dict[str, dict[str, Any]]]) -> str:
    """One row per group; per metric, newskit (nk) and trafilatura (tr) side by side."""
    nk, tr = TOOLS
    columns: list[tuple[str, list[tuple[str, int]], Callable[[dict[str, Any]], list[str]]]] = [
        ("body F1", [("nk", 6), ("tr", 6)], lambda row: [_body_cell(row)]),
    ]
    for fname in FIELDS:
        columns.append(
            (
                f"{fname} %",
                [("nk", 3), ("tr", 3), ("n", 3)],
                lambda row, f=fname: [_pct(row[f]["share"])],
            )
        )
    columns.append(
        ("non-name %", [("nk", 4), ("tr", 4), ("n", 4)], lambda row: [_pct1(row["names"]["share"])])
    )
    columns.append(
        ("stray %", [("nk", 4), ("tr", 4), ("n", 4)], lambda row: [_pct1(row["stray"]["share"])])
    )
    columns.append(("refused", [("nk", 3), ("tr", 3)], lambda row: [str(row["refused"])]))
    columns.append(("mojibake", [("nk", 3), ("tr", 3)], lambda row: [str(row["mojibake"])]))
    columns.append(("errors", [("nk", 3), ("tr", 3)], lambda row: [str(row["errors"])]))

    def join(parts: list[tuple[str, int]]) -> str:
        return " ".join(f"{text:>{width}}" for text, width in parts)

    top, sub = [f"{'':21}{'':>5}"], [f"{'set':21}{'pages':>5}"]
    for head, subs, _ in columns:
        width = len(join(subs))
        top.append(f"{head:^{width}}")
        sub.append(join(subs))
    lines = [" | ".join(top), " | ".join(sub)]
    lines.append("-" * len(lines[1]))
    for name, group in groups.items():
        cells = [f"{name:21}{group[nk]['pages']:>5}"]
        for head, subs, get in columns:
            values = get(group[nk]) + get(group[tr])
            if len(subs) == 3:
                key = {"non-name %": "names", "stray %": "stray"}.get(head, head.split()[0])
                n = group[nk][key]["n"]
                values.append(str(n) if n else "-")
            cells.append(join([(v, w) for v, (_, w) in zip(values, subs, strict=True)]))
        lines.append(" | ".join(cells))
    return "\n".join(lines)


# --- misses -----------------------------------------------------------------------------


def _short(value: Any, limit: int = 70) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_misses(results: list[PageResult], name: str) -> None:
    nk, tr = TOOLS
    print(f"\nnewskit misses on {name} (gold | newskit | trafilatura):")
    count = 0
    if name == "body":
        scored = [r for r in results if r.body]
        scored.sort(key=lambda r: _page_f1(r.body[nk]))
        for r in scored:
            f_nk, f_tr = _page_f1(r.body[nk]), _page_f1(r.body[tr])
            if f_nk < 0.9:
                count += 1
                p, rec = page_precision(*r.body[nk]), page_recall(*r.body[nk])
                print(
                    f"  {r.page.key}: F1 {f_nk:.2f} (P {p:.2f} R {rec:.2f}; trafilatura {f_tr:.2f})"
                    f" | gold {len(r.page.gold['text'])} chars, newskit {len(r.preds[nk].text)}"
                    + (f" | {r.preds[nk].error}" if r.preds[nk].error else "")
                )
    elif name == "snippets":
        for r in results:
            hits = r.snippets.get(nk)
            if hits and (hits["with_missing"] or hits["without_present"]):
                count += 1
                print(
                    f"  {r.page.key}: missing {hits['with_missing']} kept {hits['without_present']}"
                )
    elif name == "mojibake":
        for r in results:
            if r.garbage[nk] or r.garbage[tr]:
                count += 1
                print(f"  {r.page.key}: newskit {r.garbage[nk]} | trafilatura {r.garbage[tr]}")
    elif name == "names":
        for r in results:
            if bad := non_names(r.preds[nk]):
                count += 1
                print(f"  {r.page.key}: {_short(bad)}")
    elif name == "stray":
        for r in results:
            if bad := stray_people(r.page, r.preds[nk]):
                count += 1
                print(f"  {r.page.key}: {_short(bad)}")
    elif name == "refusals":
        for r in results:
            if refused_article(r, nk):
                count += 1
                print(f"  {r.page.key}: trafilatura {len(r.preds[tr].text)} chars")
    elif name == "errors":
        for r in results:
            if r.preds[nk].error or r.preds[tr].error:
                count += 1
                print(
                    f"  {r.page.key}: newskit {r.preds[nk].error} | trafilatura {r.preds[tr].error}"
                )
    else:
        for r in results:
            verdict = r.fields.get(name)
            if verdict and not verdict[nk]:
                count += 1
                gold = gold_value(r.page.gold, name)
                got_nk = predicted_value(r.preds[nk], name)
                got_tr = predicted_value(r.preds[tr], name)
                err = f" [{r.preds[nk].error}]" if r.preds[nk].error else ""
                print(
                    f"  {r.page.key}: {_short(gold)} | {_short(got_nk)}{err} | {_short(got_tr, 40)}"
                )
    print(f"  ({count} page(s))")


def _page_f1(match: tuple[float, float, float]) -> float:
    p, r = page_precision(*match), page_recall(*match)
    return 2 * p * r / (p + r) if p + r else 0.0


# --- main -------------------------------------------------------------------------------


def group_results(results: dict[str, list[PageResult]]) -> dict[str, list[PageResult]]:
    """Each set, plus the Chinese pages of every set pooled, in the table's order."""
    groups: dict[str, list[PageResult]] = {}
    zh_sets = [name for name in results if name.startswith("zh-")]
    for name in zh_sets:
        groups[name] = results[name]
    unique: dict[str, PageResult] = {}
    for rs in results.values():
        for r in rs:
            if r.page.is_zh:
                unique.setdefault(r.digest, r)
    pooled = list(unique.values())
    if pooled:
        groups[ZH_ALL] = pooled
    for name, rs in results.items():
        if name not in zh_sets:
            groups[name] = rs
    return {name: rs for name, rs in groups.items() if rs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", dest="sets", metavar="NAME", help="repeatable")
    parser.add_argument("--show-misses", action="append", choices=MISS_FIELDS, metavar="FIELD")
    parser.add_argument("--json", type=Path, metavar="FILE", help="dump every number here")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    bench = bench_dir()
    if bench is None:
        print("quality: no bench folder (../shared/bench or $NEWSKIT_BENCH); skipped")
        return 0
    sets = load_sets(bench, args.sets)
    started = time.perf_counter()
    results: dict[str, list[PageResult]] = {}
    for name, pages in sets.items():
        scored = [p for p in pages if not p.is_list]
        if scored:
            results[name] = [score_page(p) for p in scored]
    groups = group_results(results)
    if not groups:
        print("quality: no article pages in the chosen set(s); nothing to score")
        return 0
    summary = {name: summarize(rs) for name, rs in groups.items()}

    print(render_table(summary))
    print(
        "body: F1 of 4-token shingles; zh-trafilatura-eval shows % of `with` snippets found /"
        " % of `without` snippets absent.\nn = pages with that gold; zh ALL pools the Chinese"
        " pages of every set once (list pages are skipped); trafilatura has no source/editors fields."
        "\nmixed-readability's gold is readability's own output (title = <title>, source ="
        " siteName, author = byline)."
        "\nnon-name % = author and editor values failing newskit's name check (n = values);"
        " stray % = values naming nobody the gold credits, where the gold lists authors and"
        ' editors;\nrefused = "no article found" where the other tool returned text.'
    )
    every = [r for rs in results.values() for r in rs]
    for name in args.show_misses or []:
        show_misses(every, name)
    print(f"\n({len(every)} pages in {time.perf_counter() - started:.0f}s)")
    if args.json:
        dump = {
            "summary": summary,
            "pages": [
                {
                    "set": r.page.set_name,
                    "id": r.page.id,
                    "lang": r.page.lang,
                    "fields": r.fields,
                    "body": {t: _page_f1(m) for t, m in r.body.items()},
                    "snippets": r.snippets,
                    "mojibake": r.garbage,
                    "predictions": {
                        t: {k: v for k, v in asdict(p).items() if k != "text"}
                        | {"text_chars": len(p.text)}
                        for t, p in r.preds.items()
                    },
                }
                for r in every
            ],
        }
        args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
