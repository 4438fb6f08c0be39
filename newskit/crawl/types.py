"""The shapes a batch run passes around: options, the report, events, failure reasons.

They live apart from the runner and the pipeline so both can import them (no cycle).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newskit.article.extraction import ExtractOptions
from newskit.article.paging import PageOptions
from newskit.core.errors import ExitCode, HTTPStatusError, NewskitError, summary_exit_code
from newskit.core.models import Page

Event = Callable[[str, str], None]
Fetcher = Callable[..., Page]


@dataclass(frozen=True)
class BatchOptions:
    """Everything that tunes a batch run; built once by the CLI, passed to `batch`."""

    jobs: int = 8
    procs: int = 0
    per_host: int = 2
    delay: float = 0.5
    robots: bool = True
    max_attempts: int = 3
    # Done pages are refetched (conditionally) only when this old, in seconds: None never.
    recheck: float | None = None
    fetch: Any = None
    extract: ExtractOptions = field(default_factory=ExtractOptions)
    convert: str | None = None
    summary: int = 0
    teaser: int = 0
    fields: tuple[str, ...] = ()
    page_timeout: float | None = 10.0  # seconds one page's extraction may take (None: no limit)
    pages: PageOptions = field(default_factory=PageOptions)
    # Seconds of `published` within which records are grouped against the state (dedup
    # tables), or None: no `cluster`, `duplicate_of`, `similarity` fields.
    dedup: float | None = None


@dataclass
class BatchReport:
    """What a run did; `to_dict()` is the `--report` JSON, `exit_code()` the CLI's code."""

    state: str = ""
    output: str = ""
    started: float = 0.0
    elapsed: float = 0.0
    queued: int = 0
    done: int = 0
    unchanged: int = 0
    duplicate: int = 0
    skipped: int = 0
    gave_up: int = 0
    failed: int = 0
    partial: int = 0  # records written with a page of their story missing
    reasons: dict[str, int] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    codes: dict[int, int] = field(default_factory=dict)
    interrupted: bool = False  # stopped by SIGINT/SIGTERM: what was written is kept
    output_error: str | None = None  # stopped because the output or the state failed
    workers: dict[str, dict[str, int]] = field(default_factory=dict)  # --engine dask only

    def add_failure(self, url: str, err: NewskitError, reason: str) -> None:
        """Count one failed URL (or source) under its reason and exit code."""
        self.failed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        self.codes[int(err.exit_code)] = self.codes.get(int(err.exit_code), 0) + 1
        if len(self.errors) < 100:
            self.errors.append(
                {"url": url, "stage": err.stage, "reason": reason, "error": err.message}
            )

    def exit_code(self) -> int:
        """0 nothing failed; 3/4 every URL tried failed alike at fetch/extraction; else 6.

        A record written with a page of its story missing counts as partial (6).
        A run that did not finish exits 130 (interrupted) or 7 (output error).
        """
        if self.interrupted:
            return int(ExitCode.INTERRUPTED)
        if self.output_error is not None:
            return int(ExitCode.OUTPUT)
        tried = self.done + self.unchanged + self.duplicate + self.failed
        failures = [code for code, count in self.codes.items() for _ in range(count)]
        failures += [int(ExitCode.PARTIAL)] * self.partial
        return summary_exit_code(failures, tried)

    def to_dict(self) -> dict[str, Any]:
        """The run summary as JSON-ready data."""
        keys = (
            "queued",
            "done",
            "unchanged",
            "duplicate",
            "skipped",
            "gave_up",
            "failed",
            "partial",
        )
        return {
            "state": self.state,
            "output": self.output,
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started)),
            "elapsed": round(self.elapsed, 3),
            **{key: getattr(self, key) for key in keys},
            "reasons": dict(sorted(self.reasons.items(), key=lambda kv: -kv[1])),
            "interrupted": self.interrupted,
            "output_error": self.output_error,
            "exit_code": self.exit_code(),
            "errors": self.errors,
            **({"workers": self.workers} if self.workers else {}),
        }

    def paragraph(self) -> str:
        """The one-paragraph summary cron mails when something failed."""
        why = ", ".join(f"{r}: {n}" for r, n in sorted(self.reasons.items(), key=lambda kv: -kv[1]))
        text = (
            f"batch: {self.done} done, {self.unchanged} unchanged, {self.duplicate} duplicate,"
            f" {self.skipped} already done, {self.failed} failed"
        )
        text += f" ({why})" if why else ""
        if self.gave_up:
            text += f", {self.gave_up} given up after too many attempts"
        if self.partial:
            text += f", {self.partial} written with a page of the story missing"
        sample = "; ".join(f"{e['url']}: {e['error']}" for e in self.errors[:3])
        return f"{text}. First failures: {sample}. State: {self.state}." if sample else text + "."


_REASONS = {
    "DNSError": "dns",
    "ConnectError": "connect",
    "TimeoutError": "timeout",
    "TLSError": "tls",
    "TooLargeError": "too large",
    "TooManyRedirectsError": "redirects",
    "NotHTMLError": "not html",
    "ExtractionError": "no article",
    "InputError": "bad input",
}


def reason_of(err: NewskitError) -> str:
    """A short failure reason for summaries: "HTTP 404", "timeout", "no article", …."""
    if isinstance(err, HTTPStatusError):
        return f"HTTP {err.status}"
    return getattr(err, "reason", None) or _REASONS.get(type(err).__name__, err.stage)


class RecordFinish:
    """A record's last steps before the sink: dedup fields against the state, then --fields."""

    def __init__(self, options: BatchOptions, state_path: str) -> None:
        self.fields = options.fields
        self.clusters: Any = None
        if options.dedup is not None:
            from newskit.clusters.store import StateDedup

            self.clusters = StateDedup(state_path, options.dedup)

    def __call__(self, record: dict[str, Any]) -> dict[str, Any]:
        """The record as written: annotated (with --dedup), projected (with --fields)."""
        if self.clusters is not None:
            record = self.clusters.annotate(record)
        if self.fields:
            from newskit.records.writers import project

            record = project(record, self.fields)
        return record

    def close(self) -> None:
        """Close the dedup tables' connection, if any."""
        if self.clusters is not None:
            self.clusters.close()
