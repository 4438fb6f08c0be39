"""Throughput of `newskit convert` next to OpenCC's own converter, on a ~10 MB text.

The text is generated here from our own sentences (Simplified Chinese news prose with
English words and numbers mixed in). The peer is a tight OpenCC script: read the whole
file as bytes, decode, one `OpenCC(CFG).convert()` call, encode, write (binary I/O, the
fastest plain way to use OpenCC on a file). newskit does the same work plus sniffing the
input and streaming it in 1 MB line chunks (constant memory). Every pair is run
alternately several times and timed by its best run; times are CPU seconds (user + sys),
which a busy machine disturbs far less than wall time (the work is single-threaded, so
on an idle machine the two agree). Three comparisons:

- in-process (the limit applies here): the code behind the command,
  `newskit.cli.convert.convert_source`, from the file to an output file, versus the
  peer's read/convert/write, both with the converter already built. This is the
  conversion throughput newskit adds overhead to.
- command: `python -m newskit convert --to CFG FILE > OUT` as a subprocess versus the
  peer script as a subprocess, both on the same file. This adds each one's start-up:
  newskit's CLI start-up (Typer, which in 0.29 imports pydantic to coerce options) costs
  a fixed ~0.1 s more than `import opencc`, whatever the file size; it is printed apart.
- command, marginal: the same subprocesses' time on the 10 MB file minus their time on a
  one-line file, i.e. the marginal cost of each further megabyte.

Outputs must be identical. Overhead = newskit / OpenCC - 1; the in-process overhead must
stay under 10% (exit 1 otherwise). Usage: python benchmarks/convert.py [--mb 10]
[--runs 3] [--config s2twp].
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

LIMIT = 0.10

SENTENCES = [
    "记者从市发展改革委获悉，今年前三季度全市地区生产总值同比增长百分之五点二。",
    "这款软件占用的内存不大，鼠标和键盘都能正常使用，打印机也连上了网络。",
    "新城先后与三所高校共建联合实验室，围绕新材料和智能装备开展技术攻关。",
    "据介绍，该项目总投资约 12.5 亿元，预计 2026 年底建成投产。",
    "专家表示，人工智能和大数据正在改变传统制造业的生产方式。",
    "The company said revenue rose 8% to $3.2 billion in the quarter.",
    "当天下午，志愿者们来到社区，为老年人讲解手机软件和网络支付的安全知识。",
    "气象部门预计，未来三天本市以多云天气为主，最高气温 28 摄氏度。",
    "他在接受采访时说：“我们只用了十一个月，就把一张图纸变成了一条生产线。”",
    "该校计算机系学生开发的程序在全国大学生信息技术竞赛中获得一等奖。",
    "铁路部门提醒旅客，国庆假期火车票将于 9 月 16 日起陆续发售。",
    "博物馆新展出的青铜器和瓷器吸引了大批游客，周末客流量超过两万人次。",
]

PEER = """
import sys, opencc
config, source, target = sys.argv[1:4]
converter = opencc.OpenCC(config)
with open(source, "rb") as f:
    text = f.read().decode("utf-8")
with open(target, "wb") as f:
    f.write(converter.convert(text).encode("utf-8"))
"""


def make_text(megabytes: float, seed: int = 4) -> str:
    """Paragraphs of 2-6 shuffled sentences, one per line, until about `megabytes` MB."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    lines: list[str] = []
    size = 0
    while size < target:
        line = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 6)))
        lines.append(line)
        size += len(line.encode()) + 1
    return "\n".join(lines) + "\n"


def cpu_seconds() -> float:
    """CPU time of this process and its finished children, user + sys."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(runs: int, jobs: dict[str, Callable[[], None]]) -> dict[str, tuple[float, float]]:
    """Run the jobs alternately `runs` times; each one's best (CPU, wall) seconds."""
    best = {name: (float("inf"), float("inf")) for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            cpu, wall = cpu_seconds(), time.perf_counter()
            job()
            cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
    return best


def report(label: str, ours: tuple[float, float], peer: tuple[float, float], mb: float) -> float:
    """Print one comparison line; return the CPU-time overhead."""
    overhead = ours[0] / peer[0] - 1
    print(
        f"{label:<17} newskit {ours[0]:6.3f}s cpu ({mb / ours[0]:5.1f} MB/s, wall {ours[1]:.3f}s)"
        f"  opencc {peer[0]:6.3f}s cpu ({mb / peer[0]:5.1f} MB/s, wall {peer[1]:.3f}s)"
        f"  ratio {ours[0] / peer[0]:.3f}  overhead {overhead:+.1%}"
    )
    return overhead


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--config", default="s2twp")
    args = parser.parse_args()

    import opencc

    from newskit.cli.convert import InputKind, convert_source
    from newskit.text.scripts import _opencc

    data = make_text(args.mb).encode()
    mb = len(data) / 1_000_000
    lines = data.count(b"\n")
    print(f"text: {mb:.1f} MB, {lines} lines, config {args.config}")

    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: Path(tmp) / n for n in ("in.txt", "tiny.txt", "ours.txt", "peer.txt")}
        paths["in.txt"].write_bytes(data)
        paths["tiny.txt"].write_bytes("软件和内存\n".encode())
        converter = opencc.OpenCC(args.config)
        _opencc(args.config)

        def api_ours() -> None:
            with paths["ours.txt"].open("wb") as out:
                convert_source(
                    str(paths["in.txt"]),
                    out,
                    to=args.config,
                    kind=InputKind.auto,
                    fields=None,
                    encoding="utf-8",
                    many=False,
                )

        def api_peer() -> None:
            text = paths["in.txt"].read_bytes().decode("utf-8")
            paths["peer.txt"].write_bytes(converter.convert(text).encode("utf-8"))

        times = best_of(args.runs, {"ours": api_ours, "peer": api_peer})
        if paths["ours.txt"].read_bytes() != paths["peer.txt"].read_bytes():
            print("FAIL: newskit and OpenCC disagree (in-process)")
            return 1
        api_overhead = report("in-process", times["ours"], times["peer"], mb)

        def command(source: str) -> Callable[[], None]:
            argv = [sys.executable, "-m", "newskit", "convert", "--to", args.config, source]

            def run() -> None:
                with paths["ours.txt"].open("wb") as out:
                    subprocess.run(argv, stdout=out, check=True)

            return run

        def peer(source: str) -> Callable[[], None]:
            argv = [sys.executable, "-c", PEER, args.config, source, str(paths["peer.txt"])]

            def run() -> None:
                subprocess.run(argv, check=True)

            return run

        small = {"ours": command(str(paths["tiny.txt"])), "peer": peer(str(paths["tiny.txt"]))}
        start = best_of(args.runs, small)
        big = {"ours": command(str(paths["in.txt"])), "peer": peer(str(paths["in.txt"]))}
        times = best_of(args.runs, big)
        if paths["ours.txt"].read_bytes() != paths["peer.txt"].read_bytes():
            print("FAIL: newskit convert and OpenCC disagree (command)")
            return 1
        report("command", times["ours"], times["peer"], mb)
        marginal = {
            name: (times[name][0] - start[name][0], times[name][1] - start[name][1])
            for name in times
        }
        report("command, marginal", marginal["ours"], marginal["peer"], mb)
        print(
            f"start-up (one-line file): newskit {start['ours'][0]:.3f}s cpu, "
            f"opencc script {start['peer'][0]:.3f}s cpu"
        )

    verdict = "ok" if api_overhead < LIMIT else "FAIL"
    print(
        f"{verdict}: in-process overhead {api_overhead:+.1%} (limit {LIMIT:.0%}), {os.cpu_count()} CPUs"
    )
    return 0 if api_overhead < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
