"""A Dask client for newskit's engines: a LocalCluster it starts, or a running scheduler.

Imported only for `--engine dask` (dask is the optional extra `newskit[dask]`). It checks
that every worker runs the command's newskit version and names failed tasks plainly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newskit import __version__
from newskit.core.errors import NewskitError, UsageError

INSTALL_HINT = "--engine dask needs the dask extra: pip install 'newskit[dask]'"
# Tries of a task whose worker died, before it fails as KilledWorker (dask's default is 3).
ALLOWED_FAILURES = 2


@dataclass(frozen=True)
class ClusterOptions:
    """Where the work runs: a new local cluster (workers) or an existing scheduler."""

    scheduler: str | None = None
    scheduler_file: str | None = None
    workers: int = 0  # local cluster: 0 = one per CPU
    allowed_failures: int = ALLOWED_FAILURES

    def __post_init__(self) -> None:
        if self.scheduler and self.scheduler_file:
            raise UsageError("give either --scheduler or --scheduler-file, not both")
        if self.workers < 0:
            raise UsageError("--workers must be 0 (one per CPU) or more")


class VersionError(NewskitError):
    """A worker runs another newskit version than the command."""

    stage = "cluster"


def require_dask() -> Any:
    """dask.distributed; UsageError (exit 2) with the install line when it is missing."""
    try:
        import distributed
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    return distributed


def worker_version() -> str:
    """The newskit version a worker imports (run on every worker by `check_versions`)."""
    import newskit

    return str(newskit.__version__)


def same_version(version: str) -> None:
    """In a task: VersionError unless this worker runs the command's newskit `version`."""
    if version != __version__:
        raise VersionError(
            f"this worker runs newskit {__version__}, the command {version}: "
            "install the same newskit on every worker"
        )


def check_versions(versions: dict[str, str], expected: str = __version__) -> None:
    """UsageError naming the first worker whose newskit is not the command's."""
    for address, version in sorted(versions.items()):
        if version != expected:
            raise UsageError(
                f"worker {address} runs newskit {version}, this command {expected}: "
                "install the same newskit on every worker"
            )


class Cluster:
    """A Dask client, on a LocalCluster it starts or on an existing scheduler; a context."""

    def __init__(self, options: ClusterOptions) -> None:
        dist = require_dask()
        import dask

        self.options = options
        self.local: Any = None
        if options.scheduler or options.scheduler_file:
            try:
                self.client: Any = dist.Client(
                    options.scheduler, scheduler_file=options.scheduler_file, timeout=30
                )
            except (OSError, TimeoutError, ValueError) as err:
                where = options.scheduler or options.scheduler_file
                raise UsageError(f"cannot join the Dask scheduler {where}: {err}") from None
        else:
            import os

            # A dead worker's host leases (batch politeness) expire after the lease timeout:
            # 10 s rather than dask's 30 s, so a lost worker stalls its hosts briefly.
            settings = {
                "distributed.scheduler.allowed-failures": options.allowed_failures,
                "distributed.scheduler.locks.lease-timeout": "10s",
            }
            with dask.config.set(settings):
                self.local = dist.LocalCluster(
                    n_workers=options.workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
            self.client = dist.Client(self.local)
        check_versions(self.client.run(worker_version))

    def workers(self) -> int:
        """How many workers are alive now."""
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def close(self) -> None:
        """Leave the scheduler; shut down the local cluster if this started one."""
        self.client.close()
        if self.local is not None:
            self.local.close()

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def task_error(err: BaseException, path: str) -> NewskitError:
    """A failed task as a NewskitError naming the file (KilledWorker said plainly)."""
    if type(err).__name__ == "KilledWorker":
        message = "its workers died on every try (KilledWorker): the file is skipped"
    else:
        message = f"task failed: {type(err).__name__}: {err}"
    return NewskitError(message, source=path)
