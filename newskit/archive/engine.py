"""The Dask engine of `newskit warc`: one task per archive file, run on a cluster.

Workers read the files by path (a filesystem every worker sees) and send back plain
Outcomes; the command's process alone writes the output and the state. Dask runs a task
again when its worker dies, but each future completes once, so each record is written
once; a file that keeps killing workers fails alone (KilledWorker), named.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from newskit import __version__
from newskit.archive.articles import Outcome, WarcJob, file_outcomes
from newskit.archive.runner import FileResult, FileTask
from newskit.cluster.client import Cluster, require_dask, same_version, task_error
from newskit.core.errors import NewskitError


def remote_file(path: str, job: WarcJob, skip: frozenset[int], version: str) -> list[Outcome]:
    """On a worker: every Outcome of one archive file (after checking the newskit version)."""
    same_version(version)
    return list(file_outcomes(path, job, skip))


class DaskEngine:
    """One task per file on the cluster; results come back as files finish."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def run(self, tasks: Sequence[FileTask], job: WarcJob) -> Iterator[FileResult]:
        """Results in the order files finish; a failed task is one FileResult with its error."""
        as_completed = require_dask().as_completed
        client = self.cluster.client
        paths: dict[Any, str] = {}
        futures = []
        for task in tasks:
            future = client.submit(
                remote_file, task.path, job, task.skip, __version__, pure=False, retries=0
            )
            paths[future.key] = task.path
            futures.append(future)
        for future in as_completed(futures):
            path = paths[future.key]
            try:
                outcomes = future.result()
            except NewskitError as err:
                err.source = err.source or path
                yield FileResult(path, error=err)
            except Exception as err:
                yield FileResult(path, error=task_error(err, path))
            else:
                yield FileResult(path, outcomes)
            future.release()
