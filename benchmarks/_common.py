"""Shared helpers for the benchmark scripts: the bench folder, its manifests, tokens."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Sets are printed in this order; any other set found in the bench folder follows.
SET_ORDER = (
    "zh-cwced",
    "zh-news",
    "zh-trafilatura-eval",
    "zh-libtests",
    "zh-lists",
    "en-cleanportaleval",
    "mixed-readability",
)


def bench_dir() -> Path | None:
    """The shared bench folder (env NEWSKIT_BENCH overrides), or None when absent."""
    override = os.environ.get("NEWSKIT_BENCH")
    path = Path(override) if override else Path(__file__).resolve().parents[2] / "shared" / "bench"
    return path if path.is_dir() else None


@dataclass
class BenchPage:
    """One manifest record of a bench set, with its raw bytes read on demand."""

    set_name: str
    id: str
    lang: str
    url: str | None
    html_path: Path
    gold: dict[str, Any]
    record: dict[str, Any] = field(repr=False)

    @property
    def key(self) -> str:
        return f"{self.set_name}/{self.id}"

    @property
    def is_list(self) -> bool:
        return "items" in self.gold

    @property
    def is_zh(self) -> bool:
        return self.lang.lower().startswith("zh")

    def read(self) -> bytes:
        return self.html_path.read_bytes()


def set_names(bench: Path) -> list[str]:
    """Every set folder holding a manifest, in the usual reporting order."""
    found = {p.parent.name for p in bench.glob("*/manifest.jsonl")}
    ordered = [name for name in SET_ORDER if name in found]
    return ordered + sorted(found - set(ordered))


def load_set(bench: Path, name: str) -> list[BenchPage]:
    """The pages of one set, in manifest order."""
    folder = bench / name
    pages = []
    with (folder / "manifest.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            pages.append(
                BenchPage(
                    set_name=name,
                    id=str(record["id"]),
                    lang=record.get("lang") or "",
                    url=record.get("url"),
                    html_path=folder / record["html"],
                    gold=record.get("gold") or {},
                    record=record,
                )
            )
    return pages


def load_sets(bench: Path, names: Iterable[str] | None = None) -> dict[str, list[BenchPage]]:
    """The chosen sets (all of them by default), refusing unknown names."""
    available = set_names(bench)
    chosen = list(names) if names else available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        raise SystemExit(f"unknown set(s): {', '.join(unknown)}; have: {', '.join(available)}")
    return {name: load_set(bench, name) for name in chosen}


# A token is one CJK character (Han or kana) or a run of other word characters.
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"[{_CJK_CHARS}]|[^\W{_CJK_CHARS}]+")


def tokenize(text: str | None) -> list[str]:
    """Lower-cased tokens for shingling: CJK characters one by one, other words whole."""
    return _TOKEN.findall((text or "").lower())


def fold(text: str | None) -> str:
    """NFKC and whitespace folding, the normal form every string comparison uses."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())
