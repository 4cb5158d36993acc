"""What `watch` keeps between runs.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

`fetch_state`: per feed or page URL, the ETag and Last-Modified of the last answer (for a
conditional GET), the article stored from it, and the last error with the failures in a row.
`alert_state`: per saved query, the matches already posted to the webhook, each with a digest
of what it said (a changed meeting is posted again). New tables only.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fetch_state",
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("article_id", sa.String),
        sa.Column("error", sa.Text),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "alert_state",
        sa.Column("alert", sa.Text, primary_key=True),
        sa.Column("item", sa.Text, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alert_state")
    op.drop_table("fetch_state")
