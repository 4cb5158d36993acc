"""Stored fact flags and contradictions between accounts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Only new tables, so no existing table (nor the SQLite full-text triggers of 0002) is touched.
Both start empty: `Store.save_record` stores an article's flags, and `summitry link`
(`Store.link_meetings`, `Store.refresh_flags`, `Store.refresh_contradictions`) fills both
for records saved before this revision.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fact_flags",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("article_id", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("claim", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("reference_id", sa.String),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("extractor_version", sa.String),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_fact_flags_article_id", "fact_flags", ["article_id"])
    op.create_table(
        "contradictions",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("meeting_id", sa.String, nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("sides", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_contradictions_meeting_id", "contradictions", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("contradictions")
    op.drop_table("fact_flags")
