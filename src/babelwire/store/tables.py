"""The corpus database schema (SQLAlchemy 2). Changes to it go through Alembic migrations in
migrations/versions; the SQLite full-text index (FTS5) is created there too."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the original text
    clean_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the clean text: exact duplicates
    external_id: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), index=True)
    published: Mapped[str | None] = mapped_column(String(40), index=True)
    published_source: Mapped[str] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # the original, as read
    clean_text: Mapped[str] = mapped_column(Text)
    analysis: Mapped[dict] = mapped_column(JSON)  # the whole analysis (output contract)
    foreign_share: Mapped[float] = mapped_column(Float, default=0.0)
    debris_count: Mapped[int] = mapped_column(Integer, default=0)
    # Provenance: where it came from and what analysed it.
    source_path: Mapped[str | None] = mapped_column(Text)
    reader: Mapped[str | None] = mapped_column(String(20))
    babelwire_version: Mapped[str] = mapped_column(String(20))
    models: Mapped[dict] = mapped_column(JSON, default=dict)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    analysed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Reject(Base):
    """An input that could not be stored, with why; a later run that stores it removes the row."""

    __tablename__ = "rejects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    reason: Mapped[str] = mapped_column(Text)
    rejected_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the identity shared across articles
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(8))
    knowledge_base_id: Mapped[str | None] = mapped_column(String(100))


class EntityAlias(Base):
    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias", "language"), Index("ix_entity_aliases_folded", "folded"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)  # lower case, accents and script folded, for search
    language: Mapped[str] = mapped_column(String(8))


class ArticleEntity(Base):
    __tablename__ = "article_entities"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, index=True)
    mentions: Mapped[int] = mapped_column(Integer, default=1)


# --- the link stage's results (migration 0002) ----------------------------------------------------
class ArticleLink(Base):
    """A relation between two stored articles: ``a`` was stored first, ``b`` was linked to it."""

    __tablename__ = "article_links"
    __table_args__ = (UniqueConstraint("a", "b", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    a: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    b: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)  # duplicate, near-duplicate, translation
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ArticleFingerprint(Base):
    """What the link stage keeps per article to find copies and translations of later ones: the
    headline+lead embedding and the MinHash of the body (both float32/uint64 bytes)."""

    __tablename__ = "article_fingerprints"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    embedding_model: Mapped[str | None] = mapped_column(String(100))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    shingles: Mapped[int] = mapped_column(Integer, default=0)
    clean_digest: Mapped[str] = mapped_column(String(64))  # exact copies: hash of the normalised clean text
    stream_day: Mapped[str | None] = mapped_column(String(10), index=True)  # the date, or the stream day it arrived


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    headline: Mapped[str] = mapped_column(Text)
    label_entities: Mapped[list] = mapped_column(JSON)
    label_entity_ids: Mapped[list] = mapped_column(JSON)
    first: Mapped[str | None] = mapped_column(String(10), index=True)
    last: Mapped[str | None] = mapped_column(String(10), index=True)
    languages: Mapped[list] = mapped_column(JSON)
    sources: Mapped[list] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(Integer, index=True)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class StoryArticle(Base):
    __tablename__ = "story_articles"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    date: Mapped[str | None] = mapped_column(String(10))
    similarity: Mapped[float] = mapped_column(Float)


class LinkState(Base):
    """Saved state of a stream linker (the open stories), written in the same transaction as the
    articles it has seen, so a killed run resumes exactly where the last batch ended."""

    __tablename__ = "link_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
