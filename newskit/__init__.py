"""newskit: clean articles out of news pages. The public API; heavy modules load on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Article", "NewskitError", "Page", "Teaser", "__version__", "extract"]

if TYPE_CHECKING:
    from newskit.errors import NewskitError
    from newskit.extract import extract
    from newskit.models import Article, Page, Teaser

_LAZY = {
    "extract": "newskit.extract",
    "Article": "newskit.models",
    "Page": "newskit.models",
    "Teaser": "newskit.models",
    "NewskitError": "newskit.errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newskit' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
