"""Actors, meeting participants and full-text search over statements.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-20

Speakers and participants were plain names in 0001; this revision gives them actor
rows (so "all meetings of X" is an indexed join, not a JSON scan) and backfills them
from the rows already stored. It also adds full-text search over statements:
an FTS5 table kept in sync by triggers on SQLite, a GIN expression index on PostgreSQL.
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Must stay identical to summitry.store.articles._PG_STATEMENT_TSV, or PostgreSQL will not
# use the index for searches (it matches index expressions textually).
PG_STATEMENT_TSV = (
    "to_tsvector('simple'::regconfig, coalesce(quote, '') || ' ' || "
    "coalesce(speaker, '') || ' ' || coalesce(speaker_mention, ''))"
)

SQLITE_FTS = [
    # FTS5 keeps its own copy of the text, under rowids we hand out in statements_fts_keys.
    # An external-content table would need the statements' rowid, which VACUUM may renumber
    # in a table with a text primary key; and deleting by an UNINDEXED statement_id column
    # would scan the whole index for every deleted row. The keys table makes both exact.
    "CREATE TABLE statements_fts_keys ("
    " fts_rowid INTEGER PRIMARY KEY, statement_id TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE statements_fts USING fts5("
    " quote, speaker, speaker_mention, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN"
    " INSERT INTO statements_fts_keys (statement_id) VALUES (new.id);"
    " INSERT INTO statements_fts (rowid, quote, speaker, speaker_mention)"
    " SELECT fts_rowid, new.quote, new.speaker, new.speaker_mention"
    " FROM statements_fts_keys WHERE statement_id = new.id; END",
    "CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN"
    " DELETE FROM statements_fts WHERE rowid ="
    " (SELECT fts_rowid FROM statements_fts_keys WHERE statement_id = old.id);"
    " DELETE FROM statements_fts_keys WHERE statement_id = old.id; END",
    "CREATE TRIGGER statements_fts_update AFTER UPDATE OF quote, speaker, speaker_mention"
    " ON statements BEGIN"
    " UPDATE statements_fts SET quote = new.quote, speaker = new.speaker,"
    " speaker_mention = new.speaker_mention WHERE rowid ="
    " (SELECT fts_rowid FROM statements_fts_keys WHERE statement_id = new.id); END",
    "INSERT INTO statements_fts_keys (statement_id) SELECT id FROM statements ORDER BY id",
    "INSERT INTO statements_fts (rowid, quote, speaker, speaker_mention)"
    " SELECT k.fts_rowid, s.quote, s.speaker, s.speaker_mention"
    " FROM statements s JOIN statements_fts_keys k ON k.statement_id = s.id",
]

# Lightweight tables for the backfill: the state of the schema at this revision.
actors = sa.table("actors", sa.column("id", sa.Integer), sa.column("name", sa.Text),
                  sa.column("kind", sa.String))
statements = sa.table("statements", sa.column("id", sa.String), sa.column("speaker", sa.Text),
                      sa.column("speaker_actor_id", sa.Integer))
meeting_reports = sa.table("meeting_reports", sa.column("id", sa.String),
                           sa.column("participants", sa.JSON))
meeting_participants = sa.table("meeting_participants",
                                sa.column("meeting_report_id", sa.String),
                                sa.column("actor_id", sa.Integer))


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False, server_default="person"),
        sa.Column("registry_id", sa.Text),
    )
    with op.batch_alter_table("statements") as batch:
        batch.add_column(sa.Column("speaker_actor_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_statements_speaker_actor_id", "actors",
                                 ["speaker_actor_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_statements_speaker_actor_id", ["speaker_actor_id"])
    op.create_table(
        "meeting_participants",
        sa.Column("meeting_report_id", sa.String,
                  sa.ForeignKey("meeting_reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("actors.id", ondelete="CASCADE"),
                  primary_key=True),
    )
    op.create_index("ix_meeting_participants_actor_id", "meeting_participants", ["actor_id"])
    _backfill_actors(op.get_bind())
    # After the batch rebuild of `statements` above: rebuilding a table drops its triggers.
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_statements_fulltext ON statements USING gin ({PG_STATEMENT_TSV})")


def _backfill_actors(bind) -> None:
    """Actor rows for every speaker and participant already stored, all kind 'person'
    (0001 knew no kinds; the store corrects nothing it was not told)."""
    meetings = [(mid, _names(raw)) for mid, raw in bind.execute(
        sa.select(meeting_reports.c.id, meeting_reports.c.participants))]
    speakers = {name for (name,) in bind.execute(
        sa.select(statements.c.speaker).where(statements.c.speaker.is_not(None)).distinct())
        if name.strip()}
    names = sorted(speakers | {name for _, group in meetings for name in group})
    if names:
        bind.execute(sa.insert(actors), [{"name": n, "kind": "person"} for n in names])
    ids = dict(bind.execute(sa.select(actors.c.name, actors.c.id)).all())
    for name in speakers:
        bind.execute(sa.update(statements).where(statements.c.speaker == name)
                     .values(speaker_actor_id=ids[name]))
    links = [{"meeting_report_id": mid, "actor_id": ids[name]}
             for mid, group in meetings for name in sorted(set(group))]
    if links:
        bind.execute(sa.insert(meeting_participants), links)


def _names(raw) -> list[str]:
    value = json.loads(raw) if isinstance(raw, str) else raw
    return [n for n in (value or []) if isinstance(n, str) and n.strip()]


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS statements_fts_{name}")
        op.execute("DROP TABLE IF EXISTS statements_fts")
        op.execute("DROP TABLE IF EXISTS statements_fts_keys")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_statements_fulltext")
    op.drop_table("meeting_participants")
    with op.batch_alter_table("statements") as batch:
        batch.drop_index("ix_statements_speaker_actor_id")
        batch.drop_constraint("fk_statements_speaker_actor_id", type_="foreignkey")
        batch.drop_column("speaker_actor_id")
    op.drop_table("actors")
