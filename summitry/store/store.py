"""The Store: a summitry database, SQLite by default or any SQLAlchemy URL (PostgreSQL is tested).

`Store` is made of one part per group of tables, each in its own module:

    articles.py     articles, statements and meeting reports (writing a record, the listings)
    meetings.py     canonical meetings (writing a link run's plan, reading a meeting)
    findings.py     fact flags and contradictions
    commitments.py  commitments and their status histories
    review.py       people's verdicts on records and the audit log
    verdicts.py     people's verdicts on findings: the review queue of candidates
    fetching.py     what `watch` keeps: fetch state of feeds and pages, alerts already sent

The store persists and reads; it never runs a stage. Linking, fact checks, contradictions
and ratings are made in `summitry.link` and run by `summitry.pipeline`, which hands the
store what to write (or, where it must happen in the same transaction as a write, the
function that makes it).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .articles import ArticleTables
from .commitments import CommitmentTables
from .db import WRITE_OPTION, StoreError, default_url, make_engine, upgrade_to_head
from .fetching import FetchTables
from .findings import FindingTables
from .meetings import MeetingTables
from .review import ReviewTables
from .rows import looks_like_organisation
from .verdicts import VerdictTables

T = TypeVar("T")
CACHE_ENTRIES = 256  # values kept by `Store.cached` (facet counts, totals, pair pages)
# `Store.cached(stale_ok=True)`: counts that take longer than this to make (about a page's
# whole time budget) are served from the last value while made again after a write...
SLOW_COMPUTE = 0.25  # seconds
# ... but a value older than this is never served for newer data
MAX_STALE = 60.0  # seconds


class Store(ArticleTables, MeetingTables, FindingTables, CommitmentTables, ReviewTables, VerdictTables,
            FetchTables):
    """A summitry database. Opening a store migrates its database to the newest schema."""

    def __init__(self, url: str | None = None, *,
                 is_organisation: Callable[[str], bool] | None = None):
        self.url = url or default_url()
        self.is_organisation = is_organisation or looks_like_organisation
        try:
            self.engine = make_engine(self.url)
            upgrade_to_head(self.engine)
        except StoreError:
            self.close()
            raise
        except (SQLAlchemyError, OSError, ValueError, ImportError) as e:
            self.close()
            raise StoreError(f"cannot open database {_safe_url(self.url)}: {_first_line(e)}") from e
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._cache: OrderedDict[Any, _Cached] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._refreshing: set[Any] = set()  # keys being made again in the background
        self._refresher: ThreadPoolExecutor | None = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        refresher = getattr(self, "_refresher", None)
        if refresher is not None:  # a refresh under way finishes or fails quietly
            refresher.shutdown(wait=False, cancel_futures=True)
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    def _transaction(self, write: bool = False):
        """A session in one transaction (reads too); database errors come out as StoreError.
        `write`: the transaction will write, so on SQLite it takes the write lock at its start
        (BEGIN IMMEDIATE) and waits for it (the busy timeout) instead of failing with
        "database is locked" when a read turns into a write beside another writer."""
        return _Transaction(self._session, write)

    def data_version(self) -> int:
        """A counter that every committed write transaction of any Store on this database
        raises (migration 0013): equal values mean nothing was written in between."""
        with self._transaction() as session:
            return session.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar_one()

    def cached(self, key: Any, compute: Callable[[], T], *, stale_ok: bool = False) -> T:
        """`compute()`, or the value it gave for `key` if nothing was written since.

        The version is read before computing, so a value is never filed under a version newer
        than the data it was computed from (at worst it is recomputed once more). Values are
        shared between requests: callers must not change them. Per Store object (per
        process); the least recently used of more than CACHE_ENTRIES are dropped.

        `stale_ok` (counts: facets and totals, never the rows of a page): when the value took
        more than SLOW_COMPUTE to make and was made less than MAX_STALE ago, a write since does
        not make this request wait for it: the value in hand is returned and made again in the
        background. Under a steady ingest, a big record's counts would otherwise be recomputed
        by the first request after every write (seconds at 100,000 articles); now they lag the
        data by at most one recomputation, and never by more than MAX_STALE. A small record's
        counts are cheap and always current."""
        version = self.data_version()
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None and (hit.version == version or stale_ok and hit.may_serve_stale()):
                self._cache.move_to_end(key)
                if hit.version != version:
                    self._refresh_in_background(key, compute)
                return hit.value
        return self._compute_and_keep(key, compute, version)

    def _compute_and_keep(self, key: Any, compute: Callable[[], T], version: int) -> T:
        began = time.monotonic()
        value = compute()
        entry = _Cached(version, value, made_at=time.monotonic(), cost=time.monotonic() - began)
        with self._cache_lock:
            self._cache[key] = entry
            self._cache.move_to_end(key)
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return value

    def _refresh_in_background(self, key: Any, compute: Callable[[], Any]) -> None:
        """Make the value for `key` again on the store's one refresher thread (one refresh
        of a key at a time: requests arriving meanwhile are served the value in hand).
        Called with the cache lock held."""
        if key in self._refreshing:
            return
        self._refreshing.add(key)

        def refresh() -> None:
            try:
                self._compute_and_keep(key, compute, self.data_version())
            except Exception:  # a store closed or a database gone: the next request computes it
                pass
            finally:
                with self._cache_lock:
                    self._refreshing.discard(key)

        if self._refresher is None:
            self._refresher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summitry-cache")
        try:
            self._refresher.submit(refresh)
        except RuntimeError:  # the store is being closed: no refresh, the next request computes
            self._refreshing.discard(key)


@dataclass(frozen=True)
class _Cached:
    """A value of `Store.cached`: the data version it was computed at, when, and its cost."""
    version: int
    value: Any
    made_at: float  # time.monotonic()
    cost: float  # seconds it took to compute

    def may_serve_stale(self) -> bool:
        return self.cost >= SLOW_COMPUTE and time.monotonic() - self.made_at <= MAX_STALE


class _Transaction:
    """`with store._transaction() as session:` commits at the end or rolls back on error.

    A session made by the sessionmaker, not `sessionmaker.begin()`, so that database
    errors, including those at commit, can be turned into one-line StoreErrors.
    """

    def __init__(self, factory: sessionmaker, write: bool = False):
        self._session = factory()
        self._write = write

    def __enter__(self) -> Session:
        self._session.begin()
        if self._write:  # the connection begins here, with BEGIN IMMEDIATE on SQLite (db.py)
            self._session.connection(execution_options={WRITE_OPTION: True})
        return self._session

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                try:
                    if self._write:
                        # last, so that on PostgreSQL the row lock is held only while committing
                        self._session.execute(_BUMP_VERSION)
                    self._session.commit()
                except SQLAlchemyError as e:
                    self._session.rollback()
                    raise StoreError(f"database error: {_first_line(e)}") from e
            else:
                self._session.rollback()
                if isinstance(exc, SQLAlchemyError):
                    raise StoreError(f"database error: {_first_line(exc)}") from exc
        finally:
            self._session.close()



_BUMP_VERSION = text("UPDATE data_version SET version = version + 1 WHERE id = 1")


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: nothing secret can be shown by naming the scheme
        return url.split("://", 1)[0] + "://..."
