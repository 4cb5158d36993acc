"""Peak memory (RSS) of `summitry ingest`, serial and with --workers, per process.

    .venv/bin/python benchmarks/ingest_memory.py ARTICLES.jsonl [--workers 2] [--no-gate]

Runs `summitry ingest ARTICLES.jsonl --db <a new SQLite file in a temporary folder>` (with
`--workers N` if given) and, every 0.2 s until it exits, reads VmHWM (the kernel's record of
the process's peak resident set) and VmRSS from /proc/<pid>/status of the command and of
every process it started (the worker processes). Prints the peak of each process, the
largest, and the peak of their sum (the sum of the sampled VmRSS values: a sample, so it can
miss a short peak). Linux only. For the news sample, make the input first, e.g. the first
500 articles: `zcat ../shared/corpus/news-sample/articles.jsonl.gz | head -500 > /tmp/news500.jsonl`
(it is already in the input format; the texts stay outside the project).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from proc_stats import memory_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--no-gate", action="store_true")
    args = parser.parse_args(argv)
    if not args.articles.exists():
        raise SystemExit(f"no file {args.articles}")
    summitry = shutil.which("summitry", path=str(Path(sys.executable).parent)) or "summitry"
    folder = Path(tempfile.mkdtemp(prefix="ingest-memory-"))
    command = [summitry, "ingest", str(args.articles), "--db", f"sqlite:///{folder / 'db.sqlite'}"]
    command += ["--workers", str(args.workers)] if args.workers else []
    command += ["--no-gate"] if args.no_gate else []
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peaks: dict[int, tuple[str, float]] = {}
    peak_sum = 0.0
    while proc.poll() is None:
        try:
            procs = [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        total = 0.0
        for p in procs:
            mem = memory_mb(p.pid)
            total += mem.get("VmRSS", 0)
            if mem.get("VmHWM", 0) > peaks.get(p.pid, ("", 0))[1]:
                peaks[p.pid] = ("command" if p.pid == proc.pid else "child", mem["VmHWM"])
        peak_sum = max(peak_sum, total)
        time.sleep(0.2)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    print(f"summitry ingest {args.articles.name}" + (f" --workers {args.workers}" if args.workers else "")
          + (" --no-gate" if args.no_gate else "") + f": exit {proc.returncode}, {elapsed:.0f} s")
    if err.strip():
        print("  stderr (last line): " + err.strip().splitlines()[-1])
    for pid, (role, hwm) in sorted(peaks.items(), key=lambda item: -item[1][1]):
        if hwm >= 50:  # leave out small helpers (resource tracker)
            print(f"  {role} pid {pid}: peak RSS {hwm:.0f} MB")
    largest = max((hwm for _, hwm in peaks.values()), default=0)
    print(f"  largest process peak {largest:.0f} MB; all processes together, sampled peak {peak_sum:.0f} MB")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
