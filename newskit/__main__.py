"""The `newskit` command's entry point (also `python -m newskit`): the process around the CLI.

Two costs of a short run that are the process's, not the work's, are cut here, where the
process is ours (the Typer app itself is also run inside tests and other programs):
- the cyclic collector, which at its default threshold walks the young objects every 700
  allocations, and all of them now and then, while a run imports some 300 modules; and
  whose first collection would walk every object those imports made, to free none;
- the interpreter's teardown, which frees every module and object one at a time.
Together they were about a quarter of a one-shot `newskit extract page.html`.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import NoReturn

# Young objects collected every 50,000 allocations instead of 700: startup stays cheap, and a
# long batch still collects its cycles.
GC_THRESHOLD = (50_000, 20, 100)
_froze = False


def main() -> NoReturn:
    """Run the newskit command and leave with its exit code."""
    gc.set_threshold(*GC_THRESHOLD)
    gc.callbacks.append(freeze_first)
    from newskit.cli import app

    code = app(prog_name="newskit", standalone_mode=False)
    leave(code if isinstance(code, int) else 0)


def freeze_first(phase: str, info: dict[str, int]) -> None:
    """At the start of the first collection, move every object alive out of the collector's view.

    They are nearly all the imported modules' code, functions and tables, kept for the whole
    run: walking them (some 50,000 objects, 15-40 ms) would free next to nothing. The
    collections after this one see only the objects made since, as a long batch needs.
    """
    global _froze  # one flag for the process: the callback stays in the list
    if phase == "start" and not _froze:
        _froze = True
        gc.freeze()


def leave(code: int) -> NoReturn:
    """Exit with `code`: exit handlers run and output is flushed, the teardown is skipped.

    Files newskit writes are closed before a command returns; what is left at exit is the
    atexit handlers (worker pools, temporary directories, logging) and the standard streams.
    While a non-daemon thread still runs, a normal exit waits for it as Python's would.
    """
    main_thread = threading.main_thread()
    if any(t is not main_thread and not t.daemon for t in threading.enumerate()):
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # the reader went away: what it did not read is moot
            pass
    os._exit(code)


if __name__ == "__main__":
    main()
