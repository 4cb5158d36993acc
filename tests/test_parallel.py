"""Parallel and distributed ingest (issue 12): `--workers 2` and a Dask cluster store the same
records as a serial run; a killed worker or client, then a rerun, leaves the job complete with
nothing stored twice. Real processes, a real Dask cluster (a LocalCluster, and a scheduler and
workers started as separate processes), real SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summitry.store import Store

REPO = Path(__file__).resolve().parents[1]
DEV_INPUT = REPO.parent / "shared" / "eval" / "dev_input.jsonl"
SUMMITRY = [sys.executable, "-m", "summitry.cli"]
BIN = Path(sys.executable).parent

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not DEV_INPUT.exists(), reason="needs ../shared/eval/dev_input.jsonl beside the checkout")]


def records_checksum(url: str) -> tuple[dict[str, int], str]:
    """Counts and a checksum of every stored article's records, in a fixed order."""
    with Store(url) as store:
        statements = sorted((s["article_id"], s["start"], s["end"], s["speaker"] or "", s["quote"])
                            for s in store.statements())
        meetings = sorted((m["article_id"], m["evidence_start"] or -1, json.dumps(m["participants"]), m["date"] or "",
                           m["status"]) for m in store.meetings())
        counts = store.counts()
    digest = hashlib.sha256(json.dumps([statements, meetings]).encode()).hexdigest()[:16]
    return counts, digest


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("parallel") / "batch.jsonl"
    path.write_text("\n".join(DEV_INPUT.read_text(encoding="utf-8").splitlines()[2:14]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def serial(batch, tmp_path_factory) -> tuple[dict[str, int], str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.db'}"
    done = subprocess.run([*SUMMITRY, "ingest", batch, "--db", url], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-1500:]
    return records_checksum(url)


def test_workers_store_what_a_serial_run_stores(batch, serial, tmp_path):
    url = f"sqlite:///{tmp_path / 'workers.db'}"
    done = subprocess.run([*SUMMITRY, "ingest", batch, "--db", url, "--workers", "2", "--json"],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-1500:]
    summary = json.loads(done.stdout)
    assert summary["read"] == 12 and summary["failed"] == 0
    assert records_checksum(url) == serial
    again = json.loads(subprocess.run([*SUMMITRY, "ingest", batch, "--db", url, "--workers", "2", "--json"],
                                      capture_output=True, text=True, timeout=900).stdout)
    assert again["extracted"] == 0 and again["already_stored"] == 12


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_local_cluster_on_postgresql_stores_what_a_serial_run_stores(batch, serial, postgres_url):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = subprocess.run([*SUMMITRY, "ingest", batch, "--db", postgres_url, "--scheduler",
                               cluster.scheduler_address, "--json"], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-1500:]
    assert records_checksum(postgres_url) == serial


class Cluster:
    """A Dask scheduler and workers started as separate processes (`dask scheduler`, `dask worker`)."""

    def __init__(self, workers: int, cwd: Path):
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port",
                                           str(self.port), "--dashboard-address", ":0"], cwd=cwd, env=env,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.workers = [self._worker(cwd, env) for _ in range(workers)]
        self._wait_for(workers)

    def _worker(self, cwd: Path, env: dict) -> subprocess.Popen:
        return subprocess.Popen([str(BIN / "dask"), "worker", self.address, "--nworkers", "1", "--nthreads", "1",
                                 "--no-nanny", "--dashboard-address", ":0"], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _wait_for(self, n: int) -> None:
        from distributed import Client

        deadline = time.monotonic() + 120
        with Client(self.address, timeout="60s") as client:
            while len(client.scheduler_info()["workers"]) < n:
                assert time.monotonic() < deadline, "the workers did not join the scheduler"
                time.sleep(0.5)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_stored(url: str, articles: int, process: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if records_checksum(url)[0]["articles"] >= articles:
                return
        except Exception:  # noqa: BLE001 - the schema may not be there yet
            pass
        time.sleep(1)


def test_killing_a_worker_and_the_client_then_rerunning_completes_the_job(batch, serial, postgres_url, tmp_path):
    cluster = Cluster(workers=2, cwd=tmp_path)
    try:
        command = [*SUMMITRY, "ingest", batch, "--db", postgres_url, "--scheduler", cluster.address]
        # a worker killed mid-run: the scheduler gives its shard to the other one
        first = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        _wait_until_stored(postgres_url, 2, first)
        cluster.workers[0].send_signal(signal.SIGKILL)
        cluster.workers.append(cluster._worker(tmp_path, {**os.environ, "PYTHONPATH": str(REPO)}))
        # then the client killed mid-run
        _wait_until_stored(postgres_url, 5, first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
        partial = records_checksum(postgres_url)[0]
        assert partial["articles"] < 12 or first.returncode is not None
        rerun = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert rerun.returncode == 0, rerun.stderr[-1500:]
        assert records_checksum(postgres_url) == serial  # complete, nothing twice
    finally:
        cluster.close()
