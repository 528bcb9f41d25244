"""Exact duplicates and near-duplicates (same language, small edits, republished copies).

Exact duplicates share the hash of their clean text (white space normalised). Near-duplicates are
found with MinHash LSH (datasketch) over word shingles of the body (the headline is left out: a
republishing outlet often writes its own), then checked on the estimated Jaccard similarity, or on
containment when one text is a shortened copy of the other.

``NearDuplicateIndex`` is incremental: ``add(signature)`` links an article to the copies already in
the index and then adds it. Its state round-trips through ``to_bytes`` / ``from_bytes`` (numpy
arrays and JSON, no pickle: the bytes can be stored and read back safely), so it can be persisted
between runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from babelwire.link.state import pack_state, unpack_state
from babelwire.link.signature import ArticleSignature, Link, split_title_body

_WORD = re.compile(r"\w+")
_SCHEME = "affine32"  # datasketch permutation scheme; stored hash values only mean something under it
_SEED = 1


@dataclass(frozen=True)
class DuplicateSettings:
    shingle_words: int = 4  # word n-grams; 4 keeps different articles on one event apart
    num_perm: int = 128
    # LSH retrieves candidates from this estimated Jaccard on (low, so shortened copies are found).
    candidate_threshold: float = 0.3
    near_duplicate_jaccard: float = 0.5
    # Or: this share of the shorter text's shingles is in the longer one (a copy cut short) …
    near_duplicate_containment: float = 0.85
    # … when the shorter text is at least this share of the longer one.
    min_length_ratio: float = 0.25
    min_shingles: int = 8  # shorter texts are too short to call copies
    max_links: int = 20  # per added article, the best ones


def normalised_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean_text_hash(text: str) -> str:
    """sha256 of the clean text with white space normalised: the key of exact duplicates."""
    return hashlib.sha256(normalised_text(text).encode("utf-8", "surrogatepass")).hexdigest()


def shingles(text: str, words: int = 4) -> set[str]:
    tokens = _WORD.findall(unicodedata.normalize("NFC", text).casefold())
    if len(tokens) < words:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + words]) for i in range(len(tokens) - words + 1)}


def body_of(signature: ArticleSignature) -> str:
    return split_title_body(signature.clean_text, signature.title)[1]


def minhash_of(shingle_set: Iterable[str], num_perm: int) -> MinHash:
    minhash = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingle_set])
    return minhash


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """Share of the smaller set inside the larger one, from their Jaccard and sizes."""
    if not size_a or not size_b:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return min(1.0, shared / min(size_a, size_b))


class NearDuplicateIndex:
    """Exact and near-duplicate detection over a growing collection of articles."""

    def __init__(self, settings: DuplicateSettings = DuplicateSettings()):
        self.settings = settings
        self._lsh = MinHashLSH(threshold=settings.candidate_threshold, num_perm=settings.num_perm)
        self._exact: dict[str, str | int] = {}  # clean-text hash -> first article with it
        self._hash_of: dict[str | int, str] = {}
        self._hashes: dict[str | int, np.ndarray] = {}  # article -> MinHash values (articles in the LSH)
        self._sizes: dict[str | int, int] = {}
        self._languages: dict[str | int, str] = {}

    def __len__(self) -> int:
        return len(self._hash_of)

    def __contains__(self, article_id) -> bool:
        return article_id in self._hash_of

    # --- finding --------------------------------------------------------------------------
    def query(self, signature: ArticleSignature) -> list[Link]:
        """Links of an article to the copies already indexed, without adding it."""
        return self._links(signature)[0]

    def add(self, signature: ArticleSignature) -> list[Link]:
        """Links of an article to the copies already indexed; then the article is indexed too."""
        article_id = signature.article_id
        if article_id in self._hash_of:
            self.remove(article_id)
        links, digest, minhash, size = self._links(signature)
        self._hash_of[article_id] = digest
        exact = any(link.kind == "duplicate" for link in links)
        if not exact:
            self._exact.setdefault(digest, article_id)
            if minhash is not None:
                # An exact copy adds nothing to find; only distinct texts go into the LSH.
                self._lsh.insert(article_id, minhash)
                self._hashes[article_id] = minhash.hashvalues
                self._sizes[article_id] = size
                self._languages[article_id] = signature.language
        return links

    def fingerprint(self, article_id) -> tuple[np.ndarray | None, int]:
        """The article's MinHash values and shingle count (None when it is not in the LSH: an
        exact copy, or too short), for a caller that saves the index article by article."""
        return self._hashes.get(article_id), self._sizes.get(article_id, 0)

    def restore(self, article_id, digest: str, hashvalues: np.ndarray | None, size: int, language: str) -> None:
        """Puts back an article indexed earlier (from ``fingerprint``) without searching for its links."""
        self._hash_of[article_id] = digest
        self._exact.setdefault(digest, article_id)
        if hashvalues is not None and article_id not in self._hashes:
            minhash = MinHash(num_perm=self.settings.num_perm, seed=_SEED, scheme=_SCHEME, hashvalues=hashvalues)
            self._lsh.insert(article_id, minhash)
            self._hashes[article_id] = hashvalues
            self._sizes[article_id] = size
            self._languages[article_id] = language

    def remove(self, article_id) -> None:
        digest = self._hash_of.pop(article_id, None)
        if digest is not None and self._exact.get(digest) == article_id:
            del self._exact[digest]
        if article_id in self._hashes:
            self._lsh.remove(article_id)
            for table in (self._hashes, self._sizes, self._languages):
                table.pop(article_id, None)

    def _links(self, signature: ArticleSignature) -> tuple[list[Link], str, MinHash | None, int]:
        settings = self.settings
        digest = clean_text_hash(signature.clean_text)
        first = self._exact.get(digest)
        if first is not None and first != signature.article_id:
            return [Link(first, signature.article_id, "duplicate", 1.0, {"clean_text_sha256": digest})], digest, None, 0
        shingle_set = shingles(body_of(signature), settings.shingle_words)
        if len(shingle_set) < settings.min_shingles:
            return [], digest, None, len(shingle_set)
        minhash = minhash_of(shingle_set, settings.num_perm)
        links = []
        for other in self._lsh.query(minhash):
            if other == signature.article_id or self._languages.get(other) != signature.language:
                continue
            jaccard = float(np.mean(self._hashes[other] == minhash.hashvalues))
            size_a, size_b = self._sizes[other], len(shingle_set)
            contained = containment(jaccard, size_a, size_b)
            length_ratio = min(size_a, size_b) / max(size_a, size_b)
            if jaccard >= settings.near_duplicate_jaccard or (
                    contained >= settings.near_duplicate_containment and length_ratio >= settings.min_length_ratio):
                score = max(jaccard, contained * length_ratio ** 0.5)
                links.append(Link(other, signature.article_id, "near-duplicate", score, {
                    "jaccard": round(jaccard, 4), "containment": round(contained, 4),
                    "length_ratio": round(length_ratio, 4), "shingle_words": settings.shingle_words,
                }))
        links.sort(key=lambda link: -link.score)
        return links[:settings.max_links], digest, minhash, len(shingle_set)

    # --- state ----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The whole index as bytes (numpy arrays + JSON; safe to load, no pickle)."""
        ids = list(self._hashes)
        meta = {
            "format": "babelwire-near-duplicates/1",
            "settings": asdict(self.settings),
            "scheme": _SCHEME,
            "seed": _SEED,
            "ids": ids,
            "sizes": [self._sizes[i] for i in ids],
            "languages": [self._languages[i] for i in ids],
            "hash_of": [[key, value] for key, value in self._hash_of.items()],
            "exact": [[key, value] for key, value in self._exact.items()],
        }
        hashes = np.vstack([self._hashes[i] for i in ids]) if ids else np.zeros((0, self.settings.num_perm), np.uint64)
        return pack_state(meta, hashes=hashes)

    @classmethod
    def from_bytes(cls, data: bytes) -> "NearDuplicateIndex":
        meta, (hashes,) = unpack_state(data, "babelwire-near-duplicates/1", "hashes")
        index = cls(DuplicateSettings(**meta["settings"]))
        index._hash_of = {key: value for key, value in meta["hash_of"]}
        index._exact = {key: value for key, value in meta["exact"]}
        with index._lsh.insertion_session() as session:
            for row, article_id in enumerate(meta["ids"]):
                values = hashes[row]
                minhash = MinHash(num_perm=index.settings.num_perm, seed=meta["seed"], scheme=meta["scheme"], hashvalues=values)
                session.insert(article_id, minhash)
                index._hashes[article_id] = values
                index._sizes[article_id] = meta["sizes"][row]
                index._languages[article_id] = meta["languages"][row]
        return index


def duplicate_links(signatures: Iterable[ArticleSignature], settings: DuplicateSettings = DuplicateSettings()) -> list[Link]:
    """All exact and near-duplicate links of a collection, in the order given (a batch helper)."""
    index = NearDuplicateIndex(settings)
    links: list[Link] = []
    for signature in signatures:
        links.extend(index.add(signature))
    return links


def copy_families(links: Iterable[Link]) -> list[set]:
    """Groups of articles joined by duplicate / near-duplicate links (connected components)."""
    parent: dict = {}

    def find(item):
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for link in links:
        if link.kind in ("duplicate", "near-duplicate"):
            parent[find(link.a)] = find(link.b)
    families: dict = {}
    for item in list(parent):
        families.setdefault(find(item), set()).add(item)
    return [family for family in families.values() if len(family) > 1]
