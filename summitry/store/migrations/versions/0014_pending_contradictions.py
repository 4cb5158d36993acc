"""Meetings whose contradictions are still to be recomputed.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

`link` writes the canonical meetings in one transaction and their contradictions in a later
one. A run killed between the two left meetings changed but their contradictions not
recomputed, and the next run, finding nothing changed, never recomputed them (a finding was
lost). The meetings a link run touches are now noted here in the linking transaction, and
the note is removed in the transaction that stores their contradictions. New table only.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("pending_contradictions", sa.Column("meeting_id", sa.String(), primary_key=True))


def downgrade() -> None:
    op.drop_table("pending_contradictions")
