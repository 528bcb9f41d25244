"""The link stage inside the corpus: copies, translations and stories of stored articles.

Ingest calls ``CorpusLinker.link`` inside the transaction that stores a batch, so the links, the
fingerprints (embedding, MinHash), the story memberships and the saved state of the open stories
are committed with the articles or not at all: a run killed at any moment resumes where the last
batch ended. The linker's indexes are rebuilt from the database when it starts: the MinHash index
from the fingerprints, the translation window from the articles of its last days, the open stories
from their saved state.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from dataclasses import replace
from typing import Any, Iterable, Sequence

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from babelwire.link.duplicates import clean_text_hash
from babelwire.link.embeddings import MODEL_NAME, Embedder
from babelwire.link.embeddings import from_bytes as vector_from_bytes
from babelwire.link.embeddings import to_bytes as vector_to_bytes
from babelwire.link.signature import ArticleSignature, Link, signature_from_analysis
from babelwire.link.translations import pair_score
from babelwire.link.stories import Story, StoryClusterer
from babelwire.link.duplicates import NearDuplicateIndex
from babelwire.link.stream import LinkSettings, vector_of_its_own
from babelwire.store.tables import (Article, ArticleFingerprint, ArticleLink, LinkState, StoryArticle, StoryRow,
                                    utc_now)

STORIES_STATE = "stories"
log = logging.getLogger(__name__)


class CorpusLinker:
    def __init__(self, settings: LinkSettings = LinkSettings(), recent_articles: int = 5000):
        self.settings = settings
        self.embedder = Embedder(settings.embedding) if settings.embeddings else None
        # Undated articles are compared with this many of the latest stored articles (and every
        # dated article with the articles of its week, whatever the order they arrived in).
        self.recent_articles = recent_articles
        self._duplicates: NearDuplicateIndex | None = None  # loaded from the database on first use
        self._stories: StoryClusterer | None = None
        self._signatures: dict[int, ArticleSignature] = {}  # of translation candidates, built once

    # --- outside the transaction: the slow part ----------------------------------------------
    def signatures(self, records: Sequence[dict[str, Any]]) -> list[ArticleSignature]:
        return [signature_from_analysis(record, index) for index, record in enumerate(records)]

    def embed(self, signatures: Sequence[ArticleSignature]) -> list[np.ndarray | None]:
        if self.embedder is None or not signatures:
            return [None] * len(signatures)
        return list(self.embedder.embed(signatures))

    # --- inside the transaction --------------------------------------------------------------
    def link(self, session: Session, stored: Sequence[tuple[int, ArticleSignature, np.ndarray | None]]) -> None:
        """Links freshly stored articles (id, signature, embedding) to the corpus.

        Within a batch, articles are linked in date order (undated ones last), so that a folder
        read in any order builds the stories a dated stream would.
        """
        duplicates, clusterer = self._load(session)
        stored = sorted(((article_id, replace(signature, article_id=article_id), embedding) for article_id, signature, embedding in stored),
                        key=lambda item: (item[1].day is None, item[1].day or "", item[0]))
        window = self._translation_window(session, stored)
        touched: set[str] = set()
        memberships: list[StoryArticle] = []
        links: list[Link] = []
        for article_id, signature, embedding in stored:
            copies = duplicates.add(signature)
            translations = self._translations(session, signature, embedding, window)
            if embedding is not None:
                window.add(article_id, signature.language, signature.day, embedding)
                self._signatures[article_id] = signature
            vector = embedding if embedding is not None else vector_of_its_own(signature)
            story_id = clusterer.add(signature, vector, linked_to=[link.a for link in copies + translations])
            similarity = clusterer.last_similarity
            links.extend(copies + translations)
            for link in copies + translations:
                session.add(ArticleLink(a=int(link.a), b=int(link.b), kind=link.kind, score=link.score, evidence=link.evidence))
            hashvalues, shingles = duplicates.fingerprint(article_id)
            session.merge(ArticleFingerprint(
                article_id=article_id,
                embedding=None if embedding is None else vector_to_bytes(embedding),
                embedding_model=None if embedding is None else MODEL_NAME,
                minhash=None if hashvalues is None else np.asarray(hashvalues, dtype="<u8").tobytes(),
                shingles=shingles, clean_digest=clean_text_hash(signature.clean_text), stream_day=signature.day))
            touched.add(story_id)
            memberships.append(StoryArticle(article_id=article_id, story_id=story_id, date=signature.day,
                                            similarity=round(similarity, 4)))
        closed = clusterer.take_closed()
        stories = [story for story in (clusterer.story(story_id) for story_id in touched) if story is not None]
        for story in closed + stories:
            _save_story(session, story)
        session.flush()  # the stories exist before their members point at them
        for membership in memberships:
            session.merge(membership)
        session.flush()
        _stories_follow_links(session, links)
        session.merge(LinkState(name=STORIES_STATE, data=clusterer.to_bytes(), updated_at=utc_now()))
        if len(self._signatures) > 4 * self.recent_articles:
            self._signatures.clear()

    def _translation_window(self, session: Session, stored) -> "EmbeddingWindow":
        """The stored articles a batch's translations may be among: the dated ones within
        ``max_days_apart`` of the batch's dates, and the latest stored (dated or not)."""
        window = EmbeddingWindow(self.settings.translations.max_days_apart)
        if self.embedder is None or self.settings.translations.mode == "evidence":
            return window
        days = sorted(signature.day for _, signature, _ in stored if signature.day)
        latest = session.scalar(select(func.max(ArticleFingerprint.article_id))) or 0
        condition = ArticleFingerprint.article_id > latest - self.recent_articles
        if days:
            margin = dt.timedelta(days=self.settings.translations.max_days_apart)
            low = (dt.date.fromisoformat(days[0]) - margin).isoformat()
            high = (dt.date.fromisoformat(days[-1]) + margin).isoformat()
            condition = condition | ArticleFingerprint.stream_day.between(low, high)
        batch_ids = [article_id for article_id, _, _ in stored]
        rows = session.execute(
            select(ArticleFingerprint.article_id, Article.language, ArticleFingerprint.stream_day, ArticleFingerprint.embedding)
            .join(Article, Article.id == ArticleFingerprint.article_id)
            .where(ArticleFingerprint.embedding.is_not(None), condition, ArticleFingerprint.article_id.not_in(batch_ids)))
        for article_id, language, day, embedding in rows:
            window.add(article_id, language, day, vector_from_bytes(embedding))
        return window

    def _translations(self, session: Session, signature: ArticleSignature, embedding: np.ndarray | None,
                      window: "EmbeddingWindow") -> list[Link]:
        settings = self.settings.translations
        if embedding is None or settings.mode == "evidence":
            return []
        links = []
        for other_id, cosine in window.candidates(signature, embedding, settings.candidate_cosine):
            other = self._signatures.get(other_id)
            if other is None:
                analysis = session.scalar(select(Article.analysis).where(Article.id == other_id))
                if analysis is None:
                    continue
                other = self._signatures[other_id] = signature_from_analysis(analysis, other_id)
            score, evidence = pair_score(other, signature, cosine, settings)
            if score >= settings.link_threshold:
                links.append(Link(other_id, signature.article_id, "translation", score, evidence))
        links.sort(key=lambda link: -link.score)
        return links

    def forget(self) -> None:
        """Drops the in-memory indexes (after a failed transaction, they no longer match the database)."""
        self._duplicates = self._stories = None
        self._signatures.clear()

    def _load(self, session: Session) -> tuple[NearDuplicateIndex, StoryClusterer]:
        if self._duplicates is None or self._stories is None:
            self._duplicates, self._stories = load_link_state(session, self.settings)
        return self._duplicates, self._stories


class EmbeddingWindow:
    """Embeddings of the articles a batch is compared with, searchable by cosine and date."""

    def __init__(self, max_days_apart: int):
        self.max_days_apart = max_days_apart
        self.ids: list[int] = []
        self.languages: list[str] = []
        self.days: list[dt.date | None] = []
        self.vectors: list[np.ndarray] = []
        # The stored articles are stacked once; the batch's own articles, added one by one while
        # the batch is linked, stay a short list beside them (restacking per article would copy
        # the whole window each time).
        self._stacked = np.zeros((0, 0), dtype=np.float32)

    def add(self, article_id: int, language: str, day: str | None, vector: np.ndarray) -> None:
        self.ids.append(article_id)
        self.languages.append(language)
        self.days.append(dt.date.fromisoformat(day) if day else None)
        self.vectors.append(np.asarray(vector, dtype=np.float32))

    def candidates(self, signature: ArticleSignature, vector: np.ndarray, min_cosine: float) -> list[tuple[int, float]]:
        if not self.ids:
            return []
        vector = np.asarray(vector, dtype=np.float32)
        if len(self._stacked) == 0 and len(self.vectors) > 1:
            self._stacked = np.vstack(self.vectors)
        fresh = self.vectors[len(self._stacked):]
        parts = ([self._stacked @ vector] if len(self._stacked) else []) + ([np.vstack(fresh) @ vector] if fresh else [])
        cosines = np.concatenate(parts)
        day = dt.date.fromisoformat(signature.day) if signature.day else None
        found = []
        for row in np.flatnonzero(cosines >= min_cosine):
            if self.languages[row] == signature.language:
                continue
            other_day = self.days[row]
            if day is not None and other_day is not None and abs((day - other_day).days) > self.max_days_apart:
                continue
            found.append((self.ids[row], float(cosines[row])))
        return found


def _stories_follow_links(session: Session, links: Sequence[Link]) -> None:
    """Copies and translations belong to one story: an article whose relative is in another story
    (the clusterer had closed it, or read them apart) moves to its relative's story."""
    for link in links:
        home = session.get(StoryArticle, int(link.a))
        member = session.get(StoryArticle, int(link.b))
        if home is None or member is None or home.story_id == member.story_id:
            continue
        old_story = member.story_id
        member.story_id = home.story_id
        session.flush()
        _refresh_story(session, home.story_id)
        _refresh_story(session, old_story)


def _refresh_story(session: Session, story_id: str) -> None:
    """A story's size, dates, languages and sources from its members; an empty story is removed."""
    row = session.get(StoryRow, story_id)
    if row is None:
        return
    members = session.execute(select(Article.language, Article.source, StoryArticle.date)
                              .join(Article, Article.id == StoryArticle.article_id).where(StoryArticle.story_id == story_id)).all()
    if not members:
        session.delete(row)
        return
    dates = sorted(date for _, _, date in members if date)
    row.size = len(members)
    row.first, row.last = (dates[0], dates[-1]) if dates else (None, None)
    row.languages = [language for language, _ in Counter(m.language for m in members).most_common()]
    row.sources = [source for source, _ in Counter(m.source for m in members if m.source).most_common()]
    row.updated_at = utc_now()


def load_link_state(session: Session, settings: LinkSettings) -> tuple[NearDuplicateIndex, StoryClusterer]:
    """The copy index and the open stories as the database left them (translations are looked for
    in the database itself, see ``CorpusLinker._translation_window``)."""
    duplicates = NearDuplicateIndex(settings.duplicates)
    rows = session.execute(
        select(Article.id, Article.language, ArticleFingerprint.clean_digest, ArticleFingerprint.minhash, ArticleFingerprint.shingles)
        .join(ArticleFingerprint, ArticleFingerprint.article_id == Article.id).order_by(Article.id))
    for article_id, language, digest, minhash, shingles in rows:
        hashvalues = None if minhash is None else np.frombuffer(minhash, dtype="<u8").astype(np.uint64)
        duplicates.restore(article_id, digest, hashvalues, shingles, language)
    stories = StoryClusterer(settings.stories)
    state = session.get(LinkState, STORIES_STATE)
    if state is not None:
        try:
            stories = StoryClusterer.from_bytes(state.data)
        except (ValueError, KeyError) as error:
            log.warning("saved story state unreadable (%s); stories start afresh", error)
    return duplicates, stories


def _save_story(session: Session, story: Story) -> None:
    session.merge(StoryRow(
        id=story.id, headline=story.headline, label_entities=story.label_entities,
        label_entity_ids=story.label_entity_ids, first=story.first, last=story.last, languages=story.languages,
        sources=story.sources, size=len(story.timeline), closed=story.closed, updated_at=utc_now()))


def clear_links(session: Session) -> None:
    """Removes everything the link stage stored (before linking the corpus again)."""
    for table in (ArticleLink, StoryArticle, StoryRow, ArticleFingerprint, LinkState):
        session.execute(delete(table))


def stored_in_order(session: Session, ids: Iterable[int]) -> list[tuple[int, dict]]:
    return [(row.id, row.analysis) for row in session.scalars(select(Article).where(Article.id.in_(list(ids))).order_by(Article.id))]
