"""The link stage in the corpus: links between articles, their fingerprints, stories, linker state.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "article_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("b", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False, index=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("evidence", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("a", "b", "kind"),
    )
    op.create_table(
        "article_fingerprints",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("embedding", sa.LargeBinary),
        sa.Column("embedding_model", sa.String(100)),
        sa.Column("minhash", sa.LargeBinary),
        sa.Column("shingles", sa.Integer, nullable=False, server_default="0"),
        sa.Column("clean_digest", sa.String(64), nullable=False),
        sa.Column("stream_day", sa.String(10), index=True),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("label_entities", sa.JSON, nullable=False),
        sa.Column("label_entity_ids", sa.JSON, nullable=False),
        sa.Column("first", sa.String(10), index=True),
        sa.Column("last", sa.String(10), index=True),
        sa.Column("languages", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("size", sa.Integer, nullable=False, index=True),
        sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.String(40), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("date", sa.String(10)),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_table(
        "link_state",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("link_state", "story_articles", "stories", "article_fingerprints", "article_links"):
        op.drop_table(table)
