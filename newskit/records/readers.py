"""Reading records back: JSON / JSON Lines input (from `newskit extract`) told apart from pages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from newskit.core.errors import InputError

Record = dict[str, Any]


def sniff(head: bytes) -> str:
    """What a stream's first bytes look like: 'json', 'jsonl', 'html' or 'text'."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        first_line = stripped.split(b"\n", 1)[0].rstrip()
        # A JSON Lines record is complete on its first line; a pretty JSON document is not.
        if first_line.endswith(b"}") and _parses(first_line):
            return "jsonl"
        return "json"
    if stripped[:1] == b"<":
        return "html"
    return "text"


def _parses(line: bytes) -> bool:
    import orjson

    try:
        orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


def parse_json(data: bytes, source: str = "-") -> list[Record]:
    """A JSON document: one record (object) or a list of them."""
    import orjson

    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise InputError(f"invalid JSON: {err}", source=source) from None
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        raise InputError("JSON input must be an object or a list of objects", source=source)
    return items


def iter_jsonl(lines: Iterable[bytes], source: str = "-") -> Iterator[Record]:
    """JSON Lines records one at a time (constant memory); blank lines are skipped."""
    import orjson

    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as err:
            raise InputError(f"line {number}: invalid JSON: {err}", source=source) from None
        if not isinstance(value, dict):
            raise InputError(f"line {number}: not a JSON object", source=source)
        yield value
