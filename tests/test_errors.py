"""Exit codes: one enum, mapped in one place, each with a test."""

from __future__ import annotations

import pytest

from newskit.core import errors
from newskit.core.errors import ExitCode, summary_exit_code


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        (errors.NewskitError, 1),
        (errors.UsageError, 2),
        (errors.FetchError, 3),
        (errors.DNSError, 3),
        (errors.TimeoutError, 3),
        (errors.TooLargeError, 3),
        (errors.NotHTMLError, 3),
        (errors.ExtractionError, 4),
        (errors.InputError, 5),
        (errors.PageTimeoutError, 4),
        (errors.WorkerCrashError, 4),
        (errors.OutputError, 7),
        (errors.OutputClosedError, 7),
    ],
)
def test_each_error_has_its_exit_code(cls, code):
    assert int(cls("x").exit_code) == code


def test_http_status_error_keeps_the_status():
    err = errors.HTTPStatusError("HTTP 404 Not Found", status=404, source="http://x/")
    assert err.status == 404
    assert str(err) == "http://x/: HTTP 404 Not Found"


@pytest.mark.parametrize(
    ("failures", "total", "code"),
    [
        ([], 3, 0),
        ([ExitCode.EXTRACTION], 1, 4),
        ([ExitCode.FETCH, ExitCode.FETCH], 2, 3),
        ([ExitCode.FETCH, ExitCode.INPUT], 2, 6),
        ([ExitCode.INPUT], 3, 6),
    ],
)
def test_a_run_sums_up_in_one_exit_code(failures, total, code):
    assert summary_exit_code(failures, total) == code


def test_partial_and_interrupted_codes():
    assert ExitCode.PARTIAL == 6
    assert ExitCode.OUTPUT == 7
    assert ExitCode.INTERRUPTED == 130
