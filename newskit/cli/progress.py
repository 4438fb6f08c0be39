"""A long run's progress on stderr (batch, warc): a rich bar on a terminal, or with -v one
line per URL."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from newskit.cli.run import say


class Tally:
    """Counts of batch events by kind, updated from the producer and the writer threads."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def add(self, kind: str, total: str = "queued", gauge: int | None = None) -> tuple[int, str]:
        """Count one event (or set a gauge: the workers alive); returns the `total` count and
        the tally text, read together."""
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1 if gauge is None else gauge
            text = ", ".join(f"{k} {n}" for k, n in self.counts.items() if k != total)
            return self.counts.get(total, 0), text


@contextlib.contextmanager
def progress(
    enabled: bool,
    verbose: bool = False,
    label: str = "batch",
    total: str = "queued",
    steps: frozenset[str] | None = None,
) -> Iterator[Any]:
    """A rich progress bar on stderr (a terminal only), or with `verbose` one line per URL
    done, skipped or failed; yields the event callback or None.

    Events of kind `total` grow the bar; kinds in `steps` (default: all but `skipped`)
    advance it; a `workers` event (--engine dask) sets how many workers are alive. The
    bar's callback carries its Tally as `.tally`.
    """
    if verbose:
        yield say_event
        return
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[tally]}"),
    )
    tally = Tally()
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=0, tally="")

        def on_event(kind: str, url: str) -> None:
            if kind == "workers":
                bar.update(task, tally=tally.add(kind, total, int(url))[1])
                return
            count, text = tally.add(kind, total)
            if kind == total:
                bar.update(task, total=count)
            elif kind != "skipped" and (steps is None or kind in steps):
                bar.update(task, advance=1, tally=text)

        on_event.tally = tally  # type: ignore[attr-defined]
        yield on_event


def say_event(kind: str, url: str) -> None:
    """-v: one stderr line per URL that is done, skipped, unchanged, duplicate or failed."""
    if kind != "queued":
        say(f"{url}: {kind}")
