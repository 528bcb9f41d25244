"""The corpus database: open (and migrate), save analysed articles in batches, record rejects, search.

SQLite by default (one file); any SQLAlchemy URL otherwise. Everything bound to SQL is a parameter.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import create_engine, delete, event, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from babelwire.link.identity import fold  # aliases are searched the way identities compare names
from babelwire.store.tables import (Article, ArticleEntity, ArticleLink, EntityAlias, EntityRow, Reject, StoryArticle, StoryRow,
                                    utc_now)

if TYPE_CHECKING:
    from babelwire.store.linking import CorpusLinker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_URL = "sqlite:///babelwire.db"


class StoreError(Exception):
    """A problem a user can act on (a bad URL, a bad query), in one line."""


def database_url(value: str | None) -> str:
    """A SQLAlchemy URL from what a user gives: a URL, or a path to an SQLite file."""
    if not value:
        return DEFAULT_URL
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def content_hash(text_value: str) -> str:
    return hashlib.sha256(text_value.encode("utf-8", "surrogatepass")).hexdigest()




def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # a killed writer leaves the database consistent
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@dataclass
class SearchFilters:
    query: str | None = None
    language: str | None = None
    source: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    entity: str | None = None  # an entity id, or a name in any language or script
    has_debris: bool | None = None
    has_foreign: bool | None = None  # parts of the body in another language (untranslated passages)
    story: str | None = None  # a story id
    has_translation: bool | None = None  # linked as a translation of (or to) another stored article
    has_copy: bool | None = None  # linked as a duplicate or near-duplicate
    sort: str = "relevance"  # relevance or date
    page: int = 1
    per_page: int = 20


@dataclass
class SearchPage:
    total: int
    page: int
    per_page: int
    items: list[dict[str, Any]] = field(default_factory=list)


class Store:
    def __init__(self, url: str | None = None):
        self.url = database_url(url)
        try:
            self.engine: Engine = create_engine(self.url, future=True)
        except Exception as error:  # SQLAlchemy raises several kinds for a malformed URL
            raise StoreError(f"database URL {self.url!r}: {error}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.upgrade()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def upgrade(self) -> None:
        """Brings the schema to the newest migration."""
        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as error:
            raise StoreError(f"database {self.url}: {error.orig}") from None

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # --- writing ------------------------------------------------------------------------------
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(set(hashes))
        found: set[str] = set()
        with self.session() as session:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                found.update(session.scalars(select(Article.content_hash).where(Article.content_hash.in_(chunk))))
        return found

    def save_batch(self, records: Sequence[dict[str, Any]], rejects: Sequence[tuple[str, str]] = (), resolved_paths: Sequence[str] = (),
                   linker: "CorpusLinker | None" = None, prepared: Sequence[tuple[Any, Any]] = ()) -> list[int]:
        """Stores analysed articles and rejects in ONE transaction: a batch is all there or not at all.

        Each record is an analysis (output contract) plus ``provenance``. ``resolved_paths`` are
        inputs now stored or found stored, whose earlier reject rows are removed. With a ``linker``
        (and each record's signature and embedding in ``prepared``), the articles' links and stories
        are stored in the same transaction.
        """
        ids: list[int] = []
        try:
            with self.session() as session, session.begin():
                for record in records:
                    article = _article_row(record)
                    session.add(article)
                    session.flush()
                    ids.append(article.id)
                    self._index_article(session, article, record)
                if linker is not None and records:
                    linker.link(session, [(article_id, signature, embedding) for article_id, (signature, embedding) in zip(ids, prepared)])
                self._save_rejects(session, records, rejects, resolved_paths)
        except BaseException:
            if linker is not None:
                linker.forget()  # its indexes saw articles that were not committed
            raise
        return ids

    @staticmethod
    def _save_rejects(session: Session, records, rejects, resolved_paths) -> None:
        paths = [record["provenance"].get("path") for record in records if record["provenance"].get("path")] + list(resolved_paths)
        if paths:
            session.execute(delete(Reject).where(Reject.path.in_(paths)))
        for path, reason in rejects:
            existing = session.scalar(select(Reject).where(Reject.path == path))
            if existing:
                existing.reason, existing.rejected_at, existing.attempts = reason, utc_now(), existing.attempts + 1
            else:
                session.add(Reject(path=path, reason=reason))

    def _index_article(self, session: Session, article: Article, record: dict[str, Any]) -> None:
        if self.is_sqlite:
            session.execute(text("INSERT INTO article_search(rowid, title, body) VALUES (:id, :title, :body)"),
                            {"id": article.id, "title": article.title or "", "body": article.clean_text})
        counts: dict[str, int] = {}
        for mention in record.get("mentions", []):
            if mention.get("entity_id"):
                counts[mention["entity_id"]] = counts.get(mention["entity_id"], 0) + 1
        languages = {m.get("entity_id"): m.get("language", "und") for m in record.get("mentions", [])}
        for entity in record.get("entities", []):
            if entity["id"] not in counts:
                continue
            if session.get(EntityRow, entity["id"]) is None:
                session.add(EntityRow(id=entity["id"], name=entity["name"], type=entity["type"], knowledge_base_id=entity.get("knowledge_base_id")))
                session.flush()
            for alias in {entity["name"], *entity.get("aliases", [])}:
                language = languages.get(entity["id"], "und")
                exists = session.scalar(select(EntityAlias.id).where(EntityAlias.entity_id == entity["id"], EntityAlias.alias == alias, EntityAlias.language == language))
                if exists is None:
                    session.add(EntityAlias(entity_id=entity["id"], alias=alias, folded=fold(alias), language=language))
            session.add(ArticleEntity(article_id=article.id, entity_id=entity["id"], mentions=counts[entity["id"]]))

    def replace_analysis(self, article_id: int, record: dict[str, Any]) -> None:
        """Refreshes a stored article's analysis (after an upgrade), keeping its id and ingestion time."""
        with self.session() as session, session.begin():
            article = session.get(Article, article_id)
            fresh = _article_row(record)
            for column in ("clean_hash", "title", "language", "published", "published_source", "clean_text", "analysis",
                           "foreign_share", "debris_count", "babelwire_version", "models"):
                setattr(article, column, getattr(fresh, column))
            article.analysed_at = utc_now()
            session.execute(delete(ArticleEntity).where(ArticleEntity.article_id == article_id))
            if self.is_sqlite:
                session.execute(text("DELETE FROM article_search WHERE rowid = :id"), {"id": article_id})
            session.flush()
            self._index_article(session, article, record)

    # --- reading ------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.session() as session:
            return {
                "articles": session.scalar(select(func.count(Article.id))) or 0,
                "rejects": session.scalar(select(func.count(Reject.id))) or 0,
                "entities": session.scalar(select(func.count(EntityRow.id))) or 0,
                "stories": session.scalar(select(func.count(StoryRow.id))) or 0,
                "links": session.scalar(select(func.count(ArticleLink.id))) or 0,
            }

    def rejects(self) -> list[dict[str, Any]]:
        with self.session() as session:
            rows = session.scalars(select(Reject).order_by(Reject.rejected_at, Reject.id))
            return [{"path": r.path, "reason": r.reason, "rejected_at": r.rejected_at.isoformat(), "attempts": r.attempts} for r in rows]

    def reject_paths(self) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(Reject.path).order_by(Reject.id)))

    def article(self, article_id: int) -> dict[str, Any] | None:
        with self.session() as session:
            article = session.get(Article, article_id)
            if article is None:
                return None
            membership = session.get(StoryArticle, article_id)
            return {**article.analysis, "article_id": article.id, "provenance": _provenance(article),
                    "story_id": membership.story_id if membership else None, "links": self._links_of(session, article_id)}

    # --- links and stories --------------------------------------------------------------------
    def links_of(self, article_id: int) -> list[dict[str, Any]]:
        """The article's copies and translations (both directions), best first, then the other
        articles of its story as same-story links."""
        with self.session() as session:
            return self._links_of(session, article_id)

    @staticmethod
    def _links_of(session: Session, article_id: int, story_members: int = 50) -> list[dict[str, Any]]:
        links = []
        rows = session.execute(select(ArticleLink).where((ArticleLink.a == article_id) | (ArticleLink.b == article_id))
                               .order_by(ArticleLink.score.desc(), ArticleLink.id)).scalars().all()
        others = {row.b if row.a == article_id else row.a for row in rows}
        membership = session.get(StoryArticle, article_id)
        members = []
        if membership is not None:
            members = session.execute(select(StoryArticle).where(StoryArticle.story_id == membership.story_id, StoryArticle.article_id != article_id)
                                      .order_by(StoryArticle.similarity.desc(), StoryArticle.article_id).limit(story_members)).scalars().all()
        described = {row.id: row for row in session.execute(
            select(Article.id, Article.title, Article.language, Article.published, Article.source)
            .where(Article.id.in_(others | {m.article_id for m in members})))}
        for row in rows:
            other = row.b if row.a == article_id else row.a
            info = described.get(other)
            links.append({"article_id": other, "title": info.title if info else None, "language": info.language if info else None,
                          "published": info.published if info else None, "kind": row.kind, "score": row.score, "evidence": row.evidence,
                          "direction": "earlier" if row.a == other else "later"})
        for member in members:
            if member.article_id in others:
                continue
            info = described.get(member.article_id)
            links.append({"article_id": member.article_id, "title": info.title if info else None, "language": info.language if info else None,
                          "published": info.published if info else None, "kind": "same-story", "score": member.similarity,
                          "evidence": {"story": membership.story_id}, "direction": None})
        return links

    def stories(self, page: int = 1, per_page: int = 20, sort: str = "latest", language: str | None = None) -> SearchPage:
        """Stories, latest (by their last date) or largest first."""
        per_page = max(1, min(per_page, 200))
        page = max(1, page)
        query = select(StoryRow)
        if language:
            # languages is a JSON list; the membership table answers without JSON functions.
            query = query.where(StoryRow.id.in_(select(StoryArticle.story_id).join(Article, Article.id == StoryArticle.article_id)
                                                .where(Article.language == language)))
        order = (StoryRow.size.desc(), StoryRow.last.desc(), StoryRow.id) if sort == "largest" else (StoryRow.last.desc(), StoryRow.size.desc(), StoryRow.id)
        with self.session() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(query.order_by(*order).limit(per_page).offset((page - 1) * per_page)).all()
            return SearchPage(total, page, per_page, [_story_dict(row) for row in rows])

    def story(self, story_id: str) -> dict[str, Any] | None:
        """A story with its timeline and the copy and translation links among its articles."""
        with self.session() as session:
            row = session.get(StoryRow, story_id)
            if row is None:
                return None
            members = session.execute(
                select(StoryArticle.article_id, StoryArticle.date, StoryArticle.similarity, Article.title, Article.language, Article.source, Article.published)
                .join(Article, Article.id == StoryArticle.article_id).where(StoryArticle.story_id == story_id)
                .order_by(StoryArticle.date.is_(None), StoryArticle.date, StoryArticle.article_id)).all()
            ids = [member.article_id for member in members]
            links = []
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                links.extend(session.scalars(select(ArticleLink).where(ArticleLink.a.in_(ids), ArticleLink.b.in_(chunk))).all())
            return {**_story_dict(row),
                    "timeline": [{"date": m.date, "article_id": m.article_id, "title": m.title, "language": m.language,
                                  "source": m.source, "published": m.published, "similarity": m.similarity} for m in members],
                    "links": [{"a": link.a, "b": link.b, "kind": link.kind, "score": link.score, "evidence": link.evidence}
                              for link in sorted(links, key=lambda link: (link.a, link.b, link.kind))]}

    def translation_group(self, article_id: int) -> list[int]:
        """The article and every article tied to it by translation or copy links, transitively."""
        group, frontier = {article_id}, [article_id]
        with self.session() as session:
            while frontier and len(group) < 1000:
                rows = session.execute(select(ArticleLink.a, ArticleLink.b).where(
                    ArticleLink.kind.in_(("duplicate", "near-duplicate", "translation")),
                    ArticleLink.a.in_(frontier) | ArticleLink.b.in_(frontier))).all()
                frontier = [other for a, b in rows for other in (a, b) if other not in group]
                group.update(frontier)
        return sorted(group)

    def article_ids(self) -> list[int]:
        with self.session() as session:
            return list(session.scalars(select(Article.id).order_by(Article.id)))

    def entity_ids_for(self, name_or_id: str) -> list[str]:
        """Entities a user means by a name in any language or script (through aliases), or by id."""
        with self.session() as session:
            if session.get(EntityRow, name_or_id) is not None:
                return [name_or_id]
            folded = fold(name_or_id)
            ids = set(session.scalars(select(EntityAlias.entity_id).where(EntityAlias.folded == folded)))
            try:
                from babelwire.link.identity import entity_ids_for_name
            except ImportError:  # the identity stage is optional for search
                return sorted(ids)
            candidates = [candidate for candidate in entity_ids_for_name(name_or_id) if session.get(EntityRow, candidate) is not None]
            return sorted(ids | set(candidates))

    def search(self, filters: SearchFilters) -> SearchPage:
        conditions, params, joins = [], {}, ""
        order = "a.published DESC, a.id DESC"
        if filters.query and filters.query.strip():
            if not self.is_sqlite:
                raise StoreError("full-text search needs the SQLite store in this version")
            joins += " JOIN article_search s ON s.rowid = a.id"
            conditions.append("article_search MATCH :query")
            params["query"] = filters.query
            if filters.sort == "relevance":
                order = "bm25(article_search) ASC, a.id DESC"
        for column, value in (("a.language", filters.language), ("a.source", filters.source)):
            if value:
                name = column.split(".")[1]
                conditions.append(f"{column} = :{name}")
                params[name] = value
        if filters.date_from:
            conditions.append("a.published >= :date_from")
            params["date_from"] = filters.date_from
        if filters.date_to:
            conditions.append("substr(a.published, 1, :date_to_length) <= :date_to")
            params.update(date_to=filters.date_to, date_to_length=len(filters.date_to))
        if filters.has_debris is not None:
            conditions.append("a.debris_count > 0" if filters.has_debris else "a.debris_count = 0")
        if filters.has_foreign is not None:
            conditions.append("a.foreign_share > 0" if filters.has_foreign else "a.foreign_share = 0")
        if filters.story:
            conditions.append("a.id IN (SELECT article_id FROM story_articles WHERE story_id = :story)")
            params["story"] = filters.story
        for flag, kinds in ((filters.has_translation, "'translation'"), (filters.has_copy, "'duplicate', 'near-duplicate'")):
            if flag is not None:
                linked = f"EXISTS (SELECT 1 FROM article_links l WHERE (l.a = a.id OR l.b = a.id) AND l.kind IN ({kinds}))"
                conditions.append(linked if flag else f"NOT {linked}")
        if filters.entity:
            entity_ids = self.entity_ids_for(filters.entity)
            if not entity_ids:
                return SearchPage(0, filters.page, filters.per_page)
            placeholders = ", ".join(f":entity{index}" for index in range(len(entity_ids)))
            conditions.append(f"a.id IN (SELECT article_id FROM article_entities WHERE entity_id IN ({placeholders}))")
            params.update({f"entity{index}": value for index, value in enumerate(entity_ids)})
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        per_page = max(1, min(filters.per_page, 200))
        page = max(1, filters.page)
        params.update(limit=per_page, offset=(page - 1) * per_page)
        sql_from = f"FROM articles a{joins}{where}"
        snippet = "snippet(article_search, 1, '[', ']', '…', 12)" if "article_search" in joins else "substr(a.clean_text, 1, 160)"
        try:
            with self.engine.connect() as connection:
                total = connection.execute(text(f"SELECT count(*) {sql_from}"), params).scalar_one()
                rows = connection.execute(text(
                    f"SELECT a.id, a.title, a.language, a.published, a.source, a.foreign_share, {snippet} AS snippet "
                    f"{sql_from} ORDER BY {order} LIMIT :limit OFFSET :offset"), params).mappings().all()
        except OperationalError as error:
            # With a full-text query, SQLite's complaints (syntax, unterminated string, unknown
            # column) are about the user's query: the rest of the statement is ours and fixed.
            if filters.query and isinstance(error.orig, sqlite3.OperationalError):
                raise StoreError(f"search query {filters.query!r} is not valid full-text syntax ({error.orig}); put words in double quotes to search them as they are") from None
            raise
        return SearchPage(total, page, per_page, [dict(row) for row in rows])

    def top_entities(self, limit: int = 50) -> list[dict[str, Any]]:
        with self.session() as session:
            rows = session.execute(
                select(EntityRow.id, EntityRow.name, EntityRow.type, func.sum(ArticleEntity.mentions).label("mentions"), func.count(ArticleEntity.article_id).label("articles"))
                .join(ArticleEntity, ArticleEntity.entity_id == EntityRow.id)
                .group_by(EntityRow.id).order_by(func.sum(ArticleEntity.mentions).desc(), EntityRow.id).limit(limit)
            ).all()
            result = []
            for row in rows:
                aliases = sorted(set(session.scalars(select(EntityAlias.alias).where(EntityAlias.entity_id == row.id))))
                result.append({"id": row.id, "name": row.name, "type": row.type, "mentions": row.mentions, "articles": row.articles, "aliases": aliases})
            return result


def _article_row(record: dict[str, Any]) -> Article:
    provenance = record["provenance"]
    metadata = record["metadata"]
    return Article(
        content_hash=content_hash(record["text"]), clean_hash=content_hash(record["clean_text"]),
        external_id=metadata.get("id"), title=metadata.get("title"), language=record["language"],
        published=record["published"]["value"], published_source=record["published"]["source"],
        source=metadata.get("source"), url=metadata.get("url"), text=record["text"], clean_text=record["clean_text"],
        analysis={key: value for key, value in record.items() if key != "provenance"},
        foreign_share=record["diagnostics"].get("foreign_share", 0.0),
        debris_count=sum(record["diagnostics"].get("debris", {}).values()),
        source_path=provenance.get("path"), reader=metadata.get("reader"),
        babelwire_version=record["babelwire_version"], models=provenance.get("models", {}),
    )


def _story_dict(row: StoryRow) -> dict[str, Any]:
    return {"id": row.id, "headline": row.headline, "label_entities": row.label_entities, "label_entity_ids": row.label_entity_ids,
            "first": row.first, "last": row.last, "languages": row.languages, "sources": row.sources, "size": row.size,
            "closed": row.closed}


def _provenance(article: Article) -> dict[str, Any]:
    return {
        "path": article.source_path, "reader": article.reader, "babelwire_version": article.babelwire_version,
        "models": article.models, "ingested_at": article.ingested_at.isoformat() if article.ingested_at else None,
        "analysed_at": article.analysed_at.isoformat() if article.analysed_at else None,
    }


__all__ = ["Store", "StoreError", "SearchFilters", "SearchPage", "content_hash", "database_url", "fold"]
