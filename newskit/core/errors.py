"""The errors newskit raises, each carrying the exit code the CLI maps it to.

    NewskitError (1)
    ├── UsageError (2)           a bad option value (unknown conversion, bad field name)
    ├── FetchError (3)           the page could not be downloaded
    │   ├── DNSError, ConnectError, TimeoutError, TLSError
    │   ├── HTTPStatusError      a non-2xx answer (carries .status)
    │   ├── TooLargeError        over the size cap (also after decompression)
    │   ├── TooManyRedirectsError
    │   └── NotHTMLError         the body is not a web page (PDF, image, ...)
    ├── ExtractionError (4)      the page holds no article
    │   ├── PageTimeoutError     extraction took longer than the per-page limit
    │   └── WorkerCrashError     the page killed its extraction process (twice)
    ├── InputError (5)           the input itself is unusable (unreadable, empty, binary)
    ├── PartialError (6)         a record was made, but some of it is missing (a story's page)
    └── OutputError (7)          records cannot be written: full disk, unwritable -o, full state
        └── OutputClosedError    the reader went away (a closed pipe) with records pending

A run over many sources that finishes with some failed exits with 6 (PARTIAL).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, mapped in this one place and documented in docs/cli.md."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    FETCH = 3
    EXTRACTION = 4
    INPUT = 5
    PARTIAL = 6
    OUTPUT = 7
    INTERRUPTED = 130


def summary_exit_code(failures: Sequence[int], total: int) -> int:
    """One exit code for a run over `total` sources, given the codes of those that failed.

    0 when none failed; the failure's own code when the only source, or every source
    alike, failed; PARTIAL (6) when some of several failed (see docs/cli.md, 'Exit codes').
    """
    if not failures:
        return int(ExitCode.OK)
    if total == 1 or (len(failures) == total and len(set(failures)) == 1):
        return int(failures[0])
    return int(ExitCode.PARTIAL)


class NewskitError(Exception):
    """Base of every error newskit raises on purpose."""

    exit_code: ExitCode = ExitCode.UNEXPECTED
    stage: str = "newskit"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class UsageError(NewskitError):
    """An option value newskit cannot use."""

    exit_code = ExitCode.USAGE
    stage = "usage"


class FetchError(NewskitError):
    """A page could not be downloaded."""

    exit_code = ExitCode.FETCH
    stage = "fetch"


class DNSError(FetchError):
    """The host name does not resolve."""


class ConnectError(FetchError):
    """The connection was refused or reset."""


class TimeoutError(FetchError):
    """Connecting or reading took longer than the timeout."""


class TLSError(FetchError):
    """The TLS handshake or certificate check failed."""


class HTTPStatusError(FetchError):
    """The server answered with a non-success status."""

    def __init__(self, message: str, *, status: int, source: str | None = None) -> None:
        super().__init__(message, source=source)
        self.status = status


class TooLargeError(FetchError):
    """The body is over the size cap."""


class TooManyRedirectsError(FetchError):
    """The redirect chain is longer than the limit, or loops."""


class NotHTMLError(FetchError):
    """The body is not a web page."""


class ExtractionError(NewskitError):
    """The page holds no article newskit can extract."""

    exit_code = ExitCode.EXTRACTION
    stage = "extract"


class InputError(NewskitError):
    """The input is unusable: unreadable, empty, or not text."""

    exit_code = ExitCode.INPUT
    stage = "input"


class PageTimeoutError(ExtractionError):
    """Extracting one page took longer than the per-page time limit."""

    reason = "page timeout"


class WorkerCrashError(ExtractionError):
    """The extraction process died while it held this page (segfault, out of memory).

    `final` is True when the page itself killed processes again and again (give it up);
    False when the processes could not run at all (try the page again another time).
    """

    reason = "crash"

    def __init__(self, message: str, *, source: str | None = None, final: bool = True) -> None:
        super().__init__(message, source=source)
        self.final = final


class OutputError(NewskitError):
    """Records cannot be written: full disk, unwritable path, a state database that is full.

    `fatal` is False when only one record is affected (its generated path cannot be made),
    so a batch run records it against that URL and goes on.
    """

    exit_code = ExitCode.OUTPUT
    stage = "output"
    reason = "write error"

    def __init__(self, message: str, *, source: str | None = None, fatal: bool = True) -> None:
        super().__init__(message, source=source)
        self.fatal = fatal


class OutputClosedError(OutputError):
    """The reader of the output went away (a closed pipe) before every record was written."""

    reason = "output closed"


class PartialError(NewskitError):
    """The record was written, but part of it is missing (a page of a multi-page story)."""

    exit_code = ExitCode.PARTIAL
    stage = "pages"
