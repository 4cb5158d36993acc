"""The hash of an article as it was read.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Article text is repaired at the door (mojibake, by ftfy), so the stored text is not what was
read; `articles.original_sha256` keeps the SHA-256 of the bytes read (file, page, JSONL line)
for provenance. NULL for articles stored before. Plain ADD COLUMN: every row is kept.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("original_sha256", sa.String(64)))


def downgrade() -> None:
    op.drop_column("articles", "original_sha256")
