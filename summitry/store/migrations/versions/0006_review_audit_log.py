"""Review by people: standing verdicts on extracted records and an append-only audit log.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24

`reviews` holds a person's standing verdict on one statement or meeting report (accepted,
corrected, rejected) with the reviewed values and the offsets the record was extracted at,
so that `Store.save_record` can find the record again after a re-extraction and re-apply
the verdict. `audit_log` holds every change (who, when, before, after, why); the store
only ever inserts into it. Both `statements` and `meeting_reports` get a nullable
`review_status` column: plain ADD COLUMN, so SQLite does not rebuild the tables and the
full-text triggers of 0002 stay in place.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String, nullable=False),
        sa.Column("article_id", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("anchor_start", sa.Integer),
        sa.Column("anchor_end", sa.Integer),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("reviewed", sa.JSON, nullable=False),
        sa.Column("applied_version", sa.String),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reviews_article_id", "reviews", ["article_id"])
    op.create_index("ix_reviews_record", "reviews", ["kind", "record_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("review_id", sa.String),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.String, nullable=False),
        sa.Column("article_id", sa.String),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON),
        sa.Column("after", sa.JSON),
        sa.Column("why", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_log_review_id", "audit_log", ["review_id"])
    op.create_index("ix_audit_log_record", "audit_log", ["kind", "record_id"])
    op.add_column("statements", sa.Column("review_status", sa.String(16)))
    op.add_column("meeting_reports", sa.Column("review_status", sa.String(16)))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): no table rebuild, so the triggers of 0002 survive
    op.drop_column("meeting_reports", "review_status")
    op.drop_column("statements", "review_status")
    op.drop_table("audit_log")
    op.drop_table("reviews")
