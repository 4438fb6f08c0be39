"""Speed of newskit next to plain trafilatura: extraction cost per page, and CLI start-up.

Both are measured in the same run, interleaved, best-of/median over repeats, so the
ratios hold on a busy machine where the absolute seconds do not. Usage: python
benchmarks/speed.py [--rounds 3] [--runs 10] [--set NAME] [--skip-extract] [--skip-startup] [--profile] [--imports].
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _common import bench_dir, load_sets

VENV_BIN = Path(sys.executable).parent
EXTRACT_TARGET = 0.10  # newskit may cost at most 10% more than trafilatura per page
STARTUP_TARGET = 0.8  # newskit --help / --version within 0.8x of `trafilatura -h`


def _newskit() -> Callable[[bytes, str | None], object]:
    from newskit.article.extraction import extract
    from newskit.core.errors import NewskitError

    def run(raw: bytes, url: str | None) -> object:
        try:
            return extract(raw, url=url)
        except NewskitError:
            return None

    return run


def _trafilatura() -> Callable[[bytes, str | None], object]:
    from trafilatura import bare_extraction

    def run(raw: bytes, url: str | None) -> object:
        return bare_extraction(raw, url=url, with_metadata=True)

    return run


def extraction_cost(pages: list[tuple[bytes, str | None]], rounds: int) -> None:
    """Best total over rounds for each tool, interleaved per page with alternating order."""
    tools = {"newskit": _newskit(), "trafilatura": _trafilatura()}
    for run in tools.values():  # warm up: imports, lazy tables, compiled regexes
        for raw, url in pages[:3]:
            run(raw, url)
    wall: dict[str, list[float]] = {name: [] for name in tools}
    cpu: dict[str, list[float]] = {name: [] for name in tools}
    per_page: dict[str, list[float]] = {name: [float("inf")] * len(pages) for name in tools}
    for round_no in range(rounds):
        totals = dict.fromkeys(tools, 0.0)
        cpu_totals = dict.fromkeys(tools, 0.0)
        for i, (raw, url) in enumerate(pages):
            order = list(tools) if (i + round_no) % 2 == 0 else list(reversed(tools))
            for name in order:
                c0, w0 = time.thread_time(), time.perf_counter()
                tools[name](raw, url)
                w1, c1 = time.perf_counter(), time.thread_time()
                totals[name] += w1 - w0
                cpu_totals[name] += c1 - c0
                per_page[name][i] = min(per_page[name][i], w1 - w0)
        for name in tools:
            wall[name].append(totals[name])
            cpu[name].append(cpu_totals[name])
        print(
            f"  round {round_no + 1}: "
            + ", ".join(f"{name} {totals[name]:.2f}s" for name in tools),
            file=sys.stderr,
        )
    nk, tr = min(wall["newskit"]), min(wall["trafilatura"])
    nk_cpu, tr_cpu = min(cpu["newskit"]), min(cpu["trafilatura"])
    ratios = [a / b for a, b in zip(per_page["newskit"], per_page["trafilatura"], strict=True)]
    extra = nk / tr - 1
    print(f"\n(a) extraction, {len(pages)} pages, best of {rounds} interleaved rounds")
    print(f"    {'':12} {'wall s':>8} {'cpu s':>8} {'ms/page':>8}")
    print(f"    {'newskit':12} {nk:8.2f} {nk_cpu:8.2f} {1000 * nk / len(pages):8.1f}")
    print(f"    {'trafilatura':12} {tr:8.2f} {tr_cpu:8.2f} {1000 * tr / len(pages):8.1f}")
    print(
        f"    ratio newskit/trafilatura: wall {nk / tr:.3f}, cpu {nk_cpu / tr_cpu:.3f};"
        f" median per-page ratio {statistics.median(ratios):.3f}"
    )
    # CPU time of this thread is what the extraction costs; wall time also counts the
    # other processes sharing the cores, so the verdict goes by CPU time.
    extra_cpu = nk_cpu / tr_cpu - 1
    verdict = "OK" if extra_cpu <= EXTRACT_TARGET else "MISSES target"
    print(
        f"    newskit extra cost per page: {100 * extra_cpu:+.1f}% cpu, {100 * extra:+.1f}% wall"
        f" (target <= {100 * EXTRACT_TARGET:.0f}% cpu: {verdict})"
    )


def profile_newskit(pages: list[tuple[bytes, str | None]], count: int = 15) -> None:
    """Where newskit's own code spends its time (cProfile, cumulative, newskit/ only)."""
    import cProfile
    import io
    import pstats

    run = _newskit()
    profiler = cProfile.Profile()
    profiler.enable()
    for raw, url in pages:
        run(raw, url)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"newskit[/\\]", count)
    print("\n    newskit's own functions under cProfile (cumulative):")
    for line in out.getvalue().splitlines():
        if line.strip() and not line.lstrip().startswith(("Ordered", "List reduced")):
            print(f"    {line.strip()}")


def _time_command(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def startup(runs: int, show_imports: bool = False) -> None:
    """Median wall time of the console scripts, run interleaved as fresh processes."""
    newskit, trafilatura = str(VENV_BIN / "newskit"), str(VENV_BIN / "trafilatura")
    commands = {
        "newskit --help": [newskit, "--help"],
        "newskit --version": [newskit, "--version"],
        "trafilatura -h": [trafilatura, "-h"],
    }
    missing = [argv[0] for argv in commands.values() if not os.access(argv[0], os.X_OK)]
    if missing:
        print(f"\n(b) start-up: skipped, not installed: {', '.join(missing)}")
        return
    for argv in commands.values():  # warm the page cache and .pyc files
        _time_command(argv)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(_time_command(argv))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["trafilatura -h"]
    print(f"\n(b) start-up, median of {runs} interleaved runs")
    worst = 0.0
    for name, value in medians.items():
        ratio = value / base
        if name != "trafilatura -h":
            worst = max(worst, ratio)
        note = "" if name == "trafilatura -h" else f"  {ratio:.2f}x trafilatura -h"
        print(f"    {name:18} {1000 * value:7.0f} ms{note}")
    verdict = "OK" if worst <= STARTUP_TARGET else "MISSES target"
    print(f"    target <= {STARTUP_TARGET}x: {verdict}")
    if worst > STARTUP_TARGET or show_imports:
        top_imports([str(VENV_BIN / "python"), "-X", "importtime", newskit, "--help"])


def top_imports(argv: list[str], count: int = 15) -> None:
    """The slowest imports (cumulative) of a command, from `python -X importtime`."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    parsed = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        fields = line[len("import time:") :].split("|")
        if len(fields) != 3:
            continue
        name = fields[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        parsed.append((int(fields[1]), int(fields[0]), depth, name.strip()))
    total = sum(cum for cum, _, depth, _ in parsed if depth == 0)
    print(
        f"\n    imports of `newskit --help`: {total / 1000:.0f} ms in total; slowest (cumulative):"
    )
    for cumulative, self_us, depth, name in sorted(parsed, reverse=True)[:count]:
        print(
            f"    {cumulative / 1000:8.1f} ms  (self {self_us / 1000:6.1f})  {'  ' * depth}{name}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="extraction rounds (best of)")
    parser.add_argument("--runs", type=int, default=10, help="start-up runs per command")
    parser.add_argument("--set", action="append", dest="sets", metavar="NAME", help="repeatable")
    parser.add_argument("--skip-extract", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="profile newskit's own code after (a)"
    )
    parser.add_argument(
        "--imports", action="store_true", help="show the slowest imports even on target"
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    if not args.skip_extract:
        bench = bench_dir()
        if bench is None:
            print("(a) extraction: no bench folder (../shared/bench or $NEWSKIT_BENCH); skipped")
        else:
            pages = [
                (page.read(), page.url)
                for set_pages in load_sets(bench, args.sets).values()
                for page in set_pages
                if not page.is_list
            ]
            extraction_cost(pages, args.rounds)
            if args.profile:
                profile_newskit(pages)
    if not args.skip_startup:
        startup(args.runs, args.imports)
    return 0


if __name__ == "__main__":
    sys.exit(main())
