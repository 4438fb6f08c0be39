"""The process around the CLI (newskit/__main__.py): exit codes, flushing, handlers, threads."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},  # buffered, as cron's
    )


def test_leave_flushes_runs_exit_handlers_and_keeps_the_code() -> None:
    done = _python(
        """
        import atexit, sys
        from newskit.__main__ import leave
        atexit.register(lambda: print("handler ran", file=sys.stderr))
        print("unflushed", end="")
        sys.stderr.write("partial")
        leave(4)
        """
    )
    assert (done.returncode, done.stdout) == (4, "unflushed")
    assert done.stderr == "partialhandler ran\n"


def test_leave_waits_for_a_running_thread() -> None:
    done = _python(
        """
        import threading, time
        from newskit.__main__ import leave
        def late():
            time.sleep(0.3)
            print("thread done", flush=True)
        threading.Thread(target=late).start()
        leave(3)
        """
    )
    assert (done.returncode, done.stdout) == (3, "thread done\n")


def test_a_closed_reader_costs_no_traceback() -> None:
    done = _python(
        """
        import io, os, sys
        from newskit.__main__ import leave
        read, write = os.pipe()
        os.close(read)
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(write, "w")))
        sys.stdout.write("x" * 100)  # buffered: the reader is found gone at exit
        leave(0)
        """
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_the_first_collection_freezes_what_is_alive_and_later_ones_still_collect() -> None:
    done = _python(
        """
        import gc
        from newskit.__main__ import freeze_first
        gc.callbacks.append(freeze_first)
        gc.collect()
        frozen = gc.get_freeze_count()
        class Node:
            pass
        node = Node()
        node.me = node  # a cycle made after the freeze: later collections must free it
        del node
        print(frozen > 1000, gc.collect() >= 1, gc.get_freeze_count() == frozen)
        """
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "True True True\n", "")


def test_the_command_exits_with_its_code_and_whole_output(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Harbour bridge opens</title></head><body><article>"
        + "<p>The new harbour bridge opened to traffic on Monday morning after four years.</p>" * 8
        + "</article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    ok = subprocess.run(
        [sys.executable, "-m", "newskit", "extract", str(page), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert out.read_text(encoding="utf-8").rstrip().endswith("}")
    missing = subprocess.run(
        [sys.executable, "-m", "newskit", "extract", str(tmp_path / "none.html")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert missing.returncode != 0
    assert missing.stderr.count("\n") == 1 and "none.html" in missing.stderr
