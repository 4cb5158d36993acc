"""Rows <-> records and dicts: how records become rows, and how stored rows are shown.

Pure helpers over the models (no session of their own), shared by the store's modules.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ..records import NOT_YET_RATED, Article, Commitment, MeetingReport, Statement
from .models import (ActorRow, ArticleRow, CommitmentRow, CommitmentStatusChangeRow, ContradictionRow,
                     FactFlagRow, MeetingReportRow, MeetingRow, RatingCandidateRow, StatementRow)

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



def ensure_actors(session: Session, names: list[str | None],
                   is_organisation: Callable[[str], bool]) -> dict[str, int]:
    """Actor ids by exact name, creating the missing actors (kind from `is_organisation`)."""
    wanted = sorted({n for n in names if n and n.strip()})
    if not wanted:
        return {}
    existing = dict(session.execute(
        select(ActorRow.name, ActorRow.id).where(ActorRow.name.in_(wanted))).all())
    missing = [n for n in wanted if n not in existing]
    if missing:
        session.execute(_insert_new(session, ActorRow), [
            {"name": n, "kind": "organisation" if is_organisation(n) else "person"}
            for n in missing])
        existing.update(session.execute(
            select(ActorRow.name, ActorRow.id).where(ActorRow.name.in_(missing))).all())
    return existing



def not_rejected(model):
    """The condition that keeps the rows of `model` (statements, meeting reports) that no
    person rejected: listings, linking and checks leave rejected records out."""
    return func.coalesce(model.review_status, "") != "rejected"



def article_row(article: Article) -> ArticleRow:
    return ArticleRow(
        id=article.id, content_hash=article.content_hash, title=article.title,
        published=article.published, source=article.source, url=article.url,
        origin=article.origin, text=article.text, ingested_at=datetime.now(timezone.utc),
        original_sha256=article.original_sha256,
    )


def statement_values(article: ArticleRow, n: int, s: Statement,
                      actors: dict[str, int]) -> dict[str, Any]:
    return dict(
        id=f"{article.id}:s{n}", article_id=article.id, position=n,
        speaker=s.speaker, speaker_actor_id=actors.get(s.speaker) if s.speaker else None,
        speaker_mention=s.speaker_mention, quote=s.quote, kind=s.kind, cue=s.cue,
        start=s.start, end=s.end, parts=[list(p) for p in s.parts] if s.parts else None,
        mention_start=s.mention_start, mention_end=s.mention_end,
        sentence=s.sentence or surrounding_sentence(article.text, s.start, s.end),
        extractor_version=s.extractor_version, confidence=s.confidence,
    )


def meeting_values(article_id: str, n: int, m: MeetingReport) -> dict[str, Any]:
    return dict(
        id=f"{article_id}:m{n}", article_id=article_id, position=n,
        participants=list(m.participants), date=m.date, place=m.place, occasion=m.occasion,
        status=m.status, format=m.format, scheduled_minutes=m.scheduled_minutes,
        actual_minutes=m.actual_minutes, others_present=list(m.others_present or []),
        evidence=m.evidence, evidence_start=m.evidence_start, evidence_end=m.evidence_end,
        extractor_version=m.extractor_version, confidence=m.confidence,
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



def article_dict(row: ArticleRow) -> dict[str, Any]:
    return {
        "id": row.id, "title": row.title,
        "published": row.published.isoformat() if row.published else None,
        "source": row.source, "url": row.url, "origin": row.origin,
        "content_hash": row.content_hash, "text": row.text,
        "ingested_at": row.ingested_at.isoformat() if row.ingested_at else None,
        "record_version": row.record_version, "original_sha256": row.original_sha256,
        "story_id": row.story_id or row.id,
    }


def statement_row_dict(row: StatementRow, title: str | None) -> dict[str, Any]:
    return {
        "id": row.id, "article_id": row.article_id, "article_title": title,
        "speaker": row.speaker, "speaker_mention": row.speaker_mention, "quote": row.quote,
        "kind": row.kind, "cue": row.cue, "start": row.start, "end": row.end,
        "parts": row.parts, "mention_start": row.mention_start, "mention_end": row.mention_end,
        "sentence": row.sentence, "extractor_version": row.extractor_version,
        "review_status": row.review_status, "confidence": row.confidence,
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
        "confidence": row.confidence,
    }



def report_of_row(row: MeetingReportRow) -> MeetingReport:
    """The stored report as a record; one a person accepted or corrected is certain."""
    values = meeting_row_dict(row, None)
    if row.review_status in PERSON_CHECKED:
        values["confidence"] = 1.0
    return MeetingReport(**{f.name: values[f.name] for f in dataclasses.fields(MeetingReport)
                            if f.name in values})


# a record in one of these review states was read by a person: its confidence is theirs
PERSON_CHECKED = frozenset({"accepted", "corrected"})



def canonical_dict(row: MeetingRow) -> dict[str, Any]:
    return {
        "id": row.id, "participants": list(row.participants or []), "date": row.date,
        "place": row.place, "occasion": row.occasion, "status": row.status, "format": row.format,
        "scheduled_minutes": row.scheduled_minutes, "actual_minutes": row.actual_minutes,
        "created_at": utc_iso(row.created_at), "updated_at": utc_iso(row.updated_at),
    }


def utc_iso(moment: datetime | None) -> str | None:
    """ISO time in UTC on every backend (SQLite gives it back without its zone)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()



def all_reference_ids(reference_id: str | None, reference_ids) -> list[str]:
    """Every reference entry of a flag, `reference_id` first. A FactFlag lists `reference_ids`
    only when there are several, and rows stored before 0007 have NULL: both give [reference_id]."""
    return list(reference_ids or ()) or ([reference_id] if reference_id else [])


def flag_dict(row: FactFlagRow, title: str | None) -> dict[str, Any]:
    return {"id": row.id, "article_id": row.article_id, "kind": row.kind, "claim": row.claim,
            "start": row.start, "end": row.end, "reference_id": row.reference_id,
            "reference_ids": all_reference_ids(row.reference_id, row.reference_ids),
            "explanation": row.explanation, "article_title": title,
            "extractor_version": row.extractor_version, "created_at": utc_iso(row.created_at),
            "confidence": row.confidence, "state": flag_state(row)}


def flag_state(row: FactFlagRow) -> str:
    """The stored state; rows written before 0008 have none: a notice when the record could
    not check the claim, else a finding (as they were shown then)."""
    return row.state or ("notice" if row.kind == "not_in_reference" else "finding")


def contradiction_dict(row: ContradictionRow) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "meeting_id": row.meeting_id,
            "field_or_topic": row.topic, "sides": list(row.sides or []), "rule": row.rule,
            "explanation": row.explanation, "created_at": utc_iso(row.created_at),
            "confidence": row.confidence, "state": row.state or "finding"}



def commitment_values(article: ArticleRow, n: int, c: Commitment) -> dict[str, Any]:
    return dict(
        article_id=article.id, position=n, actors=list(c.actors), action=c.action,
        polarity=c.polarity, kind=c.kind, due=c.due, cue=c.cue, start=c.start, end=c.end,
        sentence=c.sentence or surrounding_sentence(article.text, c.start, c.end),
        meeting_hint=c.meeting_hint, actor_mention=c.actor_mention,
        extractor_version=c.extractor_version, confidence=c.confidence,
    )



def commitment_dict(row: CommitmentRow, title: str | None, published: date | None,
                     last: CommitmentStatusChangeRow | None, changes: int | None,
                     story_id: str | None = None) -> dict[str, Any]:
    return {
        "id": row.id, "article_id": row.article_id, "article_title": title,
        "story_id": story_id or row.article_id,
        "published": published.isoformat() if published else None,
        "actors": list(row.actors or []), "action": row.action, "polarity": row.polarity,
        "kind": row.kind, "due": row.due, "cue": row.cue, "start": row.start, "end": row.end,
        "sentence": row.sentence, "meeting_hint": row.meeting_hint,
        "actor_mention": row.actor_mention, "extractor_version": row.extractor_version,
        "retracted_by_version": row.retracted_by_version,
        "status": last.status if last is not None else NOT_YET_RATED,
        "status_at": utc_iso(last.at) if last is not None else None,
        "changes": changes or 0,
    }


def change_dict(row: CommitmentStatusChangeRow) -> dict[str, Any]:
    return {"id": row.id, "commitment_id": row.commitment_id, "status": row.status,
            "evidence": row.evidence, "rationale": row.rationale, "source": row.source,
            "at": utc_iso(row.at), "by": row.by}


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (a naive one, as SQLite gives back, is taken as UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)



def fold(name: str) -> str:
    """Case- and accent-insensitive form of a name, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())



def current_reports(session: Session, article_id: str) -> list[MeetingReport]:
    """The article's stored meeting reports that no person rejected, in text order."""
    rows = session.scalars(select(MeetingReportRow).where(
        MeetingReportRow.article_id == article_id, not_rejected(MeetingReportRow))
        .order_by(MeetingReportRow.position)).all()
    return [report_of_row(r) for r in rows]




def rating_candidate_id(commitment_id: str, status: str, source: str | None) -> str:
    key = "\x1f".join([commitment_id, status, source or ""])
    return "rc-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def rating_candidate_dict(row: RatingCandidateRow, actors: list | None, action: str,
                          article_id: str) -> dict[str, Any]:
    return {"id": row.id, "commitment_id": row.commitment_id, "commitment_article_id": article_id,
            "actors": list(actors or []), "action": action, "status": row.status,
            "evidence": row.evidence, "rationale": row.rationale, "source": row.source,
            "evidence_at": utc_iso(row.evidence_at), "confidence": row.confidence, "state": row.state,
            "created_at": utc_iso(row.created_at)}


def _insert_new(session: Session, model):
    """An INSERT that skips rows whose unique key is already there: another process saving an
    article with the same new speaker at the same moment is not an error."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        return insert(model)
    return dialect_insert(model).on_conflict_do_nothing()
