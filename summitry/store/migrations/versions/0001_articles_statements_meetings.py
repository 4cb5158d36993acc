"""First schema: articles, statements and meeting reports.

Revision ID: 0001
Revises:
Create Date: 2026-05-20

Migrations are frozen history: they spell out their tables instead of importing
the models, which describe only the newest schema.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("origin", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_version", sa.String),
    )
    op.create_table(
        "statements",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("article_id", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("speaker", sa.Text),
        sa.Column("speaker_mention", sa.Text),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cue", sa.Text),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("parts", sa.JSON),
        sa.Column("mention_start", sa.Integer),
        sa.Column("mention_end", sa.Integer),
        sa.Column("sentence", sa.Text),
        sa.Column("extractor_version", sa.String, nullable=False),
    )
    op.create_index("ix_statements_article_id", "statements", ["article_id"])
    op.create_table(
        "meeting_reports",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("article_id", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("participants", sa.JSON, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("place", sa.Text),
        sa.Column("occasion", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16)),
        sa.Column("scheduled_minutes", sa.Integer),
        sa.Column("actual_minutes", sa.Integer),
        sa.Column("others_present", sa.JSON),
        sa.Column("evidence", sa.Text),
        sa.Column("evidence_start", sa.Integer),
        sa.Column("evidence_end", sa.Integer),
        sa.Column("extractor_version", sa.String, nullable=False),
    )
    op.create_index("ix_meeting_reports_article_id", "meeting_reports", ["article_id"])
    op.create_index("ix_meeting_reports_date", "meeting_reports", ["date"])


def downgrade() -> None:
    op.drop_table("meeting_reports")
    op.drop_table("statements")
    op.drop_table("articles")
