"""People's verdicts on derived findings: the review queue of candidates, and confirming or
dismissing a fact flag, a contradiction or a proposed rating (a part of `Store`).

A finding is recomputed whenever the record changes, so a verdict is kept by the finding's key
(what it rests on), not by its row, and applied again after every recompute
(`findings.replace_flags`, `FindingTables.save_contradictions`). A confirmed rating is appended
to the commitment's history in the person's name. Every verdict is an audit log entry.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..link.commitments import StatusChange
from .commitments import append_change
from .db import one_writer
from .findings import VERDICTS, contradiction_key
from .models import ContradictionRow, FactFlagRow, FindingVerdictRow, RatingCandidateRow
from .review import MAX_NAME, MAX_WHY, ReviewError, log_entry
from .rows import contradiction_dict, flag_state

FINDING_KINDS = ("fact_flag", "contradiction", "rating")
# verdicts as people say them on forms and the command line
ACTIONS = {"confirm": "confirmed", "dismiss": "dismissed"}


class VerdictTables:
    """The review queue of derived findings (a part of `Store`)."""

    def candidates(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The findings waiting for a person, each with its `finding_kind`: fact flags and
        contradictions in state `candidate`, and proposed ratings."""
        if kind is not None and kind not in FINDING_KINDS:
            raise ReviewError(f"unknown kind of finding {kind!r}; one of {', '.join(FINDING_KINDS)}")
        found: list[dict[str, Any]] = []
        if kind in (None, "fact_flag"):
            found += [{"finding_kind": "fact_flag", **f} for f in self.fact_flags(states=("candidate",))]
        if kind in (None, "contradiction"):
            found += [{"finding_kind": "contradiction", **c} for c in self.contradictions(states=("candidate",))]
        if kind in (None, "rating"):
            found += [{"finding_kind": "rating", **r} for r in self.rating_candidates()]
        return found

    def decide(self, kind: str, finding_id: str, action: str, *, by: str, why: str) -> dict[str, Any]:
        """Confirm or dismiss a finding (`kind` fact_flag, contradiction or rating; `action`
        confirm or dismiss); returns the audit entry. A verdict can be changed later; a
        confirmed rating stays in the commitment's history (the history is append-only)."""
        verdict = ACTIONS.get(action)
        if verdict is None:
            raise ReviewError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
        by, why = _text(by, "reviewer's name", MAX_NAME), _text(why, "reason", MAX_WHY)
        now = datetime.now(timezone.utc)
        with self._transaction(write=True) as session:
            one_writer(session)
            if kind == "fact_flag":
                return _decide_flag(session, finding_id, verdict, by, why, now)
            if kind == "contradiction":
                return _decide_contradiction(session, finding_id, verdict, by, why, now)
            if kind == "rating":
                return _decide_rating(session, finding_id, verdict, by, why, now)
        raise ReviewError(f"unknown kind of finding {kind!r}; one of {', '.join(FINDING_KINDS)}")


def _decide_flag(session: Session, flag_id: str, verdict: str, by: str, why: str, now: datetime) -> dict:
    row = session.get(FactFlagRow, flag_id)
    if row is None:
        raise ReviewError(f"no fact flag {flag_id!r}")
    before = flag_state(row)
    _keep_verdict(session, "fact_flag", f"{row.article_id}|{row.kind}|{row.start}|{row.end}", verdict, by, why, now)
    row.state = verdict
    return log_entry(session, review_id=None, kind="fact_flag", record_id=row.id, article_id=row.article_id,
                     action=_action(verdict), by=by, at=now, before={"state": before}, after={"state": verdict},
                     why=why)


def _decide_contradiction(session: Session, contradiction_id: str, verdict: str, by: str, why: str,
                          now: datetime) -> dict:
    row = session.get(ContradictionRow, contradiction_id)
    if row is None:
        raise ReviewError(f"no contradiction {contradiction_id!r}")
    before = row.state or "finding"
    _keep_verdict(session, "contradiction", contradiction_key(contradiction_dict(row)), verdict, by, why, now)
    row.state = verdict
    articles = sorted({s.get("article_id") for s in row.sides or [] if s.get("article_id")})
    return log_entry(session, review_id=None, kind="contradiction", record_id=row.id,
                     article_id=articles[0] if articles else None, action=_action(verdict), by=by, at=now,
                     before={"state": before}, after={"state": verdict}, why=why)


def _decide_rating(session: Session, candidate_id: str, verdict: str, by: str, why: str, now: datetime) -> dict:
    row = session.get(RatingCandidateRow, candidate_id)
    if row is None:
        raise ReviewError(f"no proposed rating {candidate_id!r}")
    before = row.state
    if verdict == "confirmed" and before != "confirmed":
        try:  # in the person's name, now: the history is in the order ratings were made
            append_change(session, row.commitment_id, StatusChange(
                status=row.status, evidence=row.evidence, rationale=f"{row.rationale} (confirmed: {why})",
                source=row.source, at=now, by=by))
        except ValueError as exc:
            raise ReviewError(str(exc)) from None
    row.state = verdict
    return log_entry(session, review_id=None, kind="rating", record_id=row.id, article_id=None,
                     action=_action(verdict), by=by, at=now, before={"state": before},
                     after={"state": verdict, "status": row.status, "commitment_id": row.commitment_id}, why=why)


def _keep_verdict(session: Session, kind: str, key: str, verdict: str, by: str, why: str, now: datetime) -> None:
    row = session.scalar(select(FindingVerdictRow).where(FindingVerdictRow.kind == kind, FindingVerdictRow.key == key))
    if row is None:
        session.add(FindingVerdictRow(kind=kind, key=key, verdict=verdict, by=by, why=why, at=now))
    else:
        row.verdict, row.by, row.why, row.at = verdict, by, why, now
    session.flush()


def _action(verdict: str) -> str:
    return next(a for a, v in ACTIONS.items() if v == verdict)


def _text(value: Any, what: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ReviewError(f"the {what} is missing")
    if len(text) > limit:
        raise ReviewError(f"the {what} is longer than {limit} characters")
    return text


assert set(ACTIONS.values()) == set(VERDICTS)
