"""Settings of the link stage over a stream of articles (copies, translations, stories), and the
stand-in vector an article gets when embeddings are off.

Where the stream's state lives is the caller's business: the corpus keeps it in its database
(``babelwire.store.linking``), a batch run in Parquet (``babelwire.cluster.links``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from babelwire.link.duplicates import DuplicateSettings
from babelwire.link.embeddings import DIMENSIONS, EmbeddingSettings
from babelwire.link.signature import ArticleSignature
from babelwire.link.stories import StorySettings
from babelwire.link.translations import TranslationSettings


@dataclass(frozen=True)
class LinkSettings:
    enabled: bool = True  # off: articles are stored without links or stories
    embeddings: bool = True  # off: no translations; stories only from copies
    duplicates: DuplicateSettings = field(default_factory=DuplicateSettings)
    translations: TranslationSettings = field(default_factory=TranslationSettings)
    stories: StorySettings = field(default_factory=StorySettings)
    embedding: EmbeddingSettings = field(default_factory=EmbeddingSettings)


def vector_of_its_own(signature: ArticleSignature) -> np.ndarray:
    """Without embeddings, a vector unique to the article (nearly orthogonal to every other): it
    founds its own story unless a copy ties it to one."""
    generator = np.random.default_rng(zlib.crc32(str(signature.article_id).encode("utf-8")))
    vector = generator.standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)
