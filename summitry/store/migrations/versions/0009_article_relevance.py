"""Articles the relevance gate stopped.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

`articles.relevant` is False for an article whose text holds nothing of leader diplomacy by
the relevance gate (`summitry.nlp.relevance`): it is stored with an empty record, so that
ingesting it again is instant, and `ingest --no-gate` extracts it. NULL for the others.
Plain ADD COLUMN: every row is kept.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("relevant", sa.Boolean))


def downgrade() -> None:
    op.drop_column("articles", "relevant")
