"""Batch throughput: `newskit batch` vs `trafilatura --input-file` on loopback pages.

Serves N pages (bench pages cycled, or generated articles) from threaded loopback servers,
each answer delayed by --latency, spread over --hosts addresses (127.0.0.1, 127.0.0.2, …).
Runs both tools on the same URL list in the same run and prints wall time, pages/s and
peak memory (VmHWM of the tool's main process, ru_maxrss of the largest process of its
tree); newskit also runs alone at N/10 URLs, to show memory stays flat (each run is alone:
the tools never run at the same time).

    python benchmarks/batch.py [--pages 2000] [--latency 0.05] [--hosts 8] [--grouped]

--grouped lists the URLs host by host (as a cron list built from per-site feeds does)
instead of round-robin.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SETS = ("zh-news", "zh-cwced", "en-cleanportaleval", "zh-trafilatura-eval", "zh-libtests")


def bench_dir() -> Path | None:
    """The shared bench folder (env NEWSKIT_BENCH overrides), or None when absent."""
    override = os.environ.get("NEWSKIT_BENCH")
    path = Path(override) if override else Path(__file__).resolve().parents[2] / "shared" / "bench"
    return path if path.is_dir() else None


def generated(i: int) -> bytes:
    """A small generated article, for when the bench folder is absent."""
    paras = "".join(
        f"<p>Paragraph {p} of story {i}: the council met on the harbour bridge budget, "
        f"the transit plan and the library hours, and residents spoke at length ({p}).</p>"
        for p in range(6)
    )
    return (
        f"<html><head><meta charset='utf-8'><title>Story {i}</title></head><body>"
        f"<article><h1>Story {i}</h1>{paras}</article></body></html>"
    ).encode()


def load_pages() -> tuple[list[bytes], str]:
    """Article pages to serve (bench sets without list pages), and where they came from."""
    base = bench_dir()
    pages: list[bytes] = []
    if base is not None:
        for name in SETS:
            manifest = base / name / "manifest.jsonl"
            if not manifest.is_file():
                continue
            for line in manifest.read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                if "items" not in (record.get("gold") or {}):
                    pages.append((base / name / record["html"]).read_bytes())
    if pages:
        return pages, f"{len(pages)} bench pages cycled"
    return [generated(i) for i in range(200)], "generated articles"


def unique(page: bytes, i: int) -> bytes:
    """The page with a marker in its longest paragraph, so no two URLs serve the same text."""
    best, best_len, at = -1, 0, page.find(b"<p")
    while at >= 0:
        start = page.find(b">", at) + 1
        end = page.find(b"</p>", start)
        if start <= 0 or end < 0:
            break
        if end - start > best_len:
            best, best_len = start, end - start
        at = page.find(b"<p", end)
    return page[:best] + f"[{i}] ".encode() + page[best:] if best > 0 else page


def serve(pages: list[bytes], latency: float, hosts: int) -> list[ThreadingHTTPServer]:
    """One threaded server per loopback address; /p/<i>.html answers pages[i % len]."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(latency)
            if self.path.startswith("/p/"):
                i = int(self.path[3:].split(".")[0])
                body, status = unique(pages[i % len(pages)], i), 200
            else:
                body, status = b"not found", 404
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    servers = []
    for k in range(hosts):
        httpd = ThreadingHTTPServer((f"127.0.0.{k + 1}", 0), Handler)
        httpd.daemon_threads = True
        httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
    return servers


def url_list(
    servers: list[ThreadingHTTPServer], count: int, path: Path, grouped: bool = False
) -> Path:
    """Write `count` URLs, round-robin over the servers (or host by host, `grouped`)."""
    lines = []
    for i in range(count):
        k = i * len(servers) // count if grouped else i % len(servers)
        host, port = servers[k].server_address[:2]
        lines.append(f"http://{host}:{port}/p/{i}.html")
    path.write_text("\n".join(lines) + "\n")
    return path


def measure(command: list[str], cwd: Path) -> dict[str, float]:
    """Wall time, and from /proc every 0.05 s: the CPU seconds and peak RSS of the whole process
    tree (fork-server workers included, which ru_maxrss of the children misses)."""
    wrapper = (
        "import os, subprocess, sys, time\n"
        "tick = os.sysconf('SC_CLK_TCK')\n"
        "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "cpu, hwm, main = {}, {}, 0\n"
        "def sample():\n"
        "    kids = {}\n"
        "    for pid in filter(str.isdigit, os.listdir('/proc')):\n"
        "        try:\n"
        "            stat = open(f'/proc/{pid}/stat').read()\n"
        "        except OSError: continue\n"
        "        rest = stat[stat.rindex(')') + 2:].split()\n"
        "        kids[int(pid)] = (int(rest[1]), (int(rest[11]) + int(rest[12])) / tick)\n"
        "    tree, grew = {p.pid}, True\n"
        "    while grew:\n"
        "        grew = False\n"
        "        for pid, (ppid, _) in kids.items():\n"
        "            if ppid in tree and pid not in tree: tree.add(pid); grew = True\n"
        "    for pid in tree & set(kids):\n"
        "        cpu[pid] = kids[pid][1]\n"
        "        try:\n"
        "            for line in open(f'/proc/{pid}/status'):\n"
        "                if line.startswith('VmHWM:'): hwm[pid] = int(line.split()[1])\n"
        "        except OSError: pass\n"
        "while p.poll() is None:\n"
        "    sample()\n"
        "    time.sleep(0.05)\n"
        "err = p.stderr.read().decode(errors='replace')\n"
        "print(p.returncode, hwm.get(p.pid, 0), max(hwm.values(), default=0), sum(cpu.values()))\n"
        "sys.stderr.write(err[-2000:])\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *command], cwd=cwd, capture_output=True, text=True
    )
    wall = time.monotonic() - started
    fields = done.stdout.split()
    code, hwm, rss, cpu = int(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])
    if code not in (0, 6):
        print(f"  ! {command[0]} exited {code}: {done.stderr.strip()[-500:]}")
    return {"wall": wall, "main_mb": hwm / 1024, "max_mb": rss / 1024, "code": code, "cpu": cpu}


def run_newskit(urls: Path, work: Path, tag: str, jobs: int, per_host: int) -> dict[str, float]:
    """`newskit batch` over the list, fresh state, JSON Lines to a file."""
    out, state = work / f"newskit-{tag}.jsonl", work / f"state-{tag}.sqlite"
    command = [
        str(BIN / "newskit"), "batch", str(urls), "-o", str(out), "--state", str(state),
        "--jobs", str(jobs), "--per-host", str(per_host), "--delay", "0", "--no-fsync",
        "--report", str(work / f"report-{tag}.json"),
    ]  # fmt: skip
    result = measure(command, work)
    result["records"] = out.read_bytes().count(b"\n") if out.exists() else 0
    report = json.loads((work / f"report-{tag}.json").read_text())
    result["note"] = f"{report['duplicate']} duplicate, {report['failed']} failed"  # type: ignore[assignment]
    return result


def run_trafilatura(urls: Path, work: Path, parallel: int) -> dict[str, float]:
    """`trafilatura --input-file` with per-host sleep and loopback protection off."""
    config = work / "trafilatura.cfg"
    defaults = (ROOT / ".venv/lib").glob("python3*/site-packages/trafilatura/settings.cfg")
    text = next(iter(defaults)).read_text() if (ROOT / ".venv/lib").is_dir() else "[DEFAULT]\n"
    text = text.replace("SLEEP_TIME = 5.0", "SLEEP_TIME = 0").replace(
        "SSRF_PROTECTION = on", "SSRF_PROTECTION = off"
    )
    config.write_text(text)
    out = work / "trafilatura-out"
    command = [
        str(BIN / "trafilatura"), "--input-file", str(urls), "--output-dir", str(out),
        "--config-file", str(config), "--parallel", str(parallel), "--json", "--with-metadata",
    ]  # fmt: skip
    result = measure(command, work)
    result["records"] = sum(1 for p in out.rglob("*") if p.is_file()) if out.is_dir() else 0
    return result


def row(name: str, pages: int, result: dict[str, float], base: float | None = None) -> str:
    """One table row."""
    ratio = f"{base / result['wall']:.2f}x" if base else ""
    return (
        f"| {name} | {pages} | {int(result['records'])} | {result['wall']:.1f} | "
        f"{pages / result['wall']:.1f} | {1000 * result['cpu'] / pages:.0f} | "
        f"{result['main_mb']:.0f} | {result['max_mb']:.0f} | {ratio} "
        f"| {result.get('note', '')} |"
    )


def main() -> int:
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=16)
    parser.add_argument("--grouped", action="store_true", help="list URLs host by host")
    parser.add_argument("--no-trafilatura", action="store_true")
    args = parser.parse_args()
    if not (BIN / "newskit").exists():
        print(f"skip: {BIN / 'newskit'} not installed")
        return 0
    pages, origin = load_pages()
    servers = serve(pages, args.latency, args.hosts)
    per_host = max(1, args.jobs // args.hosts)
    small = max(1, args.pages // 10)
    print(
        f"{args.pages} URLs over {args.hosts} loopback hosts"
        f"{' (grouped by host)' if args.grouped else ''}, {args.latency * 1000:.0f} ms "
        f"latency each, {origin}; newskit --jobs {args.jobs} --per-host {per_host} --no-fsync "
        f"(extraction in {os.cpu_count()} processes); trafilatura --parallel {args.jobs}, "
        "SLEEP_TIME = 0, SSRF_PROTECTION = off"
    )
    with tempfile.TemporaryDirectory(prefix="newskit-bench-") as tmp:
        work = Path(tmp)
        urls = url_list(servers, args.pages, work / "urls.txt", args.grouped)
        few = url_list(servers, small, work / "few.txt", args.grouped)
        results: list[tuple[str, int, dict[str, float], float | None]] = []
        traf = None
        if not args.no_trafilatura and (BIN / "trafilatura").exists():
            traf = run_trafilatura(urls, work, args.jobs)
            results.append(("trafilatura --input-file", args.pages, traf, None))
        ours = run_newskit(urls, work, "all", args.jobs, per_host)
        results.append(("newskit batch", args.pages, ours, traf["wall"] if traf else None))
        alone = run_newskit(few, work, "few", args.jobs, per_host)
        results.append((f"newskit batch, {small} URLs (flat memory)", small, alone, None))
    print()
    print(
        "| run | URLs | records | wall s | pages/s | CPU ms/page | main RSS MB | max RSS MB "
        "| speed-up | notes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, count, result, base in results:
        print(row(name, count, result, base))
    print(
        "\nCPU = user + system seconds of the tool's whole process tree (read from /proc); "
        "main RSS = VmHWM of the tool's own process; max RSS = the largest VmHWM in its tree "
        "(an extraction worker for newskit). speed-up = trafilatura "
        "wall time / newskit wall time. records = JSON records written (newskit writes an "
        "article once: the same text under another URL is a duplicate)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
