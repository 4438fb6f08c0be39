"""newskit: clean articles out of news pages. The public API; heavy modules load on first use."""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article",
    "BatchOptions",
    "FetchOptions",
    "NewskitError",
    "Page",
    "Teaser",
    "__version__",
    "batch",
    "convert",
    "convert_record",
    "detect_script",
    "extract",
    "fetch",
    "summarize",
    "teaser",
    "teasers",
]

if TYPE_CHECKING:
    from newskit.batch import BatchOptions, batch
    from newskit.convert import convert, convert_record, detect_script
    from newskit.errors import NewskitError
    from newskit.extract import extract
    from newskit.fetch import FetchOptions, fetch
    from newskit.listing import teasers
    from newskit.models import Article, Page, Teaser
    from newskit.summarize import summarize, teaser

_LAZY = {
    "batch": "newskit.batch",
    "BatchOptions": "newskit.batch",
    "summarize": "newskit.summarize",
    "teaser": "newskit.summarize",
    "teasers": "newskit.listing",
    "extract": "newskit.extract",
    "fetch": "newskit.fetch",
    "FetchOptions": "newskit.fetch",
    "convert": "newskit.convert",
    "convert_record": "newskit.convert",
    "detect_script": "newskit.convert",
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


class _Package(types.ModuleType):
    """Keeps `newskit.extract`, `newskit.convert`, ... the functions once their modules load.

    Importing a submodule sets it as an attribute of its package, which would hide the
    function of the same name (newskit.extract imports newskit.convert, for one).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and _LAZY.get(name) == value.__name__:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
