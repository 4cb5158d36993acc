"""Indexes for the listings' sort orders, and a data version for caches.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

The web listings sort by keys with a default for missing values (undated meeting reports
last: coalesce(date, '9999-99-99'), then article and position); an index on the same
expression lets a page of 50 be read in index order instead of sorting every matching row.
The constants are written into the SQL (not bound parameters) so that SQLite matches the
query's expression to the index's.

`data_version` holds one row, whose counter every write transaction of the Store raises
(see `summitry.store.store`): readers cache what they compute from the whole record (facet
counts, totals, a pair's page) under the version they read first, and recompute when it
has moved.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("data_version",
                    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("version", sa.BigInteger, nullable=False))
    op.execute("INSERT INTO data_version (id, version) VALUES (1, 0)")
    op.create_index("ix_meeting_reports_order", "meeting_reports",
                    [sa.text("coalesce(date, '9999-99-99')"), "article_id", "position"])
    op.create_index("ix_meetings_order", "meetings", [sa.text("coalesce(date, '9999-99-99')"), "id"])
    op.create_index("ix_statements_article_position", "statements", ["article_id", "position"])
    op.create_index("ix_articles_published_order", "articles",
                    [sa.text("coalesce(published, '9999-12-31')"), "id"])
    op.create_index("ix_articles_latest", "articles", ["published", "ingested_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_latest", "articles")
    op.drop_index("ix_articles_published_order", "articles")
    op.drop_index("ix_statements_article_position", "statements")
    op.drop_index("ix_meetings_order", "meetings")
    op.drop_index("ix_meeting_reports_order", "meeting_reports")
    op.drop_table("data_version")
