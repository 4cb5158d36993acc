"""Memory and CPU time of another process, read from Linux's /proc (for the benchmarks that
measure a server or an ingest they started: web_latency, server_hardening, ingest_memory)."""
from __future__ import annotations

import os
from pathlib import Path


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak resident set) of a process, in MB; {} once it is gone."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat, clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
