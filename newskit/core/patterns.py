"""Regular expressions compiled on first use, so a one-shot run pays only for those it reads with.

CPython's `re` compiler walks every character of a class range in a Python loop: each
`[\u4e00-\u9fa5]` costs about 1 ms to compile, every time a pattern spells it out. A module
of byline or source patterns compiled at import costs tens of ms that a page may never need.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


def lazy_compile(source: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A getter of `source` compiled once, on its first call (later calls cost one cached lookup)."""

    @functools.cache
    def compiled() -> re.Pattern[str]:
        return re.compile(source, flags)

    return compiled
