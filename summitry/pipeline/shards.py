"""Ingest in parallel: articles cut into shards, each shard an idempotent job run by a worker
process (`--workers N` on this machine) or by a Dask distributed cluster (`--scheduler
ADDRESS`), writing its articles and records to the database itself.

    summary = ingest_sharded(db_url, read_inputs(paths), ProcessPoolExecutor(2))

A shard job is `ingest_shard(db_url, articles)`: `pipeline.ingest_articles` over its articles,
so a shard stores each article with its record in one transaction, skips the ones already
stored with a record of this extractor version, and reports its own errors. Running a shard
twice, or after a crash half-way, stores nothing twice: a killed worker's shard is run again
by the cluster (or by the next run of the command), and the articles it had finished are
skipped. The worker process keeps its spaCy pipeline and its database connection between
shards (loading them costs seconds).

Inputs are read by the caller (files and URLs are where the command runs); unreadable inputs
are counted there. Results come back in the order shards finish; the summary lists the
articles in input order.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, wait
from dataclasses import asdict
from typing import Any

from ..records import Article
from .ingest import IngestSummary, _ignore, ingest_articles, readable

#: articles per shard: large enough that a worker's batch fills the parser, small enough that a
#: killed worker loses little and the shards spread over the workers
SHARD_SIZE = 16
COUNTS = ("new", "already_stored", "extracted", "not_relevant", "statements", "meetings")


@functools.lru_cache(maxsize=4)
def _store(db_url: str):
    """One store per worker process and database (the connection pool outlives the shards)."""
    from ..store import Store

    return Store(db_url)


def ingest_shard(db_url: str, articles: list[Article], use_gate: bool = True) -> dict[str, Any]:
    """The job of one shard: its articles stored with their records; the shard's summary."""
    summary = ingest_articles(_store(db_url), articles, batch_size=max(1, len(articles)), use_gate=use_gate)
    return asdict(summary)


def shards(articles: Iterable[Article], size: int = SHARD_SIZE) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_sharded(db_url: str, items: Iterable[Article | Exception], runner: Runner, *,
                   workers: int, use_gate: bool = True, shard_size: int = SHARD_SIZE,
                   on_error: Callable[[str], None] = _ignore,
                   on_article: Callable[[], None] = _ignore) -> IngestSummary:
    """Run the shards of `items` through `runner` (a process pool's or a Dask client's), at most
    two shards a worker in flight, and add up their summaries. A shard whose job fails (the
    database is down, a worker died for good) raises here: what other shards stored stays."""
    summary = IngestSummary()
    inputs = readable(items, summary.errors, on_error)
    counted = _counting(inputs, summary)
    pending: dict[Any, int] = {}
    entries: dict[int, list[dict[str, Any]]] = {}
    for index, shard in enumerate(shards(counted, shard_size)):
        pending[runner.submit(ingest_shard, db_url, shard, use_gate)] = index
        if len(pending) >= 2 * workers:
            _collect(runner, pending, summary, entries, on_error, on_article)
    while pending:
        _collect(runner, pending, summary, entries, on_error, on_article)
    summary.articles = [entry for index in sorted(entries) for entry in entries[index]]
    summary.failed = len(summary.errors)
    return summary


def _counting(articles: Iterable[Article], summary: IngestSummary) -> Iterator[Article]:
    for article in articles:
        summary.read += 1
        yield article


def _collect(runner: Runner, pending: dict[Any, int], summary: IngestSummary, entries: dict[int, list[dict[str, Any]]],
             on_error: Callable[[str], None], on_article: Callable[[], None]) -> None:
    done = runner.first_done(list(pending))
    for future in done:
        index = pending.pop(future)
        result = future.result()  # a shard that failed for good: the caller reports it
        for name in COUNTS:
            setattr(summary, name, getattr(summary, name) + result[name])
        for error in result["errors"]:
            summary.errors.append(error)
            on_error(error)
        entries[index] = result["articles"]
        for _ in result["articles"]:
            on_article()


class Runner:
    """Where shard jobs run: `submit` a job, wait for the `first_done` of several."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        raise NotImplementedError

    def first_done(self, futures: list[Any]) -> set[Any]:
        raise NotImplementedError


class ProcessRunner(Runner):
    """N worker processes on this machine (`--workers N`), each with its pipeline loaded once."""

    def __init__(self, executor: Executor):
        self.executor = executor

    def submit(self, fn, *args):
        return self.executor.submit(fn, *args)

    def first_done(self, futures):
        done, _ = wait(futures, return_when=FIRST_COMPLETED)
        return done


class DaskRunner(Runner):
    """The workers of a Dask distributed cluster (`--scheduler ADDRESS`). A shard whose worker
    dies is run again on another (`retries`), never taken from a cache as the same task."""

    def __init__(self, client):
        self.client = client

    def submit(self, fn, *args):
        return self.client.submit(fn, *args, pure=False, retries=2)

    def first_done(self, futures):
        from distributed import wait as dask_wait

        return set(dask_wait(futures, return_when="FIRST_COMPLETED").done)
