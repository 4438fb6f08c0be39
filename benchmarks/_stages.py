"""Per-stage CPU profile of newskit.extract: wraps the stage functions, exclusive time each.

A wrapped call is charged its own CPU time minus that of the wrapped calls made inside it,
so the stages add up to the whole (the rest is "other": options, word counts, list check).
The wrappers patch module attributes for the length of one `with Stages()` block only.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

# (stage, module, attribute): the functions each stage is made of.
_TARGETS = (
    ("decode", "newskit.article.extraction", "to_text"),
    ("parse", "newskit.article.extraction", "parse"),
    ("page facts", "newskit.article.meta.facts", "from_tree"),
    ("trafilatura metadata", "trafilatura.metadata", "examine_meta"),
    ("trafilatura metadata", "trafilatura.metadata", "extract_meta_json"),
    ("trafilatura metadata", "trafilatura.metadata", "extract_title"),
    ("trafilatura metadata", "trafilatura.metadata", "extract_url"),
    ("trafilatura metadata", "trafilatura.metadata", "extract_sitename"),
    ("byline and link scan", "newskit.article.meta.searches", "scan"),
    ("author search", "newskit.article.meta.searches", "author"),
    ("categories, tags", "newskit.article.meta.searches", "links"),
    ("htmldate", "htmldate", "find_date"),
    ("layout tables", "newskit.article.extraction", "unwrap_layout_tables"),
    ("body: first prunes (shared)", "newskit.article.body", "pruned"),
    ("body (trafilatura)", "newskit.article.extraction", "document"),
    ("body (trafilatura)", "newskit.article.body", "document"),
    ("readability check", "newskit.article.body", "_readability_wins"),
    ("rescue check", "newskit.article.extraction", "_paragraph_chars"),
    ("rescue check", "newskit.article.extraction", "_link_chars"),
    ("cleaning", "newskit.article.extraction", "clean_text"),
    ("list check", "newskit.article.extraction", "looks_like_list"),
    ("our metadata", "newskit.article.meta.assembly", "build"),
)
STAGE_ORDER = (
    "decode",
    "parse",
    "page facts",
    "trafilatura metadata",
    "byline and link scan",
    "author search",
    "categories, tags",
    "htmldate",
    "layout tables",
    "body: first prunes (shared)",
    "body: precise, main extractor only",
    "body: precise, with fallbacks",
    "readability check",
    "body: balanced re-run",
    "body: recall",
    "rescue check",
    "cleaning",
    "list check",
    "our metadata",
    "other",
)


class Stages:
    """Exclusive CPU seconds per stage for the current page, and over all pages."""

    def __init__(self) -> None:
        self.page: dict[str, float] = {}
        self._inner: list[float] = []
        self._saved: list[tuple[Any, str, Any]] = []

    def _wrap(self, stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            name = stage
            if stage == "body (trafilatura)":  # document(tree, url, opts, focus, fast)
                focus = args[3] if len(args) > 3 else kwargs.get("focus")
                fast = args[4] if len(args) > 4 else kwargs.get("fast", False)
                if focus == "precision":
                    name = f"body: precise, {'main extractor only' if fast else 'with fallbacks'}"
                else:
                    name = "body: balanced re-run" if focus == "balanced" else "body: recall"
            self._inner.append(0.0)
            start = time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent = time.thread_time() - start
                inner = self._inner.pop()
                self.page[name] = self.page.get(name, 0.0) + spent - inner
                if self._inner:
                    self._inner[-1] += spent

        return wrapper

    def __enter__(self) -> Stages:
        for stage, module_name, attr in _TARGETS:
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
            func = getattr(module, attr, None)
            if func is None:
                continue
            self._saved.append((module, attr, func))
            setattr(module, attr, self._wrap(stage, func))
        return self

    def __exit__(self, *exc: object) -> None:
        for module, attr, func in reversed(self._saved):
            setattr(module, attr, func)
        self._saved.clear()

    @contextmanager
    def measure(self) -> Iterator[dict[str, float]]:
        """Collect one page's stages; "other" is the page's CPU time no stage claimed."""
        self.page = {}
        start = time.thread_time()
        yield self.page
        total = time.thread_time() - start
        self.page["other"] = max(0.0, total - sum(self.page.values()))
        self.page["total"] = total
