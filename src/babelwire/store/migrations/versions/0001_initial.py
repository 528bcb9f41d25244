"""Articles, rejects, entities and their aliases, and the full-text index.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("clean_hash", sa.String(64), nullable=False, index=True),
        sa.Column("external_id", sa.String(200)),
        sa.Column("title", sa.Text),
        sa.Column("language", sa.String(8), nullable=False, index=True),
        sa.Column("published", sa.String(40), index=True),
        sa.Column("published_source", sa.String(16), nullable=False),
        sa.Column("source", sa.String(200), index=True),
        sa.Column("url", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("clean_text", sa.Text, nullable=False),
        sa.Column("analysis", sa.JSON, nullable=False),
        sa.Column("foreign_share", sa.Float, nullable=False, server_default="0"),
        sa.Column("debris_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("source_path", sa.Text),
        sa.Column("reader", sa.String(20)),
        sa.Column("babelwire_version", sa.String(20), nullable=False),
        sa.Column("models", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rejects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("knowledge_base_id", sa.String(100)),
    )
    op.create_table(
        "entity_aliases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("folded", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.UniqueConstraint("entity_id", "alias", "language"),
    )
    op.create_index("ix_entity_aliases_folded", "entity_aliases", ["folded"])
    op.create_table(
        "article_entities",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("mentions", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_index("ix_article_entities_entity_id", "article_entities", ["entity_id"])
    if op.get_bind().dialect.name == "sqlite":
        # Diacritics-insensitive full-text search; rowid is the article id.
        op.execute("CREATE VIRTUAL TABLE article_search USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS article_search")
    for table in ("article_entities", "entity_aliases", "entities", "rejects", "articles"):
        op.drop_table(table)
