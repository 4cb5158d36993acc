"""Review by people: accept, correct or reject an extracted record, and keep an audit log.

A verdict is stored twice, for two purposes:
- `reviews` (ReviewRow) holds the standing verdict and the record's values as the person
  left them. Re-extraction replaces an article's statements and meeting reports with new
  rows whose numbers may shift, so `reapply_reviews` (called by `Store.save_record`) finds
  each reviewed record again by the offsets it was extracted at and re-applies the verdict:
  a person's judgement outranks any extractor version. A corrected or accepted record that
  the new extractor no longer finds is put back from the reviewed values; a rejected one
  that it no longer finds needs nothing.
- `audit_log` (AuditEntryRow) holds every change, append-only: who, when, the values
  before and after, why.

The functions take an open session: the caller's transaction makes the change and its
audit entry one write. ReviewError (a ValueError) says what is wrong with a request.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from ..records import MEETING_FORMATS, MEETING_STATUSES, NOT_YET_RATED, STATEMENT_KINDS
from .models import (ArticleRow, AuditEntryRow, MeetingParticipantRow, MeetingReportRow,
                     ReviewRow, StatementRow)
from .db import one_writer
from .findings import replace_flags
from .rows import current_reports, ensure_actors, looks_like_organisation, surrounding_sentence

ACTIONS = {"accept": "accepted", "correct": "corrected", "reject": "rejected"}
KINDS = ("statement", "meeting_report")

# The fields a person may review, and so the fields kept in ReviewRow.reviewed.
STATEMENT_FIELDS = ("speaker", "speaker_mention", "quote", "kind", "cue", "start", "end", "parts",
                    "mention_start", "mention_end", "sentence", "extractor_version")
MEETING_FIELDS = ("participants", "date", "place", "occasion", "status", "format",
                  "scheduled_minutes", "actual_minutes", "others_present", "evidence",
                  "evidence_start", "evidence_end", "extractor_version")

# A meeting report's review may also pin its linking (summitry.link reads it): "apart" keeps
# it out of every other report's meeting; a canonical meeting's id puts it in that meeting.
LINK = "link"
LINK_APART = "apart"

MAX_NAME = 200
MAX_WHY = 4000
MAX_QUOTE = 10_000
MAX_MINUTES = 7 * 24 * 60
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
REAPPLIED_BY = "summitry (re-extraction)"


class ReviewError(ValueError):
    """A review request that cannot be applied; the message is for the person who made it."""


# --- making a review ---------------------------------------------------------------------

def review_statement(session: Session, statement_id: str, action: str, *, by: str, why: str,
                     changes: dict[str, Any] | None = None,
                     is_organisation: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """Accept, correct or reject a statement; returns the audit entry (as `entry_dict`).

    `changes` (for "correct") may hold speaker (a name; empty for an unnamed source), kind,
    and start/end (the quote's span in the article: the quote, parts and sentence follow).
    """
    row = session.get(StatementRow, statement_id)
    if row is None:
        raise ReviewError(f"no statement {statement_id!r}")
    article = session.get(ArticleRow, row.article_id)
    wanted = _statement_changes(row, article.text, changes or {}) if action == "correct" else {}
    return _review(session, "statement", row, action, by, why, wanted, STATEMENT_FIELDS,
                   anchor=(row.start, row.end),
                   apply=lambda values: _set_statement(session, row, values, is_organisation))


def review_meeting_report(session: Session, report_id: str, action: str, *, by: str, why: str,
                          changes: dict[str, Any] | None = None,
                          is_organisation: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """Accept, correct or reject a meeting report; returns the audit entry.

    `changes` (for "correct") may hold participants and others_present (lists of names),
    date (YYYY, YYYY-MM or YYYY-MM-DD, empty for none), place, occasion, status, format,
    scheduled_minutes and actual_minutes, and link (see LINK). The canonical meetings
    follow at the next link.
    """
    row = session.get(MeetingReportRow, report_id)
    if row is None:
        raise ReviewError(f"no meeting report {report_id!r}")
    wanted = _meeting_changes(session, row, changes or {}) if action == "correct" else {}
    return _review(session, "meeting_report", row, action, by, why, wanted, MEETING_FIELDS,
                   anchor=(row.evidence_start, row.evidence_end),
                   apply=lambda values: _set_meeting(session, row, values, is_organisation))


def _review(session: Session, kind: str, row, action: str, by: str, why: str,
            wanted: dict[str, Any], fields: tuple[str, ...], *, anchor: tuple,
            apply: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    verdict = ACTIONS.get(action)
    if verdict is None:
        raise ReviewError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    by, why = _required_text(by, "reviewer", MAX_NAME), (why or "").strip()
    if action != "accept" and not why:
        raise ReviewError(f"say why you {action} it")
    if len(why) > MAX_WHY:
        raise ReviewError(f"the reason is longer than {MAX_WHY} characters")
    review = session.scalar(select(ReviewRow).where(ReviewRow.kind == kind, ReviewRow.record_id == row.id))
    # a report's link (see LINK) lives in its review only, not on the row
    linked = {LINK: (review.reviewed or {}).get(LINK)} if review is not None and kind == "meeting_report" else {}
    before, status_before = {**_values(row, fields), **linked}, row.review_status
    changed = {k: v for k, v in wanted.items() if v != before.get(k)}
    if action == "correct" and not changed:
        raise ReviewError("the correction changes nothing")
    if any(k != LINK for k in changed):
        apply({k: v for k, v in changed.items() if k != LINK})
    row.review_status = verdict
    session.flush()
    now = datetime.now(timezone.utc)
    after = {**_values(row, fields), LINK: changed.get(LINK, before.get(LINK))}
    if after[LINK] is None:
        del after[LINK]
    if review is None:
        review = ReviewRow(id="r-" + secrets.token_hex(6), kind=kind, record_id=row.id,
                           article_id=row.article_id, anchor_start=anchor[0], anchor_end=anchor[1])
        session.add(review)
    review.verdict, review.reviewed, review.updated_at = verdict, after, now
    review.applied_version = _record_version(session, row.article_id)
    return log_entry(session, review_id=review.id, kind=kind, record_id=row.id, article_id=row.article_id,
                action=action, by=by, at=now,
                before={**{k: before.get(k) for k in changed}, "review_status": status_before},
                after={**{k: after.get(k) for k in changed}, "review_status": verdict},
                why=why or "accepted as extracted")


def _values(row, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in fields}


def _plain(value: Any) -> Any:
    return [_plain(v) for v in value] if isinstance(value, list | tuple) else value


def _record_version(session: Session, article_id: str) -> str | None:
    return session.scalar(select(ArticleRow.record_version).where(ArticleRow.id == article_id))


def log_entry(session: Session, **values: Any) -> dict[str, Any]:
    """Append one audit entry in the caller's transaction; returns it as a dict."""
    entry = AuditEntryRow(**values)
    session.add(entry)
    session.flush()
    return entry_dict(entry)


# --- checking the requested changes ------------------------------------------------------

def _required_text(value: Any, what: str, limit: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise ReviewError(f"the {what} is missing")
    if len(text) > limit:
        raise ReviewError(f"the {what} is longer than {limit} characters")
    return text


def _optional_text(value: Any, what: str, limit: int = MAX_NAME) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReviewError(f"the {what} must be text")
    text = " ".join(value.split())
    if len(text) > limit:
        raise ReviewError(f"the {what} is longer than {limit} characters")
    return text or None


def _names(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        value = re.split(r"[;\n]", value)
    if not isinstance(value, list | tuple):
        raise ReviewError(f"the {what} must be a list of names")
    names = [n for n in (_optional_text(v, what) for v in value) if n]
    if len(names) > 50:
        raise ReviewError(f"too many {what}")
    return list(dict.fromkeys(names))


def _minutes(value: Any, what: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool | float):
        raise ReviewError(f"the {what} must be a whole number of minutes")
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        raise ReviewError(f"the {what} must be a whole number of minutes") from None
    if not 0 < minutes <= MAX_MINUTES:
        raise ReviewError(f"the {what} must be between 1 and {MAX_MINUTES} minutes")
    return minutes


def _offset(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ReviewError(f"the {what} must be a character offset") from None


def _statement_changes(row: StatementRow, text: str, changes: dict[str, Any]) -> dict[str, Any]:
    wanted: dict[str, Any] = {}
    if "speaker" in changes:
        wanted["speaker"] = _optional_text(changes["speaker"], "speaker")
    if changes.get("kind") not in (None, ""):
        if changes["kind"] not in STATEMENT_KINDS:
            raise ReviewError(f"unknown kind {changes['kind']!r}; one of {', '.join(STATEMENT_KINDS)}")
        wanted["kind"] = changes["kind"]
    if changes.get("start") not in (None, "") or changes.get("end") not in (None, ""):
        start = _offset(changes.get("start", row.start), "start")
        end = _offset(changes.get("end", row.end), "end")
        if not 0 <= start < end <= len(text):
            raise ReviewError(f"the quote's span {start}-{end} is outside the article (0-{len(text)})")
        if end - start > MAX_QUOTE:
            raise ReviewError(f"a quote is at most {MAX_QUOTE} characters")
        if (start, end) != (row.start, row.end):
            wanted.update(start=start, end=end, quote=text[start:end], parts=[[start, end]],
                          sentence=surrounding_sentence(text, start, end))
    return wanted


def _meeting_changes(session: Session, row: MeetingReportRow, changes: dict[str, Any]) -> dict[str, Any]:
    wanted: dict[str, Any] = {}
    if "participants" in changes:
        participants = _names(changes["participants"], "participants")
        if len(participants) < 2:
            raise ReviewError("a meeting has at least two participants")
        wanted["participants"] = participants
    if "others_present" in changes:
        wanted["others_present"] = _names(changes["others_present"], "others present")
    if "date" in changes:
        wanted["date"] = _meeting_date(changes["date"])
    for name in ("place", "occasion"):
        if name in changes:
            wanted[name] = _optional_text(changes[name], name)
    for name, allowed in (("status", MEETING_STATUSES), ("format", MEETING_FORMATS)):
        value = changes.get(name)
        if value in (None, "") and name == "format" and name in changes:
            wanted[name] = None
        elif value not in (None, ""):
            if value not in allowed:
                raise ReviewError(f"unknown {name} {value!r}; one of {', '.join(allowed)}")
            wanted[name] = value
    for name in ("scheduled_minutes", "actual_minutes"):
        if name in changes:
            wanted[name] = _minutes(changes[name], name.replace("_", " "))
    if LINK in changes:
        wanted[LINK] = _link_target(session, changes[LINK])
    return wanted


def _link_target(session: Session, value: Any) -> str | None:
    """None (link by the rules), "apart", or the id of a stored canonical meeting (a merged
    meeting's old id is taken as the meeting it was merged into)."""
    from .models import MeetingRedirectRow, MeetingRow

    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return None
    if text == LINK_APART:
        return LINK_APART
    if session.get(MeetingRow, text) is not None:
        return text
    target = session.scalar(select(MeetingRedirectRow.new_id).where(MeetingRedirectRow.old_id == text))
    if target is None:
        raise ReviewError(f"no linked meeting {text!r}: give a meeting id (m-...) or \"apart\"")
    return target


def link_pins(session: Session) -> dict[str, str]:
    """Meeting report id -> its pinned link ("apart" or a meeting id), for summitry.link."""
    rows = session.execute(select(ReviewRow.record_id, ReviewRow.reviewed)
                           .where(ReviewRow.kind == "meeting_report")).all()
    return {record_id: reviewed[LINK] for record_id, reviewed in rows
            if isinstance(reviewed, dict) and reviewed.get(LINK)}


MEETING_YEARS = (1800, 2200)  # the years of publication dates ingest accepts


def _meeting_date(value: Any) -> str | None:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        return None
    if not _DATE.fullmatch(text):
        raise ReviewError(f"the date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        raise ReviewError(f"there is no date {text!r}") from None
    if not MEETING_YEARS[0] <= parts[0] <= MEETING_YEARS[1]:
        # the link rules reason in days around a date: year 1 or 9999 has no days around it
        raise ReviewError(f"the year of {text!r} is out of range ({MEETING_YEARS[0]}-{MEETING_YEARS[1]})")
    return text


# --- applying values to rows -------------------------------------------------------------

def _actor_ids(session: Session, names: list[str],
               is_organisation: Callable[[str], bool] | None) -> dict[str, int]:
    return ensure_actors(session, names, is_organisation or looks_like_organisation)


def _set_statement(session: Session, row: StatementRow, values: dict[str, Any],
                   is_organisation: Callable[[str], bool] | None) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    if "speaker" in values:
        actors = _actor_ids(session, [row.speaker] if row.speaker else [], is_organisation)
        row.speaker_actor_id = actors.get(row.speaker) if row.speaker else None


def _set_meeting(session: Session, row: MeetingReportRow, values: dict[str, Any],
                 is_organisation: Callable[[str], bool] | None) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    if "participants" in values:
        actors = _actor_ids(session, list(row.participants), is_organisation)
        session.execute(delete(MeetingParticipantRow)
                        .where(MeetingParticipantRow.meeting_report_id == row.id))
        session.execute(insert(MeetingParticipantRow), [
            {"meeting_report_id": row.id, "actor_id": actor_id}
            for actor_id in sorted({actors[n] for n in row.participants if n in actors})])


# --- re-applying reviews after re-extraction ------------------------------------------------

def reapply_reviews(session: Session, article: ArticleRow, version: str,
                    is_organisation: Callable[[str], bool] | None = None) -> None:
    """Re-apply the article's standing reviews to its freshly saved statements and reports.

    Each review finds its record by the offsets it was first extracted at (exact, then
    the corrected span, then the largest overlap of at least half the shorter span; a
    report without offsets by its participants and date). The record takes the reviewed
    values and verdict, and the review points at it. An accepted or corrected record that
    no new one matches is inserted again from the reviewed values; a rejected one needs
    nothing. When the record version changed, an audit entry says what happened.
    """
    reviews = session.scalars(select(ReviewRow).where(ReviewRow.article_id == article.id)
                              .order_by(ReviewRow.updated_at, ReviewRow.id)).all()
    if not reviews:
        return
    rows = {
        "statement": session.scalars(select(StatementRow).where(StatementRow.article_id == article.id)
                                     .order_by(StatementRow.position)).all(),
        "meeting_report": session.scalars(select(MeetingReportRow)
                                          .where(MeetingReportRow.article_id == article.id)
                                          .order_by(MeetingReportRow.position)).all(),
    }
    claimed: set[str] = set()
    now = datetime.now(timezone.utc)
    for review in reviews:
        candidates = [r for r in rows[review.kind] if r.id not in claimed]
        match = _matching_row(review, candidates)
        old_id = review.record_id
        if match is None and review.verdict != "rejected":
            match = _restore(session, article, review, rows[review.kind], is_organisation)
        if match is not None:
            _apply_review(session, review, match, is_organisation)
            claimed.add(match.id)
            review.record_id = match.id
        if review.applied_version != version:
            review.applied_version = version
            log_entry(session, review_id=review.id, kind=review.kind, record_id=review.record_id,
                 article_id=article.id, action="reapply", by=REAPPLIED_BY, at=now,
                 before={"record_id": old_id}, after={"record_id": review.record_id if match else None,
                                                      "review_status": review.verdict if match else None},
                 why=_reapply_reason(review, match, old_id, version))


def _reapply_reason(review: ReviewRow, match, old_id: str, version: str) -> str:
    if match is None:
        return f"re-extracted by {version}: the rejected record is no longer extracted"
    moved = "" if match.id == old_id else f" (now {match.id})"
    return f"re-extracted by {version}: the {review.verdict} values were applied again{moved}"


def _anchor(row, kind: str) -> tuple[int | None, int | None]:
    return (row.start, row.end) if kind == "statement" else (row.evidence_start, row.evidence_end)


def _matching_row(review: ReviewRow, rows: list):
    spans = [(review.anchor_start, review.anchor_end)]
    reviewed = review.reviewed or {}
    key = ("start", "end") if review.kind == "statement" else ("evidence_start", "evidence_end")
    spans.append((reviewed.get(key[0]), reviewed.get(key[1])))
    spans = [s for s in spans if s[0] is not None and s[1] is not None]
    for span in spans:
        for row in rows:
            if _anchor(row, review.kind) == span:
                return row
    best, best_overlap = None, 0.0
    for span in spans:
        for row in rows:
            overlap = _overlap(span, _anchor(row, review.kind))
            if overlap > best_overlap:
                best, best_overlap = row, overlap
    if best is not None and best_overlap >= 0.5:
        return best
    if review.kind == "meeting_report" and not spans:
        for row in rows:
            if row.evidence_start is None and sorted(row.participants) == sorted(
                    reviewed.get("participants") or []) and row.date == reviewed.get("date"):
                return row
    return None


def _overlap(a: tuple, b: tuple) -> float:
    """The overlap of two spans as a share of the shorter one (0 if either is missing)."""
    if None in a or None in b:
        return 0.0
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared / shorter if shared > 0 and shorter > 0 else 0.0


def _apply_review(session: Session, review: ReviewRow, row, is_organisation) -> None:
    fields = STATEMENT_FIELDS if review.kind == "statement" else MEETING_FIELDS
    reviewed = {k: v for k, v in (review.reviewed or {}).items() if k in fields}
    # the extractor that found the record says where it came from; everything else is the person's
    reviewed.pop("extractor_version", None)
    changed = {k: v for k, v in reviewed.items() if _plain(getattr(row, k)) != v}
    if changed:
        (_set_statement if review.kind == "statement" else _set_meeting)(session, row, changed, is_organisation)
    row.review_status = review.verdict


def _restore(session: Session, article: ArticleRow, review: ReviewRow, rows: list, is_organisation):
    """Insert a reviewed record again, from its reviewed values, after the last of its kind."""
    model = StatementRow if review.kind == "statement" else MeetingReportRow
    letter = "s" if review.kind == "statement" else "m"
    fields = STATEMENT_FIELDS if review.kind == "statement" else MEETING_FIELDS
    position = max([r.position for r in rows], default=0) + 1
    taken = set(session.scalars(select(model.id).where(model.article_id == article.id)))
    new_id = f"{article.id}:{letter}{position}"
    while new_id in taken:
        position += 1
        new_id = f"{article.id}:{letter}{position}"
    values = {k: v for k, v in (review.reviewed or {}).items() if k in fields}
    row = model(id=new_id, article_id=article.id, position=position, **values)
    if review.kind == "statement":
        row.speaker_actor_id = None
        session.add(row)
        session.flush()
        _set_statement(session, row, {"speaker": row.speaker}, is_organisation)
    else:
        session.add(row)
        session.flush()
        _set_meeting(session, row, {"participants": row.participants}, is_organisation)
    rows.append(row)
    return row


def log_status_change(session: Session, change, previous: str | None, article_id: str) -> None:
    """The audit entry of a commitment's rating (a CommitmentStatusChangeRow just added)."""
    log_entry(session, review_id=None, kind="commitment", record_id=change.commitment_id,
         article_id=article_id, action="set_status", by=change.by, at=change.at,
         before={"status": previous or NOT_YET_RATED},
         after={"status": change.status, "evidence": change.evidence, "source": change.source},
         why=change.rationale)


# --- reading -------------------------------------------------------------------------------

def entry_dict(row: AuditEntryRow) -> dict[str, Any]:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)
    return {"id": row.id, "review_id": row.review_id, "kind": row.kind, "record_id": row.record_id,
            "article_id": row.article_id, "action": row.action, "by": row.by,
            "at": at.astimezone(timezone.utc).isoformat(timespec="seconds"),
            "before": row.before, "after": row.after, "why": row.why}


def review_dict(row: ReviewRow) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "record_id": row.record_id, "article_id": row.article_id,
            "verdict": row.verdict, "anchor": [row.anchor_start, row.anchor_end],
            "applied_version": row.applied_version}


def record_audit(session: Session, kind: str, record_id: str) -> dict[str, Any]:
    """The review of a record (None if never reviewed) and its audit entries, oldest first:
    those of its review (whatever ids the record had) and any made under this id."""
    review = session.scalar(select(ReviewRow).where(ReviewRow.kind == kind, ReviewRow.record_id == record_id))
    condition = (AuditEntryRow.kind == kind) & (AuditEntryRow.record_id == record_id)
    if review is not None:
        condition = condition | (AuditEntryRow.review_id == review.id)
    entries = session.scalars(select(AuditEntryRow).where(condition).order_by(AuditEntryRow.id)).all()
    return {"review": review_dict(review) if review else None, "entries": [entry_dict(e) for e in entries]}


def latest_entries(session: Session, limit: int = 100, before_id: int | None = None) -> list[dict[str, Any]]:
    """The newest audit entries first (`before_id` pages further back)."""
    query = select(AuditEntryRow).order_by(AuditEntryRow.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntryRow.id < before_id)
    return [entry_dict(e) for e in session.scalars(query)]


def count_entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntryRow)) or 0



# --- the Store's part ---------------------------------------------------------------------

class ReviewTables:
    """People's verdicts and the audit log (a part of `Store`)."""

    def review(self, kind: str, record_id: str, action: str, *, by: str, why: str = "",
               changes: dict[str, Any] | None = None, check=None) -> dict[str, Any]:
        """Accept, correct or reject a statement or meeting report (`kind` "statement" or
        "meeting_report"); returns the audit entry. The change and its entry are one
        transaction; after a meeting report's, `check` (a `findings.FlagCheck`) remakes its
        article's fact flags in it. ReviewError (a ValueError) says what is wrong with the
        request. What follows a review across articles (linking, contradictions) is
        `summitry.pipeline.review`'s.
        """
        act = {"statement": review_statement, "meeting_report": review_meeting_report}.get(kind)
        if act is None:
            raise ReviewError(f"unknown kind of record {kind!r}; one of {', '.join(KINDS)}")
        with self._transaction(write=True) as session:
            one_writer(session)
            entry = act(session, record_id, action, by=by, why=why, changes=changes,
                        is_organisation=self.is_organisation)
            if kind == "meeting_report" and check is not None:
                article = session.get(ArticleRow, entry["article_id"])
                replace_flags(session, article.id, check(article.id, article.text, article.published,
                                                         current_reports(session, article.id)),
                              article.record_version)
        return entry

    def record_audit(self, kind: str, record_id: str) -> dict[str, Any]:
        """A record's review (None if never reviewed) and its audit entries, oldest first."""
        with self._transaction() as session:
            return record_audit(session, kind, record_id)

    def audit_log(self, limit: int = 100, before_id: int | None = None) -> list[dict[str, Any]]:
        """The newest audit entries first; `before_id` (an entry id) pages further back."""
        with self._transaction() as session:
            return latest_entries(session, limit, before_id)
