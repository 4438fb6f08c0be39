"""Scale: `newskit warc` and `newskit batch` pages/s, local engine vs Dask, and the cluster's start cost.

Writes WARC files (gzipped per record) from the bench pages, --files files of --per-file
pages each (bench pages cycled, each under its own URL), then times, each run alone:

- `newskit warc FILES` (local engine, one process),
- `newskit warc FILES --engine dask --workers N` (a LocalCluster of N worker processes),
- the fixed cost of `--engine dask` (the same two commands on a WARC with no HTML page),
- `newskit batch` of --urls URLs spread over 8 loopback hosts (the bench pages served by
  benchmarks/batch.py's servers, --latency each), `--engine local` against `--engine dask`,
  both with --per-host 2 and --delay 0 (politeness waits would dominate otherwise).

    python benchmarks/scale.py [--files 4] [--per-file 100] [--workers 2] [--urls 1000]

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
import batch as batch_bench
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
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.05)
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
    batch_rows(args.urls, args.latency, args.workers)


def batch_rows(count: int, latency: float, workers: int) -> None:
    """`newskit batch` over 8 loopback hosts: local engine against Dask."""
    pages, origin = batch_bench.load_pages()
    servers = batch_bench.serve(pages, latency, 8)
    newskit = str(BIN / "newskit")
    common = ["--per-host", "2", "--delay", "0", "--retries", "0"]
    engines = (
        ("local (8 fetch threads, 1 process per CPU)", []),
        (f"dask LocalCluster ({workers} workers)", ["--engine", "dask", "--workers", str(workers)]),
    )
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            urls = str(batch_bench.url_list(servers, count, work / "urls.txt"))
            for n, (label, extra) in enumerate(engines):
                out = work / f"{n}.jsonl"
                command = [newskit, "batch", urls, "-o", str(out), "--state", str(work / f"{n}.db")]
                seconds, _ = timed([*command, *common, *extra])
                rows.append((label, seconds, out.read_bytes().count(b"\n")))
    finally:
        for server in servers:
            server.shutdown()
    print(f"batch: {count} URLs over 8 loopback hosts, {latency:g} s latency, {origin}")
    print("| engine | seconds | records | pages/s |")
    print("|---|---|---|---|")
    for label, seconds, records in rows:
        print(f"| {label} | {seconds:.1f} | {records} | {count / seconds:.1f} |")


if __name__ == "__main__":
    main()
