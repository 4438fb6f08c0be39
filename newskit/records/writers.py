"""Renderers (pure: record → bytes/str) and writers (dumb loops) for every output format."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO

from newskit.core.errors import UsageError

Record = dict[str, Any]


class OutputFormat(str, Enum):
    """The formats every command can write."""

    json = "json"
    jsonl = "jsonl"
    table = "table"
    text = "text"
    markdown = "markdown"
    csv = "csv"
    excel = "excel"


# `-o FILE` picks the format from the file's extension unless --format says otherwise.
_BY_EXTENSION = {
    ".json": OutputFormat.json,
    ".jsonl": OutputFormat.jsonl,
    ".ndjson": OutputFormat.jsonl,
    ".csv": OutputFormat.csv,
    ".md": OutputFormat.markdown,
    ".markdown": OutputFormat.markdown,
    ".txt": OutputFormat.text,
}


def format_for(output: str | None, many: bool) -> OutputFormat:
    """The default format: by the output file's extension, else json for one record, jsonl for many."""
    if output and output != "-":
        found = _BY_EXTENSION.get(Path(output).suffix.lower())
        if found is not None:
            return found
    return OutputFormat.jsonl if many else OutputFormat.json


# Fields shown when a table holds several records (one row each).
TABLE_COLUMNS = ("title", "published", "source", "authors", "chars")
# In a table, long strings are shortened so the table stays readable.
TABLE_CELL_CHARS = 160
# Width a table is fitted to when the output is no terminal.
TABLE_WIDTH = 120


def parse_fields(value: str | None) -> list[str] | None:
    """`title,published` → ['title', 'published']; None or '' means every field."""
    if not value:
        return None
    names = [name.strip() for name in value.split(",") if name.strip()]
    return names or None


def project(record: Record, fields: Sequence[str] | None) -> Record:
    """Keep only the chosen fields, in the chosen order; error records pass untouched."""
    if not fields or "error" in record:
        return record
    unknown = [name for name in fields if name not in record]
    if unknown:
        valid = ", ".join(record)
        raise UsageError(f"unknown field(s): {', '.join(unknown)} (valid: {valid})")
    return {name: record[name] for name in fields}


def _orjson() -> Any:
    import orjson

    return orjson


def render_json(record: Record | list[Record], indent: bool = True) -> bytes:
    """JSON bytes, UTF-8 with Chinese unescaped, one trailing newline."""
    orjson = _orjson()
    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if indent else 0)
    return bytes(orjson.dumps(record, option=option))


def render_jsonl(record: Record) -> bytes:
    """One JSON Lines line."""
    return render_json(record, indent=False)


def _item(value: Any) -> str:
    """A list item as text: an object (a figure, a missing page) as compact JSON."""
    return render_jsonl(value).decode().strip() if isinstance(value, dict) else str(value)


def _cell(value: Any, limit: int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = ", ".join(_item(v) for v in value)
    elif isinstance(value, dict):
        value = render_jsonl(value).decode().strip()
    text = str(value).replace("\r", "")
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _table_columns(records: Sequence[Record]) -> list[str]:
    """The usual columns when they are there, else the first record's own fields."""
    present = {key for record in records if "error" not in record for key in record}
    columns = [c for c in TABLE_COLUMNS if c in present]
    if not columns:
        columns = [k for k in next((r for r in records if "error" not in r), {}) if k != "text"]
    if any("error" in r for r in records):
        columns = [*columns, "source", "error"] if "source" not in columns else [*columns, "error"]
    return columns


def _fit(widths: list[int], room: int) -> list[int]:
    """Shrink the widest columns until the natural widths fit in `room` columns."""
    widths = list(widths)
    while sum(widths) > room and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] = max(8, widths[widest] - max(1, (sum(widths) - room) // 2))
    return widths


def _natural(rows: list[list[str]], count: int) -> list[int]:
    from wcwidth import wcswidth

    widths = [1] * count
    for row in rows:
        for i, cell in enumerate(row):
            longest = max((wcswidth(line) for line in cell.split("\n")), default=0)
            widths[i] = max(widths[i], longest)
    return widths


def render_table(
    records: Sequence[Record], fields: Sequence[str] | None = None, width: int = TABLE_WIDTH
) -> str:
    """A grid for eyes, `width` columns wide at most: one record as field/value rows, several
    as one row each. Long cells wrap; column widths come from wcwidth, so Chinese lines up.
    """
    import tabulate

    tabulate.WIDE_CHARS_MODE = True
    if len(records) == 1 and "error" not in records[0]:
        headers: list[str] = []
        rows = [
            [key, _cell(value, None if fields else TABLE_CELL_CHARS)]
            for key, value in records[0].items()
        ]
    else:
        headers = list(fields or []) or _table_columns(records)
        rows = [[_cell(record.get(c), TABLE_CELL_CHARS) for c in headers] for record in records]
    count = len(headers) if headers else 2
    natural = _natural([headers, *rows] if headers else rows, count)
    # simple_grid draws 3 columns of border per cell, plus one.
    limits = _fit(natural, max(20, width - 3 * count - 1))
    table = tabulate.tabulate(
        rows, headers=headers or (), tablefmt="simple_grid", maxcolwidths=limits
    )
    return str(table) + "\n"


_BODY_FIELDS = ("teaser", "summary", "blurb", "text")


def render_text(record: Record) -> str:
    """Plain reading text: each field as `name: value` (the headline first), then the body."""
    if "error" in record:
        return ""
    if set(record) <= {"text"}:
        return f"{record.get('text') or ''}\n"
    # An article's `date` repeats its `published`; a teaser has only `date`.
    shown = [
        key
        for key, value in record.items()
        if key != "text"
        and value not in (None, [], "")
        and not (key == "date" and record.get("published"))
    ]
    shown.sort(key=lambda key: (key != "title", key in _BODY_FIELDS))
    lines = [f"{key}: {_cell(record[key], None)}" for key in shown]
    if record.get("text"):
        lines.extend(["", str(record["text"])])
    return "\n".join(lines) + "\n"


def _markdown_image(figure: Any) -> str:
    """`![caption](url)`, brackets in the caption escaped, an awkward URL in <>."""
    label = str(figure.get("caption") or figure.get("alt") or "")
    label = label.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
    url = str(figure["url"])
    if any(c in url for c in " ()<>"):
        url = "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return f"![{label}]({url})"


def _with_figures(text: str, figures: Any) -> list[str]:
    """The text's paragraphs with each figure placed after the paragraph it followed."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    placed: dict[int, list[str]] = {}
    if isinstance(figures, list):
        for figure in figures:
            if isinstance(figure, dict) and figure.get("url"):
                at = min(max(int(figure.get("paragraph") or 0), 0), len(paragraphs))
                placed.setdefault(at, []).append(_markdown_image(figure))
    out = placed.get(0, [])[:]
    for i, paragraph in enumerate(paragraphs, start=1):
        out.append(paragraph)
        out.extend(placed.get(i, []))
    return out


def render_markdown(record: Record) -> str:
    """Markdown: `# title`, a bullet list of facts, the body with its figures where they stood."""
    if "error" in record:
        return ""
    out = []
    if record.get("title"):
        out.append(f"# {record['title']}\n")
    facts = [
        f"- **{key}**: {_cell(value, None)}"
        for key, value in record.items()
        if key not in ("title", "text", "summary", "teaser", "blurb", "figures")
        and value not in (None, [], "")
    ]
    if facts:
        out.append("\n".join(facts) + "\n")
    for key in ("teaser", "summary", "blurb"):
        if record.get(key):
            out.append(f"> {record[key]}\n")
    body = _with_figures(str(record.get("text") or ""), record.get("figures"))
    if body:
        out.append("\n\n".join(body) + "\n")
    return "\n".join(out)


def render_csv_row(record: Record, columns: Sequence[str], end: str = "\n") -> str:
    """One CSV line; lists are joined with '; '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=end)
    writer.writerow(
        [
            "; ".join(map(_item, v)) if isinstance(v, list) else ("" if v is None else v)
            for v in (record.get(c) for c in columns)
        ]
    )
    return buffer.getvalue()


class Writer:
    """Streams records to a binary stream in one format; jsonl/csv/text flush per record.

    `json` with several records writes one JSON array; `table` is drawn at close, since
    its column widths depend on every row.
    """

    def __init__(
        self,
        stream: BinaryIO,
        fmt: OutputFormat,
        fields: Sequence[str] | None = None,
        many: bool = False,
        width: int = TABLE_WIDTH,
    ) -> None:
        self.stream = stream
        self.width = width
        self.fmt = fmt
        self.fields = list(fields) if fields else None
        self.many = many
        self.count = 0
        self._held: list[Record] = []
        self._columns: list[str] | None = None

    def write(self, record: Record) -> None:
        """Render one record and write it (or hold it, for table and single json)."""
        record = project(record, self.fields)
        fmt = self.fmt
        if fmt is OutputFormat.jsonl:
            self._emit(render_jsonl(record))
        elif fmt is OutputFormat.json:
            if not self.many:
                self._held.append(record)
            else:
                self._emit(b"[\n" if self.count == 0 else b",\n")
                self._emit(b"  " + render_json(record).rstrip(b"\n").replace(b"\n", b"\n  "))
        elif fmt is OutputFormat.table:
            self._held.append(record)
        elif fmt in (OutputFormat.csv, OutputFormat.excel):
            if "error" in record:
                return
            # excel: a UTF-8 BOM and CRLF line ends, so Excel and WPS read Chinese right.
            end = "\r\n" if fmt is OutputFormat.excel else "\n"
            if self._columns is None:
                self._columns = list(record)
                header = render_csv_row({c: c for c in self._columns}, self._columns, end)
                self._emit(
                    ("\ufeff" if fmt is OutputFormat.excel else "").encode() + header.encode()
                )
            self._emit(render_csv_row(record, self._columns, end).encode())
        else:
            render = render_text if fmt is OutputFormat.text else render_markdown
            piece = render(record)
            if piece:
                separator = "\n" if fmt is OutputFormat.text else "\n---\n\n"
                self._emit(((separator if self.count else "") + piece).encode())
        self.count += 1

    def close(self) -> None:
        """Write what was held back (a single JSON document, a table)."""
        if self.fmt is OutputFormat.json:
            if not self.many:
                if len(self._held) == 1:
                    self._emit(render_json(self._held[0]))
                elif self._held:
                    self._emit(render_json(self._held))
            elif self.count:
                self._emit(b"\n]\n")
            else:
                self._emit(b"[]\n")
        elif self.fmt is OutputFormat.table and self._held:
            self._emit(render_table(self._held, self.fields, self.width).encode())
        self.stream.flush()

    def _emit(self, data: bytes) -> None:
        self.stream.write(data)
        self.stream.flush()


def write_all(records: Iterable[Record], stream: BinaryIO, fmt: OutputFormat, **kwargs: Any) -> int:
    """Write every record with one Writer; returns how many were written."""
    writer = Writer(stream, fmt, **kwargs)
    for record in records:
        writer.write(record)
    writer.close()
    return writer.count
