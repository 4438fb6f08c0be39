"""Which sources a command reads: arguments, `-i LIST` files, directories (walked with --glob), stdin."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from newskit.core.errors import InputError, UsageError
from newskit.core.text import is_url

# A line longer than this in a source list is no path or URL: the list is broken.
MAX_LINE_BYTES = 8192
DEFAULT_GLOB = "*.htm*"


def list_lines(lines: Iterable[bytes], name: str) -> Iterator[str]:
    """The entries of a source list: UTF-8 (a BOM is dropped), CRLF or LF, `#` comments and
    blank lines skipped; a line over MAX_LINE_BYTES is an InputError naming its number."""
    for number, raw in enumerate(lines, 1):
        if len(raw) > MAX_LINE_BYTES:
            raise InputError(f"line {number} is over {MAX_LINE_BYTES} bytes", source=name)
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise InputError(f"line {number} is not UTF-8", source=name) from None
        if line and not line.startswith("#"):
            yield line


def _read_list(name: str) -> list[str]:
    """The entries of one `-i` list file (`-` is stdin), read line by line."""
    if name == "-":
        return list(list_lines(_bounded_lines(sys.stdin.buffer), "-"))
    try:
        with Path(name).open("rb") as stream:
            return list(list_lines(_bounded_lines(stream), name))
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a directory (a source list is a file)", source=name) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=name) from None


def _bounded_lines(stream: object) -> Iterator[bytes]:
    """Lines of a binary stream, each read with a cap (so a list with no newline stays cheap)."""
    readline = stream.readline  # type: ignore[attr-defined]
    while True:
        line = readline(MAX_LINE_BYTES + 2)
        if not line:
            return
        yield line


def _walk(folder: Path, pattern: str) -> list[str]:
    """The files under a folder whose names match the glob, sorted, recursively."""
    return sorted(str(path) for path in folder.rglob(pattern) if path.is_file())


def local_path(name: str) -> str:
    """A `file://` URL as the local path it names; anything else as it is."""
    if name.lower().startswith("file://"):
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(name)
        if parts.netloc not in ("", "localhost"):
            raise InputError("a file:// URL must name a local file", source=name)
        return unquote(parts.path)
    return name


def resolve_sources(
    sources: list[str] | None,
    input_files: list[str] | None = None,
    glob: str | None = None,
) -> list[str]:
    """The sources to read, in order: the arguments (a folder stands for the files under it
    that match `glob`), then the entries of each `-i` list; stdin when none are given and
    stdin is piped."""
    named = list(sources or [])
    for name in input_files or []:
        named.extend(_read_list(name))
    if not named:
        if sys.stdin is not None and not sys.stdin.isatty():
            return ["-"]
        raise UsageError("no SOURCE given (pass a file, a folder, a URL, or - for stdin)")
    found: list[str] = []
    for name in named:
        path = local_path(name)
        if path != "-" and not is_url(path) and Path(path).is_dir():
            files = _walk(Path(path), glob or DEFAULT_GLOB)
            if not files:
                raise InputError(f"no file matches {glob or DEFAULT_GLOB!r}", source=name)
            found.extend(files)
        else:
            found.append(path)
    return found
