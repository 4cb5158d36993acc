"""Confidence on records and findings; findings that wait for a person.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

- `confidence` (nullable float) on statements, meeting reports and commitments: how firmly
  the text supports the record, from the extractor; NULL in rows written before it.
- `confidence` and `state` on fact flags and contradictions: a finding is shown by default
  only when it rests on confident records and a clear rule (`finding`); otherwise it waits in
  the review queue (`candidate`); a fact check the reference record cannot make is a quiet
  `notice`; a person's decision makes it `confirmed` or `dismissed`. NULL in older rows,
  read from the kind (not_in_reference: notice; the others: finding).
- `finding_verdicts`: people's standing verdicts on findings, by the finding's content key
  (findings are recomputed; the verdict outlives the row).
- `rating_candidates`: status changes the rules propose but are not sure of.

Plain ADD COLUMN and CREATE TABLE: SQLite rebuilds nothing, and every row is kept.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

RECORD_TABLES = ("statements", "meeting_reports", "commitments")
FINDING_TABLES = ("fact_flags", "contradictions")


def upgrade() -> None:
    for table in RECORD_TABLES:
        op.add_column(table, sa.Column("confidence", sa.Float))
    for table in FINDING_TABLES:
        op.add_column(table, sa.Column("confidence", sa.Float))
        op.add_column(table, sa.Column("state", sa.String(16)))
    op.create_table(
        "finding_verdicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_finding_verdicts_key", "finding_verdicts", ["kind", "key"], unique=True)
    op.create_table(
        "rating_candidates",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("commitment_id", sa.String, sa.ForeignKey("commitments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("evidence_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_rating_candidates_commitment_id", "rating_candidates", ["commitment_id"])


def downgrade() -> None:
    op.drop_index("ix_rating_candidates_commitment_id", "rating_candidates")
    op.drop_table("rating_candidates")
    op.drop_index("ix_finding_verdicts_key", "finding_verdicts")
    op.drop_table("finding_verdicts")
    for table in FINDING_TABLES:
        op.drop_column(table, "state")
        op.drop_column(table, "confidence")
    for table in RECORD_TABLES:
        op.drop_column(table, "confidence")
