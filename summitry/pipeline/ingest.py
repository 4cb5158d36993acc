"""The ingest pipeline: articles in, stored records out.

    summary = ingest_articles(store, read_inputs(paths))

Every article is stored (the same text once, whatever file or URL it came from); the ones
without a record of the current extractor version are extracted, in batches, and their
records saved with their fact flags. This is the one function the command line, the web
app and distributed workers call; what they show while it runs comes through callbacks.
"""
from __future__ import annotations

import dataclasses
import functools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any

from .. import EXTRACTOR_VERSION
from ..ingest import IngestError
from ..records import Article, ArticleRecord
from ..store import ConflictError, StoreError
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
    statements: int = 0
    meetings: int = 0
    errors: list[str] = dataclasses.field(default_factory=list)
    articles: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"articles: {self.read} read, {self.new} new, {self.already_stored} already stored, {self.failed} failed",
            f"records: {self.extracted} extracted (extractor {EXTRACTOR_VERSION}) with "
            f"{self.statements} statements and {self.meetings} meetings",
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
                    on_article: Callable[[], None] = _ignore) -> Iterator[ArticleRecord]:
    """Records of the readable articles among `items`, in order, without a database."""
    for _, record in extractor().extract_many(readable(items, errors, on_error), batch_size=batch_size):
        yield record
        on_article()


def ingest_articles(store, items: Iterable[Article | Exception], batch_size: int = 16, *,
                    on_error: Callable[[str], None] = _ignore,
                    on_article: Callable[[], None] = _ignore,
                    on_stage: Callable[[str], None] = _ignore) -> IngestSummary:
    """Store every article, extract the ones without a record of this extractor version, save
    the records. An input's error (unreadable, or an id already stored with another text) is
    counted, passed to `on_error` and skipped; `on_article` follows each article done and
    `on_stage("Extracting")` says when the extractor starts.

    A database error names the article it happened on and ends the run (StoreError); what
    was stored before it stays stored.
    """
    summary = IngestSummary()
    queued: set[str] = set()  # stored ids of the articles sent to the extractor
    pending_entries: deque[dict[str, Any]] = deque()  # their summary entries, in input order

    def to_extract() -> Iterator[Article]:
        for item in readable(items, summary.errors, on_error):
            summary.read += 1
            try:
                article_id, is_new = store.add_article(item)
            except ConflictError as exc:  # this input's fault: report it and go on
                summary.errors.append(f"{item.origin}: {exc}")
                on_error(f"{item.origin}: {exc}")
                continue
            except StoreError as exc:
                raise StoreError(f"{item.origin}: {exc}") from exc
            summary.new += is_new
            summary.already_stored += not is_new
            entry = {"id": article_id, "title": item.title, "origin": item.origin, "new": is_new,
                     "extracted": False, "statements": None, "meetings": None}
            summary.articles.append(entry)
            if article_id in queued or store.has_record(article_id, EXTRACTOR_VERSION):
                on_article()
                continue
            queued.add(article_id)
            pending_entries.append(entry)
            yield item

    pending = to_extract()
    first = next(pending, None)
    if first is not None:  # load the pipeline only when there is something to extract
        on_stage("Extracting")
        # extract_many yields in input order, so the entries line up with the records
        for article, record in extractor().extract_many(chain([first], pending), batch_size=batch_size):
            try:
                store.save_record(record, article, check=check_flags)
            except StoreError as exc:
                raise StoreError(f"{article.origin}: {exc}") from exc
            pending_entries.popleft().update(
                extracted=True, statements=len(record.statements), meetings=len(record.meetings))
            summary.extracted += 1
            summary.statements += len(record.statements)
            summary.meetings += len(record.meetings)
            on_article()
    summary.failed = len(summary.errors)
    return summary
