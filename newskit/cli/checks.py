"""Option values checked before any source is read: fields, encodings, languages, durations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newskit.core.errors import UsageError

_DURATION = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def record_fields(*extra: str) -> list[str]:
    """The fields of an extracted article record (plus `extra`), from the model itself."""
    from dataclasses import fields

    from newskit.core.models import Article

    made_later = ("summary", "teaser")  # only summarize (or batch --summary/--teaser) adds them
    names = [f.name for f in fields(Article) if f.name not in made_later]
    return names + [name for name in extra if name]


def teaser_fields() -> list[str]:
    """The fields of a teaser record."""
    from dataclasses import fields

    from newskit.core.models import Teaser

    return [f.name for f in fields(Teaser)]


def check_fields(value: str | None, known: list[str], hint: str = "") -> None:
    """Refuse, before any source is read, --fields that no record of this command can have."""
    from newskit.records.writers import parse_fields

    unknown = [name for name in parse_fields(value) or [] if name not in known]
    if unknown:
        why = hint or f"valid: {', '.join(known)}"
        raise UsageError(f"unknown field(s) for --fields: {', '.join(unknown)} ({why})")


def check_encoding(name: str | None) -> None:
    """Refuse an --encoding Python cannot decode with, before any source is read."""
    if name is None:
        return
    import codecs

    from newskit.article.decoding import normalize_label

    try:
        codecs.lookup(normalize_label(name))
    except LookupError:
        raise UsageError(f"unknown encoding {name!r} for --encoding") from None


def languages(value: str | None) -> frozenset[str] | None:
    """`--lang zh,en` → {'zh', 'en'}; None keeps every record."""
    if not value:
        return None
    return frozenset(part.strip().lower() for part in value.split(",") if part.strip()) or None


def parse_duration(value: str) -> float:
    """`7d`, `12h`, `30m`, `90s` or plain seconds → seconds; a UsageError otherwise."""
    text = value.strip().lower()
    unit = _DURATION.get(text[-1:], 0)
    number = text[:-1] if unit else text
    try:
        seconds = float(number) * (unit or 1)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise UsageError(f"not a duration: {value!r} (7d, 12h, 30m, 90s or seconds)")
    return seconds


def record_converter(target: str | None) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The `--convert TARGET` step of other commands: checks TARGET now, converts each record."""
    if target is None:
        return lambda record: record
    from newskit.text.scripts import check_target, convert_record

    check_target(target)
    return lambda record: convert_record(record, target)
