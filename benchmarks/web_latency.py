"""Page and API latency of the web app, measured from a second process.

    .venv/bin/python benchmarks/web_latency.py [--db benchmarks/corpus_10k.db]
        [--requests 200] [--concurrency 4] [--warmup 5] [--writes-every SECONDS]

Starts the app (`summitry.web.app.create_app` under uvicorn, one worker, access log off) in a
separate process on 127.0.0.1 and a free port, waits until it answers, then drives load from
this process: for each endpoint of a fixed list, --requests GETs (after --warmup unmeasured
ones) from --concurrency threads, each with its own keep-alive httpx client. Every response
must be 200. Prints p50 / p95 / p99 / max latency per endpoint and over all requests as a
Markdown table, and the server's memory (resident set size from /proc/<pid>/status: VmRSS
once it answers and at the end, VmHWM its peak), then stops the server. `--single` also
times each endpoint alone (one request at a time, the median of 5 after the warm-up).
`--writes-every S` writes to the database every S seconds while the endpoints are measured
(what a feed's ingest does to the pages: every write makes cached counts out of date), so that
the latencies include the requests that come right after a write.
Make the database with benchmarks/generate_corpus_db.py.
"""
from __future__ import annotations

import argparse
import os
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
from proc_stats import cpu_seconds, memory_mb

SERVER = """
import os, sys
code = os.environ.get("WEB_LATENCY_CODE")
if code:  # --code: summitry from another checkout (an editable install's finder would win)
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, code)
import uvicorn
from summitry.web.app import create_app
uvicorn.run(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]),
            log_level="warning", access_log=False, server_header=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pick_targets(db: Path) -> dict[str, str]:
    """Ids and names for the parametrised URLs, read straight from the database."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        # an article with many statements and a meeting report: a heavier article page
        article_id = con.execute(
            "SELECT a.id FROM articles a JOIN statements s ON s.article_id = a.id "
            "WHERE EXISTS (SELECT 1 FROM meeting_reports m WHERE m.article_id = a.id) "
            "GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1").fetchone()[0]
        statement_id = con.execute("SELECT id FROM statements WHERE article_id = ? ORDER BY position "
                                   "LIMIT 1", (article_id,)).fetchone()[0]
        # the busiest leader and speaker, and the year with the most meeting reports
        leader = con.execute(
            "SELECT a.name FROM meeting_participants p JOIN actors a ON a.id = p.actor_id "
            "GROUP BY a.name ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        speaker = con.execute(
            "SELECT speaker FROM statements WHERE speaker IS NOT NULL "
            "GROUP BY speaker ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        year = con.execute("SELECT substr(date, 1, 4) y FROM meeting_reports WHERE date IS NOT NULL "
                           "GROUP BY y ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        # the linked meeting with the most reports, and the busiest leader's most frequent partner
        meeting = con.execute("SELECT meeting_id FROM meeting_report_links GROUP BY meeting_id "
                              "ORDER BY count(*) DESC, meeting_id LIMIT 1").fetchone()[0]
        partner = con.execute(
            "SELECT a.name FROM meeting_participants p JOIN actors a ON a.id = p.actor_id "
            "WHERE a.name != ? AND p.meeting_report_id IN (SELECT p2.meeting_report_id FROM "
            "meeting_participants p2 JOIN actors a2 ON a2.id = p2.actor_id WHERE a2.name = ?) "
            "GROUP BY a.name ORDER BY count(*) DESC LIMIT 1", (leader, leader)).fetchone()[0]
    finally:
        con.close()
    return {"article": article_id, "statement": statement_id, "leader": leader,
            "surname": leader.split()[-1], "speaker": speaker, "year": year,
            "meeting": meeting, "partner": partner}


def endpoints(t: dict[str, str]) -> list[tuple[str, str]]:
    q = lambda s: quote(s, safe="")  # noqa: E731
    return [
        ("home", "/"),
        ("meetings (page 1)", "/meetings"),
        ("meetings.json by leader", f"/meetings.json?leader={q(t['surname'])}"),
        ("meetings by year + status", f"/meetings?year={t['year']}&status=held"),
        ("statements search", "/statements?q=grain+exports"),
        ("statements.json by speaker", f"/statements.json?speaker={q(t['speaker'])}"),
        ("article page", f"/articles/{q(t['article'])}"),
        ("statement page", f"/statements/{quote(t['statement'], safe=':')}"),
        ("meetings.csv by leader", f"/meetings.csv?leader={q(t['surname'])}"),
        ("linked meetings", "/meetings/linked"),
        ("linked meeting page", f"/meetings/{q(t['meeting'])}"),
        ("commitments", "/commitments"),
        ("pair page", f"/pairs/{q(t['leader'])}/{q(t['partner'])}"),
        ("audit log", "/audit"),
    ]


def wait_until_up(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(base + "/.json", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server did not answer within {timeout} s")


def run_endpoint(base: str, path: str, total: int, concurrency: int, warmup: int) -> tuple[list[float], int]:
    """Latencies in ms of `total` GETs of `path` from `concurrency` threads; and the bytes of one."""
    with httpx.Client(base_url=base, timeout=60) as c:
        for _ in range(warmup):
            c.get(path).raise_for_status()
        size = len(c.get(path).content)
    lock = threading.Lock()
    remaining = [total]
    latencies: list[float] = []
    errors: list[str] = []

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while True:
                with lock:
                    if remaining[0] == 0 or errors:
                        return
                    remaining[0] -= 1
                t0 = time.perf_counter()
                r = client.get(path)
                _ = r.content
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    if r.status_code != 200:
                        errors.append(f"{path}: HTTP {r.status_code}")
                    latencies.append(ms)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        raise SystemExit(errors[0])
    return latencies, size


def single_ms(base: str, path: str, n: int = 5) -> float:
    """Median time of one request alone (after the warm-up of run_endpoint)."""
    with httpx.Client(base_url=base, timeout=60) as c:
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            c.get(path).raise_for_status()
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def keep_writing(db: Path, every: float, stop: threading.Event) -> threading.Thread:
    """A thread that commits a write every `every` seconds until `stop` is set. The write is the
    one every Store write transaction ends with (the data version raised: migration 0013), so
    to the pages it is an ingest of an article, without the article."""
    def write() -> None:
        con = sqlite3.connect(str(db), timeout=30)
        try:
            while not stop.wait(every):
                with con:
                    con.execute("UPDATE data_version SET version = version + 1 WHERE id = 1")
        finally:
            con.close()

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("benchmarks/corpus_10k.db"))
    parser.add_argument("--requests", type=int, default=200, help="measured requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--code", type=Path, help="run the server from this checkout's summitry "
                        "(a folder holding summitry/), e.g. the code before a change")
    parser.add_argument("--single", action="store_true", help="also time each endpoint alone")
    parser.add_argument("--only", help="comma-separated endpoint names (default: all)")
    parser.add_argument("--writes-every", type=float, metavar="SECONDS",
                        help="write to the database this often during the run (a feed's ingest)")
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"no database at {args.db}: run benchmarks/generate_corpus_db.py first")

    targets = pick_targets(args.db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, WEB_LATENCY_CODE=str(args.code.resolve())) if args.code else None
    proc = subprocess.Popen([sys.executable, "-c", SERVER, f"sqlite:///{args.db.resolve()}", str(port)],
                            stdout=subprocess.DEVNULL, env=env)
    rows, everything = [], []
    stop_writing = threading.Event()
    try:
        wait_until_up(base, proc)
        counts = httpx.get(base + "/.json", timeout=10).json()["counts"]
        print(f"server pid {proc.pid} on {base}; database {args.db}: {counts}", file=sys.stderr)
        memory_start = memory_mb(proc.pid)
        wanted = set(args.only.split(",")) if args.only else None
        if args.writes_every:
            keep_writing(args.db, args.writes_every, stop_writing)
        started = time.perf_counter()
        for name, path in endpoints(targets):
            if wanted is not None and name not in wanted:
                continue
            cpu0 = cpu_seconds(proc.pid)
            t0 = time.perf_counter()
            latencies, size = run_endpoint(base, path, args.requests, args.concurrency, args.warmup)
            wall = time.perf_counter() - t0
            # the server's CPU per request: what a request costs, whatever else runs on the machine
            cpu_ms = (cpu_seconds(proc.pid) - cpu0) * 1000 / (args.requests + args.warmup + 1)
            everything += latencies
            alone = single_ms(base, path) if args.single else None
            rows.append((name, path, pct(latencies, 50), pct(latencies, 95), pct(latencies, 99),
                         max(latencies), len(latencies) / wall, size, alone, cpu_ms))
            print(f"  {name}: p50 {rows[-1][2]:.0f} ms, p95 {rows[-1][3]:.0f} ms", file=sys.stderr)
        elapsed = time.perf_counter() - started
        memory_end = memory_mb(proc.pid)
    finally:
        stop_writing.set()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    print(f"\n{len(everything)} requests ({args.requests} per endpoint after {args.warmup} warm-up), "
          f"concurrency {args.concurrency}, one uvicorn worker; {elapsed:.0f} s; "
          + (f"a write every {args.writes_every:g} s; " if args.writes_every else "")
          + f"Python {platform.python_version()}, {os.cpu_count()} CPUs\n")
    alone_col = args.single
    print("| endpoint | URL | p50 ms | p95 ms | p99 ms | max ms | req/s | bytes | server CPU ms/req |"
          + (" alone ms |" if alone_col else ""))
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if alone_col else ""))
    for name, path, p50, p95, p99, mx, rps, size, alone, cpu_ms in rows:
        print(f"| {name} | `{path}` | {p50:.0f} | {p95:.0f} | {p99:.0f} | {mx:.0f} | {rps:.1f} | {size:,} | "
              f"{cpu_ms:.1f} |" + (f" {alone:.0f} |" if alone_col else ""))
    print(f"| **all** | | **{pct(everything, 50):.0f}** | **{pct(everything, 95):.0f}** | "
          f"**{pct(everything, 99):.0f}** | {max(everything):.0f} | {len(everything) / elapsed:.1f} | | |"
          + (" |" if alone_col else ""))
    print(f"\nserver RSS: {memory_start.get('VmRSS', 0):.0f} MB once up, "
          f"{memory_end.get('VmRSS', 0):.0f} MB at the end, peak (VmHWM) {memory_end.get('VmHWM', 0):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
