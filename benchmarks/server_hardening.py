"""What half-open connections and large unauthenticated bodies cost the web server, before
and after the hardening of issue 13 (summitry.web.serve, summitry.web.guard).

    .venv/bin/python benchmarks/server_hardening.py [--half-open 1050] [--requests 40]
                                                    [--body-mb 100] [--open-files 1024]

The server runs in a subprocess whose open-file limit is `--open-files` (1,024 is a common
default), on an empty SQLite store, in two ways:

- before: uvicorn as `summitry serve` ran it until now (default settings, no header
  deadline or connection cap), and the app without its body guard (RequestGuard removed);
- after: `summitry.web.serve.server_config`, the app as it is.

For each it measures
1. the latency of `--requests` real requests (GET /, a new connection each, 4 at a time,
   a 5 s timeout) with no attack;
2. the same while `--half-open` connections have each sent half a request and wait;
3. how many of those connections the server still holds after 12 s;
4. the server's peak memory (VmHWM) after a `--body-mb` MB chunked body is sent without a
   token to a review route, and the status it answered;
5. the bytes the server logged (at `summitry serve`'s level, info) over all of it.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from proc_stats import memory_mb

SERVER = r"""
import sys, uvicorn
from summitry.web import create_app
from summitry.web.guard import RequestGuard
from summitry.web.serve import server_config
mode, db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
app = create_app(db, token="benchmark-token-123")
if mode == "before":
    app.user_middleware = [m for m in app.user_middleware if m.cls is not RequestGuard]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", server_header=False)
else:
    config = server_config(app, "127.0.0.1", port, log_level="info")
uvicorn.Server(config).run()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def limit_files(n: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
    return apply


def start_server(mode: str, db: str, open_files: int, log) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, mode, db, str(port)], preexec_fn=limit_files(open_files),
                            stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the {mode} server did not start")


def one_request(port: int, timeout: float = 5.0) -> float | None:
    """Seconds for GET / on a new connection, or None when it failed or timed out."""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        conn.close()
        return time.monotonic() - started if response.status == 200 else None
    except OSError:
        return None


def latencies(port: int, n: int) -> dict:
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: one_request(port), range(n)))
    ok = sorted(r for r in results if r is not None)
    pct = lambda q: round(ok[min(len(ok) - 1, int(q * len(ok)))] * 1000, 1) if ok else None  # noqa: E731
    return {"ok": len(ok), "failed": n - len(ok), "p50_ms": pct(0.5), "p95_ms": pct(0.95),
            "max_ms": round(ok[-1] * 1000, 1) if ok else None}


def half_open(port: int, n: int) -> list[socket.socket]:
    sockets = []
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(s)
        except OSError:
            break
    return sockets


def still_open(sockets: list[socket.socket]) -> int:
    n = 0
    for s in sockets:
        s.setblocking(False)
        try:
            n += s.recv(1) != b""  # data would be odd; treat as open
        except BlockingIOError:
            n += 1  # nothing to read and not closed: the server still holds it
        except OSError:
            pass
    return n


def peak_memory_mb(pid: int) -> float:
    return round(memory_mb(pid).get("VmHWM", float("nan")), 1)


def large_body(port: int, megabytes: int) -> tuple[str, int]:
    """Send a chunked body of `megabytes` MB without a token; the status line and MB sent."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"POST /statements/x/review HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
              b"Content-Type: application/json\r\n\r\n")
    piece = 1024 * 1024
    chunk = b"%x\r\n%s\r\n" % (piece, b"z" * piece)
    sent = 0
    try:
        for _ in range(megabytes):
            s.sendall(chunk)
            sent += 1
        s.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server closed the connection: it refused the body
    try:
        s.settimeout(60)
        status = s.recv(200).split(b"\r\n")[0].decode("latin-1")
    except OSError as e:
        status = f"no answer ({e.__class__.__name__})"
    s.close()
    return status, sent


def measure(mode: str, db: str, args) -> dict:
    log = tempfile.TemporaryFile()
    proc, port = start_server(mode, db, args.open_files, log)
    try:
        one_request(port)  # warm up
        result = {"mode": mode, "quiet": latencies(port, args.requests)}
        sockets = half_open(port, args.half_open)
        time.sleep(1)
        result["half_open_sent"] = len(sockets)
        result["under_attack"] = latencies(port, args.requests)
        time.sleep(12)
        result["held_after_12s"] = still_open(sockets)
        for s in sockets:
            s.close()
        time.sleep(1)
        before = peak_memory_mb(proc.pid)
        status, sent = large_body(port, args.body_mb)
        result["body"] = {"status": status, "mb_sent": sent, "peak_mb_before": before,
                          "peak_mb_after": peak_memory_mb(proc.pid)}
        time.sleep(1)
        result["log_bytes"] = os.fstat(log.fileno()).st_size
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half-open", type=int, default=1050)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--body-mb", type=int, default=100)
    parser.add_argument("--open-files", type=int, default=1024)
    parser.add_argument("--mode", choices=["before", "after", "both"], default="both")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the client holds the half-open sockets
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.db"
        from summitry.store import Store
        Store(db).close()
        modes = ["before", "after"] if args.mode == "both" else [args.mode]
        for mode in modes:
            print(json.dumps(measure(mode, db, args)), flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
