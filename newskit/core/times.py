"""Publish times: attaching the zone a page's local times are in, so records sort right."""

from __future__ import annotations

import re
from datetime import datetime

from newskit.core.errors import UsageError

# An ISO time that already says its offset (Z, +08:00, -0500).
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def check_zone(zone: str) -> str:
    """An IANA zone name (`Asia/Shanghai`), refused as a UsageError when unknown."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {zone!r} (an IANA name: Asia/Shanghai, UTC)") from None
    return zone


def attach_zone(value: str | None, zone: str) -> str | None:
    """An ISO time without an offset, read as local time in `zone`, with that zone's offset.

    A bare date, a time that says its offset, and None come back unchanged.
    """
    if not value or "T" not in value or _OFFSET.search(value):
        return value
    from zoneinfo import ZoneInfo

    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        return value
    return local.replace(tzinfo=ZoneInfo(zone)).isoformat()
