"""The link stage over a stream: each arriving article is checked for copies (exact and near
duplicates), for translations among the recent articles of other languages, and placed in a story.

``StreamLinker`` only decides; where its state lives (memory, a database, files) is the caller's
business. The store keeps it in the corpus database (``babelwire.store.linking``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from babelwire.link.duplicates import DuplicateSettings, NearDuplicateIndex
from babelwire.link.embeddings import EmbeddingSettings
from babelwire.link.signature import ArticleSignature, Link
from babelwire.link.stories import StoryClusterer, StorySettings
from babelwire.link.translations import TranslationIndex, TranslationSettings


@dataclass(frozen=True)
class LinkSettings:
    enabled: bool = True  # off: articles are stored without links or stories
    embeddings: bool = True  # off: translations from evidence alone, stories only from links
    duplicates: DuplicateSettings = field(default_factory=DuplicateSettings)
    translations: TranslationSettings = field(default_factory=TranslationSettings)
    stories: StorySettings = field(default_factory=StorySettings)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)


@dataclass
class Linked:
    """What the link stage decided for one article."""

    article_id: str | int
    links: list[Link]  # to articles seen before: duplicate, near-duplicate, translation
    story_id: str
    similarity: float  # to the story when it joined


class StreamLinker:
    def __init__(self, settings: LinkSettings = LinkSettings(), duplicates: NearDuplicateIndex | None = None,
                 translations: TranslationIndex | None = None, stories: StoryClusterer | None = None):
        self.settings = settings
        self.duplicates = duplicates or NearDuplicateIndex(settings.duplicates)
        self.translations = translations or TranslationIndex(settings.translations)
        self.stories = stories or StoryClusterer(settings.stories)

    def add(self, signature: ArticleSignature, embedding: np.ndarray | None) -> Linked:
        copies = self.duplicates.add(signature)
        translations = self.translations.add(signature, embedding, copies)
        links = copies + translations
        vector = embedding if embedding is not None else vector_of_its_own(signature)
        # Copies and translations first: an article joins the story its closest relative is in.
        story_id = self.stories.add(signature, vector, linked_to=[link.a for link in links])
        similarity = next((entry.similarity for entry in reversed(self.stories.members_of(story_id))
                           if entry.article_id == signature.article_id), 1.0)
        return Linked(signature.article_id, links, story_id, similarity)


def vector_of_its_own(signature: ArticleSignature) -> np.ndarray:
    """Without embeddings, a vector unique to the article: it founds its own story unless a link
    ties it to one (cosine 0 to every other article)."""
    from babelwire.link.embeddings import DIMENSIONS

    generator = np.random.default_rng(zlib.crc32(str(signature.article_id).encode("utf-8")))
    vector = generator.standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)
