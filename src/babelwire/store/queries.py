"""Read-only questions the web pages ask of the corpus: an entity's aliases, dates, companions and
quotations; articles per day, language and source; search facets.

Plain functions taking a Store. Everything bound to SQL is a parameter (SQLAlchemy Core / ORM).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from sqlalchemy import and_, func, literal_column, not_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from babelwire.link.identity import fold
from babelwire.store.database import SearchFilters, SearchPage, Store
from babelwire.store.tables import (
    Article,
    ArticleEntity,
    ArticleLink,
    EntityAlias,
    EntityRow,
    Reject,
    StoryArticle,
    StoryRow,
)

UNKNOWN_DATE = "unknown"
ENTITY_FACET_SCAN = 500  # entity facet counted over the latest matches only: a join over every mention costs too much


def _page_numbers(page: int, per_page: int, most: int = 200) -> tuple[int, int]:
    return max(1, int(page)), max(1, min(int(per_page), most))


def script_of(name: str) -> str:
    """The writing system of a name, from its letters: Latin, Cyrillic, Arabic, Han… ("mixed" when several)."""
    scripts = set()
    for character in name:
        if not character.isalpha():
            continue
        try:
            scripts.add(unicodedata.name(character).split(" ")[0].title())
        except ValueError:  # a letter without a name in this Python's Unicode tables
            continue
    if not scripts:
        return "none"
    if {"Cjk", "Hiragana", "Katakana"} & scripts:
        scripts = {"Han" if s == "Cjk" else s for s in scripts}
    return scripts.pop() if len(scripts) == 1 else "mixed"


# --- entities --------------------------------------------------------------------------------------
def entity(store: Store, entity_id: str) -> dict[str, Any] | None:
    """One entity with its totals and every alias, grouped by language, with its script."""
    with store.session() as session:
        row = session.get(EntityRow, entity_id)
        if row is None:
            return None
        totals = session.execute(
            select(func.count(ArticleEntity.article_id), func.coalesce(func.sum(ArticleEntity.mentions), 0))
            .where(ArticleEntity.entity_id == entity_id)).one()
        aliases = session.execute(
            select(EntityAlias.alias, EntityAlias.language).where(EntityAlias.entity_id == entity_id)
            .order_by(EntityAlias.language, EntityAlias.alias)).all()
    by_language: dict[str, list[dict[str, str]]] = {}
    for alias, language in aliases:
        by_language.setdefault(language, []).append({"alias": alias, "script": script_of(alias)})
    return {"id": row.id, "name": row.name, "type": row.type, "knowledge_base_id": row.knowledge_base_id,
            "articles": totals[0], "mentions": int(totals[1] or 0), "aliases_by_language": by_language}


def entity_timeline(store: Store, entity_id: str) -> list[dict[str, Any]]:
    """Articles and mentions of an entity per publication day, oldest first (undated last)."""
    day = func.substr(Article.published, 1, 10)
    with store.session() as session:
        rows = session.execute(
            select(day.label("day"), func.count(Article.id), func.sum(ArticleEntity.mentions))
            .join(ArticleEntity, ArticleEntity.article_id == Article.id)
            .where(ArticleEntity.entity_id == entity_id).group_by(day).order_by(day)).all()
    dated = [{"date": d, "articles": n, "mentions": int(m or 0)} for d, n, m in rows if d]
    undated = [{"date": UNKNOWN_DATE, "articles": n, "mentions": int(m or 0)} for d, n, m in rows if not d]
    return dated + undated


def co_occurring(store: Store, entity_id: str, limit: int = 20) -> list[dict[str, Any]]:
    """Entities named in the same articles, by how many articles they share."""
    mine = ArticleEntity.__table__.alias("mine")
    other = ArticleEntity.__table__.alias("other")
    shared = func.count(other.c.article_id).label("shared")
    with store.session() as session:
        rows = session.execute(
            select(EntityRow.id, EntityRow.name, EntityRow.type, shared)
            .select_from(mine.join(other, and_(other.c.article_id == mine.c.article_id, other.c.entity_id != mine.c.entity_id)))
            .join(EntityRow, EntityRow.id == other.c.entity_id)
            .where(mine.c.entity_id == entity_id)
            .group_by(EntityRow.id, EntityRow.name, EntityRow.type)
            .order_by(shared.desc(), EntityRow.id).limit(max(1, min(limit, 200)))).all()
    return [{"id": r.id, "name": r.name, "type": r.type, "articles": r.shared} for r in rows]


def quotes_by(store: Store, entity_id: str, page: int = 1, per_page: int = 20, scan: int = 500) -> dict[str, Any]:
    """What an entity said: quotations whose speaker is linked to it, in the latest ``scan`` articles
    that name it (quotations live in each article's analysis, so the scan is bounded)."""
    page, per_page = _page_numbers(page, per_page)
    with store.session() as session:
        article_count = session.scalar(select(func.count()).where(ArticleEntity.entity_id == entity_id)) or 0
        rows = session.execute(
            select(Article.id, Article.title, Article.language, Article.published, Article.analysis)
            .join(ArticleEntity, ArticleEntity.article_id == Article.id).where(ArticleEntity.entity_id == entity_id)
            .order_by(Article.published.desc().nulls_last(), Article.id.desc()).limit(scan)).all()
    found = []
    for row in rows:
        for quote in row.analysis.get("quotes", []):
            if quote.get("speaker_entity_id") == entity_id and quote.get("kind") != "term":
                found.append({"article_id": row.id, "title": row.title, "language": quote.get("language") or row.language,
                              "published": row.published, "text": quote["text"], "kind": quote["kind"],
                              "speaker": quote.get("speaker"), "cue": quote.get("cue"), "start": quote["start"], "end": quote["end"]})
    start = (page - 1) * per_page
    return {"total": len(found), "page": page, "per_page": per_page, "items": found[start:start + per_page],
            "articles_scanned": len(rows), "complete": len(rows) >= article_count}


def entities(store: Store, page: int = 1, per_page: int = 50, type: str | None = None, name: str | None = None) -> SearchPage:
    """Entities by mentions, optionally of one type or with an alias starting like ``name`` (any script)."""
    page, per_page = _page_numbers(page, per_page)
    mentions = func.sum(ArticleEntity.mentions).label("mentions")
    query = (select(EntityRow.id, EntityRow.name, EntityRow.type, mentions, func.count(ArticleEntity.article_id).label("articles"))
             .join(ArticleEntity, ArticleEntity.entity_id == EntityRow.id))
    if type:
        query = query.where(EntityRow.type == type)
    if name and fold(name):
        # An alias matches when one of its words starts like the name (“macron” finds Emmanuel
        # Macron); the identity keys add spellings in other languages and scripts (Путин, Poutine).
        folded = fold(name)
        matching = select(EntityAlias.entity_id).where(or_(EntityAlias.folded.startswith(folded, autoescape=True),
                                                           EntityAlias.folded.contains(" " + folded, autoescape=True)))
        query = query.where(or_(EntityRow.id == name, EntityRow.id.in_(matching), EntityRow.id.in_(store.entity_ids_for(name))))
    query = query.group_by(EntityRow.id, EntityRow.name, EntityRow.type)
    with store.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(query.order_by(mentions.desc(), EntityRow.id).limit(per_page).offset((page - 1) * per_page)).all()
    return SearchPage(total, page, per_page, [dict(row._mapping) for row in rows])


def top_entities_of(store: Store, article_ids: list[int], limit: int = 12) -> list[dict[str, Any]]:
    """The entities most named across some articles (a story's main entities)."""
    if not article_ids:
        return []
    shared = func.count(ArticleEntity.article_id).label("articles")
    mentions = func.sum(ArticleEntity.mentions).label("mentions")
    with store.session() as session:
        rows = session.execute(
            select(EntityRow.id, EntityRow.name, EntityRow.type, shared, mentions)
            .join(ArticleEntity, ArticleEntity.entity_id == EntityRow.id)
            .where(ArticleEntity.article_id.in_(article_ids[:1000]))
            .group_by(EntityRow.id, EntityRow.name, EntityRow.type)
            .order_by(shared.desc(), mentions.desc(), EntityRow.id).limit(limit)).all()
    return [dict(row._mapping) for row in rows]


def story_summary(store: Store, story_id: str) -> dict[str, Any] | None:
    """A story's headline, size, languages and dates, without its members (an article page's link)."""
    with store.session() as session:
        row = session.get(StoryRow, story_id)
        if row is None:
            return None
        return {"id": row.id, "headline": row.headline, "size": row.size, "languages": row.languages, "first": row.first,
                "last": row.last, "closed": row.closed}


# --- articles --------------------------------------------------------------------------------------
def article_summaries(store: Store, article_ids: list[int], lead_characters: int = 360) -> dict[int, dict[str, Any]]:
    """Title, language, source, date and the start of the clean text of some articles, by id."""
    result: dict[int, dict[str, Any]] = {}
    with store.session() as session:
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start:start + 500]
            for row in session.execute(
                    select(Article.id, Article.title, Article.language, Article.source, Article.published,
                           func.substr(Article.clean_text, 1, lead_characters).label("lead"))
                    .where(Article.id.in_(chunk))):
                result[row.id] = dict(row._mapping)
    return result


def stored_under(store: Store, path_prefix: str) -> list[dict[str, Any]]:
    """Articles whose source path starts with a prefix (what one upload stored), in storing order."""
    with store.session() as session:
        rows = session.execute(select(Article.id, Article.title, Article.language, Article.source_path)
                               .where(Article.source_path.startswith(path_prefix, autoescape=True)).order_by(Article.id)).all()
    return [{"id": r.id, "title": r.title, "language": r.language, "path": r.source_path} for r in rows]


def stored_with_hashes(store: Store, hashes: list[str]) -> list[dict[str, Any]]:
    """Articles stored with these original-text hashes, in storing order."""
    if not hashes:
        return []
    with store.session() as session:
        rows = session.execute(select(Article.id, Article.title, Article.language, Article.source_path)
                               .where(Article.content_hash.in_(hashes[:1000])).order_by(Article.id)).all()
    return [{"id": r.id, "title": r.title, "language": r.language, "path": r.source_path} for r in rows]


def rejects(store: Store, page: int = 1, per_page: int = 50) -> SearchPage:
    page, per_page = _page_numbers(page, per_page)
    with store.session() as session:
        total = session.scalar(select(func.count(Reject.id))) or 0
        rows = session.scalars(select(Reject).order_by(Reject.rejected_at.desc(), Reject.id.desc())
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return SearchPage(total, page, per_page, [{"path": r.path, "reason": r.reason, "rejected_at": r.rejected_at.isoformat(),
                                               "attempts": r.attempts} for r in rows])


# --- the overview ----------------------------------------------------------------------------------
def articles_per_day(store: Store, days: int = 60) -> list[dict[str, Any]]:
    """Articles per publication day over the last ``days`` days that have any (undated ones apart)."""
    day = func.substr(Article.published, 1, 10)
    with store.session() as session:
        rows = session.execute(select(day.label("day"), func.count(Article.id)).where(Article.published.is_not(None))
                               .group_by(day).order_by(day.desc()).limit(max(1, days))).all()
    return [{"date": d, "articles": n} for d, n in reversed(rows)]


def articles_per(store: Store, column: str, limit: int = 15) -> list[dict[str, Any]]:
    """Articles per language or per source, most first; the rest summed as ``other``."""
    field = {"language": Article.language, "source": Article.source}[column]
    with store.session() as session:
        rows = session.execute(select(field, func.count(Article.id).label("n")).group_by(field)
                               .order_by(literal_column("n").desc(), field)).all()
    counted = [{"value": value, "articles": n} for value, n in rows]
    if len(counted) > limit:
        rest = sum(item["articles"] for item in counted[limit - 1:])
        counted = counted[:limit - 1] + [{"value": "other", "articles": rest, "other": True}]
    return counted


def undated_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count(Article.id)).where(Article.published.is_(None))) or 0


# --- search facets ---------------------------------------------------------------------------------
def _conditions(store: Store, filters: SearchFilters) -> list[ColumnElement] | None:
    """The conditions of Store.search as SQLAlchemy expressions (None: nothing can match)."""
    conditions: list[ColumnElement] = []
    if filters.query and filters.query.strip():
        conditions.append(Article.id.in_(store.matching_article_ids(filters.query)))  # the store's query language, either backend
    if filters.language:
        conditions.append(Article.language == filters.language)
    if filters.source:
        conditions.append(Article.source == filters.source)
    if filters.date_from:
        conditions.append(Article.published >= filters.date_from)
    if filters.date_to:
        conditions.append(func.substr(Article.published, 1, len(filters.date_to)) <= filters.date_to)
    if filters.has_debris is not None:
        conditions.append(Article.debris_count > 0 if filters.has_debris else Article.debris_count == 0)
    if filters.has_foreign is not None:
        conditions.append(Article.foreign_share > 0 if filters.has_foreign else Article.foreign_share == 0)
    if filters.story:
        conditions.append(Article.id.in_(select(StoryArticle.article_id).where(StoryArticle.story_id == filters.story)))
    for flag, kinds in ((filters.has_translation, ("translation",)),
                        (filters.has_copy, ("duplicate", "near-duplicate"))):
        if flag is not None:
            linked = select(ArticleLink.id).where(or_(ArticleLink.a == Article.id, ArticleLink.b == Article.id),
                                                  ArticleLink.kind.in_(kinds)).exists()
            conditions.append(linked if flag else not_(linked))
    if filters.entity:
        entity_ids = store.entity_ids_for(filters.entity)
        if not entity_ids:
            return None
        conditions.append(Article.id.in_(select(ArticleEntity.article_id).where(ArticleEntity.entity_id.in_(entity_ids))))
    return conditions


def facets(store: Store, filters: SearchFilters, limit: int = 10, entity_scan: int = ENTITY_FACET_SCAN) -> dict[str, list[dict[str, Any]]]:
    """Counts of the articles matching ``filters`` per language, source, month, story and entity.

    Entities are counted over the latest ``entity_scan`` matches (a join over every mention of a
    large result set costs more than the page it decorates)."""
    conditions = _conditions(store, filters)
    result: dict[str, list[dict[str, Any]]] = {"language": [], "source": [], "month": [], "story": [], "entity": []}
    if conditions is None:
        return result
    with store.session() as session:
        if filters.query or filters.entity:
            # Matches found through the full-text or entity index are read row by row anyway: one
            # pass over them gives every plain facet and the latest matches.
            matches = session.execute(select(Article.id, Article.language, Article.source, Article.published).where(*conditions)).all()
            languages, sources, months = Counter(), Counter(), Counter()
            for _, language, source, published in matches:
                languages[language] += 1
                sources[source] += 1
                months[published[:7] if published else None] += 1
            latest = [row[0] for row in sorted(matches, key=lambda row: (row[3] or "", row[0]), reverse=True)[:entity_scan]]
        else:
            # Otherwise the column indexes answer each facet without reading the articles.
            languages, sources, months = (Counter(dict(session.execute(select(field, func.count()).where(*conditions).group_by(field)).all()))
                                          for field in (Article.language, Article.source, func.substr(Article.published, 1, 7)))
            latest = list(session.scalars(select(Article.id).where(*conditions).order_by(Article.published.desc().nulls_last(), Article.id.desc())
                                          .limit(entity_scan)))
        for name, counts in (("language", languages), ("source", sources)):
            result[name] = [{"value": value, "articles": n} for value, n in _top(counts, limit) if value]
        result["month"] = [{"value": value, "articles": months[value]} for value in sorted((m for m in months if m), reverse=True)[:limit]]
        count = func.count(StoryArticle.article_id).label("n")
        rows = session.execute(select(StoryRow.id, StoryRow.headline, count)
                               .join(StoryArticle, StoryArticle.story_id == StoryRow.id)
                               .join(Article, Article.id == StoryArticle.article_id).where(*conditions)
                               .group_by(StoryRow.id, StoryRow.headline).order_by(count.desc(), StoryRow.id).limit(limit)).all()
        result["story"] = [{"value": story_id, "label": headline, "articles": n} for story_id, headline, n in rows if n > 1]
        if latest:
            count = func.count(ArticleEntity.article_id).label("n")
            mentions = func.sum(ArticleEntity.mentions)
            rows = session.execute(select(EntityRow.id, EntityRow.name, count)
                                   .join(ArticleEntity, ArticleEntity.entity_id == EntityRow.id)
                                   .where(ArticleEntity.article_id.in_(latest))
                                   .group_by(EntityRow.id, EntityRow.name).order_by(count.desc(), mentions.desc(), EntityRow.id).limit(limit)).all()
            result["entity"] = [{"value": entity_id, "label": name, "articles": n} for entity_id, name, n in rows]
    return result


def _top(counts: Counter, limit: int) -> list[tuple[Any, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[:limit]


def sources(store: Store, limit: int = 200) -> list[str]:
    with store.session() as session:
        return [value for value in session.scalars(select(Article.source).where(Article.source.is_not(None))
                                                   .group_by(Article.source).order_by(func.count(Article.id).desc(), Article.source).limit(limit))]


def languages(store: Store) -> list[str]:
    with store.session() as session:
        return list(session.scalars(select(Article.language).group_by(Article.language).order_by(func.count(Article.id).desc(), Article.language)))


__all__ = [
    "article_summaries",
    "articles_per",
    "articles_per_day",
    "co_occurring",
    "entities",
    "entity",
    "entity_timeline",
    "facets",
    "languages",
    "quotes_by",
    "rejects",
    "script_of",
    "sources",
    "stored_under",
    "stored_with_hashes",
    "story_summary",
    "top_entities_of",
    "undated_count",
]
