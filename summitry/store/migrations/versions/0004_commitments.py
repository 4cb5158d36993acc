"""Commitments and their append-only status history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

Only new tables: no existing table is rebuilt, so the SQLite full-text triggers on
`statements` (made in 0002) stay as they are. `commitments` starts empty: records saved
before this revision get theirs when their articles are extracted again
(`summitry ingest` re-extracts records made by an older extractor).

`commitment_status_changes.commitment_id` has no ON DELETE CASCADE on purpose: a rated
commitment cannot be deleted, so its history cannot be lost by accident.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("article_id", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("actors", sa.JSON, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("polarity", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due", sa.String(10)),
        sa.Column("cue", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("sentence", sa.Text),
        sa.Column("meeting_hint", sa.Text),
        sa.Column("actor_mention", sa.Text),
        sa.Column("extractor_version", sa.String, nullable=False),
        sa.Column("retracted_by_version", sa.String),
    )
    op.create_index("ix_commitments_article_id", "commitments", ["article_id"])
    op.create_table(
        "commitment_status_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("commitment_id", sa.String, sa.ForeignKey("commitments.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.Text, nullable=False),
    )
    op.create_index("ix_commitment_status_changes_commitment_id", "commitment_status_changes",
                    ["commitment_id"])


def downgrade() -> None:
    op.drop_table("commitment_status_changes")
    op.drop_table("commitments")
