"""SQLAlchemy ORM models: the schema at the head migration.

The migrations in `migrations/versions` create this schema; a test compares the two,
so a column added here without a migration fails the suite. Full-text search lives
outside these models (an FTS5 table on SQLite, an expression index on PostgreSQL),
because it is backend-specific; see migration 0002.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    """One article, stored once per distinct text (content_hash is unique)."""

    __tablename__ = "articles"
    # 0013: the statements' listing order (publication, undated last), and the newest first
    __table_args__ = (Index("ix_articles_story_id", "story_id"),
                      Index("ix_articles_published_order", sql_text("coalesce(published, '9999-12-31')"), "id"),
                      Index("ix_articles_latest", "published", "ingested_at"))

    id: Mapped[str] = mapped_column(String, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # extractor version of the record saved for this article; None until one is saved
    record_version: Mapped[str | None] = mapped_column(String)
    # 0009: False when the relevance gate found nothing of leader diplomacy in it (its record is
    # then empty, not extracted); NULL when it was extracted
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    # 0010: SHA-256 of what was read (file or page bytes, JSONL line) before decoding and the
    # mojibake repair; NULL for articles stored before 0010
    original_sha256: Mapped[str | None] = mapped_column(String(64))
    # 0011: the story the article is a copy of (near-duplicates, `summitry.link.stories`): the
    # id of the story's first article, its own id when it is the first or too short to tell;
    # NULL until fingerprinted (stored before 0011: the next link run gives it)
    story_id: Mapped[str | None] = mapped_column(String)
    # 0011: its MinHash signature (NUM_PERM little-endian uint32), NULL when it has none
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)


class ActorRow(Base):
    """A person or organisation that speaks or meets, by canonical name."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16), server_default="person")  # person | organisation
    registry_id: Mapped[str | None] = mapped_column(Text)  # id in the reference actor data


class StatementRow(Base):
    """Something an actor is reported to have said, with its place in the article."""

    __tablename__ = "statements"
    __table_args__ = (Index("ix_statements_article_id", "article_id"),
                      Index("ix_statements_speaker_actor_id", "speaker_actor_id"),
                      Index("ix_statements_article_position", "article_id", "position"))  # 0013

    id: Mapped[str] = mapped_column(String, primary_key=True)  # f"{article_id}:s{n}"
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # n: order within the article's record
    speaker: Mapped[str | None] = mapped_column(Text)
    speaker_actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("actors.id", name="fk_statements_speaker_actor_id", ondelete="SET NULL"))
    speaker_mention: Mapped[str | None] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    cue: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    parts: Mapped[list | None] = mapped_column(JSON)
    mention_start: Mapped[int | None] = mapped_column(Integer)
    mention_end: Mapped[int | None] = mapped_column(Integer)
    sentence: Mapped[str | None] = mapped_column(Text)
    extractor_version: Mapped[str] = mapped_column(String)
    confidence: Mapped[float | None] = mapped_column(Float)  # 0008: the extractor's, in [0, 1]; NULL: not measured
    # a person's verdict (accepted | corrected | rejected), None while unreviewed (see ReviewRow)
    review_status: Mapped[str | None] = mapped_column(String(16))


class MeetingReportRow(Base):
    """One article's report of an encounter between leaders (not yet linked across articles)."""

    __tablename__ = "meeting_reports"
    __table_args__ = (Index("ix_meeting_reports_article_id", "article_id"),
                      Index("ix_meeting_reports_date", "date"),
                      # 0013: the listing order (undated last), see the migration
                      Index("ix_meeting_reports_order", sql_text("coalesce(date, '9999-99-99')"),
                            "article_id", "position"),
                      # 0015: newest first (the desk's default), see the migration
                      Index("ix_meeting_reports_newest", sql_text("coalesce(date, '') DESC"),
                            "article_id", "position"))

    id: Mapped[str] = mapped_column(String, primary_key=True)  # f"{article_id}:m{n}"
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    participants: Mapped[list] = mapped_column(JSON)  # names as extracted, in order
    date: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD, YYYY-MM or YYYY
    place: Mapped[str | None] = mapped_column(Text)
    occasion: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    format: Mapped[str | None] = mapped_column(String(16))
    scheduled_minutes: Mapped[int | None] = mapped_column(Integer)
    actual_minutes: Mapped[int | None] = mapped_column(Integer)
    others_present: Mapped[list | None] = mapped_column(JSON)
    evidence: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    extractor_version: Mapped[str] = mapped_column(String)
    confidence: Mapped[float | None] = mapped_column(Float)  # 0008: the extractor's, in [0, 1]; NULL: not measured
    review_status: Mapped[str | None] = mapped_column(String(16))  # as StatementRow.review_status


class MeetingParticipantRow(Base):
    """Join table, so that meetings can be found by leader with an index, not a JSON scan."""

    __tablename__ = "meeting_participants"
    __table_args__ = (Index("ix_meeting_participants_actor_id", "actor_id"),)

    meeting_report_id: Mapped[str] = mapped_column(
        ForeignKey("meeting_reports.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"),
                                          primary_key=True)


class MeetingRow(Base):
    """A canonical meeting: one encounter, however many articles report it (see summitry.link).

    Its id never changes; the values are those its reports agree on or, where they disagree,
    the canonical choice (the reports keep every value).
    """

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_date", "date"),
                      Index("ix_meetings_order", sql_text("coalesce(date, '9999-99-99')"), "id"))  # 0013

    id: Mapped[str] = mapped_column(String, primary_key=True)  # "m-" + short hash of its first report's id
    participants: Mapped[list] = mapped_column(JSON)
    date: Mapped[str | None] = mapped_column(String(10))
    place: Mapped[str | None] = mapped_column(Text)
    occasion: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    format: Mapped[str | None] = mapped_column(String(16))
    scheduled_minutes: Mapped[int | None] = mapped_column(Integer)
    actual_minutes: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MeetingReportLinkRow(Base):
    """Which canonical meeting a meeting report is evidence of (each report in at most one)."""

    __tablename__ = "meeting_report_links"
    __table_args__ = (Index("ix_meeting_report_links_meeting_id", "meeting_id"),)

    meeting_report_id: Mapped[str] = mapped_column(
        ForeignKey("meeting_reports.id", ondelete="CASCADE"), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))


class MeetingRedirectRow(Base):
    """The id of a meeting merged into another, so that its URL keeps working."""

    __tablename__ = "meeting_redirects"
    __table_args__ = (Index("ix_meeting_redirects_new_id", "new_id"),)

    old_id: Mapped[str] = mapped_column(String, primary_key=True)
    new_id: Mapped[str] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CommitmentRow(Base):
    """What the parties agreed, promised or announced, as one article reports it.

    Re-extraction never deletes one: a commitment the new record no longer has is kept,
    marked `retracted_by_version`, so that its status history stays on record (see
    `Store.save_record`).
    """

    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_article_id", "article_id"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)  # f"{article_id}:c{n}" (see save_record)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # n: order within the article's record
    actors: Mapped[list] = mapped_column(JSON)
    action: Mapped[str] = mapped_column(Text)
    polarity: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    due: Mapped[str | None] = mapped_column(String(10))
    cue: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    sentence: Mapped[str | None] = mapped_column(Text)
    meeting_hint: Mapped[str | None] = mapped_column(Text)
    actor_mention: Mapped[str | None] = mapped_column(Text)
    extractor_version: Mapped[str] = mapped_column(String)
    confidence: Mapped[float | None] = mapped_column(Float)  # 0008: the extractor's, in [0, 1]; NULL: not measured
    # the extractor version of the first record that no longer had it; None while current
    retracted_by_version: Mapped[str | None] = mapped_column(String)


class CommitmentStatusChangeRow(Base):
    """One rating of a commitment, with its evidence: append-only (the store never updates or
    deletes one, and the foreign key has no cascade, so a rated commitment cannot be deleted)."""

    __tablename__ = "commitment_status_changes"
    __table_args__ = (Index("ix_commitment_status_changes_commitment_id", "commitment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # order of addition
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id"))
    status: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    by: Mapped[str] = mapped_column(Text)


class FactFlagRow(Base):
    """Where an article's claim contradicts the reference record (see summitry.factcheck),
    or where the record has nothing to check it against (kind not_in_reference)."""

    __tablename__ = "fact_flags"
    __table_args__ = (Index("ix_fact_flags_article_id", "article_id"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)  # f"{article_id}:f{n}"
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # n: text order within the article
    kind: Mapped[str] = mapped_column(String(32))
    claim: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    reference_id: Mapped[str | None] = mapped_column(String)  # Encounter or NonEvent id
    # every entry the flag rests on, reference_id first (0007; NULL in rows written before it)
    reference_ids: Mapped[list | None] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    extractor_version: Mapped[str | None] = mapped_column(String)  # of the record checked
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # 0008: how firmly the claim and the records it rests on hold, and what is shown of it:
    # finding (a flag) | candidate (waits for a person) | notice (the record cannot check it) |
    # confirmed | dismissed (a person decided). NULL in older rows: read from the kind.
    confidence: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str | None] = mapped_column(String(16))


class ContradictionRow(Base):
    """Two or more accounts of one canonical meeting that cannot all be true
    (see summitry.contradictions); `sides` names each with its article, statement or
    report id and offsets. Not a foreign key to meetings: it is recomputed after linking."""

    __tablename__ = "contradictions"
    __table_args__ = (Index("ix_contradictions_meeting_id", "meeting_id"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)  # "x-" + short hash of kind, topic, sides
    position: Mapped[int] = mapped_column(Integer)  # order of find_contradictions
    kind: Mapped[str] = mapped_column(String(16))  # statements | facts
    meeting_id: Mapped[str] = mapped_column(String)
    topic: Mapped[str] = mapped_column(Text)  # the shared topic words, or the field disagreed on
    rule: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text)
    sides: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # 0008: as for fact flags (finding | candidate | confirmed | dismissed; NULL: finding)
    confidence: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str | None] = mapped_column(String(16))


class ReviewRow(Base):
    """A person's standing verdict on one extracted statement or meeting report.

    `reviewed` holds the record's values as the person left them, and `anchor_start`/
    `anchor_end` the offsets the record was first extracted at (a statement's quote, a
    report's evidence): re-extraction renumbers records, so `Store.save_record` finds the
    record again by its anchor, points `record_id` at it and re-applies the values (see
    summitry.store.review). Every change to a review is also in the audit log.
    """

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_article_id", "article_id"),
                      Index("ix_reviews_record", "kind", "record_id"))

    id: Mapped[str] = mapped_column(String, primary_key=True)  # "r-" + random hex
    kind: Mapped[str] = mapped_column(String(16))  # statement | meeting_report
    record_id: Mapped[str] = mapped_column(String)  # the row it applies to now
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    anchor_start: Mapped[int | None] = mapped_column(Integer)
    anchor_end: Mapped[int | None] = mapped_column(Integer)
    verdict: Mapped[str] = mapped_column(String(16))  # accepted | corrected | rejected
    reviewed: Mapped[dict] = mapped_column(JSON)
    applied_version: Mapped[str | None] = mapped_column(String)  # record version last applied to
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntryRow(Base):
    """One change made to the record: who, when, to what, the values before and after, why.

    Append-only: the store inserts entries and never updates or deletes one. Not foreign
    keys, so that the log outlives any record it mentions.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_review_id", "review_id"),
                      Index("ix_audit_log_record", "kind", "record_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)  # order of changes
    review_id: Mapped[str | None] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String(16))  # statement | meeting_report | commitment
    record_id: Mapped[str] = mapped_column(String)  # the record's id when the change was made
    article_id: Mapped[str | None] = mapped_column(String)
    action: Mapped[str] = mapped_column(String(16))  # accept | correct | reject | reapply | set_status
    by: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    why: Mapped[str] = mapped_column(Text)


class FindingVerdictRow(Base):
    """A person's standing verdict on a derived finding (a fact flag, a contradiction, a
    proposed rating): confirmed or dismissed. Findings are recomputed whenever the record
    changes, so the verdict is kept by the finding's `key` (made of what it rests on: article
    and offsets, or its sides), not by a row id, and applied to whatever finding has that key
    after every recompute. Every verdict is also in the audit log."""

    __tablename__ = "finding_verdicts"
    __table_args__ = (Index("ix_finding_verdicts_key", "kind", "key", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # fact_flag | contradiction | rating
    key: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(16))  # confirmed | dismissed
    by: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RatingCandidateRow(Base):
    """A status change the rules propose for a commitment but are not sure enough to make:
    it waits for a person, who confirms it (then it is appended to the commitment's history
    in their name) or dismisses it (then the rules never propose it again)."""

    __tablename__ = "rating_candidates"
    __table_args__ = (Index("ix_rating_candidates_commitment_id", "commitment_id"),)

    id: Mapped[str] = mapped_column(String, primary_key=True)  # "rc-" + short hash of commitment, status, source
    commitment_id: Mapped[str] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text)
    rationale: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    evidence_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the evidence's publication
    confidence: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16))  # candidate | confirmed | dismissed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StoryBandRow(Base):
    """The LSH index of the articles' MinHash signatures: one row per band of each signature,
    so that the copies of a new article are found with an index, in any process, after any
    restart (see `summitry.link.stories`)."""

    __tablename__ = "story_bands"

    band: Mapped[str] = mapped_column(String(40), primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class FetchStateRow(Base):
    """What `watch` knows of a URL it fetched (a feed or an article page): the validators of
    the last answer for a conditional GET, the article stored from it, the last error."""

    __tablename__ = "fetch_state"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # feed | page
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[str | None] = mapped_column(String)  # the article stored from the page
    error: Mapped[str | None] = mapped_column(Text)  # the last failure; NULL after a success
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")  # failures in a row
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertStateRow(Base):
    """What a saved query (`watch --alert`) has already sent: each match with a digest of what
    it said, so that a new match or a changed one is posted once."""

    __tablename__ = "alert_state"

    alert: Mapped[str] = mapped_column(Text, primary_key=True)
    item: Mapped[str] = mapped_column(Text, primary_key=True)  # "" marks the alert's baseline
    digest: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DataVersionRow(Base):
    """0013: one row, whose counter every write transaction of the Store raises, so that a
    cache of something computed from the record knows when it is stale (see store.py)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)


class PendingContradictionRow(Base):
    """0014: a canonical meeting a link run changed whose contradictions are not yet
    recomputed (noted with the linking, removed with the contradictions' save), so that a run
    killed in between is finished by the next one."""

    __tablename__ = "pending_contradictions"

    meeting_id: Mapped[str] = mapped_column(String, primary_key=True)
