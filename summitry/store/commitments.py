"""Stored commitments and their append-only status history (a part of `Store`).

A commitment's rating is never overwritten: every status change is a new row, and the
current status is the last one's. The rules of a valid change are
`summitry.link.commitments.StatusChange`'s.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..link.commitments import CommitmentHistory, LaterArticle, StatusChange, Tracked
from ..records import COMMITMENT_STATUSES, Commitment
from . import review
from .articles import matching_names
from .models import ArticleRow, CommitmentRow, CommitmentStatusChangeRow, RatingCandidateRow
from .rows import as_utc, change_dict, commitment_dict, rating_candidate_dict, rating_candidate_id


class CommitmentTables:
    """Commitments and their status histories (a part of `Store`)."""

    def commitments(self, status: str | None = None, actor: str | None = None,
                    limit: int | None = None, *, include_retracted: bool = False) -> list[dict]:
        """Commitments in article order (oldest publication first), each with its current
        status: the last change's, `not_yet_rated` when it has none.

        `status` keeps those whose current status it is (ValueError if unknown); `actor`
        matches the committing actors like `meetings(leader=...)` (any part of a name or
        alias, ignoring case and accents). Commitments that a re-extraction no longer found
        (`retracted_by_version` set) are left out unless `include_retracted`.
        """
        if status is not None and status not in COMMITMENT_STATUSES:
            raise ValueError(f"unknown status {status!r}; one of {', '.join(COMMITMENT_STATUSES)}")
        query = (_commitments_query()
                 .order_by(ArticleRow.published.is_(None), ArticleRow.published,
                           CommitmentRow.article_id, CommitmentRow.position, CommitmentRow.id))
        if not include_retracted:
            query = query.where(CommitmentRow.retracted_by_version.is_(None))
        with self._transaction() as session:
            found = [commitment_dict(*r) for r in session.execute(query)]
        if status is not None:
            found = [c for c in found if c["status"] == status]
        if actor:
            names = sorted({name for c in found for name in c["actors"]})
            wanted = set(matching_names(actor, ((name, name, None) for name in names)))
            found = [c for c in found if wanted.intersection(c["actors"])]
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
            return {**commitment_dict(*found), "history": [change_dict(c) for c in history]}

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
        moment = as_utc(at or datetime.now(timezone.utc))
        change = StatusChange(status=status, evidence=evidence or "", rationale=rationale or "",
                              source=source or None, at=moment, by=by or "")
        with self._transaction(write=True) as session:
            return append_change(session, commitment_id, change)

    def add_rating_candidate(self, commitment_id: str, change: StatusChange, confidence: float) -> bool:
        """Keep a status change the rules propose but are not sure of, for a person to confirm or
        dismiss. Its id comes from the commitment, status and source: a change proposed before
        (whatever became of it) is not added again. Returns whether it was new."""
        candidate_id = rating_candidate_id(commitment_id, change.status, change.source)
        with self._transaction(write=True) as session:
            if session.get(RatingCandidateRow, candidate_id) is not None:
                return False
            session.add(RatingCandidateRow(
                id=candidate_id, commitment_id=commitment_id, status=change.status,
                evidence=change.evidence.strip(), rationale=change.rationale.strip(), source=change.source,
                evidence_at=as_utc(change.at), confidence=confidence, state="candidate",
                created_at=datetime.now(timezone.utc)))
        return True

    def rating_candidates(self, states: tuple[str, ...] | None = ("candidate",)) -> list[dict]:
        """Proposed ratings (by default those waiting for a person), newest evidence first,
        each with its commitment's actors and action."""
        query = (select(RatingCandidateRow, CommitmentRow.actors, CommitmentRow.action, CommitmentRow.article_id)
                 .join(CommitmentRow, CommitmentRow.id == RatingCandidateRow.commitment_id)
                 .order_by(RatingCandidateRow.evidence_at.desc(), RatingCandidateRow.id))
        if states is not None:
            query = query.where(RatingCandidateRow.state.in_(states))
        with self._transaction() as session:
            return [rating_candidate_dict(row, actors, action, article_id)
                    for row, actors, action, article_id in session.execute(query)]

    def tracked_commitments(self) -> list[Tracked]:
        """The current (not retracted) commitments with their article's date and history."""
        with self._transaction() as session:
            return _tracked(session)

    def later_articles(self, after: date) -> list[LaterArticle]:
        """The articles published after `after` (where later evidence is looked for)."""
        with self._transaction() as session:
            return _later(session, after)


def _tracked(session: Session) -> list[Tracked]:
    rows = session.execute(select(CommitmentRow, ArticleRow.published)
                           .join(ArticleRow, ArticleRow.id == CommitmentRow.article_id)
                           .where(CommitmentRow.retracted_by_version.is_(None))
                           .order_by(CommitmentRow.id)).all()
    changes: dict[str, list] = {}
    for c in session.scalars(select(CommitmentStatusChangeRow).order_by(CommitmentStatusChangeRow.id)):
        changes.setdefault(c.commitment_id, []).append(StatusChange(
            status=c.status, evidence=c.evidence, rationale=c.rationale, source=c.source,
            at=as_utc(c.at), by=c.by))
    return [Tracked(row.id, Commitment(list(row.actors or []), row.action, row.polarity, row.kind, row.due,
                                       row.cue, row.start, row.end, row.sentence, row.meeting_hint,
                                       row.actor_mention, row.extractor_version, row.confidence),
                    published, CommitmentHistory(tuple(changes.get(row.id, ()))))
            for row, published in rows]


def _later(session: Session, after: date) -> list[LaterArticle]:
    query = (select(ArticleRow.id, ArticleRow.published, ArticleRow.text)
             .where(ArticleRow.published > after).order_by(ArticleRow.published, ArticleRow.id))
    return [LaterArticle(aid, published, text) for aid, published, text in session.execute(query)]


def _commitments_query():
    """(commitment, article title, article published, last change) rows: the last change by
    insertion order, which is also time order (see `Store.add_status_change`)."""
    last = (select(CommitmentStatusChangeRow.commitment_id,
                   func.max(CommitmentStatusChangeRow.id).label("last_id"),
                   func.count(CommitmentStatusChangeRow.id).label("changes"))
            .group_by(CommitmentStatusChangeRow.commitment_id).subquery())
    return (select(CommitmentRow, ArticleRow.title, ArticleRow.published, CommitmentStatusChangeRow,
                   last.c.changes, ArticleRow.story_id)
            .join(ArticleRow, ArticleRow.id == CommitmentRow.article_id)
            .outerjoin(last, last.c.commitment_id == CommitmentRow.id)
            .outerjoin(CommitmentStatusChangeRow, CommitmentStatusChangeRow.id == last.c.last_id))



def append_change(session: Session, commitment_id: str, change: StatusChange) -> dict:
    """Append `change` to the commitment's history in the caller's transaction, with its audit
    entry (see `CommitmentTables.add_status_change` for the rules)."""
    if session.get(CommitmentRow, commitment_id) is None:
        raise ValueError(f"no commitment with id {commitment_id!r}")
    last_change = session.scalars(select(CommitmentStatusChangeRow)
                                  .where(CommitmentStatusChangeRow.commitment_id == commitment_id)
                                  .order_by(CommitmentStatusChangeRow.id.desc()).limit(1)).first()
    last = last_change.at if last_change is not None else None
    if last is not None and change.at < as_utc(last):
        raise ValueError(f"a change made at {change.at.isoformat()} cannot follow one made "
                         f"at {as_utc(last).isoformat()}: the history is in the order ratings were made")
    row = CommitmentStatusChangeRow(
        commitment_id=commitment_id, status=change.status, evidence=change.evidence.strip(),
        rationale=change.rationale.strip(), source=change.source, at=change.at, by=change.by.strip())
    session.add(row)
    session.flush()
    # the audit log lists every change to the record, ratings included
    review.log_status_change(session, row, last_change.status if last_change else None,
                             session.get(CommitmentRow, commitment_id).article_id)
    return change_dict(row)
