"""Scale: `newskit warc` pages/s with the local engine and with Dask, and the cluster's start cost.

Writes WARC files (gzipped per record) from the bench pages, --files files of --per-file
pages each (bench pages cycled, each under its own URL), then times, each run alone:

- `newskit warc FILES` (local engine, one process),
- `newskit warc FILES --engine dask --workers N` (a LocalCluster of N worker processes),
- the fixed cost of `--engine dask` (the same two commands on a WARC with no HTML page).

    python benchmarks/scale.py [--files 4] [--per-file 100] [--workers 2]

Skips cleanly when ../shared/bench is absent. Figures depend on how many cores are free.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import bench_dir, load_sets

BIN = Path(sys.executable).parent
SETS = ("zh-news", "zh-more", "zh-cwced", "en-cleanportaleval", "zh-trafilatura-eval")


def write_warc(path: Path, pages: list[bytes], start: int) -> None:
    """One WARC file of HTML responses (no charset in the headers: the pages say theirs)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i, body in enumerate(pages):
            http = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                f"http://bench-{(start + i) % 8}.test/page/{start + i}.html",
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
            )
            writer.write_record(record)


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and output lines of one command (its stderr shown when it fails)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 6):
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, done.stdout.count(b"\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    bench = bench_dir()
    if bench is None:
        print("scale: ../shared/bench not found; skipped")
        return
    pages = [p.read() for pages in load_sets(bench, SETS).values() for p in pages if not p.is_list]
    newskit = str(BIN / "newskit")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = []
        for f in range(args.files):
            chosen = [pages[(f * args.per_file + i) % len(pages)] for i in range(args.per_file)]
            files.append(work / f"part-{f}.warc.gz")
            write_warc(files[-1], chosen, f * args.per_file)
        empty = work / "empty.warc.gz"
        write_warc(empty, [], 0)
        total = args.files * args.per_file
        dask = ["--engine", "dask", "--workers", str(args.workers)]
        local_s, local_n = timed([newskit, "warc", *map(str, files)])
        dask_s, dask_n = timed([newskit, "warc", *map(str, files), *dask])
        bare_s, _ = timed([newskit, "warc", str(empty)])
        start_s, _ = timed([newskit, "warc", str(empty), *dask])
    print(f"warc: {args.files} files x {args.per_file} pages = {total} HTML responses")
    print("| engine | seconds | records | pages/s |")
    print("|---|---|---|---|")
    print(f"| local (1 process) | {local_s:.1f} | {local_n} | {total / local_s:.1f} |")
    label = f"dask LocalCluster ({args.workers} workers)"
    print(f"| {label} | {dask_s:.1f} | {dask_n} | {total / dask_s:.1f} |")
    print(
        f"| dask, cluster start excluded | {dask_s - (start_s - bare_s):.1f} | | "
        f"{total / max(dask_s - (start_s - bare_s), 1e-9):.1f} |"
    )
    print(
        f"cluster start + stop cost: {start_s - bare_s:.1f} s "
        f"(empty WARC: local {bare_s:.1f} s, dask {start_s:.1f} s)"
    )


if __name__ == "__main__":
    main()
