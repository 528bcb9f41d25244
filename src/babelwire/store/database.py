"""The corpus database: open (and migrate), save analysed articles in batches, record rejects, search.

SQLite by default (one file), or PostgreSQL for a shared deployment (``postgresql://user@host/db``),
with the same migrations. Everything bound to SQL is a parameter.

Full-text search takes one query language on both backends (see ``parse_query``): words (every one
must appear), "exact phrases", OR between alternatives, -word or -"phrase" to exclude; case and
diacritics never matter. SQLite answers with its FTS5 index (words as written); PostgreSQL with a
tsvector per article built by its language's text search configuration (diacritics folded by
unaccent, then the language's stemmer and stop words: "pompier" also finds "pompiers" there).
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Integer, create_engine, delete, event, func, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql import column as result_column

from babelwire.link.identity import fold  # aliases are searched the way identities compare names
from babelwire.store.tables import (Article, ArticleEntity, ArticleLink, EntityAlias, EntityRow, Reject, StoryArticle, StoryRow,
                                    utc_now)

if TYPE_CHECKING:
    from babelwire.store.linking import CorpusLinker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_URL = "sqlite:///babelwire.db"
MIGRATION_LOCK = 0x6261_6265_6C77_6972  # PostgreSQL advisory lock key held while migrating ("babelwir")


class StoreError(Exception):
    """A problem a user can act on (a bad URL, a bad query), in one line."""


def database_url(value: str | None) -> str:
    """A SQLAlchemy URL from what a user gives: a URL, or a path to an SQLite file. A PostgreSQL URL
    without a driver (``postgresql://``, ``postgres://``) gets psycopg 3, the driver installed."""
    if not value:
        return DEFAULT_URL
    if "://" in value:
        scheme, rest = value.split("://", 1)
        if scheme in ("postgresql", "postgres"):
            return f"postgresql+psycopg://{rest}"
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _without_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold U+0000: it is stored as U+FFFD (one character for one, so
    offsets hold). The exact text is kept in the analysis JSON, where it is escaped."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


# --- the full-text query language, the same on both backends -------------------------------------
QUERY_SYNTAX = 'words (every one must appear), "exact phrases", OR between alternatives, -word or -"phrase" to exclude'
MAX_QUERY_TERMS = 32
# PostgreSQL indexes (migration 0003) and highlights this much of an article's clean text.
INDEXED_CHARACTERS = 100_000


@dataclass(frozen=True)
class FullTextQuery:
    """A parsed query: every clause must match, a clause being one term or alternatives joined by
    OR; no excluded term may appear. A term is a word or a phrase (words that must follow each other)."""

    clauses: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = ()

    @property
    def terms(self) -> list[str]:
        return [term for clause in self.clauses for term in clause] + list(self.excluded)


def parse_query(query: str) -> FullTextQuery:
    """Parses a user's full-text query, or raises StoreError saying what is wrong in one line.

    Words are separated by spaces; "double quotes" make a phrase; OR (in capitals) between two terms
    makes alternatives (it binds tighter than the implicit AND: ``fire OR flood Valencia`` wants
    Valencia and one of the two); a leading - excludes a word or phrase. For those used to boolean
    syntax, AND (in capitals) is accepted and changes nothing, and NOT before a term is its -.
    Nothing else is an operator (brackets, *, :, NEAR): punctuation inside a word makes a phrase of
    its parts (``l'incendie``, ``covid-19``), and a term without a letter or digit is ignored.
    """
    def invalid(reason: str) -> StoreError:
        return StoreError(f"search query {query!r} is not valid full-text syntax: {reason}; the syntax is {QUERY_SYNTAX}")

    text_value = query.replace("\x00", " ")
    items: list[tuple[str, str, bool]] = []  # (kind "term" or "or", text, excluded)
    index, length = 0, len(text_value)
    negate_next = False  # after NOT
    while index < length:
        if text_value[index].isspace():
            index += 1
            continue
        excluded = text_value[index] == "-" and index + 1 < length and not text_value[index + 1].isspace()
        if excluded:
            index += 1
        excluded, negate_next = excluded or negate_next, False
        if text_value[index] == '"':
            end = text_value.find('"', index + 1)
            if end < 0:
                raise invalid("a double quote is not closed")
            items.append(("term", " ".join(text_value[index + 1:end].split()), excluded))
            index = end + 1
            continue
        end = index
        while end < length and not text_value[end].isspace() and text_value[end] != '"':
            end += 1
        word = text_value[index:end]
        index = end
        if word == "OR" and not excluded:
            items.append(("or", word, False))
        elif word == "NOT" and not excluded:
            negate_next = True
        elif word != "AND" or excluded:
            items.append(("term", word, excluded))
    if negate_next:
        raise invalid("NOT must come before a word or phrase")
    items = [item for item in items if item[0] == "or" or any(character.isalnum() for character in item[1])]
    clauses: list[list[str]] = []
    excluded_terms: list[str] = []
    previous = None  # the kind of the previous item: "term", "excluded" or "or"
    for kind, value, excluded in items:
        if kind == "or":
            if previous != "term":
                raise invalid("OR must stand between two words or phrases")
            previous = "or"
        elif excluded:
            if previous == "or":
                raise invalid("an excluded word cannot be an alternative of OR")
            excluded_terms.append(value)
            previous = "excluded"
        else:
            if previous == "or":
                clauses[-1].append(value)
            else:
                clauses.append([value])
            previous = "term"
    if previous == "or":
        raise invalid("OR must stand between two words or phrases")
    if not clauses:
        raise invalid("excluded words alone match nothing, add a word to look for" if excluded_terms else "there is no word to look for")
    parsed = FullTextQuery(tuple(tuple(clause) for clause in clauses), tuple(excluded_terms))
    if len(parsed.terms) > MAX_QUERY_TERMS:
        raise invalid(f"more than {MAX_QUERY_TERMS} words and phrases")
    return parsed


def fts5_expression(parsed: FullTextQuery) -> str:
    """The query in SQLite FTS5 syntax. Every term is a quoted string, so nothing in it is an FTS5
    operator; FTS5 splits it into words as it split the indexed text."""
    def term(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    def clause(alternatives: Sequence[str]) -> str:
        return term(alternatives[0]) if len(alternatives) == 1 else "(" + " OR ".join(term(value) for value in alternatives) + ")"

    expression = " AND ".join(clause(alternatives) for alternatives in parsed.clauses)
    if parsed.excluded:
        expression = f"({expression}) NOT ({' OR '.join(term(value) for value in parsed.excluded)})"
    return expression


def tsquery_sql(parsed: FullTextQuery, config: str) -> str:
    """The query as a PostgreSQL tsquery expression, each term stemmed with the text search
    configuration ``config`` (an SQL expression). Terms are the parameters ``:fts_term0``… in the
    order of ``parsed.terms``; phraseto_tsquery accepts any text, so this never fails on syntax."""
    numbers = iter(range(len(parsed.terms)))

    def term() -> str:
        return f"phraseto_tsquery({config}, :fts_term{next(numbers)})"

    clauses = ["(" + " || ".join(term() for _ in alternatives) + ")" for alternatives in parsed.clauses]
    expression = " && ".join(clauses)
    if parsed.excluded:
        expression = f"({expression}) && !!({' || '.join(term() for _ in parsed.excluded)})"
    return expression


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
            # A server may restart under a long-running process: pooled connections are checked.
            options = {} if self.url.startswith("sqlite") else {"pool_pre_ping": True}
            self.engine: Engine = create_engine(self.url, future=True, **options)
        except Exception as error:  # SQLAlchemy raises several kinds for a malformed URL or a missing driver
            raise StoreError(f"database URL {self.url!r}: {_one_line(error)}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._search_configs: list[str] | None = None
        self.upgrade()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def shown_url(self) -> str:
        """The URL without its password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Brings the schema to the newest migration."""
        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                if self.is_postgresql:
                    # Processes opening a new database at once (cluster workers) migrate one at a
                    # time; the later ones then find it up to date. Released at commit.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except DBAPIError as error:  # cannot connect, no such database, no right to create the unaccent extension…
            raise StoreError(f"database {self.shown_url}: {_one_line(error.orig)}") from None

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
                articles = [_article_row(record, text_columns_hold_nul=self.is_sqlite) for record in records]
                session.add_all(articles)
                session.flush()  # one INSERT … RETURNING for the batch: the ids, in order
                ids = [article.id for article in articles]
                self._index_articles(session, list(zip(articles, records)))
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
        paths = [_without_nul(path) for path in paths]
        if paths:
            session.execute(delete(Reject).where(Reject.path.in_(paths)))
        for path, reason in rejects:
            path, reason = _without_nul(path), _without_nul(reason)
            existing = session.scalar(select(Reject).where(Reject.path == path))
            if existing:
                existing.reason, existing.rejected_at, existing.attempts = reason, utc_now(), existing.attempts + 1
            else:
                session.add(Reject(path=path, reason=reason))

    def _index_articles(self, session: Session, stored: Sequence[tuple[Article, dict[str, Any]]]) -> None:
        """The search rows (SQLite) and the entities, aliases and mention counts of articles just
        written, in a few statements per batch (a round trip per entity made a server slow)."""
        if not stored:
            return
        # PostgreSQL computes each article's search vector itself (a generated column, migration 0003).
        if self.is_sqlite:
            session.execute(text("INSERT INTO article_search(rowid, title, body) VALUES (:id, :title, :body)"),
                            [{"id": article.id, "title": article.title or "", "body": article.clean_text} for article, _ in stored])
        entities: dict[str, dict[str, Any]] = {}  # the first description of each entity in the batch
        aliases: dict[tuple[str, str, str], None] = {}  # (entity id, alias, language), in order
        mentions: list[dict[str, Any]] = []
        for article, record in stored:
            counts: dict[str, int] = {}
            for mention in record.get("mentions", []):
                if mention.get("entity_id"):
                    counts[mention["entity_id"]] = counts.get(mention["entity_id"], 0) + 1
            languages = {m.get("entity_id"): m.get("language", "und") for m in record.get("mentions", [])}
            named: set[str] = set()
            for entity in record.get("entities", []):
                if entity["id"] not in counts or entity["id"] in named:
                    continue
                named.add(entity["id"])
                entities.setdefault(entity["id"], entity)
                language = languages.get(entity["id"], "und")
                for alias in (entity["name"], *entity.get("aliases", [])):
                    aliases.setdefault((entity["id"], alias, language), None)
                mentions.append({"article_id": article.id, "entity_id": entity["id"], "mentions": counts[entity["id"]]})
        known_entities: set[str] = set()
        known_aliases: set[tuple[str, str, str]] = set()
        wanted = list(entities)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            known_entities.update(session.scalars(select(EntityRow.id).where(EntityRow.id.in_(chunk))))
            known_aliases.update(tuple(row) for row in session.execute(
                select(EntityAlias.entity_id, EntityAlias.alias, EntityAlias.language).where(EntityAlias.entity_id.in_(chunk))))
        # Bulk inserts (executemany), entities first: the other rows refer to them.
        new_entities = [{"id": entity_id, "name": entity["name"], "type": entity["type"], "knowledge_base_id": entity.get("knowledge_base_id")}
                        for entity_id, entity in entities.items() if entity_id not in known_entities]
        new_aliases = [{"entity_id": entity_id, "alias": alias, "folded": fold(alias), "language": language}
                       for entity_id, alias, language in aliases if (entity_id, alias, language) not in known_aliases]
        for table, rows in ((EntityRow, new_entities), (EntityAlias, new_aliases), (ArticleEntity, mentions)):
            if rows:
                session.execute(insert(table), rows)

    def replace_analysis(self, article_id: int, record: dict[str, Any]) -> None:
        """Refreshes a stored article's analysis (after an upgrade), keeping its id and ingestion time."""
        with self.session() as session, session.begin():
            article = session.get(Article, article_id)
            fresh = _article_row(record, text_columns_hold_nul=self.is_sqlite)
            for column in ("clean_hash", "title", "language", "published", "published_source", "clean_text", "analysis",
                           "foreign_share", "debris_count", "babelwire_version", "models"):
                setattr(article, column, getattr(fresh, column))
            article.analysed_at = utc_now()
            session.execute(delete(ArticleEntity).where(ArticleEntity.article_id == article_id))
            if self.is_sqlite:
                session.execute(text("DELETE FROM article_search WHERE rowid = :id"), {"id": article_id})
            session.flush()
            self._index_articles(session, [(article, record)])

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
        # SQLite sorts NULL (undated) first ascending, so last descending; PostgreSQL is told to.
        last = StoryRow.last.desc() if self.is_sqlite else StoryRow.last.desc().nulls_last()
        order = (StoryRow.size.desc(), last, StoryRow.id) if sort == "largest" else (last, StoryRow.size.desc(), StoryRow.id)
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
        name_or_id = name_or_id if self.is_sqlite else _without_nul(name_or_id)
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
        # Latest first, undated last (SQLite's order of NULL going down; PostgreSQL is told so).
        order = "a.published DESC, a.id DESC" if self.is_sqlite else "a.published DESC NULLS LAST, a.id DESC"
        snippet = "substr(a.clean_text, 1, 160)"
        if filters.query and filters.query.strip():
            parsed = parse_query(filters.query)
            if self.is_sqlite:
                joins += " JOIN article_search s ON s.rowid = a.id"
                conditions.append("article_search MATCH :query")
                params["query"] = fts5_expression(parsed)
                rank = "bm25(article_search) ASC"
                snippet = "snippet(article_search, 1, '[', ']', '…', 12)"
            else:
                condition, own_query, full_text_params = self._postgres_full_text(parsed)
                conditions.append(condition)
                params.update(full_text_params)
                # Ranked and highlighted with the query stemmed for the article's own language.
                rank = f"ts_rank_cd(a.search_vector, {own_query}, 1) DESC"
                snippet = f"ts_headline(a.search_config, left(a.clean_text, {INDEXED_CHARACTERS}), {own_query}, :fts_headline)"
                params["fts_headline"] = 'StartSel="[", StopSel="]", MinWords=6, MaxWords=12, MaxFragments=1, FragmentDelimiter="…"'
            if filters.sort == "relevance":
                order = f"{rank}, a.id DESC"
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
        if not self.is_sqlite:
            params = {name: _without_nul(value) for name, value in params.items()}  # as stored; PostgreSQL refuses U+0000
        sql_from = f"FROM articles a{joins}{where}"
        try:
            with self.engine.connect() as connection:
                total = connection.execute(text(f"SELECT count(*) {sql_from}"), params).scalar_one()
                rows = connection.execute(text(
                    f"SELECT a.id, a.title, a.language, a.published, a.source, a.foreign_share, {snippet} AS snippet "
                    f"{sql_from} ORDER BY {order} LIMIT :limit OFFSET :offset"), params).mappings().all()
        except OperationalError as error:
            # The query is ours (parse_query quotes every term), so FTS5 should never object; if it
            # does, the user's query is the cause and gets a one-line answer, not a traceback.
            if filters.query and isinstance(error.orig, sqlite3.OperationalError):
                raise StoreError(f"search query {filters.query!r} is not valid full-text syntax ({error.orig}); the syntax is {QUERY_SYNTAX}") from None
            raise
        return SearchPage(total, page, per_page, [dict(row) for row in rows])

    def matching_article_ids(self, query: str):
        """The ids of the articles matching a full-text query, as a SELECT to use in a condition
        (``Article.id.in_(store.matching_article_ids(q))``), on either backend. Raises StoreError
        for a query that is not valid (see ``parse_query``)."""
        parsed = parse_query(query)
        if self.is_sqlite:
            return (text("SELECT rowid AS id FROM article_search WHERE article_search MATCH :fts_match")
                    .bindparams(fts_match=fts5_expression(parsed)).columns(result_column("id", Integer)))
        condition, _, params = self._postgres_full_text(parsed)
        return text(f"SELECT a.id FROM articles a WHERE {condition}").bindparams(**params).columns(result_column("id", Integer))

    def _postgres_full_text(self, parsed: FullTextQuery) -> tuple[str, str, dict[str, Any]]:
        """The SQL condition matching ``parsed`` on PostgreSQL, the query as stemmed for each
        article's own language (for ranking and highlighting), and their parameters.

        Each article's vector was built with its language's configuration, so the query must be
        stemmed with that same configuration. The query is stemmed once per configuration first;
        configurations that stem it alike share a branch (``configuration in (…) AND vector @@
        that query``), and each branch is a constant query the GIN index answers. (A query stemmed
        row by row would scan every article.) A configuration left with an empty query (stop
        words only) matches nothing.
        """
        if not self.is_postgresql:
            raise StoreError(f"full-text search needs SQLite or PostgreSQL, not {self.engine.dialect.name}")
        terms: dict[str, Any] = {f"fts_term{number}": _without_nul(term) for number, term in enumerate(parsed.terms)}
        configs = self.search_configs()
        with self.engine.connect() as connection:
            stemmed = connection.execute(text(
                f"SELECT c.name, ({tsquery_sql(parsed, 'CAST(c.name AS regconfig)')})::text "
                "FROM unnest(CAST(:fts_configs AS text[])) AS c(name)"), {**terms, "fts_configs": configs}).all()
        groups: dict[str, list[str]] = {}
        for config, query in stemmed:
            if query:
                groups.setdefault(query, []).append(config)
        params: dict[str, Any] = {}
        branches, cases = [], []
        for number, (query, group) in enumerate(groups.items()):
            params[f"fts_query{number}"], params[f"fts_configs{number}"] = query, group
            in_group = f"a.search_config = ANY(CAST(:fts_configs{number} AS regconfig[]))"
            branches.append(f"({in_group} AND a.search_vector @@ CAST(:fts_query{number} AS tsquery))")
            cases.append(f"WHEN {in_group} THEN CAST(:fts_query{number} AS tsquery)")
        if not branches:
            return "FALSE", "CAST('' AS tsquery)", params
        return "(" + " OR ".join(branches) + ")", "(CASE " + " ".join(cases) + " END)", params

    def search_configs(self) -> list[str]:
        """The text search configurations articles are indexed with on PostgreSQL (migration 0003)."""
        if self._search_configs is None:
            with self.engine.connect() as connection:
                self._search_configs = list(connection.execute(text(
                    "SELECT c.oid::regconfig::text FROM pg_ts_config c WHERE c.cfgname LIKE 'babelwire\\_%' "
                    "AND c.cfgnamespace = (SELECT pronamespace FROM pg_proc WHERE oid = 'babelwire_search_config(text)'::regprocedure) "
                    "ORDER BY c.cfgname")).scalars())
        return self._search_configs

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


def _article_row(record: dict[str, Any], text_columns_hold_nul: bool = True) -> Article:
    provenance = record["provenance"]
    metadata = record["metadata"]
    article = Article(
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
    if not text_columns_hold_nul:
        for column in ("external_id", "title", "source", "url", "text", "clean_text", "source_path", "reader"):
            setattr(article, column, _without_nul(getattr(article, column)))
    return article


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


__all__ = ["FullTextQuery", "QUERY_SYNTAX", "Store", "StoreError", "SearchFilters", "SearchPage", "content_hash", "database_url", "fold",
           "fts5_expression", "parse_query", "tsquery_sql"]
