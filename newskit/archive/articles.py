"""Archived pages to article records: `newskit.warc()`, and the per-file work of every engine."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from newskit.archive.reader import ArchiveOptions, Broken, Capture, read_records
from newskit.article.extraction import ExtractOptions
from newskit.core.errors import ExitCode, InputError, NewskitError
from newskit.text.finishing import finished_record

Record = dict[str, Any]


@dataclass(frozen=True)
class WarcJob:
    """What `newskit warc` does to every archived page; built once by the CLI."""

    archive: ArchiveOptions = field(default_factory=ArchiveOptions)
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    convert: str | None = None
    summary: int = 0
    teaser: int = 0


@dataclass
class Outcome:
    """What became of one archive record: its article record, or why there is none.

    Plain data, so a cluster worker can send it back to the command.
    """

    file: str
    offset: int
    url: str | None = None
    record: Record | None = None
    error: str | None = None
    stage: str = ""
    code: int = 0

    def failure(self) -> NewskitError:
        """The error as a NewskitError naming the file and the offset."""
        err = NewskitError(self.error or "failed", source=f"{self.file}@{self.offset}")
        err.exit_code = ExitCode(self.code or int(ExitCode.UNEXPECTED))
        err.stage = self.stage or "newskit"
        return err


def capture_record(capture: Capture, job: WarcJob) -> Record:
    """Extract one archived page exactly as `newskit extract --url` would, plus `fetched`."""
    from newskit.article.extraction import extract

    article = extract(
        capture.content, capture.url, http_charset=capture.charset, options=job.extract
    )
    article.fetched = capture.fetched
    return finished_record(article, summary=job.summary, teaser=job.teaser, convert=job.convert)


def _outcome(item: Capture | Broken, job: WarcJob) -> Outcome:
    if isinstance(item, Broken):
        err: NewskitError = item.error
        return Outcome(
            item.file, item.offset, None, None, err.message, err.stage, int(err.exit_code)
        )
    try:
        record = capture_record(item, job)
    except NewskitError as err:
        message = f"{item.url}: {err.message}"
        return Outcome(
            item.file, item.offset, item.url, None, message, err.stage, int(err.exit_code)
        )
    except Exception as err:  # one page must not end the file
        message = f"{item.url}: unexpected {type(err).__name__}: {err}"
        return Outcome(item.file, item.offset, item.url, None, message, "extract", 1)
    return Outcome(item.file, item.offset, item.url, record)


def open_archive(path: str) -> BinaryIO:
    """Open an archive file, turning OS errors into one-line InputErrors naming it."""
    try:
        if os.path.isdir(path):
            raise InputError("is a directory", source=path)
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file", source=path) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", source=path) from None


def file_outcomes(
    source: str | BinaryIO,
    job: WarcJob,
    skip: frozenset[int] | set[int] = frozenset(),
    name: str | None = None,
) -> Iterator[Outcome]:
    """Every wanted record of one archive as an Outcome, in file order, skipping `skip`."""
    label = name or (source if isinstance(source, str) else getattr(source, "name", "-"))
    stream = open_archive(source) if isinstance(source, str) else source
    try:
        for item in read_records(stream, str(label), job.archive):
            if item.offset not in skip:
                yield _outcome(item, job)
    finally:
        if isinstance(source, str):
            stream.close()


def warc(
    source: str | os.PathLike[str] | BinaryIO,
    options: WarcJob | None = None,
    *,
    on_error: Callable[[NewskitError], None] | None = None,
) -> Iterator[Record]:
    """The article records of a WARC or ARC file (plain or gzipped), one per HTML response.

    Records that give no article, and broken ones, are passed to `on_error` (errors naming
    FILE@OFFSET) and skipped. A file that cannot be opened raises InputError.
    """
    job = options or WarcJob()
    name = os.fspath(source) if isinstance(source, (str, os.PathLike)) else source
    for outcome in file_outcomes(name, job):
        if outcome.record is not None:
            yield outcome.record
        elif on_error is not None:
            on_error(outcome.failure())
