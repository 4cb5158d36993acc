"""Articles and their article-level records: writing an article and its record, and the
listings of statements and meeting reports (`Store` is made of this and its siblings).

Every write is one transaction per article, so a failure loses nothing stored before it.
Every query uses bound parameters: article text and search input are untrusted.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import String, and_, delete, exists, func, insert, select, text
from sqlalchemy.orm import Session

from ..actors import Registry, normalise
from ..records import Article, ArticleRecord
from . import review
from .db import ConflictError, StoreError, advisory_xact_lock
from ..link.stories import SAME_STORY, Fingerprint, similarity
from .findings import FlagCheck, replace_flags
from .models import (ActorRow, ArticleRow, CommitmentRow, MeetingParticipantRow, MeetingReportLinkRow,
                     MeetingReportRow, StatementRow, StoryBandRow)
from .rows import (article_dict, current_reports, article_row, commitment_values, ensure_actors, meeting_row_dict,
                   meeting_values, not_rejected, statement_row_dict, statement_values)

# Must stay identical to PG_STATEMENT_TSV in migration 0002 (see there).
_PG_STATEMENT_TSV = (
    "to_tsvector('simple'::regconfig, coalesce(quote, '') || ' ' || "
    "coalesce(speaker, '') || ' ' || coalesce(speaker_mention, ''))"
)


class StoredArticle(NamedTuple):
    id: str
    record_version: str | None
    relevant: bool | None
    # stored with its text as it came, before mojibake was repaired at the door: its record's
    # offsets count in that text, so a new extraction must read the stored text
    stored_unrepaired: bool = False


class ArticleTables:
    """Articles, statements and meeting reports (a part of `Store`)."""

    def add_article(self, article: Article) -> tuple[str, bool]:
        """Store an article unless its text is already stored: (stored id, True if new).

        The same text from any source is one article. A different text under an id already
        in use is refused with a StoreError (JSONL ids are the caller's promise of identity).
        """
        with self._transaction(write=True) as session:
            existing = self._article_by_hash(session, article.content_hash)
            if existing is not None:
                return existing.id, False
            if session.get(ArticleRow, article.id) is not None:
                raise ConflictError(f"article id {article.id!r} is already stored with a different text")
            session.add(article_row(article))
        return article.id, True

    def stored_article_id(self, article: Article) -> str | None:
        """The id under which the article's text is stored, or None (nothing is written).
        ConflictError when its id is already stored with a different text."""
        stored = self.stored_article(article)
        return stored[0] if stored else None

    def stored_article(self, article: Article) -> StoredArticle | None:
        """The stored article with the article's text (its id, record version, relevance), or
        None; ConflictError when its id is already stored with a different text. One query
        in the usual cases: this runs for every article read, and re-ingest is mostly this."""
        with self._transaction() as session:
            columns = (ArticleRow.id, ArticleRow.record_version, ArticleRow.relevant)
            existing = session.execute(select(*columns).where(ArticleRow.content_hash == article.content_hash)).first()
            if existing is not None:
                return StoredArticle(existing.id, existing.record_version, existing.relevant)
            if article.unrepaired_hash:  # stored before texts were repaired at the door: the same article
                existing = session.execute(select(*columns).where(ArticleRow.content_hash == article.unrepaired_hash)).first()
                if existing is not None:
                    return StoredArticle(existing.id, existing.record_version, existing.relevant,
                                         stored_unrepaired=True)
            if session.scalar(select(ArticleRow.id).where(ArticleRow.id == article.id)) is not None:
                raise ConflictError(f"article id {article.id!r} is already stored with a different text")
        return None

    def has_record(self, article_id: str, extractor_version: str, *, extracted: bool = False) -> bool:
        """True if a record made by `extractor_version` is stored for the article; with
        `extracted`, only if it was extracted (not an empty record of an article the relevance
        gate stopped)."""
        with self._transaction() as session:
            stored = session.execute(select(ArticleRow.record_version, ArticleRow.relevant)
                                     .where(ArticleRow.id == article_id)).first()
        if stored is None or stored.record_version != extractor_version:
            return False
        return not extracted or stored.relevant is not False

    def save_record(self, record: ArticleRecord, article: Article, *,
                    is_organisation: Callable[[str], bool] | None = None,
                    check: FlagCheck | None = None, relevant: bool = True,
                    story: Callable[[str], Fingerprint | None] | None = None) -> None:
        """Replace the article's statements and meeting reports with `record`'s, atomically.

        Row ids are deterministic (f"{article_id}:s{n}", f"{article_id}:m{n}", n from 1),
        so saving the same record twice leaves identical rows. The article is stored
        first if it is not yet (by content, as in `add_article`). `check` (the fact check
        of `summitry.pipeline`) makes the article's fact flags from its reports as stored
        (people's verdicts re-applied), in the same transaction: a record is never stored
        with the flags of another version. `relevant=False` marks an article the relevance gate
        stopped (its record is empty). `story` (`summitry.link.stories.fingerprint`) gives an
        article without a story its fingerprint, and it joins the story of a stored copy or
        starts its own (`assign_story`), in the same transaction.
        """
        if record.id != article.id:
            raise StoreError(f"record {record.id!r} is not for article {article.id!r}")
        with self._transaction(write=True) as session:
            _one_saver_per_article(session, article.content_hash)
            row = self._article_by_hash(session, article.content_hash)
            if row is None:
                row = article_row(article)
                session.add(row)
                session.flush()
            if story is not None and row.story_id is None:
                assign_story(session, row, story(row.text))
            _clear_record(session, row.id)
            names = [s.speaker for s in record.statements] + [
                name for m in record.meetings for name in m.participants]
            actors = ensure_actors(session, names, is_organisation or self.is_organisation)
            statements = [statement_values(row, n, s, actors)
                          for n, s in enumerate(record.statements, start=1)]
            meetings = [meeting_values(row.id, n, m) for n, m in enumerate(record.meetings, start=1)]
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
            row.relevant = None if relevant else False
            # people's verdicts outrank any extractor: corrections survive re-extraction
            review.reapply_reviews(session, row, record.extractor_version,
                                   is_organisation or self.is_organisation)
            if check is not None:
                replace_flags(session, row.id, check(row.id, row.text, row.published,
                                                     current_reports(session, row.id)),
                              record.extractor_version)

    def meetings(self, leader: str | None = None, between: tuple[str, str] | None = None,
                 limit: int | None = None) -> list[dict]:
        """Meeting reports, by date (undated last) then article.

        `leader` and each name of `between` match participants by any part of a name or
        alias, ignoring case and accents ("putin" finds "Vladimir Putin", "kim" every Kim;
        see `matching_names`). Reports a person rejected are left out.
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
            return {**article_dict(row),
                    "statements": [statement_row_dict(s, row.title) for s in statements],
                    "meetings": [meeting_row_dict(m, row.title) for m in meetings]}

    def assign_missing_stories(self, story: Callable[[str], Fingerprint | None]) -> tuple[int, list[str]]:
        """Give each article without a story (stored before stories were kept, or saved without
        `story`) its story, in the order they were stored, one transaction each: (how many were
        given one, the ids of those that joined another article's story: what they count changed)."""
        with self._transaction() as session:
            ids = [r.id for r in session.execute(select(ArticleRow.id, ArticleRow.ingested_at)
                                                 .where(ArticleRow.story_id.is_(None))
                                                 .order_by(ArticleRow.ingested_at, ArticleRow.id))]
        joined = []
        for article_id in ids:
            with self._transaction(write=True) as session:
                row = session.get(ArticleRow, article_id)
                if row is not None and row.story_id is None:
                    assign_story(session, row, story(row.text))
                    if row.story_id != row.id:
                        joined.append(row.id)
        return len(ids), joined

    def story_articles(self, story_id: str) -> list[dict]:
        """The articles of one story (copies of one wire story), oldest publication first:
        id, title, source, url, published. (For pages listing an article's copies.)"""
        with self._transaction() as session:
            rows = session.execute(select(ArticleRow.id, ArticleRow.title, ArticleRow.source, ArticleRow.url,
                                          ArticleRow.published)
                                   .where(ArticleRow.story_id == story_id)).all()
        return [{"id": r.id, "title": r.title, "source": r.source, "url": r.url,
                 "published": r.published.isoformat() if r.published else None}
                for r in sorted(rows, key=lambda r: (r.published is None, r.published or date.min, r.id))]

    def story_counts(self) -> dict[str, int]:
        """How many articles and how many stories are stored (an article without a story,
        stored before stories were kept or too short to tell, is a story of its own)."""
        with self._transaction() as session:
            articles = session.scalar(select(func.count()).select_from(ArticleRow))
            stories = session.scalar(select(func.count(func.distinct(func.coalesce(ArticleRow.story_id,
                                                                                   ArticleRow.id)))))
        return {"articles": articles, "stories": stories}

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

    @staticmethod
    def _article_by_hash(session: Session, content_hash: str) -> ArticleRow | None:
        return session.scalar(select(ArticleRow).where(ArticleRow.content_hash == content_hash))

    @staticmethod
    def _actor_ids(session: Session, query: str) -> list[int]:
        """The actors `query` names (see `actor_ids_named`)."""
        return actor_ids_named(session, query)


# --- finding actors by a part of their name ---------------------------------------------

def name_words(text: str) -> tuple[str, ...]:
    """The words of a name as compared: case, accents, hyphens and dots folded
    ("Kim Jong-un" -> kim jong un, "Erdoğan" -> erdogan, "H.W." -> hw)."""
    return tuple(normalise(text).split())


@lru_cache(maxsize=8192)
def name_forms(name: str, registry_id: str | None = None) -> tuple[tuple[str, ...], ...]:
    """Every form that names this actor, as words: its canonical name and, when the actor
    registry knows the person (by id, or by the same canonical name), its aliases."""
    registry = Registry.load()
    person = registry.person_by_id(registry_id) if registry_id else None
    if person is None:
        found = registry.person(name)
        person = found if found is not None and normalise(found.name) == normalise(name) else None
    forms = [name] + (list(person.aliases) if person is not None else [])
    return tuple(dict.fromkeys(w for w in map(name_words, forms) if w))


def _within(part: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """`part` occurs in `words` as consecutive whole words."""
    n = len(part)
    return any(words[i:i + n] == part for i in range(len(words) - n + 1))


def matching_names(query: str, actors: Iterable[tuple[Any, str, str | None]]) -> list[Any]:
    """The keys of the (key, canonical name, registry id) `actors` that `query` names.

    Any part of a canonical name or alias, as whole words, finds the actor, ignoring case,
    accents and hyphens: "Kim" finds every Kim, "Moon" Moon Jae-in, "Xi" Xi Jinping (not
    Xie Feng), "Erdogan" Recep Tayyip Erdoğan, "Jong-un" Kim Jong Un. A query of two words
    or more that is exactly some actors' whole name or alias finds only those ("Donald
    Trump", not also Donald Trump Jr.).
    """
    part = name_words(query or "")
    if not part:
        return []
    exact, partial = [], []
    for key, name, registry_id in actors:
        forms = name_forms(name, registry_id)
        if len(part) > 1 and part in forms:
            exact.append(key)
        elif any(_within(part, form) for form in forms):
            partial.append(key)
    return exact or partial


def actor_ids_named(session: Session, query: str) -> list[int]:
    """The ids of the stored actors `query` names (`matching_names`). Matched in Python, not
    SQL: SQLite's lower() folds ASCII only, and the actor table is small next to the statements."""
    return matching_names(query, session.execute(select(ActorRow.id, ActorRow.name, ActorRow.registry_id)))


def assign_story(session: Session, row: ArticleRow, found: Fingerprint | None) -> None:
    """Give the article its story: that of the most similar stored article sharing an LSH band
    with it, when they are copies (`summitry.link.stories`); else its own. Its signature and
    bands are stored, so later copies find it. An article without a fingerprint (too short)
    is a story of its own."""
    if found is None:
        row.story_id = row.id
        return
    _one_story_assigner(session)
    candidates = session.execute(
        select(ArticleRow.id, ArticleRow.story_id, ArticleRow.minhash, ArticleRow.ingested_at)
        .where(ArticleRow.id.in_(select(StoryBandRow.article_id).where(StoryBandRow.band.in_(found.bands))),
               ArticleRow.id != row.id, ArticleRow.minhash.is_not(None))).all()
    scored = [(similarity(found.signature, c.minhash), c) for c in candidates]
    copies = [(score, c) for score, c in scored if score >= SAME_STORY]
    if copies:  # the closest copy; ties: the earliest stored
        _, best = min(copies, key=lambda sc: (-sc[0], sc[1].ingested_at, sc[1].id))
        row.story_id = best.story_id or best.id
    else:
        row.story_id = row.id
    row.minhash = found.signature
    session.execute(delete(StoryBandRow).where(StoryBandRow.article_id == row.id))
    session.execute(insert(StoryBandRow), [{"band": band, "article_id": row.id} for band in found.bands])


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
        values = commitment_values(article, n, commitment)
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



def _has_participant(actor_ids: list[int]):
    return exists().where(MeetingParticipantRow.meeting_report_id == MeetingReportRow.id,
                          MeetingParticipantRow.actor_id.in_(actor_ids))



STORY_LOCK_KEY = 0x73746F7279  # "story": the advisory lock of story assignment on PostgreSQL


def _one_story_assigner(session: Session) -> None:
    """Two copies of one story saved at once (parallel ingest on PostgreSQL) must not both
    start a story: neither would see the other's uncommitted row. The second waits here for
    the first's transaction and then finds the first copy. (On SQLite a writer's transaction
    already holds the database's write lock.) Taken after the article's own lock, always."""
    _transaction_lock(session, STORY_LOCK_KEY)


def _one_saver_per_article(session: Session, content_hash: str) -> None:
    """Two processes saving the same article at once (two ingests of one folder) must not both
    insert it: on PostgreSQL the second waits for the first's transaction, then finds the
    article stored. (On SQLite a writer's transaction already holds the database's write lock.)"""
    _transaction_lock(session, int(content_hash[:15], 16))  # 60 bits of the content hash: a bigint


def _transaction_lock(session: Session, key: int) -> None:
    """On PostgreSQL, wait for the advisory lock `key` and hold it until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        advisory_xact_lock(session, key)
