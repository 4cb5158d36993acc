"""Read queries the web app needs beyond the Store's: filters, facet counts, keyset pages.

Plain SQLAlchemy `select`s over the store's tables; every value from a URL reaches SQL only
as a bound parameter. Listings are paged by keyset: a page ends with a cursor (the sort key
of its last row), and the next page is "rows after that key", so pages stay stable while
articles are added, and deep pages cost what the first one does.
"""
from __future__ import annotations

import base64
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    cast,
    exists,
    extract,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import Join

from ..store import Store
from ..store.articles import actor_ids_named
from ..store.models import (
    ActorRow,
    ArticleRow,
    MeetingParticipantRow,
    MeetingReportRow,
    StatementRow,
)
from ..store.rows import meeting_row_dict, not_rejected, statement_row_dict, utc_iso

FACET_LIMIT = 30  # values shown per facet, most frequent first
# a statements listing with more matches than this is read in its sort order (see statements_page)
ORDER_DRIVEN_ABOVE = 2000

# Undated rows sort last: their sort key is a sentinel above every real value. Written into
# the SQL as constants, as in the indexes on these expressions (migration 0013): SQLite uses
# an index on an expression only for the same expression, and a bound parameter is not.
_UNDATED_MEETING = "9999-99-99"
_UNPUBLISHED = date(9999, 12, 31)
_UNDATED_SQL = literal_column("'9999-99-99'", String)
_UNPUBLISHED_SQL = literal_column("'9999-12-31'", Date)


class CursorError(ValueError):
    """An `after=` cursor that this app did not make (or that belongs to another listing)."""


# --- filters ---------------------------------------------------------------------------

@dataclass
class MeetingFilter:
    leaders: list[str] = field(default_factory=list)  # every one must take part
    year: int | None = None
    status: str | None = None
    format: str | None = None
    review: str | None = None  # see REVIEW_FILTERS; None: every report but the rejected ones
    date_from: str | None = None  # YYYY[-MM[-DD]]: meetings whose date overlaps from this day on
    date_to: str | None = None  # YYYY[-MM[-DD]]: ... up to this day (both inclusive)
    # the order of the listing (not a filter, but carried with it to every page and export):
    # newest | oldest | reports (most reports first: canonical meetings only)
    sort: str = "newest"


MEETING_SORTS = ("newest", "oldest", "reports")
_PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


def date_bound(value: str | None, *, end: bool) -> str | None:
    """A `from`/`to` bound as a full day: "2017" is 2017-01-01 as a start, 2017-12-31 as an
    end. ValueError for anything but YYYY, YYYY-MM or YYYY-MM-DD."""
    if not value:
        return None
    if not _PARTIAL_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    pad = ("-12", "-31") if end else ("-01", "-01")
    return value + "".join(pad[(len(value) - 4) // 3:])


def date_range_conditions(column, date_from: str | None, date_to: str | None) -> list:
    """Dates (YYYY, YYYY-MM or YYYY-MM-DD text, as stored) that overlap the range of full days
    [date_from, date_to]: "2017-05" is in a range that starts on 2017-05-20. Undated rows are
    out. The plain comparisons use the date's index; the one with substr refines the start."""
    conditions = []
    if date_from:
        conditions.append(column >= date_from[:4])
        conditions.append(column >= func.substr(literal(date_from), 1, func.length(column)))
    if date_to:
        conditions.append(column <= date_to)
    return conditions


@dataclass
class StatementFilter:
    q: str | None = None  # full-text search, as `Store.statements(search=...)`
    speaker: str | None = None
    source: str | None = None
    year: int | None = None
    review: str | None = None  # as MeetingFilter.review


# Listings leave out what a person rejected, unless asked for a review state.
REVIEW_FILTERS = ("unreviewed", "accepted", "corrected", "rejected", "reviewed")


def review_condition(model, wanted: str | None):
    """The condition on `model.review_status` for a listing's `review` filter."""
    if wanted is None:
        return not_rejected(model)
    if wanted == "unreviewed":
        return model.review_status.is_(None)
    if wanted == "reviewed":
        return model.review_status.is_not(None)
    return model.review_status == wanted


@dataclass
class Page:
    rows: list[dict[str, Any]]
    next: str | None  # cursor of the next page, None on the last one


class CrossJoin(Join):
    """An inner join that SQLite must loop over in the written order (its CROSS JOIN);
    a plain JOIN elsewhere."""

    inherit_cache = True


@compiles(CrossJoin)
def _join(element, compiler, **kw):
    return compiler.visit_join(element, **kw)


@compiles(CrossJoin, "sqlite")
def _cross_join(element, compiler, **kw):
    plain = compiler.visit_join(element, **kw)
    # visit_join writes "left JOIN right ON ..."; only the keyword changes
    return plain.replace(" JOIN ", " CROSS JOIN ", 1)


# --- cursors ---------------------------------------------------------------------------

def encode_cursor(kind: str, key: tuple) -> str:
    raw = json.dumps([kind, *key], separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_CURSOR_TYPES = {"s": str, "i": int}


def decode_cursor(kind: str, cursor: str, types: str) -> list:
    """The sort key in `cursor`, whose values must have `types` ("s" text, "i" integer, one
    letter a column): a crafted cursor is a CursorError (a 400), never a value the database
    driver cannot bind (a list, a null, a huge integer, a lone surrogate)."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (ValueError, TypeError, RecursionError) as e:
        raise CursorError("not a cursor of this listing") from e
    if not (isinstance(value, list) and len(value) == len(types) + 1 and value[0] == kind):
        raise CursorError("not a cursor of this listing")
    key = value[1:]
    for item, code in zip(key, types):
        wanted = _CURSOR_TYPES[code]
        if type(item) is not wanted:  # not isinstance: True is an int
            raise CursorError("not a cursor of this listing")
        if wanted is int and abs(item) > 2**63 - 1:
            raise CursorError("not a cursor of this listing")
        if wanted is str and (len(item) > 1000 or "\x00" in item or not _encodable(item)):
            raise CursorError("not a cursor of this listing")
    return key


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _after(columns: list, key: list, descending: tuple[bool, ...] = ()):
    """Rows whose (columns...) sort after `key`: a OR (a = k AND (b > ...)), portable SQL.
    `descending[i]` when column i is sorted in descending order (then "after" is "less")."""
    column, value = columns[0], key[0]
    down = bool(descending[0]) if descending else False
    beyond = column < value if down else column > value
    if len(columns) == 1:
        return beyond
    # the leading "column >= value" (implied by the rest) is what an index can seek to: without
    # it, SQLite reads the listing's index from its start for every page (a CSV export of
    # 20,000 rows in batches of 500 read it 40 times)
    bound = column <= value if down else column >= value
    return and_(bound, or_(beyond, and_(column == value, _after(columns[1:], key[1:], descending[1:]))))


def ordered(columns: list, descending: tuple[bool, ...]) -> list:
    return [c.desc() if down else c for c, down in zip(columns, descending)]


@contextmanager
def _reading(store: Store) -> Iterator[Session]:
    """A read session on the store's engine, in one transaction (one consistent snapshot)."""
    with Session(store.engine, expire_on_commit=False) as session, session.begin():
        yield session


# --- names -----------------------------------------------------------------------------

def fold(name: str) -> str:
    """Case- and accent-insensitive form of a name, whitespace collapsed (as the Store's)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def actor_ids(session: Session, query: str) -> list[int]:
    """Actors that `query` names: any part of their name or an alias, as whole words, ignoring
    case and accents ("kim": every Kim; "Erdogan": Recep Tayyip Erdoğan), as the Store's."""
    return actor_ids_named(session, query)


def actor_names(store: Store, query: str) -> list[str]:
    with _reading(store) as session:
        ids = actor_ids(session, query)
        if not ids:
            return []
        return list(session.scalars(select(ActorRow.name).where(ActorRow.id.in_(ids))
                                    .order_by(ActorRow.name)))


def pair_names_met(store: Store, a: str, b: str) -> list[tuple[str, str, int]]:
    """The pairs of stored actors, one named by `a` and the other by `b`, that have canonical
    meetings of the two alone: (a's full name, b's full name, meetings), most meetings first.
    For a page that must turn two names that each fit several actors ("Trump", "Kim") into
    one pair: the one pair that met, or the one that clearly met most."""
    wanted_a, wanted_b = set(actor_names(store, a)), set(actor_names(store, b))
    if not wanted_a or not wanted_b:
        return []
    counts: dict[tuple[str, str], int] = {}
    for meeting in store.canonical_meetings(between=(a, b)):
        people = meeting["participants"]
        if len(people) != 2:
            continue
        for x, y in (people, people[::-1]):
            if x in wanted_a and y in wanted_b and x != y:
                counts[(x, y)] = counts.get((x, y), 0) + 1
    return sorted(((x, y, n) for (x, y), n in counts.items()), key=lambda t: (-t[2], t[0], t[1]))


# --- meetings --------------------------------------------------------------------------

_meeting_date_key = func.coalesce(MeetingReportRow.date, _UNDATED_SQL)
_meeting_year = func.substr(MeetingReportRow.date, 1, 4)
_MEETING_ORDER = [_meeting_date_key, MeetingReportRow.article_id, MeetingReportRow.position]
# newest first: the date descending, undated last (as '', below every date); within a date
# the article's reports in article order. The '' is literal SQL so that the index of migration
# 0015 (on the same expression) serves the order.
_MEETING_ORDER_NEWEST = [func.coalesce(MeetingReportRow.date, literal_column("''", String)),
                         MeetingReportRow.article_id,
                         MeetingReportRow.position]
_NEWEST = (True, False, False)


def _meeting_order(sort: str) -> tuple[str, list, tuple[bool, ...]]:
    """(cursor kind, sort columns, which descend) of the report listing in this order."""
    if sort == "oldest":
        return "m", _MEETING_ORDER, (False, False, False)
    return "mn", _MEETING_ORDER_NEWEST, _NEWEST


def _meeting_conditions(session: Session, f: MeetingFilter) -> list:
    conditions = [review_condition(MeetingReportRow, f.review)]
    for name in f.leaders:
        ids = actor_ids(session, name)
        conditions.append(exists().where(
            MeetingParticipantRow.meeting_report_id == MeetingReportRow.id,
            MeetingParticipantRow.actor_id.in_(ids)))
    if f.year is not None:
        conditions.append(year_condition(MeetingReportRow.date, _meeting_date_key, f.year))
    if f.status:
        conditions.append(MeetingReportRow.status == f.status)
    if f.format:
        conditions.append(MeetingReportRow.format == f.format)
    conditions += date_range_conditions(MeetingReportRow.date, f.date_from, f.date_to)
    return conditions


def year_condition(column, key, year: int):
    """`column` (YYYY-MM-DD, YYYY-MM or YYYY) is in `year`: the same rows as
    substr(column, 1, 4) = year, written as a range of `key` (the listing's sort key,
    coalesce(column, sentinel)) so that the sort index finds them; "column IS NOT NULL"
    keeps the undated sentinel out of year 9999."""
    return and_(column.is_not(None), key >= f"{year:04d}", key < f"{year + 1:04d}")


def cache_key(name: str, f) -> tuple:
    """A key for `Store.cached` of a filter's result (its fields, in order)."""
    return (name, repr(f))


def meetings_page(store: Store, f: MeetingFilter, *, after: str | None = None,
                  size: int = 50) -> Page:
    """Meeting reports matching `f`, by date (newest or oldest first as `f.sort`, undated
    last), `size` at a time."""
    kind, order, descending = _meeting_order(f.sort)
    query = (select(MeetingReportRow, ArticleRow.title, *order)
             .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
             .order_by(*ordered(order, descending)).limit(size + 1))
    with _reading(store) as session:
        query = query.where(*_meeting_conditions(session, f))
        if after:
            query = query.where(_after(order, decode_cursor(kind, after, "ssi"), descending))
        result = session.execute(query).all()
    rows = [meeting_row_dict(row, title) for row, title, *_ in result[:size]]
    more = len(result) > size
    return Page(rows, encode_cursor(kind, tuple(result[size - 1][2:])) if more else None)


def recent_meetings(store: Store, f: MeetingFilter, size: int) -> list[dict[str, Any]]:
    """The `size` meeting reports matching `f` stored last (for a feed: what is new), each with
    its article's `ingested_at`."""
    query = (select(MeetingReportRow, ArticleRow.title, ArticleRow.ingested_at)
             .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
             .order_by(ArticleRow.ingested_at.desc(), MeetingReportRow.article_id, MeetingReportRow.position)
             .limit(size))
    with _reading(store) as session:
        result = session.execute(query.where(*_meeting_conditions(session, f))).all()
    return [{**meeting_row_dict(row, title), "ingested_at": utc_iso(at)} for row, title, at in result]


def all_rows(page_of, store: Store, f, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every row of a listing matching `f`, read a keyset page at a time (for exports)."""
    after = None
    while True:
        page = page_of(store, f, after=after, size=batch)
        yield from page.rows
        if page.next is None:
            return
        after = page.next


def all_meetings(store: Store, f: MeetingFilter, batch: int = 500) -> Iterator[dict[str, Any]]:
    return all_rows(meetings_page, store, f, batch)


def count_meetings(store: Store, f: MeetingFilter) -> int:
    """How many reports match `f` (cached until the next write: see `Store.cached`)."""
    return store.cached(cache_key("count_meetings", f), lambda: _count_meetings(store, f), stale_ok=True)


def _count_meetings(store: Store, f: MeetingFilter) -> int:
    with _reading(store) as session:
        return session.scalar(select(func.count()).select_from(MeetingReportRow)
                              .where(*_meeting_conditions(session, f)))


def meeting_facets(store: Store, f: MeetingFilter) -> dict[str, list[tuple[str, int]]]:
    """(value, count) of leader, year, status and format over the reports matching `f`
    (cached until the next write: see `Store.cached`)."""
    return store.cached(cache_key("meeting_facets", f), lambda: _meeting_facets(store, f), stale_ok=True)


def _meeting_facets(store: Store, f: MeetingFilter) -> dict[str, list[tuple[str, int]]]:
    # The filter's conditions go straight into each grouped query (and the leaders come by
    # a join): three to four times faster than "id IN (matching reports)" at 10,000 articles.
    with _reading(store) as session:
        conditions = _meeting_conditions(session, f)
        # an alias, so that a leader filter's EXISTS over participants does not correlate with it
        taking_part = aliased(MeetingParticipantRow)
        leader = (select(ActorRow.name, func.count())
                  .join(taking_part, taking_part.actor_id == ActorRow.id)
                  .join(MeetingReportRow, MeetingReportRow.id == taking_part.meeting_report_id)
                  .where(*conditions)
                  .group_by(ActorRow.name))
        facets = {"leader": _counts(session, leader)}
        for name, column in (("year", _meeting_year), ("status", MeetingReportRow.status),
                             ("format", MeetingReportRow.format)):
            query = (select(column, func.count()).where(*conditions, column.is_not(None))
                     .group_by(column))
            facets[name] = _counts(session, query)
    return facets


def _counts(session: Session, query) -> list[tuple[str, int]]:
    counted = func.count()
    rows = session.execute(query.order_by(counted.desc(), query.selected_columns[0])
                           .limit(FACET_LIMIT)).all()
    return [(str(value), count) for value, count in rows]


def meeting_report(store: Store, report_id: str) -> dict[str, Any] | None:
    with _reading(store) as session:
        found = session.execute(
            select(MeetingReportRow, ArticleRow.title)
            .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
            .where(MeetingReportRow.id == report_id)).first()
    return meeting_row_dict(*found) if found else None


def report_link(store: Store, report_id: str) -> tuple[str | None, str | None]:
    """(the canonical meeting the report is linked to, the link a person pinned for it)."""
    from ..store.models import MeetingReportLinkRow, ReviewRow
    from ..store.review import LINK

    with _reading(store) as session:
        meeting_id = session.scalar(select(MeetingReportLinkRow.meeting_id)
                                    .where(MeetingReportLinkRow.meeting_report_id == report_id))
        reviewed = session.scalar(select(ReviewRow.reviewed).where(
            ReviewRow.kind == "meeting_report", ReviewRow.record_id == report_id))
    return meeting_id, (reviewed or {}).get(LINK) if isinstance(reviewed, dict) else None


# --- statements ------------------------------------------------------------------------

_published_key = func.coalesce(ArticleRow.published, _UNPUBLISHED_SQL)
_published_year = cast(extract("year", ArticleRow.published), Integer)
# articles.id, not statements.article_id (equal by the join): so that the index on the
# articles' order (migration 0013) and then (article_id, position) give the order, no sort
_STATEMENT_ORDER = [_published_key, ArticleRow.id, StatementRow.position]


def _statement_conditions(store: Store, session: Session, f: StatementFilter, *,
                          unindexed: bool = False) -> list | None:
    """WHERE conditions for `f`; None when nothing can match (a search with no words).
    `unindexed`: the same conditions on expressions of the columns (id || '', actor + 0),
    which SQLite cannot answer from an index, so that it keeps to the listing order's."""
    statement_id = StatementRow.id.op("||")("") if unindexed else StatementRow.id
    speaker_id = StatementRow.speaker_actor_id + 0 if unindexed else StatementRow.speaker_actor_id
    conditions = [review_condition(StatementRow, f.review)]
    if f.q:
        words = re.findall(r"[^\W_]+", f.q)  # letters and digits: all that full-text indexes
        if not words:
            return None
        # the Store's own full-text search (FTS5 on SQLite, a tsvector index on PostgreSQL)
        conditions.append(statement_id.in_(store.fulltext_ids(words)))
    if f.speaker:
        conditions.append(speaker_id.in_(actor_ids(session, f.speaker)))
    if f.source:
        conditions.append(ArticleRow.source == f.source)
    if f.year is not None:
        # <= the last day, not < next year's first: year 9999 has no next year
        conditions.append(and_(ArticleRow.published >= date(f.year, 1, 1),
                               ArticleRow.published <= date(f.year, 12, 31)))
    return conditions


def statements_page(store: Store, f: StatementFilter, *, after: str | None = None,
                    size: int = 50) -> Page:
    """Statements matching `f`, by the article's publication date, then in article order.
    A search's pages are cached until the next write (see `Store.cached`): the full-text
    match list is built again for every page (about 90 ms at 100,000 articles for a common
    pair of words), however the page is then read."""
    if f.q:
        return store.cached(("statements_page", repr(f), after, size),
                            lambda: _statements_page(store, f, after=after, size=size))
    return _statements_page(store, f, after=after, size=size)


def _statements_page(store: Store, f: StatementFilter, *, after: str | None = None,
                     size: int = 50) -> Page:
    # Many matches: read articles in listing order and stop after a page, rather than collect
    # every match (a speaker's or a search's tens of thousands) and sort them. SQLite's
    # planner, without statistics, prefers the filter's index and a sort: the filter is then
    # written so that no index serves it (see _statement_conditions), and CROSS JOIN keeps
    # articles (read by the index on their order) as the outer loop. Few matches: the
    # filter's index, and a sort of those few.
    in_order = store.engine.dialect.name == "sqlite" and count_statements(store, f) > ORDER_DRIVEN_ABOVE
    joined = (CrossJoin if in_order else Join)(ArticleRow.__table__, StatementRow.__table__,
                                               ArticleRow.id == StatementRow.article_id)
    query = (select(StatementRow, ArticleRow.title, ArticleRow.source, ArticleRow.published,
                    *_STATEMENT_ORDER)
             .select_from(joined)
             .order_by(*_STATEMENT_ORDER).limit(size + 1))
    with _reading(store) as session:
        conditions = _statement_conditions(store, session, f, unindexed=in_order)
        if conditions is None:
            return Page([], None)
        query = query.where(*conditions)
        if after:
            key = decode_cursor("s", after, "ssi")
            try:
                key[0] = date.fromisoformat(key[0])
            except (TypeError, ValueError) as e:
                raise CursorError("not a cursor of this listing") from e
            query = query.where(_after(_STATEMENT_ORDER, key))
        result = session.execute(query).all()
    rows = [statement_dict(row, title, source, published)
            for row, title, source, published, *_ in result[:size]]
    more = len(result) > size
    return Page(rows, encode_cursor("s", tuple(result[size - 1][4:])) if more else None)


def recent_statements(store: Store, f: StatementFilter, size: int) -> list[dict[str, Any]]:
    """The `size` statements matching `f` stored last (for a feed), with `ingested_at`."""
    query = (select(StatementRow, ArticleRow.title, ArticleRow.source, ArticleRow.published, ArticleRow.ingested_at)
             .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
             .order_by(ArticleRow.ingested_at.desc(), StatementRow.article_id, StatementRow.position)
             .limit(size))
    with _reading(store) as session:
        conditions = _statement_conditions(store, session, f)
        if conditions is None:
            return []
        result = session.execute(query.where(*conditions)).all()
    return [{**statement_dict(row, title, source, published), "ingested_at": utc_iso(at)}
            for row, title, source, published, at in result]


def all_statements(store: Store, f: StatementFilter, batch: int = 500) -> Iterator[dict[str, Any]]:
    return all_rows(statements_page, store, f, batch)


def count_statements(store: Store, f: StatementFilter) -> int:
    """How many statements match `f` (cached until the next write: see `Store.cached`)."""
    return store.cached(cache_key("count_statements", f), lambda: _count_statements(store, f), stale_ok=True)


def _count_statements(store: Store, f: StatementFilter) -> int:
    with _reading(store) as session:
        conditions = _statement_conditions(store, session, f)
        if conditions is None:
            return 0
        return session.scalar(select(func.count()).select_from(StatementRow)
                              .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
                              .where(*conditions))


def statement_facets(store: Store, f: StatementFilter) -> dict[str, list[tuple[str, int]]]:
    """(value, count) of speaker, source and year over the statements matching `f`
    (cached until the next write: see `Store.cached`)."""
    return store.cached(cache_key("statement_facets", f), lambda: _statement_facets(store, f), stale_ok=True)


def _statement_facets(store: Store, f: StatementFilter) -> dict[str, list[tuple[str, int]]]:
    with _reading(store) as session:
        conditions = _statement_conditions(store, session, f)
        if conditions is None:
            return {"speaker": [], "source": [], "year": []}
        facets = {}
        for name, column in (("speaker", StatementRow.speaker), ("source", ArticleRow.source),
                             ("year", _published_year)):
            query = (select(column, func.count())
                     .select_from(StatementRow)
                     .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
                     .where(*conditions, column.is_not(None)).group_by(column))
            facets[name] = _counts(session, query)
    return facets


def statement(store: Store, statement_id: str) -> dict[str, Any] | None:
    with _reading(store) as session:
        found = session.execute(
            select(StatementRow, ArticleRow.title, ArticleRow.source, ArticleRow.published)
            .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
            .where(StatementRow.id == statement_id)).first()
    return statement_dict(*found) if found else None


def meetings_per_year(store: Store) -> tuple[list[tuple[str, str, int]], str]:
    """(year, status, meetings) of the canonical meetings, oldest year first, and the listing
    they are counted from; the meeting reports (not rejected) while nothing is linked yet."""
    from ..store.models import MeetingRow

    with _reading(store) as session:
        for model, listing, conditions in ((MeetingRow, "/meetings/linked", []),
                                           (MeetingReportRow, "/meetings", [not_rejected(MeetingReportRow)])):
            year = func.substr(model.date, 1, 4)
            rows = session.execute(select(year, model.status, func.count())
                                   .where(model.date.is_not(None), *conditions)
                                   .group_by(year, model.status).order_by(year, model.status)).all()
            if rows:
                return [(y, status, n) for y, status, n in rows], listing
    return [], "/meetings/linked"


# --- articles --------------------------------------------------------------------------

def latest_articles(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The newest articles (by publication date, undated last), with their record sizes
    (cached until the next write: see `Store.cached`)."""
    return store.cached(("latest_articles", limit), lambda: _latest_articles(store, limit))


def counts(store: Store) -> dict[str, int]:
    """`Store.counts()`, cached until the next write (four COUNT(*) over whole tables)."""
    return store.cached(("counts",), store.counts, stale_ok=True)


def _latest_articles(store: Store, limit: int) -> list[dict[str, Any]]:
    n_statements = (select(func.count()).where(StatementRow.article_id == ArticleRow.id)
                    .correlate(ArticleRow).scalar_subquery())
    n_meetings = (select(func.count()).where(MeetingReportRow.article_id == ArticleRow.id)
                  .correlate(ArticleRow).scalar_subquery())
    query = (select(ArticleRow.id, ArticleRow.title, ArticleRow.published, ArticleRow.source,
                    n_statements, n_meetings)
             .order_by(ArticleRow.published.is_(None), ArticleRow.published.desc(),
                       ArticleRow.ingested_at.desc(), ArticleRow.id)
             .limit(limit))
    with _reading(store) as session:
        return [{"id": id_, "title": title, "published": published.isoformat() if published else None,
                 "source": source, "statements": ns, "meetings": nm}
                for id_, title, published, source, ns, nm in session.execute(query)]


# --- row dicts (the Store's shapes, plus the article's source and date for statements) ---

def statement_dict(row: StatementRow, title: str | None, source: str | None = None,
                   published: date | None = None) -> dict[str, Any]:
    """The Store's statement dict, plus the article's source and date (for facets and CSV)."""
    return {**statement_row_dict(row, title), "article_source": source,
            "article_published": published.isoformat() if published else None}
