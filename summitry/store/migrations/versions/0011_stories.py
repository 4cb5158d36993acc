"""One story, many copies: near-duplicate articles.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

`articles.story_id` names the story an article is a copy of (the id of its first article;
its own id for the first), `articles.minhash` keeps its MinHash signature, and `story_bands`
is the LSH index of the signatures (`summitry.link.stories`), so that copies are found after
a restart and from any process. Articles stored before get theirs at the next link run
(`Store.assign_missing_stories`); until then counts treat each as a story of its own. Every row is kept.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("story_id", sa.String))
    op.add_column("articles", sa.Column("minhash", sa.LargeBinary))
    op.create_index("ix_articles_story_id", "articles", ["story_id"])
    op.create_table(
        "story_bands",
        sa.Column("band", sa.String(40), primary_key=True),
        sa.Column("article_id", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("story_bands")
    op.drop_index("ix_articles_story_id", "articles")
    op.drop_column("articles", "minhash")
    op.drop_column("articles", "story_id")
