"""Every reference entry a fact flag rests on.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24

`fact_flags.reference_id` holds one entry, but a flag can rest on several (a
count_list_mismatch names the wrong and the missing entries of the article's list). The
nullable JSON `reference_ids` holds them all; rows written before it are NULL and read as
`[reference_id]`. Plain ADD COLUMN, so SQLite does not rebuild the table (as in 0006).
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("fact_flags", sa.Column("reference_ids", sa.JSON))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): no table rebuild
    op.drop_column("fact_flags", "reference_ids")
