"""Translations and close cross-language copies.

Two articles in different languages are a translation pair when their headline+lead embeddings are
close AND language-independent evidence agrees: the same entities (or name stems), the same numbers
in the same order, the same dates, and a text of the same shape (as many paragraphs, a length in
proportion). Embeddings alone are not enough in a news stream: articles about one event written
independently are close too; the evidence tells a translation from a second article on the event.

``pair_score`` gives the score of one pair with its evidence; ``translation_groups`` builds groups
over a pool by average-linkage clustering under the constraint that two articles of one language
are never translations of each other (a family of same-language copies is clustered as one item,
scored by its best member); ``TranslationIndex`` links each new article of a stream to the recent
articles of other languages and builds the groups of its time window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from babelwire.link.signature import ArticleSignature, Link, month_day

MODES = ("combined", "embeddings", "evidence")
# A figure or a name "stays in place" in a translation when it is within this share of the text of
# where it was (paragraphs keep their order and proportions; debris and headings shift things a little).
PLACE_TOLERANCE = 0.1


@dataclass(frozen=True)
class TranslationSettings:
    mode: str = "combined"  # combined, embeddings (cosine only) or evidence (no embeddings)
    max_days_apart: int = 7  # dated articles further apart are not compared
    # Pairs under this cosine are not compared further (combined and embeddings modes); on WMT
    # newstest 3 translation pairs in 5,971 are under 0.83.
    candidate_cosine: float = 0.82
    # Cosine mapped to 0..1 between these two values (the range where translations and
    # same-event articles overlap for multilingual-e5-small on headline + lead).
    cosine_low: float = 0.80
    cosine_high: float = 0.93
    embedding_weight: float = 0.4  # share of the embedding part in the combined score
    link_threshold: float = 0.6  # a pair scoring this or more is a translation link
    group_threshold: float = 0.6  # average-linkage merge threshold (average pair score)
    max_numbers: int = 60  # numbers compared in order (the sequence alignment is quadratic)
    # Evidence-only mode: candidate pairs share at least this many entities / numbers / dates.
    min_shared_items: int = 3

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; expected one of {MODES}")


# --- evidence between two articles ----------------------------------------------------------
def common_subsequence_length(a: Sequence, b: Sequence, positions_a: Sequence[float] = (),
                              positions_b: Sequence[float] = (), tolerance: float | None = None) -> int:
    """Length of the longest common subsequence: the numbers two texts give in the same order.

    With positions and a tolerance, two equal items only match when they stand at about the same
    place in their texts (as a share of the text): a translation keeps each figure where it was.
    """
    if not a or not b:
        return 0
    near = tolerance is not None and len(positions_a) == len(a) and len(positions_b) == len(b)
    previous = [0] * (len(b) + 1)
    for i, x in enumerate(a):
        current = [0]
        for j, y in enumerate(b, 1):
            if x == y and (not near or abs(positions_a[i] - positions_b[j - 1]) <= tolerance):
                current.append(previous[j - 1] + 1)
            else:
                current.append(max(previous[j], current[-1]))
        previous = current
    return previous[-1]


def _clip(value: float) -> float:
    return 0.0 if value < 0 else 1.0 if value > 1 else value


def _days_apart(a: ArticleSignature, b: ArticleSignature) -> int | None:
    if not a.day or not b.day:
        return None
    try:
        return abs((dt.date.fromisoformat(a.day) - dt.date.fromisoformat(b.day)).days)
    except ValueError:
        return None


def number_key(value: str) -> str:
    """The significant digits of a number: "12000", "12" and "1.2" meet, because one language
    writes "12 000", another "12 thousand" / "12 ezer" / "12 Tsd." and a third "1,2 dizaines de milliers"."""
    return value.replace(".", "").strip("0") or "0"


def _number_keys(signature: ArticleSignature) -> list[str]:
    return [number_key(n) for n in signature.number_sequence]


def places_agreement(places_a: Sequence[tuple[str, float]], places_b: Sequence[tuple[str, float]]) -> tuple[float | None, int]:
    """Of the keys two articles share, the share that come in the same order at about the same place."""
    shared = {key for key, _ in places_a} & {key for key, _ in places_b}
    if not shared:
        return None, 0
    a = [(key, place) for key, place in places_a if key in shared]
    b = [(key, place) for key, place in places_b if key in shared]
    kept = common_subsequence_length([k for k, _ in a], [k for k, _ in b], [p for _, p in a], [p for _, p in b],
                                     PLACE_TOLERANCE)
    return kept / len(shared), len(shared)


# Characters a text takes in a language for what English says in 1 (rough, common localisation
# figures: Romance languages and German run 10–20 % longer than English, Czech about as long).
TEXT_LENGTH_FACTORS = {"en": 1.0, "de": 1.15, "fr": 1.15, "es": 1.15, "it": 1.12, "pt": 1.12, "nl": 1.1,
                       "ca": 1.12, "ro": 1.12, "cs": 1.0, "sk": 1.0, "pl": 1.05, "hu": 1.05, "ru": 1.1,
                       "uk": 1.1, "sv": 1.0, "da": 1.0, "no": 1.0, "fi": 1.05, "el": 1.15, "tr": 1.05}
DEFAULT_LENGTH_FACTOR = 1.1


def length_agreement(length_a: int, language_a: str, length_b: int, language_b: str) -> float:
    """min/max of the two lengths once each is divided by its language's usual length factor."""
    if not length_a or not length_b:
        return 0.0
    ratio = (length_a / TEXT_LENGTH_FACTORS.get(language_a, DEFAULT_LENGTH_FACTOR)) / \
            (length_b / TEXT_LENGTH_FACTORS.get(language_b, DEFAULT_LENGTH_FACTOR))
    return min(ratio, 1 / ratio)


def pair_evidence(a: ArticleSignature, b: ArticleSignature, max_numbers: int = 60) -> dict:
    """Language-independent evidence that two articles are one text in two languages (plain JSON)."""
    # Entity ids (one identity whatever the spelling) and name stems (which do not depend on how well
    # a language's recogniser works) are both compared, each kind with its own kind; the kind on
    # which the two articles agree more speaks for the names.
    kinds = [False, True] if a.entity_ids and b.entity_ids else [False]
    best_kind = None
    for entities in kinds:
        keys_a, keys_b = a.evidence_keys(entities), b.evidence_keys(entities)
        overlap = len(keys_a & keys_b) / max(1, min(len(keys_a), len(keys_b)))
        if best_kind is None or overlap > best_kind[0]:
            best_kind = (overlap, entities, keys_a, keys_b)
    _, entities, keys_a, keys_b = best_kind
    shared_keys = keys_a & keys_b
    numbers_a, numbers_b = _number_keys(a)[:max_numbers], _number_keys(b)[:max_numbers]
    in_place = common_subsequence_length(numbers_a, numbers_b, a.number_positions[:max_numbers],
                                         b.number_positions[:max_numbers], PLACE_TOLERANCE)
    keys_in_place, placed = places_agreement(a.key_places(entities), b.key_places(entities))
    dates_a = {month_day(d) for d in a.dates} - {None}
    dates_b = {month_day(d) for d in b.dates} - {None}
    paragraphs_a, paragraphs_b = a.paragraph_lengths, b.paragraph_lengths
    length_a, length_b = sum(paragraphs_a), sum(paragraphs_b)
    return {
        "key_kind": "entities" if entities else "names",
        "shared_keys": sorted(shared_keys)[:30],
        "key_overlap": round(len(shared_keys) / max(1, min(len(keys_a), len(keys_b))), 4),
        "keys": [len(keys_a), len(keys_b)],
        "keys_in_place": round(keys_in_place, 4) if keys_in_place is not None else None,
        "keys_placed": placed,
        "shared_numbers": sorted(a.numbers & b.numbers)[:30],
        "numbers": [len(numbers_a), len(numbers_b)],
        # Share of the numbers of the article that has more of them that the other keeps in place.
        "numbers_in_place": round(in_place / max(len(numbers_a), len(numbers_b)), 4) if numbers_a and numbers_b else None,
        "shared_dates": sorted(dates_a & dates_b),
        "dates": [len(dates_a), len(dates_b)],
        "paragraphs": [len(paragraphs_a), len(paragraphs_b)],
        "length_ratio": round(length_agreement(length_a, a.language, length_b, b.language), 4),
        "days_apart": _days_apart(a, b),
    }


def evidence_score(evidence: dict) -> float:
    """0..1 from the language-independent evidence alone: a weighted mean of what is available.

    - shape: as many paragraphs and a length in proportion once the usual difference between the
      two languages is allowed for (a translation rarely strays by more than 15 %); many paragraphs
      in equal number are hard to meet by chance, so they weigh more;
    - names: share of the smaller article's entities / name stems found in the other, and share of
      the shared ones that stand in the same order at about the same place;
    - numbers: the share of the figures (of the article with more) that the other gives in the same
      order at about the same place; a translation keeps every figure, so with several numbers on
      each side this weighs most;
    - dates: a shared calendar date, when both articles write one.
    """
    parts: list[tuple[float, float]] = []
    count_a, count_b = evidence["paragraphs"]
    paragraph_agreement = min(count_a, count_b) / max(1, count_a, count_b)
    shape = _clip((paragraph_agreement - 0.5) / 0.35) * _clip((evidence["length_ratio"] - 0.7) / 0.15)
    shape_weight = 1.0 + (min(2.0, max(0, count_a - 6) / 6) if count_a == count_b else 0.0)
    parts.append((shape, shape_weight))
    keys_a, keys_b = evidence["keys"]
    if min(keys_a, keys_b) >= 1:
        # Few names say little either way: their weight grows with the smaller set up to five.
        parts.append((_clip((evidence["key_overlap"] - 0.15) / 0.45), min(1.0, min(keys_a, keys_b) / 5)))
    if evidence["keys_in_place"] is not None and evidence["keys_placed"] >= 4:
        parts.append((_clip((evidence["keys_in_place"] - 0.6) / 0.3), 1.5 * min(1.0, evidence["keys_placed"] / 8)))
    numbers_a, numbers_b = evidence["numbers"]
    # Weighted by the larger count: seven figures on one side and two on the other is evidence too.
    if evidence["numbers_in_place"] is not None:
        parts.append((_clip((evidence["numbers_in_place"] - 0.55) / 0.3), min(3.0, max(numbers_a, numbers_b) / 2)))
    elif max(numbers_a, numbers_b) >= 3:
        parts.append((0.0, min(3.0, max(numbers_a, numbers_b) / 4)))  # numbers on one side only
    dates_a, dates_b = evidence["dates"]
    if dates_a and dates_b:
        parts.append((1.0 if evidence["shared_dates"] else 0.0, 0.5))
    total = sum(weight for _, weight in parts)
    return sum(value * weight for value, weight in parts) / total if total else 0.0


def cosine_score(cosine: float, settings: TranslationSettings) -> float:
    return _clip((cosine - settings.cosine_low) / (settings.cosine_high - settings.cosine_low))


def pair_score(a: ArticleSignature, b: ArticleSignature, cosine: float | None,
               settings: TranslationSettings = TranslationSettings()) -> tuple[float, dict]:
    """Translation score of two articles of different languages (0 for the same language) and its evidence."""
    if a.language == b.language:
        return 0.0, {"reason": "same language"}
    evidence = pair_evidence(a, b, settings.max_numbers)
    days = evidence["days_apart"]
    if days is not None and days > settings.max_days_apart:
        return 0.0, evidence
    if cosine is not None:
        evidence["embedding_cosine"] = round(float(cosine), 4)
    if settings.mode == "embeddings":
        score = cosine_score(cosine, settings) if cosine is not None else 0.0
    else:
        proof = evidence_score(evidence)
        evidence["evidence_score"] = round(proof, 4)
        if settings.mode == "evidence" or cosine is None:
            score = proof
        else:
            weight = settings.embedding_weight
            score = weight * cosine_score(cosine, settings) + (1 - weight) * proof
    return score, evidence


# --- candidate pairs ------------------------------------------------------------------------
def _within_days(a: ArticleSignature, b: ArticleSignature, days: int) -> bool:
    apart = _days_apart(a, b)
    return apart is None or apart <= days


def _shared_items(signature: ArticleSignature) -> set[str]:
    """What evidence-only candidate search looks for in common: names, entities, numbers, dates."""
    items = {f"k:{key}" for key in signature.entity_ids | signature.names} | {f"n:{n}" for n in signature.numbers}
    return items | {f"d:{month_day(d)}" for d in signature.dates if month_day(d)}


def candidate_pairs(signatures: Sequence[ArticleSignature], embeddings: np.ndarray | None,
                    settings: TranslationSettings) -> list[tuple[int, int, float | None]]:
    """Pairs (i, j, cosine) of articles in different languages worth scoring."""
    pairs = []
    languages = [s.language for s in signatures]
    if settings.mode != "evidence" and embeddings is not None and len(signatures):
        vectors = np.asarray(embeddings, dtype=np.float32)
        block = 1024
        for start in range(0, len(signatures), block):
            similarities = vectors[start:start + block] @ vectors.T
            rows, columns = np.nonzero(similarities >= settings.candidate_cosine)
            for row, j in zip(rows.tolist(), columns.tolist()):
                i = start + row
                if i < j and languages[i] != languages[j] and _within_days(signatures[i], signatures[j], settings.max_days_apart):
                    pairs.append((i, j, float(similarities[row, j])))
        return pairs
    # Without embeddings: articles sharing enough entities / names, numbers and dates.
    postings: dict[str, list[int]] = defaultdict(list)
    for index, signature in enumerate(signatures):
        for item in _shared_items(signature):
            postings[item].append(index)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    limit = max(50, len(signatures) // 10)  # items in too many articles (common words, years) block nothing
    for members in postings.values():
        if len(members) > limit:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                shared[(members[x], members[y])] += 1
    for (i, j), count in shared.items():
        if count >= settings.min_shared_items and languages[i] != languages[j] and \
                _within_days(signatures[i], signatures[j], settings.max_days_apart):
            pairs.append((i, j, None))
    return pairs


def scored_pairs(signatures: Sequence[ArticleSignature], embeddings: np.ndarray | None,
                 settings: TranslationSettings = TranslationSettings()) -> dict[tuple[int, int], tuple[float, dict]]:
    scores = {}
    for i, j, cosine in candidate_pairs(signatures, embeddings, settings):
        score, evidence = pair_score(signatures[i], signatures[j], cosine, settings)
        if score > 0:
            scores[(i, j)] = (score, evidence)
    return scores


# --- grouping -------------------------------------------------------------------------------
def average_linkage(count: int, labels: Sequence[frozenset], scores: dict[tuple[int, int], float],
                    threshold: float, score_missing: Callable[[int, int], float] | None = None) -> list[list[int]]:
    """Average-linkage agglomerative clustering over sparse pair scores, never merging two clusters
    whose label sets (languages) meet. Returns clusters of indices.

    Pairs absent from ``scores`` count 0, unless ``score_missing(i, j)`` is given: then, before two
    clusters merge, the pairs between them that were never scored are scored, so the decision is
    taken on the true average (a translation group is not split because one of its pairs fell
    under the candidate cut).
    """
    members: dict[int, list[int]] = {i: [i] for i in range(count)}
    cluster_labels: dict[int, frozenset] = {i: labels[i] for i in range(count)}
    known = {(min(i, j), max(i, j)) for i, j in scores}
    sums: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), score in scores.items():
        if i != j:
            sums[i][j] = sums[i].get(j, 0.0) + score
            sums[j][i] = sums[j].get(i, 0.0) + score
    # Heap entries hold the negated average score between two clusters (absent pairs as 0 until
    # checked); an entry made stale by a merge or a check is skipped when popped.
    heap = [(-total, i, j) for i, neighbours in sums.items() for j, total in neighbours.items() if i < j]
    heapq.heapify(heap)
    checked: set[tuple[int, int]] = set()
    next_id = count
    while heap:
        negative, x, y = heapq.heappop(heap)
        if x not in members or y not in members:
            continue
        average = sums[x][y] / (len(members[x]) * len(members[y]))
        if abs(average + negative) > 1e-9:
            continue
        if cluster_labels[x] & cluster_labels[y]:
            continue  # two articles of one language: never one translation group
        if score_missing is not None and (x, y) not in checked:
            checked.add((x, y))
            added = 0.0
            for i in members[x]:
                for j in members[y]:
                    pair = (min(i, j), max(i, j))
                    if pair not in known:
                        known.add(pair)
                        added += score_missing(*pair)
            if added:
                sums[x][y] += added
                sums[y][x] += added
                heapq.heappush(heap, (-(sums[x][y] / (len(members[x]) * len(members[y]))), x, y))
                continue
        if average < threshold:
            continue  # entries below are lower bounds while unchecked: keep looking
        merged = next_id
        next_id += 1
        members[merged] = members.pop(x) + members.pop(y)
        cluster_labels[merged] = cluster_labels.pop(x) | cluster_labels.pop(y)
        neighbours: dict[int, float] = {}
        for old in (x, y):
            for other, total in sums.pop(old).items():
                if other in (x, y):
                    continue
                neighbours[other] = neighbours.get(other, 0.0) + total
                del sums[other][old]
        for other, total in neighbours.items():
            sums[merged][other] = total
            sums[other][merged] = total
            heapq.heappush(heap, (-(total / (len(members[merged]) * len(members[other]))), min(merged, other), max(merged, other)))
    return [sorted(group) for group in members.values()]


@dataclass(frozen=True)
class TranslationGroup:
    members: list  # article ids: translations of one another, with their same-language copies
    languages: list[str]
    links: list[Link]  # translation links between members of different languages


def copy_families_of(signatures: Sequence[ArticleSignature], copies: Iterable[Link]) -> list[list[int]]:
    """Indices grouped by duplicate / near-duplicate links (each article alone when it has none)."""
    index_of = {s.article_id: i for i, s in enumerate(signatures)}
    parent = list(range(len(signatures)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in copies:
        if link.kind in ("duplicate", "near-duplicate") and link.a in index_of and link.b in index_of:
            parent[find(index_of[link.a])] = find(index_of[link.b])
    families: dict[int, list[int]] = defaultdict(list)
    for i in range(len(signatures)):
        families[find(i)].append(i)
    return list(families.values())


def translation_groups(signatures: Sequence[ArticleSignature], embeddings: np.ndarray | None,
                       settings: TranslationSettings = TranslationSettings(),
                       copies: Iterable[Link] = ()) -> list[TranslationGroup]:
    """Translation groups (two languages or more) over a pool of articles.

    ``copies``: duplicate / near-duplicate links. Copies in one language are never translations of
    each other; each family of copies is clustered as one item whose score with another article is
    the best of its members' (a copy with a paragraph cut still carries the original's evidence).
    """
    vectors = None if embeddings is None else np.asarray(embeddings, dtype=np.float32)
    families = copy_families_of(signatures, copies)
    family_of = {i: f for f, family in enumerate(families) for i in family}
    scored = scored_pairs(signatures, vectors, settings)
    best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {}
    for (i, j), (score, _) in scored.items():
        fi, fj = family_of[i], family_of[j]
        if fi == fj:
            continue
        key = (min(fi, fj), max(fi, fj))
        if key not in best or score > best[key][0]:
            best[key] = (score, (i, j))

    def score_missing(fi: int, fj: int) -> float:
        top = 0.0
        for i in families[fi]:
            for j in families[fj]:
                cosine = float(vectors[i] @ vectors[j]) if vectors is not None and settings.mode != "evidence" else None
                score, evidence = pair_score(signatures[i], signatures[j], cosine, settings)
                if score > top:
                    top = score
                    best[(fi, fj)] = (score, (i, j))
                    scored[(min(i, j), max(i, j))] = (score, evidence)
        return top

    labels = [frozenset(signatures[family[0]].language for _ in family) for family in families]
    clusters = average_linkage(len(families), labels, {pair: value[0] for pair, value in best.items()},
                               settings.group_threshold, score_missing)
    groups = []
    for cluster in clusters:
        if len(cluster) < 2:
            continue
        links = []
        for x in range(len(cluster)):
            for y in range(x + 1, len(cluster)):
                fi, fj = sorted((cluster[x], cluster[y]))
                score, (i, j) = best.get((fi, fj), (0.0, (families[fi][0], families[fj][0])))
                evidence = scored.get((min(i, j), max(i, j)), (0.0, {}))[1]
                for k in families[fi]:
                    for m in families[fj]:
                        extra = {} if (k, m) in ((i, j), (j, i)) else {"through_copies_of": [signatures[i].article_id, signatures[j].article_id]}
                        first, second = sorted((k, m))
                        links.append(Link(signatures[first].article_id, signatures[second].article_id, "translation",
                                          score, dict(evidence, grouped="average-linkage", **extra)))
        members = [signatures[i].article_id for f in cluster for i in families[f]]
        languages = sorted({signatures[families[f][0]].language for f in cluster})
        groups.append(TranslationGroup(members, languages, links))
    return groups


class TranslationIndex:
    """Translation links over a stream: each article is compared with the articles of the last
    ``max_days_apart`` days (stream time) in other languages; older articles are forgotten. An
    undated article counts as written on the stream's current day.

    ``add`` returns the new article's translation links (pair decisions); ``groups`` builds the
    translation groups of the articles in the window (average linkage, as ``translation_groups``).
    An article given without an embedding is compared on the evidence alone.
    """

    def __init__(self, settings: TranslationSettings = TranslationSettings()):
        self.settings = settings
        self._signatures: list[ArticleSignature] = []
        self._vectors: list[np.ndarray | None] = []
        self._days: list[dt.date | None] = []  # the article's date, or the stream day it arrived
        self._copies: list[Link] = []
        self._now: dt.date | None = None

    def __len__(self) -> int:
        return len(self._signatures)

    def add(self, signature: ArticleSignature, embedding: np.ndarray | None = None, copies: Iterable[Link] = ()) -> list[Link]:
        day = self._advance(signature)
        vector = None if embedding is None else np.asarray(embedding, dtype=np.float32)
        candidates: list[tuple[int, float | None]] = []
        embedded = [i for i, v in enumerate(self._vectors) if v is not None]
        if vector is not None and self.settings.mode != "evidence" and embedded:
            cosines = np.vstack([self._vectors[i] for i in embedded]) @ vector
            candidates = [(embedded[k], float(cosines[k])) for k in np.flatnonzero(cosines >= self.settings.candidate_cosine)]
        if vector is None or self.settings.mode == "evidence":
            items = _shared_items(signature)
            candidates = [(i, None) for i, other in enumerate(self._signatures)
                          if len(items & _shared_items(other)) >= self.settings.min_shared_items]
        links = []
        for index, cosine in candidates:
            other = self._signatures[index]
            if other.language == signature.language:
                continue
            score, evidence = pair_score(other, signature, cosine, self.settings)
            if score >= self.settings.link_threshold:
                links.append(Link(other.article_id, signature.article_id, "translation", score, evidence))
        self._signatures.append(signature)
        self._vectors.append(vector)
        self._days.append(day)
        self._copies.extend(copies)
        links.sort(key=lambda link: -link.score)
        return links

    def groups(self) -> list[TranslationGroup]:
        """Translation groups of the articles in the window."""
        if self.settings.mode != "evidence" and self._vectors and all(v is not None for v in self._vectors):
            return translation_groups(self._signatures, np.vstack(self._vectors), self.settings, self._copies)
        return translation_groups(self._signatures, None, dataclasses.replace(self.settings, mode="evidence"), self._copies)

    def _advance(self, signature: ArticleSignature) -> dt.date | None:
        """Moves the stream clock to the article's date and forgets what fell out of the window."""
        day = dt.date.fromisoformat(signature.day) if signature.day else None
        if day is not None and (self._now is None or day > self._now):
            self._now = day
            limit = day - dt.timedelta(days=self.settings.max_days_apart)
            keep = [i for i, d in enumerate(self._days) if d is None or d >= limit]
            if len(keep) < len(self._signatures):
                kept_ids = {self._signatures[i].article_id for i in keep}
                self._signatures = [self._signatures[i] for i in keep]
                self._vectors = [self._vectors[i] for i in keep]
                self._days = [self._days[i] for i in keep]
                self._copies = [link for link in self._copies if link.a in kept_ids and link.b in kept_ids]
        return day or self._now
