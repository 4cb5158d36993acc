"""An index for the meeting listing's default order, newest first.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

The desk lists meeting reports newest first by default: the date descending (undated last,
as '' below every date), then article and position ascending. 0013 indexed only the oldest-
first order, so the default page sorted every report (about 100 ms of server CPU at 24,000
reports, growing with the record). An index with the first column descending serves the
mixed order on SQLite and PostgreSQL; the '' is written into the SQL for the same reason as
in 0013 (SQLite matches an index expression only to the same literal text).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_meeting_reports_newest", "meeting_reports",
                    [sa.text("coalesce(date, '') DESC"), "article_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_meeting_reports_newest", "meeting_reports")
