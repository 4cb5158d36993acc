"""Stored findings: the fact flags of each article and the contradictions between accounts
of a canonical meeting. The store keeps them; `summitry.link` makes them and
`summitry.pipeline` decides when (a part of `Store`).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timezone
from itertools import count
from typing import Any, Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ..records import MeetingReport
from .db import one_writer
from .models import (ArticleRow, ContradictionRow, FactFlagRow, FindingVerdictRow, MeetingRedirectRow,
                     MeetingReportLinkRow, MeetingReportRow, MeetingRow, PendingContradictionRow, StatementRow)
from .rows import all_reference_ids, contradiction_dict, current_reports, flag_dict, not_rejected


class Flag(Protocol):
    """What the store keeps of a fact flag (`summitry.link.factcheck.FactFlag`)."""

    kind: str
    claim: str
    start: int
    end: int
    reference_id: str | None
    reference_ids: Any
    explanation: str
    confidence: float
    state: str  # finding | candidate | notice
    key: str  # what it is, independent of its row: a person's verdict is kept by it


# What listings show by default: findings, and what people confirmed (not the candidates waiting
# for a person, nor the notices where the reference record could not check a claim).
SHOWN = ("finding", "confirmed")
VERDICTS = ("confirmed", "dismissed")


# (article id, text, published, its current meeting reports) -> the article's fact flags
FlagCheck = Callable[[str, str, date | None, list[MeetingReport]], list[Flag]]


class FindingTables:
    """Fact flags and contradictions (a part of `Store`)."""

    def recheck_flags(self, article_id: str, check: FlagCheck) -> int:
        """Store the flags `check` makes of the article's current reports in place of the
        stored ones, in one transaction; unchanged rows are left alone. Returns their number.
        ValueError for an unknown article."""
        with self._transaction(write=True) as session:
            one_writer(session)
            row = session.get(ArticleRow, article_id)
            if row is None:
                raise ValueError(f"no stored article with id {article_id!r}")
            flags = check(row.id, row.text, row.published, current_reports(session, article_id))
            replace_flags(session, article_id, flags, row.record_version)
        return len(flags)

    def fact_flags(self, article_id: str | None = None, kind: str | None = None,
                   states: tuple[str, ...] | None = SHOWN) -> list[dict]:
        """Stored fact flags, by article (oldest publication first) then text order; each
        with its claim and offsets, reference entry id (`reference_id`, the first of
        `reference_ids`: every entry the flag rests on), explanation, article title,
        confidence and state. `states` keeps those in these states (None: all); by default
        the flags shown as findings."""
        query = (select(FactFlagRow, ArticleRow.title)
                 .join(ArticleRow, ArticleRow.id == FactFlagRow.article_id)
                 .order_by(ArticleRow.published.is_(None), ArticleRow.published,
                           FactFlagRow.article_id, FactFlagRow.position))
        if article_id is not None:
            query = query.where(FactFlagRow.article_id == article_id)
        if kind is not None:
            query = query.where(FactFlagRow.kind == kind)
        with self._transaction() as session:
            found = [flag_dict(row, title) for row, title in session.execute(query)]
        return found if states is None else [f for f in found if f["state"] in states]

    def stale_contradiction_meetings(self) -> set[str]:
        """Meetings of stored contradictions with a side that no longer holds: its article has
        no report linked to the meeting now, or its statement's words, offsets or speaker
        changed, or a person rejected it."""
        with self._transaction() as session:
            return _stale_meetings(session)


    def meetings_reported_by(self, article_ids: list[str] | tuple[str, ...]) -> set[str]:
        """The canonical meetings the articles' reports are linked to."""
        with self._transaction() as session:
            return set(session.scalars(
                select(MeetingReportLinkRow.meeting_id)
                .join(MeetingReportRow, MeetingReportRow.id == MeetingReportLinkRow.meeting_report_id)
                .where(MeetingReportRow.article_id.in_(list(article_ids)))))

    def save_contradictions(self, found: list[dict[str, Any]], recomputed: set[str] | None) -> int:
        """Store `found`, the contradictions of the meetings `recomputed` (None: of every
        meeting), with the stored ones of the other meetings, in the order of a full
        recompute: facts by canonical meeting (undated last, then date, id), then statements
        by meeting id; within a meeting, in the order found. Rows of meetings that no longer
        exist are removed; unchanged rows are not written."""
        with self._transaction(write=True) as session:
            one_writer(session)
            # the meetings recomputed here are no longer pending (noted by link_reports)
            if recomputed is None:
                session.execute(delete(PendingContradictionRow))
            ids = sorted(recomputed or ())
            for i in range(0, len(ids), 500):  # bounded IN lists (SQLite's variable limit)
                session.execute(delete(PendingContradictionRow).where(
                    PendingContradictionRow.meeting_id.in_(ids[i:i + 500])))
            meetings = session.scalars(select(MeetingRow.id).order_by(
                MeetingRow.date.is_(None), MeetingRow.date, MeetingRow.id)).all()
            rank = {meeting_id: n for n, meeting_id in enumerate(meetings)}
            entries: list[tuple[tuple, str | None, dict[str, Any]]] = []  # (order, id or None, values)
            within: dict[tuple[str, str], count] = {}

            def order(kind: str, meeting_id: str) -> tuple:
                n = next(within.setdefault((kind, meeting_id), count()))
                return (0, rank[meeting_id], n) if kind == "facts" else (1, meeting_id, n)

            verdicts = _verdicts(session, "contradiction")
            if recomputed is not None:  # the other meetings keep theirs, in their stored order
                kept = session.scalars(select(ContradictionRow).order_by(ContradictionRow.position,
                                                                         ContradictionRow.id)).all()
                for row in kept:
                    if row.meeting_id in rank and row.meeting_id not in recomputed:
                        values = dict(kind=row.kind, meeting_id=row.meeting_id, topic=row.topic, rule=row.rule,
                                      explanation=row.explanation, sides=row.sides,
                                      confidence=row.confidence, state=row.state)
                        entries.append((order(row.kind, row.meeting_id), row.id, values))
            for c in found:
                if c["meeting_id"] not in rank:
                    continue
                values = dict(kind=c["kind"], meeting_id=c["meeting_id"], topic=c["field_or_topic"] or "",
                              rule=c["rule"] or "", explanation=c["explanation"] or "", sides=c["sides"],
                              confidence=c.get("confidence"),
                              state=verdicts.get(contradiction_key(c), c.get("state") or "finding"))
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

    def contradictions(self, meeting_id: str | None = None,
                       states: tuple[str, ...] | None = SHOWN) -> list[dict]:
        """Stored contradictions in the order found (facts, then statements). `meeting_id`
        keeps one canonical meeting's (a merged meeting's old id leads to its new one);
        `states` those in these states (None: all; by default the findings shown)."""
        query = select(ContradictionRow).order_by(ContradictionRow.position, ContradictionRow.id)
        with self._transaction() as session:
            if meeting_id is not None:
                target = meeting_id
                if session.get(MeetingRow, meeting_id) is None:
                    target = session.scalar(select(MeetingRedirectRow.new_id)
                                            .where(MeetingRedirectRow.old_id == meeting_id)) or meeting_id
                query = query.where(ContradictionRow.meeting_id == target)
            found = [contradiction_dict(row) for row in session.scalars(query)]
        return found if states is None else [c for c in found if c["state"] in states]


def _stale_meetings(session: Session) -> set[str]:
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


def replace_flags(session: Session, article_id: str, flags: list, extractor_version: str | None) -> None:
    """Make the article's stored flags `flags`; a person's standing verdict on a flag (by its
    key) decides its state, whatever the rules say."""
    verdicts = _verdicts(session, "fact_flag", prefix=f"{article_id}|")
    wanted = {f"{article_id}:f{n}": dict(
        article_id=article_id, position=n, kind=f.kind, claim=f.claim, start=f.start, end=f.end,
        reference_id=f.reference_id, reference_ids=all_reference_ids(f.reference_id, f.reference_ids),
        explanation=f.explanation, extractor_version=extractor_version, confidence=f.confidence,
        state=verdicts.get(f.key, f.state))
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
    sides = sorted(str(s.get("statement_id") or s.get("report_id") or
                       f"{s.get('article_id')}@{s.get('start')}:{s.get('end')}") for s in c["sides"])
    key = "\x1f".join([c["kind"], c["meeting_id"], c["field_or_topic"] or "", *sides])
    return "x-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]



def contradiction_key(c: dict[str, Any]) -> str:
    """What a contradiction is, independent of its row and of the ids of its records: its kind,
    the places of its sides in their articles, and for facts the field (a statement
    contradiction's topic is the rules' wording of the proposition, which a new version of the
    rules may word differently: a person's verdict must outlive that)."""
    sides = sorted(f"{s.get('article_id')}@{s.get('start')}:{s.get('end')}" for s in c["sides"])
    topic = (c.get("field_or_topic") or c.get("topic") or "") if c["kind"] == "facts" else ""
    return "|".join([c["kind"], topic, *sides])


def _verdicts(session: Session, kind: str, prefix: str = "") -> dict[str, str]:
    """People's standing verdicts on findings of `kind` (whose key starts with `prefix`)."""
    query = select(FindingVerdictRow.key, FindingVerdictRow.verdict).where(FindingVerdictRow.kind == kind)
    if prefix:
        query = query.where(FindingVerdictRow.key.startswith(prefix, autoescape=True))
    return dict(session.execute(query).all())
