"""The ingest pipeline: articles in, stored records out.

    summary = ingest_articles(store, read_inputs(paths))

Every article is stored with its record (the same text once, whatever file or URL it came
from); the ones without a record of the current extractor version are extracted, in batches,
and their records saved with their fact flags. One article cannot stop the run: a failure or a
runaway extraction costs that article only (`contained_extraction`). This is the one function the command line, the web
app and distributed workers call; what they show while it runs comes through callbacks.
"""
from __future__ import annotations

import dataclasses
import functools
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, Any

from .. import EXTRACTOR_VERSION
from ..ingest import IngestError
from ..records import Article, ArticleRecord
from ..store import ConflictError, StoreError
from ..link.stories import fingerprint
from .link import check_flags

if TYPE_CHECKING:  # spaCy loads only when something is extracted
    from ..nlp.extractor import Extractor


def _ignore(*_: Any) -> None:
    return None


@dataclasses.dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    already_stored: int = 0
    failed: int = 0
    extracted: int = 0
    not_relevant: int = 0  # stopped by the relevance gate: stored with an empty record
    statements: int = 0
    meetings: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    articles: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"articles: {self.read} read, {self.new} new, {self.already_stored} already stored, {self.failed} failed",
            f"records: {self.extracted} extracted (extractor {EXTRACTOR_VERSION}) with "
            f"{self.statements} statements and {self.meetings} meetings"
            + (f"; {self.not_relevant} not relevant (nothing of leader diplomacy: not parsed)"
               if self.not_relevant else ""),
        ]


@functools.lru_cache(maxsize=1)
def extractor() -> Extractor:
    """One loaded pipeline per process (loading it costs about a second)."""
    from ..nlp.extractor import Extractor

    return Extractor()


def readable(items: Iterable[Article | Exception], errors: list[str],
             on_error: Callable[[str], None] = _ignore) -> Iterator[Article]:
    """The articles among `items`; each IngestError is added to `errors` and passed to `on_error`."""
    for item in items:
        if isinstance(item, IngestError):
            errors.append(str(item))
            on_error(str(item))
        else:
            yield item


def extract_records(items: Iterable[Article | Exception], batch_size: int, errors: list[str], *,
                    on_error: Callable[[str], None] = _ignore,
                    on_article: Callable[[], None] = _ignore, use_gate: bool = True) -> Iterator[ArticleRecord]:
    """Records of the readable articles among `items`, in order, without a database. An article
    whose extraction fails or runs out of time is reported like an unreadable input; one the
    relevance gate stops gets an empty record (`use_gate=False`: every article is parsed)."""
    for article, outcome in contained_extraction(readable(items, errors, on_error), batch_size, use_gate):
        if isinstance(outcome, str):
            errors.append(f"{article.origin}: {outcome}")
            on_error(f"{article.origin}: {outcome}")
            continue
        yield outcome
        on_article()


def ingest_articles(store, items: Iterable[Article | Exception], batch_size: int = 16, *,
                    on_error: Callable[[str], None] = _ignore,
                    on_article: Callable[[], None] = _ignore,
                    on_stage: Callable[[str], None] = _ignore, use_gate: bool = True) -> IngestSummary:
    """Store every article with its record, extracting the ones without a record of this
    extractor version. An input's error (unreadable, an id already stored with another text, an
    extraction that fails or runs out of time) is counted, passed to `on_error` and skipped:
    the run goes on. `on_article` follows each article done and `on_stage("Extracting")` says
    when the extractor starts. The relevance gate (`summitry.nlp.relevance`) stops articles
    with nothing of leader diplomacy before the parser: they are stored with an empty record,
    so that ingesting them again is instant; `use_gate=False` parses every article (also those
    an earlier run stopped).

    An article and its record are stored together, in one transaction (`Store.save_record`),
    or not at all: a run stopped at any point leaves no article without its record, and the
    next run finishes the job. A database error names the article it happened on and ends the
    run (StoreError); what was stored before it stays stored.
    """
    summary = IngestSummary()
    queued: dict[str, str] = {}  # content hash -> id of the articles sent to the extractor
    entries: deque[dict[str, Any]] = deque()  # their summary entries, in input order

    def to_extract() -> Iterator[Article]:
        for item in readable(items, summary.errors, on_error):
            summary.read += 1
            try:
                stored = store.stored_article(item)
            except ConflictError as exc:  # this input's fault: report it and go on
                summary.errors.append(f"{item.origin}: {exc}")
                on_error(f"{item.origin}: {exc}")
                continue
            except StoreError as exc:
                raise StoreError(f"{item.origin}: {exc}") from exc
            stored_id = stored.id if stored else None
            if stored and stored.stored_unrepaired:  # re-extraction reads the text as stored
                item = dataclasses.replace(item, text=store.article(stored_id)["text"], unrepaired_hash=None)
            entry = {"id": stored_id or queued.get(item.content_hash, item.id), "title": item.title,
                     "origin": item.origin,
                     "new": stored_id is None and item.content_hash not in queued,
                     "extracted": False, "statements": None, "meetings": None}
            summary.articles.append(entry)
            # its record is current when made by this extractor (and, without the gate, parsed)
            current = (stored is not None and stored.record_version == EXTRACTOR_VERSION
                       and (use_gate or stored.relevant is not False))
            if item.content_hash in queued or current:
                summary.already_stored += 1
                on_article()
                continue
            queued[item.content_hash] = stored_id or item.id
            entries.append(entry)
            # the same text stored before under another id: its record is that article's
            yield dataclasses.replace(item, id=stored_id) if stored_id and stored_id != item.id else item

    pending = to_extract()
    first = next(pending, None)
    if first is not None:  # load the pipeline only when there is something to extract
        on_stage("Extracting")
        # the outcomes come in input order, so the entries line up with them
        for article, outcome in contained_extraction(chain([first], pending), batch_size, use_gate):
            entry = entries.popleft()
            if isinstance(outcome, str):
                entry.update(error=outcome, new=False)
                summary.errors.append(f"{article.origin}: {outcome}")
                on_error(f"{article.origin}: {outcome}")
                on_article()
                continue
            relevant = not isinstance(outcome, NotRelevant)
            try:
                store.save_record(outcome, article, check=check_flags, relevant=relevant, story=fingerprint)
            except StoreError as exc:
                raise StoreError(f"{article.origin}: {exc}") from exc
            summary.new += entry["new"]
            summary.already_stored += not entry["new"]
            if not relevant:
                entry.update(relevant=False)
                summary.not_relevant += 1
                on_article()
                continue
            entry.update(extracted=True, statements=len(outcome.statements), meetings=len(outcome.meetings))
            summary.extracted += 1
            summary.statements += len(outcome.statements)
            summary.meetings += len(outcome.meetings)
            on_article()
    summary.failed = len(summary.errors)
    return summary


# --- extraction that one article cannot stop -------------------------------------------------

#: Time an article may take: a base, and more for long texts (the pipeline runs at well over
#: 500 characters a second even on a slow machine; a text that takes far longer is a runaway:
#: a pathological input, not an article).
BASE_SECONDS = 60.0
CHARS_PER_SECOND = 500.0


class ArticleTimeout(Exception):
    """An article ran past its time budget."""


def seconds_for(article: Article) -> float:
    return BASE_SECONDS + len(article.text) / CHARS_PER_SECOND


class NotRelevant(ArticleRecord):
    """The empty record of an article the relevance gate stopped (not parsed)."""


def contained_extraction(articles: Iterable[Article], batch_size: int,
                         use_gate: bool = True) -> Iterator[tuple[Article, ArticleRecord | str]]:
    """(article, record) in input order, or (article, why it failed) for an article whose
    extraction raised or ran past its time budget; with `use_gate`, (article, NotRelevant) for
    one the relevance gate stops. Articles go through the pipeline in batches; a batch that
    fails is run again one article at a time, so only the bad one is lost."""
    batch: list[Article] = []
    stopped: dict[int, NotRelevant] = {}  # positions in `batch` of the articles the gate stopped
    from ..nlp.relevance import gate  # here: importing nlp imports spaCy

    relevance = gate() if use_gate else None
    for article in articles:
        if relevance is not None and not relevance.check(article.text).relevant:
            stopped[len(batch)] = NotRelevant(id=article.id)
        batch.append(article)
        if len(batch) >= batch_size:
            yield from _with_stopped(batch, stopped)
            batch, stopped = [], {}
    if batch:
        yield from _with_stopped(batch, stopped)


def _with_stopped(batch: list[Article], stopped: dict[int, NotRelevant]) -> Iterator[tuple[Article, ArticleRecord | str]]:
    """The outcomes of a batch in input order: the gate's empty records where it stopped an
    article, the extraction's for the others."""
    parsed = iter(_extract_batch([a for i, a in enumerate(batch) if i not in stopped]))
    for i, article in enumerate(batch):
        yield (article, stopped[i]) if i in stopped else next(parsed)


def _extract_batch(batch: list[Article]) -> Iterator[tuple[Article, ArticleRecord | str]]:
    if not batch:
        return
    pipeline = extractor()  # loaded before the clock starts: loading is not the article's time
    try:
        with time_budget(sum(seconds_for(a) for a in batch)):
            done = list(pipeline.extract_many(batch, batch_size=len(batch)))
    except (ArticleTimeout, Exception):  # noqa: BLE001 - any failure of one article, found below
        done = None
    if done is not None:
        yield from done
        return
    for article in batch:
        yield article, _extract_one(article)


def _extract_one(article: Article) -> ArticleRecord | str:
    seconds = seconds_for(article)
    pipeline = extractor()
    try:
        with time_budget(seconds):
            return pipeline.extract(article)
    except ArticleTimeout:
        return f"extraction took longer than {seconds:.0f} s; skipped (a pathological text?)"
    except RecursionError:
        return "extraction failed: the text nests too deeply"
    except MemoryError:
        return "extraction failed: out of memory"
    except Exception as exc:  # noqa: BLE001 - one article's failure must not end the run
        return f"extraction failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")


@contextmanager
def time_budget(seconds: float):
    """Raise ArticleTimeout in the block after `seconds` (a real-time timer; only in the main
    thread of a process on a system with SIGALRM, elsewhere the block runs unbounded)."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(_signum, _frame):
        raise ArticleTimeout(f"over {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
