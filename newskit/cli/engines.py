"""The engine options of `warc` and `batch`: run here, or on a Dask cluster."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from newskit.archive.writer import WarcWriter
    from newskit.cluster.client import Cluster
    from newskit.crawl.types import BatchReport


class EngineName(str, Enum):
    """Where the work runs."""

    local = "local"
    dask = "dask"


EngineOpt = Annotated[
    EngineName,
    typer.Option(
        "--engine",
        help="local: this process; dask: a Dask cluster (a new local one, or --scheduler).",
        case_sensitive=False,
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Join the Dask scheduler at this address (tcp://host:8786); implies --engine dask.",
        show_default=False,
    ),
]
SchedulerFileOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler-file",
        help="Join the Dask scheduler this file names (dask scheduler --scheduler-file); "
        "implies --engine dask.",
        show_default=False,
    ),
]
WorkersOpt = Annotated[
    int,
    typer.Option(
        "--workers", min=0, help="Worker processes of a new local Dask cluster; 0 = one per CPU."
    ),
]


@contextlib.contextmanager
def open_cluster(
    engine: EngineName, scheduler: str | None, scheduler_file: str | None, workers: int
) -> Iterator[Cluster | None]:
    """None for the local engine, else a Dask cluster (joined or started), closed at the end."""
    if engine is EngineName.local and not (scheduler or scheduler_file):
        yield None
        return
    from newskit.cluster.client import Cluster, ClusterOptions, require_dask

    require_dask()
    options = ClusterOptions(scheduler=scheduler, scheduler_file=scheduler_file, workers=workers)
    for name in ("distributed", "tornado"):  # their progress talk is not ours to print
        logging.getLogger(name).setLevel(logging.CRITICAL)
    with Cluster(options) as cluster:
        yield cluster


def batch_on(
    cluster: Any,
    srcs: list[Any],
    sink: Any,
    store: Any,
    options: Any,
    archive: WarcWriter | None,
    on_event: Any,
) -> BatchReport:
    """The batch on a Dask cluster; pages come back to this process for --warc."""
    from newskit.crawl.cluster import batch_on_cluster

    keep = None
    if archive is not None:
        from newskit.net.transport import request_headers

        sent = request_headers(options.fetch, {})
        keep = lambda page: archive.write(page, sent)  # noqa: E731
    return batch_on_cluster(srcs, sink, store, options, cluster, archive=keep, on_event=on_event)
