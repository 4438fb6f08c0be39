"""Speed of newskit next to plain trafilatura: CPU per page, where it goes, CLI runs, batch.

Every comparison is measured in the same run, interleaved, so the ratios hold on a busy
machine where the absolute seconds do not:

(a) per-page CPU ratio newskit.extract / trafilatura bare_extraction(with_metadata=True),
    both warmed on every page first, best of --rounds per page; per set: the mean ratio
    (total over total) and p50/p95/p99/max over pages where trafilatura takes >= 5 ms;
(b) newskit's CPU per stage (decode, parse, page facts, trafilatura metadata, htmldate,
    body passes, cleaning, our metadata), as a share of newskit and of trafilatura;
(c) one-shot CLI wall ratio: `newskit extract sample` vs `trafilatura --json
    --with-metadata < sample`, fresh processes, interleaved, --runs rounds: the median of
    each round's ratio (and the ratio of the two medians);
(d) start-up of `newskit --help` / `--version` vs `trafilatura -h`;
(e) batch throughput: `newskit batch` vs `trafilatura -i urls --parallel 16` (SLEEP_TIME 0)
    on the same loopback URLs over 8 hosts (benchmarks/batch.py serves them).

Usage: python benchmarks/speed.py [--rounds 3] [--runs 15] [--set NAME] [--skip-extract]
[--skip-cli] [--skip-startup] [--skip-batch] [--pages 1000] [--profile] [--imports].
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import BenchPage, bench_dir, load_sets
from _stages import STAGE_ORDER, Stages

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SAMPLE = ROOT / "newskit" / "samples" / "zh-gbk-portal.html"
MIN_TRAFILATURA = 0.005  # per-page ratios only where trafilatura takes >= 5 ms
TARGETS = {"mean": 0.90, "p99": 2.0, "max": 3.0, "cli": 1.0, "batch": 2.0, "startup": 0.8}


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


def _quantile(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of the values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def per_page_cpu(pages: list[BenchPage], rounds: int) -> dict[str, list[float]]:
    """Best CPU seconds of each tool on each page, rounds interleaved in alternating order;
    under "no document", 1.0 where trafilatura returned none (it stopped early: no ratio)."""
    tools = {"newskit": _newskit(), "trafilatura": _trafilatura()}
    data = [(page.read(), page.url) for page in pages]
    best = {name: [float("inf")] * len(data) for name in tools}
    best["no document"] = [0.0] * len(data)
    for i, (raw, url) in enumerate(data):  # warm both on every page: imports, lazy tables
        tools["newskit"](raw, url)
        best["no document"][i] = float(tools["trafilatura"](raw, url) is None)
    for round_no in range(rounds):
        for i, (raw, url) in enumerate(data):
            order = list(tools) if (i + round_no) % 2 == 0 else list(reversed(tools))
            for name in order:
                start = time.thread_time()
                tools[name](raw, url)
                best[name][i] = min(best[name][i], time.thread_time() - start)
        print(f"  round {round_no + 1} of {rounds} done", file=sys.stderr)
    return best


def ratio_table(pages: list[BenchPage], best: dict[str, list[float]]) -> None:
    """Per set: mean CPU ratio and the per-page ratio distribution."""
    groups: dict[str, list[int]] = {}
    for i, page in enumerate(pages):
        groups.setdefault(page.set_name, []).append(i)
        groups.setdefault("zh pages" if page.is_zh else "other pages", []).append(i)
    groups["ALL"] = list(range(len(pages)))
    print("\n(a) CPU per page, newskit.extract / trafilatura bare_extraction(with_metadata=True)")
    print(
        "    both warmed on every page; percentiles over pages where trafilatura >= 5 ms and"
        " returns a document\n"
    )
    print("| set | pages | n >= 5 ms | mean | p50 | p95 | p99 | max | worst page |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    worst_all: tuple[float, str] = (0.0, "")
    for name, index in groups.items():
        nk = sum(best["newskit"][i] for i in index)
        tr = sum(best["trafilatura"][i] for i in index)
        scored = [
            i
            for i in index
            if best["trafilatura"][i] >= MIN_TRAFILATURA and not best["no document"][i]
        ]
        ratios = [best["newskit"][i] / best["trafilatura"][i] for i in scored]
        if not ratios:
            print(f"| {name} | {len(index)} | 0 | {nk / tr:.2f} | | | | | |")
            continue
        worst = max(scored, key=lambda i: best["newskit"][i] / best["trafilatura"][i])
        cells = [_quantile(ratios, q) for q in (0.5, 0.95, 0.99)] + [max(ratios)]
        print(
            f"| {name} | {len(index)} | {len(scored)} | {nk / tr:.2f} | "
            + " | ".join(f"{value:.2f}" for value in cells)
            + f" | {pages[worst].key} |"
        )
        if name == "ALL":
            worst_all = (max(ratios), pages[worst].key)
            mean, p99 = nk / tr, _quantile(ratios, 0.99)
    verdict = [
        f"mean {mean:.2f} (<= {TARGETS['mean']}: {'OK' if mean <= TARGETS['mean'] else 'MISS'})",
        f"p99 {p99:.2f} (<= {TARGETS['p99']}: {'OK' if p99 <= TARGETS['p99'] else 'MISS'})",
        f"max {worst_all[0]:.2f} (<= {TARGETS['max']}: "
        f"{'OK' if worst_all[0] <= TARGETS['max'] else 'MISS'})",
    ]
    print(f"\n    targets: {'; '.join(verdict)}")
    none = [page.key for i, page in enumerate(pages) if best["no document"][i]]
    if none:
        print(f"    no trafilatura document, so no ratio ({len(none)}): {', '.join(none)}")


def stage_table(pages: list[BenchPage], best: dict[str, list[float]]) -> None:
    """Where newskit's CPU goes, stage by stage, next to trafilatura's whole cost."""
    run = _newskit()
    data = [(page.read(), page.url) for page in pages]
    totals: dict[str, float] = {}
    ran: dict[str, int] = {}
    worst: dict[str, tuple[float, str]] = {}
    with Stages() as stages:
        for page, (raw, url) in zip(pages, data, strict=True):
            with stages.measure() as spent:
                run(raw, url)
            for name, value in spent.items():
                totals[name] = totals.get(name, 0.0) + value
                if value > 0 and name != "total":
                    ran[name] = ran.get(name, 0) + 1
                tr = best["trafilatura"][pages.index(page)] if best else 0.0
                if (
                    name != "total"
                    and tr >= MIN_TRAFILATURA
                    and value / tr > worst.get(name, (0.0, ""))[0]
                ):
                    worst[name] = (value / tr, page.key)
    whole = totals.pop("total")
    traf = sum(best["trafilatura"]) if best else 0.0
    print(f"\n(b) newskit's CPU by stage over {len(pages)} pages (exclusive time, one pass)\n")
    print("| stage | share of newskit | x trafilatura | pages run | worst page (x trafilatura) |")
    print("|---|---:|---:|---:|---|")
    for name in STAGE_ORDER:
        if name not in totals:
            continue
        share = totals[name] / whole
        versus = f"{totals[name] / traf:.3f}" if traf else ""
        top = worst.get(name)
        where = f"{top[0]:.2f} {top[1]}" if top else ""
        print(f"| {name} | {100 * share:.1f}% | {versus} | {ran.get(name, 0)} | {where} |")
    if traf:
        print(f"| **all** (profiled, wrappers included) | 100% | {whole / traf:.3f} | | |")


def profile_newskit(pages: list[BenchPage], count: int = 20) -> None:
    """Where newskit's own code spends its time (cProfile, cumulative, newskit/ only)."""
    import cProfile
    import io
    import pstats

    run = _newskit()
    data = [(page.read(), page.url) for page in pages]
    profiler = cProfile.Profile()
    profiler.enable()
    for raw, url in data:
        run(raw, url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(count)
    print("\n    cProfile of newskit.extract (cumulative):")
    for line in out.getvalue().splitlines():
        if line.strip() and not line.lstrip().startswith(("Ordered", "List reduced")):
            print(f"    {line.strip()}")


def _time_command(
    argv: list[str], stdin: Path | None = None, env: dict[str, str] | None = None
) -> float:
    start = time.perf_counter()
    with open(stdin or os.devnull, "rb") as handle:
        subprocess.run(
            argv,
            stdin=handle,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            env=env,
        )
    return time.perf_counter() - start


def _writing_bytecode() -> dict[str, str]:
    """The environment with .pyc writing on: an install has newskit's bytecode, as trafilatura's."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _times(commands: dict[str, tuple[list[str], Path | None]], runs: int) -> dict[str, list[float]]:
    """Wall time of each command per round, run interleaved as fresh processes."""
    for argv, stdin in commands.values():  # warm the page cache and .pyc files
        _time_command(argv, stdin, _writing_bytecode())
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_no in range(runs):
        names = list(commands) if round_no % 2 == 0 else list(reversed(commands))
        for name in names:
            times[name].append(_time_command(*commands[name]))
    return times


def _medians(commands: dict[str, tuple[list[str], Path | None]], runs: int) -> dict[str, float]:
    """Median wall time of each command, run interleaved as fresh processes."""
    return {name: statistics.median(values) for name, values in _times(commands, runs).items()}


def _installed(*names: str) -> bool:
    missing = [name for name in names if not os.access(VENV_BIN / name, os.X_OK)]
    if missing:
        print(f"    skipped, not installed: {', '.join(missing)}")
    return not missing


def one_shot(runs: int) -> None:
    """`newskit extract sample` against `trafilatura --json --with-metadata < sample`."""
    print(f"\n(c) one-shot CLI on {SAMPLE.name}, wall, {runs} interleaved rounds of fresh runs")
    if not _installed("newskit", "trafilatura"):
        return
    newskit, trafilatura = str(VENV_BIN / "newskit"), str(VENV_BIN / "trafilatura")
    commands = {
        "newskit extract": ([newskit, "extract", str(SAMPLE)], None),
        "trafilatura --json": ([trafilatura, "--json", "--with-metadata"], SAMPLE),
    }
    times = _times(commands, runs)
    ours, theirs = times["newskit extract"], times["trafilatura --json"]
    of_medians = statistics.median(ours) / statistics.median(theirs)
    # Each round's two runs are neighbours in time: their ratio cancels the machine's slow
    # spells, which move the medians of both by more than the difference being measured.
    paired = sorted(a / b for a, b in zip(ours, theirs, strict=True))
    ratio = statistics.median(paired)
    quartiles = f"{paired[len(paired) // 4]:.2f}-{paired[3 * len(paired) // 4]:.2f}"
    print(f"    ratio of the medians: {of_medians:.2f}")
    verdict = "OK" if ratio <= TARGETS["cli"] else "MISS"
    print(
        f"    newskit / trafilatura, median of the rounds' ratios: {ratio:.2f} "
        f"(quartiles {quartiles}; <= {TARGETS['cli']}: {verdict})"
    )


def startup(runs: int, show_imports: bool = False) -> None:
    """`newskit --help` and `--version` against `trafilatura -h`."""
    print(f"\n(d) start-up, wall, median of {runs} interleaved fresh runs")
    if not _installed("newskit", "trafilatura"):
        return
    newskit, trafilatura = str(VENV_BIN / "newskit"), str(VENV_BIN / "trafilatura")
    commands = {
        "newskit --help": ([newskit, "--help"], None),
        "newskit --version": ([newskit, "--version"], None),
        "trafilatura -h": ([trafilatura, "-h"], None),
    }
    medians = _medians(commands, runs)
    base = medians.pop("trafilatura -h")
    worst = max(value / base for value in medians.values())
    for name, value in medians.items():
        print(f"    {name:18} {value / base:.2f}x trafilatura -h")
    print(f"    target <= {TARGETS['startup']}x: {'OK' if worst <= TARGETS['startup'] else 'MISS'}")
    if worst > TARGETS["startup"] or show_imports:
        top_imports([str(VENV_BIN / "python"), "-X", "importtime", newskit, "--help"])
        top_imports([str(VENV_BIN / "python"), "-X", "importtime", newskit, "extract", str(SAMPLE)])


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
    command = " ".join(Path(arg).name for arg in argv[3:])
    print(f"\n    imports of `{command}`: {total / 1000:.0f} ms in all; slowest (cumulative):")
    for cumulative, self_us, depth, name in sorted(parsed, reverse=True)[:count]:
        print(
            f"    {cumulative / 1000:8.1f} ms  (self {self_us / 1000:6.1f})  {'  ' * depth}{name}"
        )


def batch_throughput(count: int, hosts: int, latency: float, jobs: int) -> None:
    """Pages per second of `newskit batch` and `trafilatura -i`, same URLs, same run."""
    import batch

    print(f"\n(e) batch, {count} loopback URLs over {hosts} hosts, {latency * 1000:.0f} ms latency")
    if not _installed("newskit", "trafilatura"):
        return
    pages, origin = batch.load_pages()
    servers = batch.serve(pages, latency, hosts)
    with tempfile.TemporaryDirectory(prefix="newskit-speed-") as tmp:
        work = Path(tmp)
        urls = batch.url_list(servers, count, work / "urls.txt")
        traf = batch.run_trafilatura(urls, work, jobs)
        ours = batch.run_newskit(urls, work, "all", jobs, max(1, jobs // hosts))
    for server in servers:
        server.shutdown()
    ratio = traf["wall"] / ours["wall"]
    print(f"    {origin}; newskit --jobs {jobs}, trafilatura --parallel {jobs}")
    print(
        f"    records: newskit {int(ours['records'])} ({ours.get('note', '')}),"
        f" trafilatura {int(traf['records'])}"
    )
    verdict = "OK" if ratio >= TARGETS["batch"] else "MISS"
    print(f"    pages/s newskit / trafilatura: {ratio:.2f} (>= {TARGETS['batch']}: {verdict})")
    print(
        f"    CPU per URL (whole process tree): newskit {1000 * ours['cpu'] / count:.0f} ms,"
        f" trafilatura {1000 * traf['cpu'] / count:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="extraction rounds (best of)")
    parser.add_argument("--runs", type=int, default=15, help="fresh runs per CLI command")
    parser.add_argument("--set", action="append", dest="sets", metavar="NAME", help="repeatable")
    parser.add_argument("--pages", type=int, default=1000, help="batch URLs")
    parser.add_argument("--hosts", type=int, default=8, help="batch loopback hosts")
    parser.add_argument("--latency", type=float, default=0.05, help="batch server latency (s)")
    parser.add_argument("--jobs", type=int, default=16, help="batch jobs / trafilatura --parallel")
    for part in ("extract", "cli", "startup", "batch"):
        parser.add_argument(f"--skip-{part}", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile newskit after (b)")
    parser.add_argument("--imports", action="store_true", help="show the slowest imports")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]

    if not args.skip_extract:
        bench = bench_dir()
        if bench is None:
            print("(a) extraction: no bench folder (../shared/bench or $NEWSKIT_BENCH); skipped")
        else:
            sets = load_sets(bench, args.sets)
            pages = [page for found in sets.values() for page in found if not page.is_list]
            best = per_page_cpu(pages, args.rounds)
            ratio_table(pages, best)
            stage_table(pages, best)
            if args.profile:
                profile_newskit(pages)
    if not args.skip_cli:
        one_shot(args.runs)
    if not args.skip_startup:
        startup(args.runs, args.imports)
    if not args.skip_batch:
        batch_throughput(args.pages, args.hosts, args.latency, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
