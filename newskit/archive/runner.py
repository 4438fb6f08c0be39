"""One `newskit warc` run over many archive files: skip what is done, emit each record once.

The engine (local, or a Dask cluster: newskit.archive.engine) turns files into Outcomes;
this module, in the command's process alone, keeps the state and writes the output.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol

from newskit.archive.articles import Outcome, Record, WarcJob, file_outcomes
from newskit.archive.state import ArchiveState, file_key
from newskit.core.errors import ExitCode, NewskitError
from newskit.crawl.state import Emit

Event = Callable[[str, str], None]


class Sink(Protocol):
    """Where records go when the run keeps a state (newskit.crawl.sinks' JSON Lines sinks)."""

    def start(self) -> None:
        """Take the output for this run and clean what a kill left."""

    def render(self, record: dict[str, Any], url: str) -> tuple[Emit, bytes]:
        """Where a record of a URL goes and the exact bytes to write there."""

    def write(self, emit: Emit, data: bytes) -> None:
        """Write the bytes in one piece."""

    def written(self, emit: Emit) -> bool:
        """True when these exact bytes are already where `emit` says."""


@dataclass(frozen=True)
class FileTask:
    """One file for an engine: its path (or an open stream) and the offsets already settled."""

    path: str
    skip: frozenset[int] = frozenset()
    stream: BinaryIO | None = None


@dataclass
class FileResult:
    """An engine's answer for one file: its outcomes, or the error that stopped it."""

    path: str
    outcomes: Iterable[Outcome] = ()
    error: NewskitError | None = None


class Engine(Protocol):
    """Runs file tasks and hands back their results, in any order."""

    def run(self, tasks: Sequence[FileTask], job: WarcJob) -> Iterator[FileResult]:
        """Results for every task (each exactly once)."""


class LocalEngine:
    """Files one after another in this process; outcomes stream as they are made."""

    def run(self, tasks: Sequence[FileTask], job: WarcJob) -> Iterator[FileResult]:
        """Results in task order."""
        for task in tasks:
            source = task.stream if task.stream is not None else task.path
            yield FileResult(task.path, file_outcomes(source, job, task.skip, task.path))


@dataclass
class ArchiveReport:
    """What a `newskit warc` run did; `exit_code()` sums it up for the CLI."""

    files: int = 0
    skipped_files: int = 0
    records: int = 0
    failed: int = 0
    elapsed: float = 0.0
    codes: dict[int, int] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)

    def add_failure(self, err: NewskitError) -> None:
        """Count one failed record or file under its exit code and stage."""
        self.failed += 1
        self.codes[int(err.exit_code)] = self.codes.get(int(err.exit_code), 0) + 1
        self.stages[err.stage] = self.stages.get(err.stage, 0) + 1

    def paragraph(self) -> str:
        """The one-line summary said at the end of a run with failures."""
        why = ", ".join(f"{k}: {n}" for k, n in sorted(self.stages.items(), key=lambda kv: -kv[1]))
        text = f"warc: {self.records} records from {self.files} files"
        if self.skipped_files:
            text += f" ({self.skipped_files} already done)"
        return text + (f", {self.failed} failed ({why})." if why else ".")

    def exit_code(self) -> int:
        """0 nothing failed; the failures' code when everything tried failed alike; else 6."""
        if not self.failed:
            return int(ExitCode.OK)
        if not self.records and len(self.codes) == 1:
            return next(iter(self.codes))
        return int(ExitCode.PARTIAL)


class ArchiveRun:
    """Drive an engine over files, writing each record once (with a state: crash-safely)."""

    def __init__(
        self,
        job: WarcJob,
        *,
        output: Callable[[Record], None] | None = None,
        sink: Sink | None = None,
        state: ArchiveState | None = None,
        fields: Sequence[str] | None = None,
        stdin: BinaryIO | None = None,
        on_error: Callable[[NewskitError], None] | None = None,
        on_event: Event | None = None,
    ) -> None:
        if not (output is not None and sink is None and state is None) and not (
            output is None and sink is not None and state is not None
        ):
            raise ValueError("give either output, or sink and state")
        self.job, self.output, self.sink, self.state = job, output, sink, state
        self.fields, self.stdin = fields, stdin
        self.on_error = on_error or (lambda err: None)
        self.on_event = on_event or (lambda kind, name: None)
        self.report = ArchiveReport()
        self.keys: dict[str, tuple[str, int, int]] = {}

    def run(self, paths: Sequence[str], engine: Engine | None = None) -> ArchiveReport:
        """Process every file; returns the report (failures went to on_error)."""
        started = time.monotonic()
        if self.sink is not None:
            self.sink.start()  # takes the output and cuts a line a kill left half-written
        tasks = [task for task in (self._task(path) for path in paths) if task is not None]
        for result in (engine or LocalEngine()).run(tasks, self.job):
            self._take(result)
        self.report.elapsed = time.monotonic() - started
        return self.report

    def _task(self, path: str) -> FileTask | None:
        self.report.files += 1
        if path == "-":
            self.on_event("files", path)
            return FileTask(path, stream=self.stdin)
        if self.state is None:
            self.on_event("files", path)
            return FileTask(path)
        assert self.sink is not None
        try:
            key = file_key(path)
        except OSError:
            self.on_event("files", path)
            return FileTask(path)  # the engine reports it, as without a state
        if self.state.is_done(*key):
            self.report.skipped_files += 1
            self.on_event("skipped", path)
            return None
        self.keys[path] = key
        self.on_event("files", path)
        return FileTask(path, frozenset(self.state.start(*key, self.sink)))

    def _take(self, result: FileResult) -> None:
        try:
            for outcome in result.outcomes:
                self._handle(outcome)
        except NewskitError as err:
            self._fail(err if err.source else _named(err, result.path))
            return
        if result.error is not None:
            self._fail(result.error)
            return
        if self.state is not None and result.path in self.keys:
            self.state.finish(self.keys[result.path][0])
        self.on_event("file", result.path)

    def _handle(self, outcome: Outcome) -> None:
        if outcome.record is None:
            err = outcome.failure()
            if self.state is not None and outcome.file in self.keys:
                self.state.failed(self.keys[outcome.file][0], outcome.offset)
            self._fail(err)
            return
        record = outcome.record
        if self.state is None:
            assert self.output is not None
            self.output(record)
        else:
            assert self.sink is not None
            from newskit.records.writers import project

            record = project(record, self.fields)
            key = self.keys[outcome.file][0] if outcome.file in self.keys else None
            emit, data = self.sink.render(record, outcome.url or "")
            if key is not None:
                self.state.begin_emit(key, outcome.offset, emit)
            self.sink.write(emit, data)
            if key is not None:
                self.state.finish_emit(key, outcome.offset)
        self.report.records += 1
        self.on_event("done", outcome.url or "")

    def _fail(self, err: NewskitError) -> None:
        self.report.add_failure(err)
        self.on_error(err)
        self.on_event("failed", err.source or "")


def _named(err: NewskitError, path: str) -> NewskitError:
    err.source = path
    return err
