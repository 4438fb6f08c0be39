"""Publish times: attaching the zone a page's local times are in, so records sort right."""

from __future__ import annotations

import re
from datetime import date, datetime

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


def parse_iso(value: str | None) -> datetime | date | None:
    """An ISO publish time as a datetime, a bare day as a date (the page gave no time)."""
    if not value:
        return None
    try:
        if "T" not in value and len(value) <= 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def iso(value: datetime | date | None) -> str | None:
    """The record's text form of a publish time: ISO 8601, seconds kept, offset when known."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def localize(value: datetime | date | None, zone: str) -> datetime | date | None:
    """A naive time read as local time in `zone`; aware times and bare days unchanged."""
    if isinstance(value, datetime) and value.tzinfo is None:
        from zoneinfo import ZoneInfo

        return value.replace(tzinfo=ZoneInfo(zone))
    return value
