"""Extractive summaries and teasers of Chinese and English articles (no models)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newskit.core.errors import InputError, UsageError
from newskit.core.models import Article
from newskit.core.text import CJK, CJK_CHARS, is_cjk
from newskit.text.sentences import (
    CJK_TERMS,
    CLOSERS,
    PHOTO_CREDIT,
    TERMS,
    Sentence,
    is_noise,
    segments,
    split_sentences,
)

__all__ = [
    "ELLIPSIS",
    "MAX_SENTENCE",
    "METHODS",
    "SummaryOptions",
    "cut",
    "is_noise",
    "select_sentences",
    "split_sentences",
    "summarize",
    "summarize_record",
    "teaser",
    "text_width",
]

METHODS = ("lead", "rank")
ELLIPSIS = "…"

# The longest sentence a summary keeps whole, in characters; a longer run (text without
# sentence ends) is cut at a clause with '…'. Real sentences stay well under it.
MAX_SENTENCE = 400
# `rank` looks at no more than this many sentences (TextRank is quadratic).
_RANK_POOL = 300
# A lead or a teaser is found in the first paragraphs (a lead box repeats within them).
_HEAD = 40


_STOPWORDS = {
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "not", "no",
    "so", "if", "than", "then", "there", "said", "says", "will", "would", "can", "could", "has",
    "have", "had", "do", "does", "did", "which", "who", "what", "when", "where", "also", "about",
}  # fmt: skip
_TOKEN = re.compile(rf"[{CJK_CHARS}]+|[^\W{CJK_CHARS}_]+")
_CLAUSE = set("，、；：,;:")
_CUT_AFTER = _CLAUSE | TERMS
_MARKED_END = TERMS | CLOSERS


@dataclass(frozen=True)
class SummaryOptions:
    """How `newskit summarize` shortens an article; built once by the CLI."""

    sentences: int = 3
    method: str = "lead"
    max_chars: int = 120
    columns: bool = False

    def __post_init__(self) -> None:
        _check_method(self.method)
        if self.sentences < 1:
            raise UsageError("--sentences must be at least 1")
        if self.max_chars < 1:
            raise UsageError("--max-chars must be at least 1")


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise UsageError(f"unknown summary method {method!r} (choose: {', '.join(METHODS)})")


def _text_of(article_or_text: Article | str) -> tuple[str, Article | None]:
    if isinstance(article_or_text, Article):
        return article_or_text.text or "", article_or_text
    return article_or_text or "", None


def _is_heading(sentence: Sentence) -> bool:
    if sentence.complete:
        return False
    cjk = len(CJK.findall(sentence.text))
    return cjk < 30 if cjk else len(sentence.text.split()) < 10


def _candidates(text: str, article: Article | None, head: int | None = None) -> list[Sentence]:
    """The sentences a summary may use: no noise, headings, fragments or duplicates.

    `head` limits the work to the first paragraphs, for a lead that needs only a few.
    """
    segs = segments(text, head)
    captions = {s.para for s in segs if len(s.text) < 40 and PHOTO_CREDIT.search(s.text)}
    people = set(article.authors + article.editors) if article else set()
    title = (article.title or "").strip() if article else ""
    kept: list[Sentence] = []
    seen: set[str] = set()
    for index, seg in enumerate(segs):
        body = seg.text
        if seg.para in captions and len(body) < 100:  # a photo caption with its credit
            continue
        if body in seen or body == title or is_noise(body) or _only_names(body, people):
            continue
        if index < 40 and _is_lead_copy(body, segs[index + 1 : index + 80]):
            continue
        fragment = not seg.complete and index > 0 and segs[index - 1].para == seg.para
        if fragment or _is_heading(seg) or _is_scrap(body):
            continue
        seen.add(body)
        kept.append(seg)
    complete = [s for s in kept if s.complete]
    if complete:
        return complete
    return kept or [s for s in segs if not is_noise(s.text)]


def _is_scrap(sentence: str) -> bool:
    """A broken piece: starts with a comma or a closing mark, or has under two letters."""
    return sentence[0] in "，、；：,;:)）”’」』" or sum(map(len, _TOKEN.findall(sentence))) < 2


def _only_names(sentence: str, people: set[str]) -> bool:
    if not people:
        return False
    rest = sentence
    for name in people:
        rest = rest.replace(name, "")
    return not re.sub(r"[\W_]|记者|通讯员|编辑|作者|摄", "", rest)


def _is_lead_copy(body: str, later: list[Sentence]) -> bool:
    """A truncated copy of a later sentence (the lead box of a portal page)."""
    stem = body.rstrip("…. ")
    if len(stem) < 15:
        return False
    return any(s.text.startswith(stem) for s in later)


def _features(sentence: str) -> set[str]:
    """Character bigrams for Chinese (no segmentation needed), words for English."""
    feats: set[str] = set()
    for token in _TOKEN.findall(sentence):
        if is_cjk(token[0]):
            feats.update(token[i : i + 2] for i in range(max(1, len(token) - 1)))
        else:
            word = token.lower()
            if word not in _STOPWORDS and len(word) > 1:
                feats.add(word[:-1] if word.endswith("s") and len(word) > 3 else word)
    return feats


def _rank(feats: list[set[str]], damping: float = 0.85, rounds: int = 50) -> list[float]:
    """TextRank scores of sentences (their features): PageRank over overlap, nudged to the lead."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, fs in enumerate(feats):
        for f in fs:
            index[f].append(i)
    overlap: Counter[tuple[int, int]] = Counter()
    for holders in index.values():
        if len(holders) < len(feats) * 0.6 or len(feats) < 4:
            for a in range(len(holders)):
                for b in range(a + 1, len(holders)):
                    overlap[holders[a], holders[b]] += 1
    edges: list[dict[int, float]] = [{} for _ in feats]
    for (a, b), shared in overlap.items():
        weight = shared / (math.log(len(feats[a]) + 1) + math.log(len(feats[b]) + 1))
        edges[a][b] = edges[b][a] = weight
    prior = [1 / math.sqrt(i + 1) for i in range(len(feats))]
    total = sum(prior)
    prior = [p / total for p in prior]
    out_weight = [sum(e.values()) for e in edges]
    scores = prior[:]
    for _ in range(rounds):
        share = [
            score / weight if weight else 0.0
            for score, weight in zip(scores, out_weight, strict=True)
        ]
        updated = [
            (1 - damping) * prior[i] + damping * sum(w * share[j] for j, w in edges[i].items())
            for i in range(len(feats))
        ]
        done = max(abs(a - b) for a, b in zip(updated, scores, strict=True)) < 1e-7
        scores = updated
        if done:
            break
    return scores


def _join(sentences: list[str]) -> str:
    out = ""
    for sentence in sentences:
        if out and out[-1] not in _MARKED_END:
            out += "\n"  # after a sentence without an end mark, as in the article
        elif out and not (is_cjk(sentence[0]) or out[-1] in CJK_TERMS or out[-1] in "”」』）"):
            out += " "
        out += sentence
    return out


def select_sentences(
    article_or_text: Article | str, sentences: int = 3, method: str = "lead"
) -> list[str]:
    """The summary's sentences: each one a sentence of the article, in article order."""
    _check_method(method)
    if sentences < 1:
        raise UsageError("sentences must be at least 1")
    text, article = _text_of(article_or_text)
    chosen = [s.text for s in _candidates(text, article, _HEAD if method == "lead" else None)]
    if len(chosen) < sentences and method == "lead":
        chosen = [s.text for s in _candidates(text, article)]
    if method == "rank" and len(chosen) > sentences:
        # Very long pages: the point of an article is made early; rank its first part.
        pool = chosen[:_RANK_POOL]
        feats = [_features(s) for s in pool]
        rankable = [i for i, f in enumerate(feats) if len(f) >= 4] or list(range(len(pool)))
        scores = _rank([feats[i] for i in rankable])
        best = sorted(range(len(rankable)), key=lambda k: -scores[k])[:sentences]
        chosen = [pool[rankable[k]] for k in sorted(best)]
    # Text with no sentence end is one "sentence": cut, so a summary is never the whole text.
    return [s if len(s) <= MAX_SENTENCE else cut(s, MAX_SENTENCE) for s in chosen[:sentences]]


def summarize(article_or_text: Article | str, sentences: int = 3, method: str = "lead") -> str:
    """The article in its `sentences` best sentences ('lead' or 'rank'), in article order."""
    return _join(select_sentences(article_or_text, sentences, method))


def text_width(text: str, columns: bool = False) -> int:
    """Characters, or terminal display columns (CJK counts 2) when `columns`."""
    if not columns:
        return len(text)
    from wcwidth import wcswidth, wcwidth

    width = int(wcswidth(text))
    return width if width >= 0 else sum(max(int(wcwidth(c)), 0) for c in text)


def teaser(article_or_text: Article | str, max_chars: int = 120, *, columns: bool = False) -> str:
    """The longest run of whole lead sentences within max_chars, else a clause cut with '…'."""
    if max_chars < 1:
        raise UsageError("max_chars must be at least 1")
    text, article = _text_of(article_or_text)
    candidates = _candidates(text, article, _HEAD)
    if not candidates:
        return ""

    def width(value: str) -> int:
        return text_width(value, columns)

    run: list[str] = []
    for sentence in candidates:
        if not sentence.complete or width(_join([*run, sentence.text])) > max_chars:
            break
        run.append(sentence.text)
    if run:
        return _join(run)
    return cut(candidates[0].text, max_chars, width)


_DANGLING = re.compile(
    r"(?:\s+(?:the|a|an|of|to|and|or|in|on|at|by|for|with|from|as|that|its|his|her|their))+$",
    re.I,
)
_TRIM = " \t，、；：,;:—–-“「『（(《‘\"'。！？!?.…"


def _tidy(prefix: str) -> str:
    previous = None
    while previous != prefix:
        previous = prefix
        prefix = _DANGLING.sub("", prefix.rstrip(_TRIM)).rstrip(_TRIM)
    return prefix


def cut(sentence: str, limit: int, width: Callable[[str], int] = len) -> str:
    """Shorten one sentence to `limit` with '…': at a clause, else a space, never mid-word."""
    budget = limit - width(ELLIPSIS)
    if budget < 0:
        return ""
    best: dict[str, str] = {"clause": "", "space": "", "mark": "", "char": ""}
    # Trimming a prefix removes only a few characters: past budget + 40 nothing fits.
    for k in range(1, min(len(sentence), budget + 40)):
        before, char = sentence[k - 1], sentence[k]
        if before in _CUT_AFTER and (before in "，、；：。！？" or char.isspace() or is_cjk(char)):
            kind = "clause"
        elif char.isspace():
            kind = "space"
        elif before in "》”」』）" or char in "《“「『（" or is_cjk(before) != is_cjk(char):
            kind = "mark"  # next to a title mark, a quote, or where Chinese meets Latin
        elif is_cjk(before) and is_cjk(char):
            kind = "char"  # may split a word: the last resort
        else:
            continue
        prefix = _tidy(sentence[:k])
        if prefix and width(prefix) <= budget:
            best[kind] = prefix
    third = budget / 3
    order = [best[kind] if width(best[kind]) >= third else "" for kind in best if kind != "char"]
    order += [best["clause"], best["space"], best["mark"], best["char"]]
    chosen = next((p for p in order if p), "")
    return chosen + ELLIPSIS


def summarize_record(record: dict[str, Any], options: SummaryOptions) -> dict[str, Any]:
    """Add `summary` and `teaser` to an article record (error records pass untouched)."""
    if "error" in record:
        return record
    if not isinstance(record.get("text"), str):
        raise InputError("record has no text field (is it an article record from newskit extract?)")
    article = Article(
        title=record.get("title"),
        text=record["text"],
        authors=list(record.get("authors") or []),
        editors=list(record.get("editors") or []),
    )
    out = dict(record)
    out["summary"] = summarize(article, options.sentences, options.method)
    out["teaser"] = teaser(article, options.max_chars, columns=options.columns)
    return out
