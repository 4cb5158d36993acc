"""The Store: write articles and their records, query meetings and statements.

Every write is one transaction per article, so a failure loses nothing stored before it.
Every query uses bound parameters: article text and search input are untrusted.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import String, and_, delete, exists, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..records import Article, ArticleRecord, Commitment, MeetingReport, Statement
from . import review
from .db import ConflictError, StoreError, default_url, make_engine, upgrade_to_head
from .models import (ActorRow, ArticleRow, CommitmentRow, CommitmentStatusChangeRow,
                     ContradictionRow, FactFlagRow, MeetingParticipantRow, MeetingRedirectRow, MeetingReportLinkRow,
                     MeetingReportRow, MeetingRow, StatementRow)

# Must stay identical to PG_STATEMENT_TSV in migration 0002 (see there).
_PG_STATEMENT_TSV = (
    "to_tsvector('simple'::regconfig, coalesce(quote, '') || ' ' || "
    "coalesce(speaker, '') || ' ' || coalesce(speaker_mention, ''))"
)

# Fallback guess at an actor's kind when the caller gives no `is_organisation`:
# the speakers that are institutions nearly always carry one of these words.
_ORGANISATION_WORDS = frozenset("""
    kremlin house department ministry office council commission agency government embassy
    party parliament congress senate nations organisation organization union alliance nato
    pentagon administration presidency cabinet secretariat bureau committee court
    service army command news tass reuters xinhua
""".split())

_ABBREVIATION_BEFORE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Col|Lt|Sgt|St|Jr|Sr|No|vs|etc)|\b[A-Z])$")
_SENTENCE_END = re.compile(r"([.!?][\"'”’)\]]*)\s|\n")
_SENTENCE_WINDOW = 2000  # characters searched either side of a quote for its sentence


def looks_like_organisation(name: str) -> bool:
    """True for names such as "Kremlin", "White House", "State Department"."""
    return any(word in _ORGANISATION_WORDS for word in re.findall(r"\w+", name.lower()))


class Store:
    """A summitry database: SQLite by default, any SQLAlchemy URL (PostgreSQL is tested).

    Opening a store migrates its database to the newest schema.
    """

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

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    # --- writes --------------------------------------------------------------------

    def add_article(self, article: Article) -> tuple[str, bool]:
        """Store an article unless its text is already stored: (stored id, True if new).

        The same text from any source is one article. A different text under an id already
        in use is refused with a StoreError (JSONL ids are the caller's promise of identity).
        """
        with self._transaction() as session:
            existing = self._article_by_hash(session, article.content_hash)
            if existing is not None:
                return existing.id, False
            if session.get(ArticleRow, article.id) is not None:
                raise ConflictError(f"article id {article.id!r} is already stored with a different text")
            session.add(_article_row(article))
        return article.id, True

    def has_record(self, article_id: str, extractor_version: str) -> bool:
        """True if a record made by `extractor_version` is stored for the article."""
        with self._transaction() as session:
            stored = session.scalar(select(ArticleRow.record_version)
                                    .where(ArticleRow.id == article_id))
        return stored == extractor_version

    def save_record(self, record: ArticleRecord, article: Article, *,
                    is_organisation: Callable[[str], bool] | None = None) -> None:
        """Replace the article's statements and meeting reports with `record`'s, atomically.

        Row ids are deterministic (f"{article_id}:s{n}", f"{article_id}:m{n}", n from 1),
        so saving the same record twice leaves identical rows. The article is stored
        first if it is not yet (by content, as in `add_article`).
        """
        if record.id != article.id:
            raise StoreError(f"record {record.id!r} is not for article {article.id!r}")
        with self._transaction() as session:
            row = self._article_by_hash(session, article.content_hash)
            if row is None:
                row = _article_row(article)
                session.add(row)
                session.flush()
            _clear_record(session, row.id)
            names = [s.speaker for s in record.statements] + [
                name for m in record.meetings for name in m.participants]
            actors = _ensure_actors(session, names, is_organisation or self.is_organisation)
            statements = [_statement_values(row, n, s, actors)
                          for n, s in enumerate(record.statements, start=1)]
            meetings = [_meeting_values(row.id, n, m) for n, m in enumerate(record.meetings, start=1)]
            links = [{"meeting_report_id": values["id"], "actor_id": actor_id}
                     for values, m in zip(meetings, record.meetings, strict=True)
                     for actor_id in sorted({actors[n] for n in m.participants if n in actors})]
            # bulk inserts (executemany): one round trip per table, not one per row
            for model, rows in ((StatementRow, statements), (MeetingReportRow, meetings),
                                (MeetingParticipantRow, links)):
                if rows:
                    session.execute(insert(model), rows)
            _save_commitments(session, row, record)
            row.record_version = record.extractor_version
            # people's verdicts outrank any extractor: corrections survive re-extraction
            review.reapply_reviews(session, row, record.extractor_version,
                                   is_organisation or self.is_organisation)
            # the article's fact flags, from the reports as stored (pure and cheap: see refresh_flags)
            _replace_flags(session, row.id, _check_flags(row, _current_reports(session, row.id)),
                           record.extractor_version)

    # --- queries -------------------------------------------------------------------

    def meetings(self, leader: str | None = None, between: tuple[str, str] | None = None,
                 limit: int | None = None) -> list[dict]:
        """Meeting reports, by date (undated last) then article.

        `leader` and each name of `between` match participants case-insensitively,
        by full name or surname ("putin" finds "Vladimir Putin"). Reports a person
        rejected are left out.
        """
        query = (select(MeetingReportRow, ArticleRow.title)
                 .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
                 .where(not_rejected(MeetingReportRow))
                 .order_by(MeetingReportRow.date.is_(None), MeetingReportRow.date,
                           ArticleRow.published.is_(None), ArticleRow.published,
                           MeetingReportRow.article_id, MeetingReportRow.position))
        with self._transaction() as session:
            for name in ([leader] if leader else []) + list(between or []):
                query = query.where(_has_participant(self._actor_ids(session, name)))
            if limit is not None:
                query = query.limit(limit)
            return [meeting_row_dict(row, title) for row, title in session.execute(query)]

    def statements(self, speaker: str | None = None, search: str | None = None,
                   limit: int | None = None) -> list[dict]:
        """Statements in article order.

        `speaker` matches like `meetings(leader=...)`. `search` is full-text over quote,
        speaker and mention: every word must occur (case-insensitive; accents too on SQLite);
        punctuation and operators are ignored, so any user input is safe and literal.
        Statements a person rejected are left out.
        """
        query = (select(StatementRow, ArticleRow.title)
                 .join(ArticleRow, ArticleRow.id == StatementRow.article_id)
                 .where(not_rejected(StatementRow))
                 .order_by(ArticleRow.published.is_(None), ArticleRow.published,
                           StatementRow.article_id, StatementRow.position))
        with self._transaction() as session:
            if speaker:
                ids = self._actor_ids(session, speaker)
                query = query.where(StatementRow.speaker_actor_id.in_(ids))
            if search:
                words = re.findall(r"[^\W_]+", search)  # letters and digits: all that FTS indexes
                if not words:
                    return []
                query = query.where(StatementRow.id.in_(self.fulltext_ids(words)))
            if limit is not None:
                query = query.limit(limit)
            return [statement_row_dict(row, title) for row, title in session.execute(query)]

    def fulltext_ids(self, words: list[str]):
        """A subquery of matching statement ids; the words reach SQL only as a bound value."""
        if self.engine.dialect.name == "sqlite":
            # each word a quoted FTS5 string: no operator (OR, NEAR, *, -) survives quoting
            match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            sql = ("SELECT k.statement_id FROM statements_fts"
                   " JOIN statements_fts_keys k ON k.fts_rowid = statements_fts.rowid"
                   " WHERE statements_fts MATCH :match")
            return text(sql).bindparams(match=match).columns(statement_id=String)
        if self.engine.dialect.name == "postgresql":
            sql = (f"SELECT id FROM statements WHERE {_PG_STATEMENT_TSV} "
                   "@@ plainto_tsquery('simple'::regconfig, :words)")
            return text(sql).bindparams(words=" ".join(words)).columns(id=String)
        # other backends: every word somewhere in the quote, speaker or mention
        conditions = [
            func.lower(func.coalesce(StatementRow.quote, "") + " " +
                       func.coalesce(StatementRow.speaker, "") + " " +
                       func.coalesce(StatementRow.speaker_mention, ""))
            .contains(w.lower(), autoescape=True) for w in words]
        return select(StatementRow.id).where(and_(*conditions))

    def article(self, article_id: str) -> dict | None:
        """One article with its statements and meetings; a unique id prefix is enough.

        None if nothing matches; StoreError if the prefix matches several articles.
        """
        if not article_id:
            return None
        with self._transaction() as session:
            row = session.get(ArticleRow, article_id)
            if row is None:
                matches = session.scalars(
                    select(ArticleRow).where(ArticleRow.id.startswith(article_id, autoescape=True))
                    .limit(2)).all()
                if len(matches) > 1:
                    raise StoreError(f"article id prefix {article_id!r} matches several articles")
                row = matches[0] if matches else None
            if row is None:
                return None
            statements = session.scalars(select(StatementRow).where(
                StatementRow.article_id == row.id).order_by(StatementRow.position))
            meetings = session.scalars(select(MeetingReportRow).where(
                MeetingReportRow.article_id == row.id).order_by(MeetingReportRow.position))
            return {**_article_dict(row),
                    "statements": [statement_row_dict(s, row.title) for s in statements],
                    "meetings": [meeting_row_dict(m, row.title) for m in meetings]}

    # --- review by people (summitry.store.review) ---------------------------------------

    def review(self, kind: str, record_id: str, action: str, *, by: str, why: str = "",
               changes: dict[str, Any] | None = None) -> dict[str, Any]:
        """Accept, correct or reject a statement or meeting report (`kind` "statement" or
        "meeting_report"); returns the audit entry. The change and its entry are one
        transaction. ReviewError (a ValueError) says what is wrong with the request. After
        a meeting report's review, `link_meetings` brings the canonical meetings up to date
        (a correction's "link" pins the report: see summitry.store.review.LINK); after a
        statement's, the contradictions of its article's meetings are recomputed here.
        """
        act = {"statement": review.review_statement,
               "meeting_report": review.review_meeting_report}.get(kind)
        if act is None:
            raise review.ReviewError(f"unknown kind of record {kind!r}; one of {', '.join(review.KINDS)}")
        with self._transaction() as session:
            _one_writer(session)
            entry = act(session, record_id, action, by=by, why=why, changes=changes,
                        is_organisation=self.is_organisation)
            if kind == "meeting_report":
                article = session.get(ArticleRow, entry["article_id"])
                _replace_flags(session, article.id, _check_flags(article, _current_reports(session, article.id)),
                               article.record_version)
        if kind == "statement":  # the accounts of the article's meetings changed
            self.update_contradictions([], articles=[entry["article_id"]])
        return entry

    def record_audit(self, kind: str, record_id: str) -> dict[str, Any]:
        """A record's review (None if never reviewed) and its audit entries, oldest first."""
        with self._transaction() as session:
            return review.record_audit(session, kind, record_id)

    def audit_log(self, limit: int = 100, before_id: int | None = None) -> list[dict[str, Any]]:
        """The newest audit entries first; `before_id` (an entry id) pages further back."""
        with self._transaction() as session:
            return review.latest_entries(session, limit, before_id)

    # --- canonical meetings (summitry.link) -------------------------------------------

    def link_meetings(self) -> dict[str, Any]:
        """Link the meeting reports of all stored articles into canonical meetings.

        Idempotent (a second run writes nothing) and incremental: meetings keep their ids,
        and merged ones redirect. Then, from the new state of the meetings: the contradictions
        of the meetings this run touched are recomputed (`update_contradictions`), and
        commitments are rated from later articles (`rate_commitments_from_later_evidence`).
        Returns the summary of `summitry.link.LinkSummary` plus `statuses_set`, the number of
        status changes appended.
        """
        from .. import link

        with self._transaction() as session:
            linked = link.link_meetings(session)
        # they are about canonical meetings: stored after linking, for the meetings that changed
        self.update_contradictions(linked.touched, linked.gone)
        return {**linked.as_dict(), "statuses_set": self.rate_commitments_from_later_evidence()}

    def canonical_meetings(self, leader: str | None = None,
                           between: tuple[str, str] | None = None, *,
                           with_reports: bool = False) -> list[dict]:
        """Canonical meetings by date (undated last), with their number of reports and
        articles and the fields their reports disagree on. `leader` and `between` match
        participants as in `meetings`. `with_reports` adds each one's `report_rows` (as
        `canonical_meeting` gives its `reports`), read in the same query."""
        from .. import link

        query = select(MeetingRow).order_by(MeetingRow.date.is_(None), MeetingRow.date, MeetingRow.id)
        with self._transaction() as session:
            for name in ([leader] if leader else []) + list(between or []):
                query = query.where(_meeting_has_participant(self._actor_ids(session, name)))
            rows = session.scalars(query).all()
            linked = _linked_reports(session, [row.id for row in rows])
        listed = []
        for row in rows:
            ordered = _ordered_reports(linked[row.id])
            reports = [report for report, _, _ in ordered]
            listed.append({**_canonical_dict(row), "reports": len(reports),
                           "articles": len({r.article_id for r in reports}),
                           "disputed": sorted(link.disagreements(reports),
                                              key=link.DISPUTABLE.index)})
            if with_reports:
                listed[-1]["report_rows"] = _shown_reports(ordered)
        return listed

    def canonical_meeting(self, meeting_id: str) -> dict | None:
        """One canonical meeting with its reports, the values they agree on and, for each
        field they disagree on, every value with its sources. A merged meeting's old id
        leads to the meeting it was merged into (`redirected_from` says so). None if unknown."""
        from .. import link

        with self._transaction() as session:
            row = session.get(MeetingRow, meeting_id)
            redirected_from = None
            if row is None:
                target = session.scalar(select(MeetingRedirectRow.new_id)
                                        .where(MeetingRedirectRow.old_id == meeting_id))
                row = session.get(MeetingRow, target) if target else None
                redirected_from = meeting_id if row is not None else None
            if row is None:
                return None
            linked = _linked_reports(session, [row.id])[row.id]
            merged_ids = sorted(session.scalars(select(MeetingRedirectRow.old_id)
                                                .where(MeetingRedirectRow.new_id == row.id)))
        ordered = _ordered_reports(linked)
        reports = [report for report, _, _ in ordered]
        shown_reports = _shown_reports(ordered)
        return {**_canonical_dict(row), "redirected_from": redirected_from,
                "merged_ids": merged_ids, "agreed": link.agreed_values(reports) if reports else {},
                "disagreements": link.disagreements(reports), "reports": shown_reports}

    # --- fact flags and contradictions (stored; recomputed by the refresh methods) -------

    def refresh_flags(self, article_id: str | None = None) -> int:
        """Check the article (or every stored article) against the reference record with
        `factcheck.check_article` and store its flags in place of the stored ones, one
        transaction per article. Ids are f"{article_id}:f{n}" in text order, and rows that
        have not changed are left alone, so running it again writes nothing. Returns the
        number of flags now stored for those articles. ValueError for an unknown article."""
        ids = [article_id] if article_id is not None else self.article_ids()
        total = 0
        for aid in ids:
            with self._transaction() as session:
                _one_writer(session)
                row = session.get(ArticleRow, aid)
                if row is None:
                    raise ValueError(f"no stored article with id {aid!r}")
                flags = _check_flags(row, _current_reports(session, aid))
                _replace_flags(session, aid, flags, row.record_version)
                total += len(flags)
        return total

    def fact_flags(self, article_id: str | None = None, kind: str | None = None) -> list[dict]:
        """Stored fact flags, by article (oldest publication first) then text order; each
        with its claim and offsets, reference entry id (`reference_id`, the first of
        `reference_ids`: every entry the flag rests on), explanation and article title."""
        query = (select(FactFlagRow, ArticleRow.title)
                 .join(ArticleRow, ArticleRow.id == FactFlagRow.article_id)
                 .order_by(ArticleRow.published.is_(None), ArticleRow.published,
                           FactFlagRow.article_id, FactFlagRow.position))
        if article_id is not None:
            query = query.where(FactFlagRow.article_id == article_id)
        if kind is not None:
            query = query.where(FactFlagRow.kind == kind)
        with self._transaction() as session:
            return [_flag_dict(row, title) for row, title in session.execute(query)]

    def refresh_contradictions(self) -> int:
        """Recompute every contradiction between accounts (`find_contradictions`) and store
        them in place of the stored ones, in one transaction. Ids come from each one's kind,
        meeting, topic and sides, and unchanged rows are left alone: running it again writes
        nothing. Returns the number stored. (`summitry contradictions --refresh`; `link`
        recomputes only what changed, with `update_contradictions`.)"""
        from ..contradictions import find_contradictions

        return self._store_contradictions([c.to_dict() for c in find_contradictions(self)], None)

    def update_contradictions(self, meeting_ids: list[str], gone: list[str] | tuple[str, ...] = (), *,
                              articles: list[str] | tuple[str, ...] = ()) -> int:
        """Recompute the contradictions of some canonical meetings only, and store the result
        exactly as `refresh_contradictions` would (the same ids, values and positions).

        `meeting_ids` are the meetings whose reports or values changed (the `touched` of a
        link run); `gone` the ids that no longer name a meeting, whose contradictions are
        removed; `articles` articles whose statements changed in place (not by `save_record`):
        their meetings are recomputed. To these are added the meetings whose stored
        contradictions cite an article that no longer reports the meeting, or a statement
        whose words, offsets or speaker changed (an article re-saved without the meeting; a
        re-saved article's reports are linked again, so its meetings are touched anyway).
        Returns the number stored in all."""
        from ..contradictions import find_contradictions

        with self._transaction() as session:
            stale = self._stale_contradiction_meetings(session)
            if articles:
                stale |= set(session.scalars(
                    select(MeetingReportLinkRow.meeting_id)
                    .join(MeetingReportRow, MeetingReportRow.id == MeetingReportLinkRow.meeting_report_id)
                    .where(MeetingReportRow.article_id.in_(list(articles)))))
        recompute = sorted(set(meeting_ids) | stale)
        found = [c.to_dict() for c in find_contradictions(self, meeting_ids=recompute)] if recompute else []
        return self._store_contradictions(found, set(recompute) | set(gone))

    def report_meeting_ids(self) -> dict[str, str]:
        """The canonical meeting of every linked meeting report: {report id: meeting id}."""
        with self._transaction() as session:
            return dict(session.execute(select(MeetingReportLinkRow.meeting_report_id,
                                               MeetingReportLinkRow.meeting_id)).all())

    @staticmethod
    def _stale_contradiction_meetings(session: Session) -> set[str]:
        """Meetings of stored contradictions with a side that no longer holds: its article has
        no report linked to the meeting now, or its statement's words, offsets or speaker
        changed, or a person rejected it."""
        stored = session.execute(select(ContradictionRow.meeting_id, ContradictionRow.sides)).all()
        if not stored:
            return set()
        reporting = {tuple(row) for row in session.execute(  # (meeting id, article id) pairs
            select(MeetingReportLinkRow.meeting_id, MeetingReportRow.article_id)
            .join(MeetingReportRow, MeetingReportRow.id == MeetingReportLinkRow.meeting_report_id))}
        cited = sorted({s["statement_id"] for _, sides in stored for s in sides if s.get("statement_id")})
        said = {}
        for chunk_start in range(0, len(cited), 500):  # bound the size of IN (...)
            query = (select(StatementRow.id, StatementRow.quote, StatementRow.start, StatementRow.end,
                            StatementRow.speaker)
                     .where(StatementRow.id.in_(cited[chunk_start:chunk_start + 500]),
                            not_rejected(StatementRow)))  # a rejected statement no longer holds
            said.update({row.id: (row.quote, row.start, row.end, row.speaker) for row in session.execute(query)})

        def holds(meeting_id: str, side: dict[str, Any]) -> bool:
            if (meeting_id, side.get("article_id")) not in reporting:
                return False
            statement = side.get("statement_id")
            return not statement or said.get(statement) == (side.get("text"), side.get("start"),
                                                            side.get("end"), side.get("speaker"))

        return {meeting_id for meeting_id, sides in stored if not all(holds(meeting_id, s) for s in sides)}

    def _store_contradictions(self, found: list[dict[str, Any]], recomputed: set[str] | None) -> int:
        """Store `found`, the contradictions of the meetings `recomputed` (None: of every
        meeting), with the stored ones of the other meetings, in the order of a full
        recompute: facts by canonical meeting (undated last, then date, id), then statements
        by meeting id; within a meeting, in the order found. Rows of meetings that no longer
        exist are removed; unchanged rows are not written."""
        from itertools import count

        with self._transaction() as session:
            _one_writer(session)
            meetings = session.scalars(select(MeetingRow.id).order_by(
                MeetingRow.date.is_(None), MeetingRow.date, MeetingRow.id)).all()
            rank = {meeting_id: n for n, meeting_id in enumerate(meetings)}
            entries: list[tuple[tuple, str | None, dict[str, Any]]] = []  # (order, id or None, values)
            within: dict[tuple[str, str], count] = {}

            def order(kind: str, meeting_id: str) -> tuple:
                n = next(within.setdefault((kind, meeting_id), count()))
                return (0, rank[meeting_id], n) if kind == "facts" else (1, meeting_id, n)

            if recomputed is not None:  # the other meetings keep theirs, in their stored order
                kept = session.scalars(select(ContradictionRow).order_by(ContradictionRow.position,
                                                                         ContradictionRow.id)).all()
                for row in kept:
                    if row.meeting_id in rank and row.meeting_id not in recomputed:
                        values = dict(kind=row.kind, meeting_id=row.meeting_id, topic=row.topic, rule=row.rule,
                                      explanation=row.explanation, sides=row.sides)
                        entries.append((order(row.kind, row.meeting_id), row.id, values))
            for c in found:
                if c["meeting_id"] not in rank:
                    continue
                values = dict(kind=c["kind"], meeting_id=c["meeting_id"], topic=c["field_or_topic"] or "",
                              rule=c["rule"] or "", explanation=c["explanation"] or "", sides=c["sides"])
                entries.append((order(c["kind"], c["meeting_id"]), None, {**values, "_found": c}))
            wanted: dict[str, dict[str, Any]] = {}
            for n, (_, row_id, values) in enumerate(sorted(entries, key=lambda e: e[0]), start=1):
                if row_id is None:  # a new id from the contents; a duplicate gets -2, -3, ...
                    base = _contradiction_id(values.pop("_found"))
                    row_id, k = base, 2
                    while row_id in wanted:
                        row_id, k = f"{base}-{k}", k + 1
                wanted[row_id] = {**values, "position": n}
            _replace_rows(session, ContradictionRow, select(ContradictionRow), wanted,
                          datetime.now(timezone.utc))
        return len(wanted)

    def contradictions(self, meeting_id: str | None = None) -> list[dict]:
        """Stored contradictions in the order found (facts, then statements). `meeting_id`
        keeps one canonical meeting's (a merged meeting's old id leads to its new one)."""
        query = select(ContradictionRow).order_by(ContradictionRow.position, ContradictionRow.id)
        with self._transaction() as session:
            if meeting_id is not None:
                target = meeting_id
                if session.get(MeetingRow, meeting_id) is None:
                    target = session.scalar(select(MeetingRedirectRow.new_id)
                                            .where(MeetingRedirectRow.old_id == meeting_id)) or meeting_id
                query = query.where(ContradictionRow.meeting_id == target)
            return [_contradiction_dict(row) for row in session.scalars(query)]

    # --- commitments and their status history ------------------------------------------

    def commitments(self, status: str | None = None, actor: str | None = None,
                    limit: int | None = None, *, include_retracted: bool = False) -> list[dict]:
        """Commitments in article order (oldest publication first), each with its current
        status: the last change's, `not_yet_rated` when it has none.

        `status` keeps those whose current status it is (ValueError if unknown); `actor`
        matches the committing actors like `meetings(leader=...)` (full name or surname,
        ignoring case and accents). Commitments that a re-extraction no longer found
        (`retracted_by_version` set) are left out unless `include_retracted`.
        """
        from ..commitments import STATUSES

        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        query = (_commitments_query()
                 .order_by(ArticleRow.published.is_(None), ArticleRow.published,
                           CommitmentRow.article_id, CommitmentRow.position, CommitmentRow.id))
        if not include_retracted:
            query = query.where(CommitmentRow.retracted_by_version.is_(None))
        with self._transaction() as session:
            found = [_commitment_dict(*r) for r in session.execute(query)]
        if status is not None:
            found = [c for c in found if c["status"] == status]
        if actor:
            wanted = _fold(actor)
            found = [c for c in found if any(_fold(name) == wanted or _fold(name).endswith(" " + wanted)
                                             for name in c["actors"])]
        return found[:limit] if limit is not None else found

    def commitment(self, commitment_id: str) -> dict | None:
        """One commitment (retracted ones too) with its current status and its whole
        `history` of status changes, oldest first; None if the id is unknown."""
        with self._transaction() as session:
            found = session.execute(_commitments_query()
                                    .where(CommitmentRow.id == commitment_id)).first()
            if found is None:
                return None
            history = session.scalars(select(CommitmentStatusChangeRow)
                                      .where(CommitmentStatusChangeRow.commitment_id == commitment_id)
                                      .order_by(CommitmentStatusChangeRow.id)).all()
            return {**_commitment_dict(*found), "history": [_change_dict(c) for c in history]}

    def add_status_change(self, commitment_id: str, status: str, evidence: str, rationale: str,
                          source: str | None = None, by: str = "person",
                          at: datetime | None = None) -> dict:
        """Append a status change to a commitment's history and return it (as in `history`).

        The only write there is on the history: changes are never updated or deleted. The
        rules are those of `summitry.commitments.StatusChange` and `CommitmentHistory`: a
        known status, non-empty evidence, rationale and author, and no change earlier than
        the last one. `at` defaults to now (UTC); a naive `at` is taken as UTC. Raises
        ValueError for a refused change or an unknown commitment id.
        """
        from ..commitments import StatusChange

        moment = _as_utc(at or datetime.now(timezone.utc))
        change = StatusChange(status=status, evidence=evidence or "", rationale=rationale or "",
                              source=source or None, at=moment, by=by or "")
        with self._transaction() as session:
            if session.get(CommitmentRow, commitment_id) is None:
                raise ValueError(f"no commitment with id {commitment_id!r}")
            last_change = session.scalars(select(CommitmentStatusChangeRow)
                                          .where(CommitmentStatusChangeRow.commitment_id == commitment_id)
                                          .order_by(CommitmentStatusChangeRow.id.desc()).limit(1)).first()
            last = last_change.at if last_change is not None else None
            if last is not None and change.at < _as_utc(last):
                raise ValueError(f"a change made at {change.at.isoformat()} cannot follow one made "
                                 f"at {_as_utc(last).isoformat()}: the history is in the order ratings were made")
            row = CommitmentStatusChangeRow(
                commitment_id=commitment_id, status=change.status, evidence=change.evidence.strip(),
                rationale=change.rationale.strip(), source=change.source, at=change.at,
                by=change.by.strip())
            session.add(row)
            session.flush()
            # the audit log lists every change to the record, ratings included
            review.log_status_change(session, row, last_change.status if last_change else None,
                                     session.get(CommitmentRow, commitment_id).article_id)
            return _change_dict(row)

    def rate_commitments_from_later_evidence(self, by: str | None = None) -> int:
        """Rate the current commitments from the sentences of articles published after theirs
        and append the status changes that follow (`summitry.commitments.plan_status_changes`
        has the rules: a person's rating is never overridden, evidence already on record is not
        added again, the history follows the order in which the evidence was published).
        Each change goes through `add_status_change`, with the sentence as evidence, its
        citation "ARTICLE:START-END" as source, the rule as rationale, and `by` (default
        "summitry link (rules <extractor version>)"). Returns the number appended; running it
        again appends nothing. Run by `link_meetings`."""
        from .. import EXTRACTOR_VERSION
        from ..commitments import linker_name, plan_status_changes

        with self._transaction() as session:
            tracked = self._tracked_commitments(session)
            if not tracked:
                return 0
            earliest = min((t.published for t in tracked if t.published), default=None)
            articles = self._later_articles(session, earliest) if earliest else []
        planned = plan_status_changes(tracked, articles, by or linker_name(EXTRACTOR_VERSION),
                                      datetime.now(timezone.utc))
        for commitment_id, change in planned:
            self.add_status_change(commitment_id, change.status, change.evidence, change.rationale,
                                   source=change.source, by=change.by, at=change.at)
        return len(planned)

    @staticmethod
    def _tracked_commitments(session: Session) -> list:
        """The current (not retracted) commitments with their article's date and history."""
        from ..commitments import CommitmentHistory, StatusChange, Tracked
        from ..records import Commitment

        rows = session.execute(select(CommitmentRow, ArticleRow.published)
                               .join(ArticleRow, ArticleRow.id == CommitmentRow.article_id)
                               .where(CommitmentRow.retracted_by_version.is_(None))
                               .order_by(CommitmentRow.id)).all()
        changes: dict[str, list] = {}
        for c in session.scalars(select(CommitmentStatusChangeRow).order_by(CommitmentStatusChangeRow.id)):
            changes.setdefault(c.commitment_id, []).append(StatusChange(
                status=c.status, evidence=c.evidence, rationale=c.rationale, source=c.source,
                at=_as_utc(c.at), by=c.by))
        return [Tracked(row.id, Commitment(list(row.actors or []), row.action, row.polarity, row.kind, row.due,
                                           row.cue, row.start, row.end, row.sentence, row.meeting_hint,
                                           row.actor_mention, row.extractor_version),
                        published, CommitmentHistory(tuple(changes.get(row.id, ()))))
                for row, published in rows]

    @staticmethod
    def _later_articles(session: Session, after: date) -> list:
        from ..commitments import LaterArticle

        query = (select(ArticleRow.id, ArticleRow.published, ArticleRow.text)
                 .where(ArticleRow.published > after).order_by(ArticleRow.published, ArticleRow.id))
        return [LaterArticle(aid, published, text) for aid, published, text in session.execute(query)]

    def article_ids(self) -> list[str]:
        """Every stored article's id, oldest publication first (undated last)."""
        with self._transaction() as session:
            rows = session.execute(select(ArticleRow.id, ArticleRow.published)).all()
        return [r.id for r in sorted(rows, key=lambda r: (r.published is None, r.published or date.min, r.id))]

    def counts(self) -> dict[str, int]:
        tables = {"articles": ArticleRow, "statements": StatementRow,
                  "meeting_reports": MeetingReportRow, "actors": ActorRow}
        with self._transaction() as session:
            return {name: session.scalar(select(func.count()).select_from(model))
                    for name, model in tables.items()}

    # --- helpers -------------------------------------------------------------------

    def _transaction(self):
        """A session in one transaction (reads too); database errors come out as StoreError."""
        return _Transaction(self._session)

    @staticmethod
    def _article_by_hash(session: Session, content_hash: str) -> ArticleRow | None:
        return session.scalar(select(ArticleRow).where(ArticleRow.content_hash == content_hash))

    @staticmethod
    def _actor_ids(session: Session, query: str) -> list[int]:
        """Actors whose name is `query` or ends with it as whole words, ignoring case and accents.

        Matched in Python, not SQL: SQLite's lower() folds ASCII only, and the actor table
        is small next to the statements.
        """
        wanted = _fold(query)
        return [actor_id for actor_id, name in session.execute(select(ActorRow.id, ActorRow.name))
                if _fold(name) == wanted or _fold(name).endswith(" " + wanted)]


class _Transaction:
    """`with store._transaction() as session:` commits at the end or rolls back on error.

    A session made by the sessionmaker, not `sessionmaker.begin()`, so that database
    errors, including those at commit, can be turned into one-line StoreErrors.
    """

    def __init__(self, factory: sessionmaker):
        self._session = factory()

    def __enter__(self) -> Session:
        self._session.begin()
        return self._session

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                try:
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


def _clear_record(session: Session, article_id: str) -> None:
    meeting_ids = select(MeetingReportRow.id).where(MeetingReportRow.article_id == article_id)
    # the replaced reports are unlinked; the next `link` links the new ones (the canonical
    # meetings keep their ids, and one left without reports is removed then)
    session.execute(delete(MeetingReportLinkRow)
                    .where(MeetingReportLinkRow.meeting_report_id.in_(meeting_ids)))
    session.execute(delete(MeetingParticipantRow)
                    .where(MeetingParticipantRow.meeting_report_id.in_(meeting_ids)))
    session.execute(delete(MeetingReportRow).where(MeetingReportRow.article_id == article_id))
    session.execute(delete(StatementRow).where(StatementRow.article_id == article_id))


def _save_commitments(session: Session, article: ArticleRow, record: ArticleRecord) -> None:
    """Store the record's commitments for the article, keeping every status history.

    The rule, so that re-extraction never loses a rating:
    - A new commitment is the same as a stored one of the article when their action text is
      the same (the stored row with the id f"{article}:c{n}" of its own position first, then
      the earliest): it keeps that row's id and history, and the row takes the new values.
    - A stored commitment that no new one matches is not deleted: it is kept, marked
      `retracted_by_version` (the new record's extractor version), with its history.
    - A new commitment that matches none gets the id f"{article}:c{n}" (n its position from
      1) if that id is free, else f"{article}:c{n}-{k}" with the smallest free k from 2
      (the id is held by a retracted commitment).
    Saving the same record again therefore changes nothing.
    """
    stored = session.scalars(select(CommitmentRow).where(CommitmentRow.article_id == article.id)
                             .order_by(CommitmentRow.position, CommitmentRow.id)).all()
    unmatched = list(stored)
    matches: list[CommitmentRow | None] = []
    for n, commitment in enumerate(record.commitments, start=1):
        same = [row for row in unmatched if row.action == commitment.action]
        own = [row for row in same if row.id == f"{article.id}:c{n}"]
        match = (own or same or [None])[0]
        if match is not None:
            unmatched.remove(match)
        matches.append(match)
    for row in unmatched:
        if row.retracted_by_version is None:
            row.retracted_by_version = record.extractor_version
    taken = {row.id for row in stored}
    for n, (commitment, match) in enumerate(zip(record.commitments, matches, strict=True), start=1):
        values = _commitment_values(article, n, commitment)
        if match is not None:
            for key, value in values.items():
                setattr(match, key, value)
            match.retracted_by_version = None
            continue
        new_id, k = f"{article.id}:c{n}", 2
        while new_id in taken:
            new_id, k = f"{article.id}:c{n}-{k}", k + 1
        taken.add(new_id)
        session.add(CommitmentRow(id=new_id, **values))
    session.flush()


def _one_writer(session: Session) -> None:
    """Refreshes running at once wait for each other (the lock of `summitry link`)."""
    from ..link import _one_run_at_a_time

    _one_run_at_a_time(session)


def _report_of_row(row: MeetingReportRow) -> MeetingReport:
    import dataclasses

    values = meeting_row_dict(row, None)
    return MeetingReport(**{f.name: values[f.name] for f in dataclasses.fields(MeetingReport)
                            if f.name in values})


def _current_reports(session: Session, article_id: str) -> list[MeetingReport]:
    """The article's stored meeting reports that no person rejected, in text order."""
    rows = session.scalars(select(MeetingReportRow).where(
        MeetingReportRow.article_id == article_id, not_rejected(MeetingReportRow))
        .order_by(MeetingReportRow.position)).all()
    return [_report_of_row(r) for r in rows]


def not_rejected(model):
    """The condition that keeps the rows of `model` (statements, meeting reports) that no
    person rejected: listings, linking and checks leave rejected records out."""
    return func.coalesce(model.review_status, "") != "rejected"


def _check_flags(article: ArticleRow, reports: list[MeetingReport]) -> list:
    """The article's fact flags against the packaged reference record (both loads are cached)."""
    from ..actors import Registry
    from ..factcheck import check_article
    from ..reference import ReferenceRecord

    return check_article(article.id, article.text, reports, ReferenceRecord.load(),
                         article.published, Registry.load())


def _replace_flags(session: Session, article_id: str, flags: list, extractor_version: str | None) -> None:
    wanted = {f"{article_id}:f{n}": dict(
        article_id=article_id, position=n, kind=f.kind, claim=f.claim, start=f.start, end=f.end,
        reference_id=f.reference_id, reference_ids=_all_reference_ids(f.reference_id, f.reference_ids),
        explanation=f.explanation, extractor_version=extractor_version)
        for n, f in enumerate(flags, start=1)}
    _replace_rows(session, FactFlagRow, select(FactFlagRow).where(FactFlagRow.article_id == article_id),
                  wanted, datetime.now(timezone.utc))


def _replace_rows(session: Session, model, stored_query, wanted: dict[str, dict[str, Any]],
                  now: datetime) -> None:
    """Make the rows of `stored_query` exactly `wanted` (values by id): delete the others,
    update the changed ones, insert the new ones with `created_at` now; unchanged rows
    are not written."""
    stored = {row.id: row for row in session.scalars(stored_query)}
    gone = [i for i in stored if i not in wanted]
    if gone:
        session.execute(delete(model).where(model.id.in_(gone)))
    new = []
    for row_id, values in wanted.items():
        row = stored.get(row_id)
        if row is None:
            new.append({"id": row_id, **values, "created_at": now})
            continue
        for key, value in values.items():
            if getattr(row, key) != value:
                setattr(row, key, value)
    if new:
        session.execute(insert(model), new)
    session.flush()


def _contradiction_id(c: dict[str, Any]) -> str:
    import hashlib

    sides = sorted(str(s.get("statement_id") or s.get("report_id") or
                       f"{s.get('article_id')}@{s.get('start')}:{s.get('end')}") for s in c["sides"])
    key = "\x1f".join([c["kind"], c["meeting_id"], c["field_or_topic"] or "", *sides])
    return "x-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def _all_reference_ids(reference_id: str | None, reference_ids) -> list[str]:
    """Every reference entry of a flag, `reference_id` first. A FactFlag lists `reference_ids`
    only when there are several, and rows stored before 0007 have NULL: both give [reference_id]."""
    return list(reference_ids or ()) or ([reference_id] if reference_id else [])


def _flag_dict(row: FactFlagRow, title: str | None) -> dict[str, Any]:
    return {"id": row.id, "article_id": row.article_id, "kind": row.kind, "claim": row.claim,
            "start": row.start, "end": row.end, "reference_id": row.reference_id,
            "reference_ids": _all_reference_ids(row.reference_id, row.reference_ids),
            "explanation": row.explanation, "article_title": title,
            "extractor_version": row.extractor_version, "created_at": _utc_iso(row.created_at)}


def _contradiction_dict(row: ContradictionRow) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "meeting_id": row.meeting_id,
            "field_or_topic": row.topic, "sides": list(row.sides or []), "rule": row.rule,
            "explanation": row.explanation, "created_at": _utc_iso(row.created_at)}


def _commitment_values(article: ArticleRow, n: int, c: Commitment) -> dict[str, Any]:
    return dict(
        article_id=article.id, position=n, actors=list(c.actors), action=c.action,
        polarity=c.polarity, kind=c.kind, due=c.due, cue=c.cue, start=c.start, end=c.end,
        sentence=c.sentence or surrounding_sentence(article.text, c.start, c.end),
        meeting_hint=c.meeting_hint, actor_mention=c.actor_mention,
        extractor_version=c.extractor_version,
    )


def _commitments_query():
    """(commitment, article title, article published, last change) rows: the last change by
    insertion order, which is also time order (see `Store.add_status_change`)."""
    last = (select(CommitmentStatusChangeRow.commitment_id,
                   func.max(CommitmentStatusChangeRow.id).label("last_id"),
                   func.count(CommitmentStatusChangeRow.id).label("changes"))
            .group_by(CommitmentStatusChangeRow.commitment_id).subquery())
    return (select(CommitmentRow, ArticleRow.title, ArticleRow.published, CommitmentStatusChangeRow,
                   last.c.changes)
            .join(ArticleRow, ArticleRow.id == CommitmentRow.article_id)
            .outerjoin(last, last.c.commitment_id == CommitmentRow.id)
            .outerjoin(CommitmentStatusChangeRow, CommitmentStatusChangeRow.id == last.c.last_id))


def _commitment_dict(row: CommitmentRow, title: str | None, published: date | None,
                     last: CommitmentStatusChangeRow | None, changes: int | None) -> dict[str, Any]:
    from ..commitments import NOT_YET_RATED

    return {
        "id": row.id, "article_id": row.article_id, "article_title": title,
        "published": published.isoformat() if published else None,
        "actors": list(row.actors or []), "action": row.action, "polarity": row.polarity,
        "kind": row.kind, "due": row.due, "cue": row.cue, "start": row.start, "end": row.end,
        "sentence": row.sentence, "meeting_hint": row.meeting_hint,
        "actor_mention": row.actor_mention, "extractor_version": row.extractor_version,
        "retracted_by_version": row.retracted_by_version,
        "status": last.status if last is not None else NOT_YET_RATED,
        "status_at": _utc_iso(last.at) if last is not None else None,
        "changes": changes or 0,
    }


def _change_dict(row: CommitmentStatusChangeRow) -> dict[str, Any]:
    return {"id": row.id, "commitment_id": row.commitment_id, "status": row.status,
            "evidence": row.evidence, "rationale": row.rationale, "source": row.source,
            "at": _utc_iso(row.at), "by": row.by}


def _as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (a naive one, as SQLite gives back, is taken as UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def _ensure_actors(session: Session, names: list[str | None],
                   is_organisation: Callable[[str], bool]) -> dict[str, int]:
    """Actor ids by exact name, creating the missing actors (kind from `is_organisation`)."""
    wanted = sorted({n for n in names if n and n.strip()})
    if not wanted:
        return {}
    existing = dict(session.execute(
        select(ActorRow.name, ActorRow.id).where(ActorRow.name.in_(wanted))).all())
    missing = [n for n in wanted if n not in existing]
    if missing:
        session.execute(insert(ActorRow), [
            {"name": n, "kind": "organisation" if is_organisation(n) else "person"}
            for n in missing])
        existing.update(session.execute(
            select(ActorRow.name, ActorRow.id).where(ActorRow.name.in_(missing))).all())
    return existing


# --- rows <-> records and dicts -------------------------------------------------------

def _article_row(article: Article) -> ArticleRow:
    return ArticleRow(
        id=article.id, content_hash=article.content_hash, title=article.title,
        published=article.published, source=article.source, url=article.url,
        origin=article.origin, text=article.text, ingested_at=datetime.now(timezone.utc),
    )


def _statement_values(article: ArticleRow, n: int, s: Statement,
                      actors: dict[str, int]) -> dict[str, Any]:
    return dict(
        id=f"{article.id}:s{n}", article_id=article.id, position=n,
        speaker=s.speaker, speaker_actor_id=actors.get(s.speaker) if s.speaker else None,
        speaker_mention=s.speaker_mention, quote=s.quote, kind=s.kind, cue=s.cue,
        start=s.start, end=s.end, parts=[list(p) for p in s.parts] if s.parts else None,
        mention_start=s.mention_start, mention_end=s.mention_end,
        sentence=s.sentence or surrounding_sentence(article.text, s.start, s.end),
        extractor_version=s.extractor_version,
    )


def _meeting_values(article_id: str, n: int, m: MeetingReport) -> dict[str, Any]:
    return dict(
        id=f"{article_id}:m{n}", article_id=article_id, position=n,
        participants=list(m.participants), date=m.date, place=m.place, occasion=m.occasion,
        status=m.status, format=m.format, scheduled_minutes=m.scheduled_minutes,
        actual_minutes=m.actual_minutes, others_present=list(m.others_present or []),
        evidence=m.evidence, evidence_start=m.evidence_start, evidence_end=m.evidence_end,
        extractor_version=m.extractor_version,
    )


def surrounding_sentence(text: str, start: int, end: int) -> str | None:
    """The sentence around text[start:end], cut at . ! ? (not after Mr., initials) or newlines.

    A plain punctuation cut, good enough for provenance; the extractor's own sentence,
    when it gives one, is preferred.
    """
    if not (0 <= start <= end <= len(text)):
        return None
    begin = max(0, start - _SENTENCE_WINDOW)
    for match in reversed(list(_SENTENCE_END.finditer(text, begin, start))):
        if not _is_abbreviation(text, match):
            begin = match.end()
            break
    stop = min(len(text), end + _SENTENCE_WINDOW)
    for match in _SENTENCE_END.finditer(text, end, stop):
        if not _is_abbreviation(text, match):
            stop = match.end(1) if match.group(1) else match.start()
            break
    return text[begin:stop].strip() or None


def _is_abbreviation(text: str, match: re.Match) -> bool:
    return match.group(0).startswith(".") and bool(
        _ABBREVIATION_BEFORE.search(text, max(0, match.start() - 5), match.start()))


def _meeting_has_participant(actor_ids: list[int]):
    """A canonical meeting with one of the actors: through its reports' participants, which
    all name the same leaders."""
    return exists().where(MeetingReportLinkRow.meeting_id == MeetingRow.id,
                          MeetingParticipantRow.meeting_report_id == MeetingReportLinkRow.meeting_report_id,
                          MeetingParticipantRow.actor_id.in_(actor_ids))


def _ordered_reports(linked: list[tuple]) -> list[tuple]:
    """(the linker's view, the stored row, its article's title) of `_linked_reports` rows,
    in the canonical order."""
    from .. import link

    return sorted(((link.report_of(*found), found[0], found[2]) for found in linked),
                  key=lambda item: item[0].sort_key())


def _shown_reports(ordered: list[tuple]) -> list[dict[str, Any]]:
    return [meeting_row_dict(report_row, title) | {"published": report.source()["published"]}
            for report, report_row, title in ordered]


def _linked_reports(session: Session, meeting_ids: list[str]) -> dict[str, list[tuple]]:
    """(report row, article published, article title) of each meeting's reports, by meeting id."""
    grouped: dict[str, list[tuple]] = {meeting_id: [] for meeting_id in meeting_ids}
    for chunk_start in range(0, len(meeting_ids), 500):  # bound the size of IN (...)
        chunk = meeting_ids[chunk_start:chunk_start + 500]
        query = (select(MeetingReportLinkRow.meeting_id, MeetingReportRow, ArticleRow.published,
                        ArticleRow.title)
                 .join(MeetingReportRow, MeetingReportRow.id == MeetingReportLinkRow.meeting_report_id)
                 .join(ArticleRow, ArticleRow.id == MeetingReportRow.article_id)
                 .where(MeetingReportLinkRow.meeting_id.in_(chunk)))
        for meeting_id, row, published, title in session.execute(query):
            grouped[meeting_id].append((row, published, title))
    return grouped


def _canonical_dict(row: MeetingRow) -> dict[str, Any]:
    return {
        "id": row.id, "participants": list(row.participants or []), "date": row.date,
        "place": row.place, "occasion": row.occasion, "status": row.status, "format": row.format,
        "scheduled_minutes": row.scheduled_minutes, "actual_minutes": row.actual_minutes,
        "created_at": _utc_iso(row.created_at), "updated_at": _utc_iso(row.updated_at),
    }


def _utc_iso(moment: datetime | None) -> str | None:
    """ISO time in UTC on every backend (SQLite gives it back without its zone)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()


def _has_participant(actor_ids: list[int]):
    return exists().where(MeetingParticipantRow.meeting_report_id == MeetingReportRow.id,
                          MeetingParticipantRow.actor_id.in_(actor_ids))


def _fold(name: str) -> str:
    """Case- and accent-insensitive form of a name, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _article_dict(row: ArticleRow) -> dict[str, Any]:
    return {
        "id": row.id, "title": row.title,
        "published": row.published.isoformat() if row.published else None,
        "source": row.source, "url": row.url, "origin": row.origin,
        "content_hash": row.content_hash, "text": row.text,
        "ingested_at": row.ingested_at.isoformat() if row.ingested_at else None,
        "record_version": row.record_version,
    }


def statement_row_dict(row: StatementRow, title: str | None) -> dict[str, Any]:
    return {
        "id": row.id, "article_id": row.article_id, "article_title": title,
        "speaker": row.speaker, "speaker_mention": row.speaker_mention, "quote": row.quote,
        "kind": row.kind, "cue": row.cue, "start": row.start, "end": row.end,
        "parts": row.parts, "mention_start": row.mention_start, "mention_end": row.mention_end,
        "sentence": row.sentence, "extractor_version": row.extractor_version,
        "review_status": row.review_status,
    }


def meeting_row_dict(row: MeetingReportRow, title: str | None) -> dict[str, Any]:
    return {
        "id": row.id, "article_id": row.article_id, "article_title": title,
        "participants": list(row.participants or []), "date": row.date, "place": row.place,
        "occasion": row.occasion, "status": row.status, "format": row.format,
        "scheduled_minutes": row.scheduled_minutes, "actual_minutes": row.actual_minutes,
        "others_present": list(row.others_present or []), "evidence": row.evidence,
        "evidence_start": row.evidence_start, "evidence_end": row.evidence_end,
        "extractor_version": row.extractor_version, "review_status": row.review_status,
    }


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: nothing secret can be shown by naming the scheme
        return url.split("://", 1)[0] + "://..."
