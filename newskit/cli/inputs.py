"""Which sources a command reads: arguments, `-i LIST` files, directories (walked with --glob), stdin."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import BinaryIO

from newskit.core.errors import InputError, UsageError
from newskit.core.text import is_url

DEFAULT_GLOB = "*.htm*"


def _read_list(name: str) -> list[str]:
    """The entries of one `-i` list file (`-` is stdin): paths or URLs, one a line.

    Lines are read as batch reads URL lists (linear time, a BOM dropped, a line over 8 KB
    an InputError naming its number); blank lines and `#` comments are skipped.
    """
    from newskit.crawl.sources import list_lines

    try:
        with _opened(name) as stream:
            entries = (line.strip() for line in list_lines(stream, name))
            return [entry for entry in entries if entry and not entry.startswith("#")]
    except FileNotFoundError:
        raise InputError("no such file", source=name) from None
    except IsADirectoryError:
        raise InputError("is a directory (a source list is a file)", source=name) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=name) from None


def _opened(name: str) -> contextlib.AbstractContextManager[BinaryIO]:
    """A list file opened for reading; stdin for `-` (left open for others to read)."""
    if name == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    return Path(name).open("rb")


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
