"""Canonical meetings: meetings linked across articles, their reports and redirects.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Only new tables: no existing table is rebuilt, so the SQLite full-text triggers on
`statements` (made in 0002) stay as they are. The new tables start empty; `summitry link`
fills them from the stored meeting reports.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("participants", sa.JSON, nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("place", sa.Text),
        sa.Column("occasion", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("format", sa.String(16)),
        sa.Column("scheduled_minutes", sa.Integer),
        sa.Column("actual_minutes", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_meetings_date", "meetings", ["date"])
    op.create_table(
        "meeting_report_links",
        sa.Column("meeting_report_id", sa.String,
                  sa.ForeignKey("meeting_reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("meeting_id", sa.String, sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                  nullable=False),
    )
    op.create_index("ix_meeting_report_links_meeting_id", "meeting_report_links", ["meeting_id"])
    op.create_table(
        "meeting_redirects",
        sa.Column("old_id", sa.String, primary_key=True),
        sa.Column("new_id", sa.String, sa.ForeignKey("meetings.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_meeting_redirects_new_id", "meeting_redirects", ["new_id"])


def downgrade() -> None:
    op.drop_table("meeting_redirects")
    op.drop_table("meeting_report_links")
    op.drop_table("meetings")
