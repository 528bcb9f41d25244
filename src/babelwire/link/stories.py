"""Stories: online clustering of the article stream into events, in any language, as articles arrive.

Each incoming article is compared with the stories still open: cosine of its headline+lead
embedding to the story's centroid, plus a bonus for the entities (or name stems) it shares with
the story's main ones, minus a penalty for every day between the article and the story's time
span. It joins the best story above a threshold, or starts a new one. An article that the link
stage already tied to an article of an open story (translation, copy) joins that story directly.

Time decay closes stories: a story that has had no article for ``close_after_days`` days of stream
time is closed, emitted and dropped from memory. Cost per article is one matrix-vector product
over the open stories, so the total cost is linear in the number of articles and memory is bounded
by the stories still open.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import numpy as np

from babelwire.link.state import pack_state, unpack_state
from babelwire.link.signature import _WORD, ArticleSignature, Link, fold, name_stems_with_offsets
from babelwire.model import calendar_date


@dataclass(frozen=True)
class StorySettings:
    join_similarity: float = 0.88  # cosine (+ bonus − penalty) an article needs to join a story
    shared_key_bonus: float = 0.008  # per entity / name stem shared with the story's main ones …
    max_key_bonus: float = 0.06  # … up to this
    day_penalty: float = 0.01  # per day between the article and the story's time span
    close_after_days: float = 5.0  # a story with no new article for this long (stream time) closes
    main_keys: int = 12  # entities / name stems kept as the story's profile
    # A key in more than this share of the recent articles (Twitter, Europe, a site's own name)
    # tells no story from another and earns no bonus; "recent" is the last `key_window` articles.
    common_key_share: float = 0.02
    key_window: int = 2000
    label_entities: int = 4
    max_timeline: int = 10000  # members kept per story (memory bound for very long stories)


@dataclass(frozen=True)
class TimelineEntry:
    date: str | None
    article_id: str | int
    title: str  # the article's title, or the start of its lead when it has none
    language: str
    source: str | None
    similarity: float  # to the story when the article joined it (1.0 for the founder)


@dataclass
class Story:
    """A story as emitted: label, time span, languages, sources and dated timeline."""

    id: str
    label_entities: list[str]  # the main entities' names
    label_entity_ids: list[str]  # the entity ids among them (when the analysis had entity ids)
    headline: str  # representative headline: the member closest to the centroid
    first: str | None
    last: str | None
    languages: list[str]
    sources: list[str]
    timeline: list[TimelineEntry]
    closed: bool = False

    @property
    def article_ids(self) -> list:
        return [entry.article_id for entry in self.timeline]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["size"] = len(self.timeline)
        return data

    def links(self) -> list[Link]:
        """"same-story" links from the story's first article to each other member (score: the
        member's similarity to the story when it joined)."""
        if not self.timeline:
            return []
        first = self.timeline[0]
        return [Link(first.article_id, entry.article_id, "same-story", entry.similarity,
                     {"story": self.id, "date": entry.date})
                for entry in self.timeline[1:]]


@dataclass
class _OpenStory:
    id: str
    vector_sum: np.ndarray
    first: dt.date | None = None
    last: dt.date | None = None
    keys: Counter = field(default_factory=Counter)
    main: frozenset = frozenset()  # the most frequent keys: the story's profile
    entity_names: dict = field(default_factory=dict)  # entity id -> name, for the label
    members: list[TimelineEntry] = field(default_factory=list)
    member_vectors: list[np.ndarray] = field(default_factory=list)
    last_seen: dt.date | None = None  # stream time of the last article added


def headline_of(signature: ArticleSignature, max_characters: int = 140) -> str:
    """The title, or for an untitled article the start of its lead."""
    text = signature.title.strip() or signature.lead.strip()
    if len(text) > max_characters:
        cut = text.rfind(" ", 0, max_characters)
        text = text[:cut if cut > 0 else max_characters] + " …"
    return text




class StoryClusterer:
    def __init__(self, settings: StorySettings = StorySettings()):
        self.settings = settings
        self._open: dict[str, _OpenStory] = {}
        self._rows: list[str] = []  # story id of each centroid row
        self._row_of: dict[str, int] = {}
        self._centroids = np.zeros((0, 0), dtype=np.float32)
        self._story_of: dict = {}  # article id -> open story id
        self._closed: list[Story] = []
        self._now: dt.date | None = None
        self._next = 0
        self._recent_keys: deque[frozenset] = deque()
        self._key_counts: Counter = Counter()
        self.last_similarity = 1.0  # of the article added last to its story (1.0 when it founded it)

    # --- adding ---------------------------------------------------------------------------
    def add(self, signature: ArticleSignature, embedding: np.ndarray, linked_to: Iterable = ()) -> str:
        """Places an article in a story and returns the story id.

        ``linked_to``: ids of articles the link stage tied to this one (translations, copies);
        when one of them is in an open story, the article joins it.
        """
        vector = np.asarray(embedding, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        vector = vector / norm if norm else vector
        day = calendar_date(signature.published)
        if day is not None and (self._now is None or day > self._now):
            self._now = day
            self._close_stale()
        # Entity ids and name stems together: a stream mixes analyses with and without entity ids.
        keys = self._distinctive(signature.entity_ids | signature.names)

        story_id, similarity = None, 1.0
        for other in linked_to:
            if other in self._story_of:
                story_id = self._story_of[other]
                similarity = float(vector @ self._centroid(self._open[story_id]))
                break
        if story_id is None and self._rows:
            cosines = self._centroids[:len(self._rows)] @ vector
            # Only stories the bonus could lift over the threshold need the (slower) adjustment.
            reachable = np.flatnonzero(cosines >= self.settings.join_similarity - self.settings.max_key_bonus)
            best_score = -1.0
            for row in reachable:
                candidate = self._rows[row]
                score = float(cosines[row]) + self._adjustment(self._open[candidate], keys, day)
                if score > best_score:
                    best_score, best_story = score, candidate
            if best_score >= self.settings.join_similarity:
                story_id, similarity = best_story, best_score
        if story_id is None:
            story_id = self._new_story(vector.shape[0])
        self._join(self._open[story_id], signature, vector, keys, day, similarity)
        self.last_similarity = similarity
        return story_id

    def _distinctive(self, keys: frozenset) -> frozenset:
        """The article's keys minus those common in the recent stream; then counts the article's keys."""
        window = len(self._recent_keys)
        # Shares mean something over enough articles only; before that every key counts.
        limit = max(5.0, self.settings.common_key_share * window) if window >= 50 else float("inf")
        distinctive = frozenset(key for key in keys if self._key_counts[key] <= limit)
        self._recent_keys.append(keys)
        self._key_counts.update(keys)
        if len(self._recent_keys) > self.settings.key_window:
            old = self._recent_keys.popleft()
            self._key_counts.subtract(old)
            for key in old:
                if self._key_counts[key] <= 0:
                    del self._key_counts[key]
        return distinctive

    def _adjustment(self, story: _OpenStory, keys: frozenset, day: dt.date | None) -> float:
        settings = self.settings
        bonus = min(settings.max_key_bonus, settings.shared_key_bonus * len(story.main & keys))
        gap = 0
        if day is not None and story.first is not None:
            if day < story.first:
                gap = (story.first - day).days
            elif day > story.last:
                gap = (day - story.last).days
        return bonus - settings.day_penalty * gap

    def _new_story(self, dimensions: int) -> str:
        story_id = f"story-{self._next:06d}"
        self._next += 1
        self._open[story_id] = _OpenStory(story_id, np.zeros(dimensions, dtype=np.float32))
        if self._centroids.shape[1] != dimensions:
            self._centroids = np.zeros((0, dimensions), dtype=np.float32)
        if len(self._rows) == len(self._centroids):
            # Room for twice as many open stories: growing row by row would copy the matrix each time.
            grown = np.zeros((max(16, 2 * len(self._centroids)), dimensions), dtype=np.float32)
            grown[:len(self._centroids)] = self._centroids
            self._centroids = grown
        self._row_of[story_id] = len(self._rows)
        self._centroids[len(self._rows)] = 0.0
        self._rows.append(story_id)
        return story_id

    def _join(self, story: _OpenStory, signature: ArticleSignature, vector: np.ndarray, keys: frozenset,
              day: dt.date | None, similarity: float) -> None:
        story.vector_sum += vector
        story.keys.update(keys)
        if len(story.keys) > 20 * self.settings.main_keys:
            # Keep the profile bounded: the most frequent keys stay, with room to grow again.
            story.keys = Counter(dict(story.keys.most_common(10 * self.settings.main_keys)))
        story.main = frozenset(key for key, _ in story.keys.most_common(self.settings.main_keys))
        for entity, name in signature.entity_names:
            if entity in story.keys:
                story.entity_names.setdefault(entity, name)
        if len(story.entity_names) > 4 * len(story.keys):
            story.entity_names = {k: v for k, v in story.entity_names.items() if k in story.keys}
        if day is not None:
            story.first = day if story.first is None or day < story.first else story.first
            story.last = day if story.last is None or day > story.last else story.last
        story.last_seen = self._now
        if len(story.members) < self.settings.max_timeline:
            story.members.append(TimelineEntry(day.isoformat() if day else None, signature.article_id,
                                               headline_of(signature), signature.language, signature.source,
                                               round(similarity, 4)))
            story.member_vectors.append(vector)
        self._story_of[signature.article_id] = story.id
        self._centroids[self._row_of[story.id]] = self._centroid(story)

    @staticmethod
    def _centroid(story: _OpenStory) -> np.ndarray:
        norm = float(np.linalg.norm(story.vector_sum))
        return story.vector_sum / norm if norm else story.vector_sum

    # --- closing --------------------------------------------------------------------------
    def _close_stale(self) -> None:
        if self._now is None:
            return
        limit = self._now - dt.timedelta(days=self.settings.close_after_days)
        self._closed.extend(self.close_older_than(limit))

    def close_older_than(self, date: str | dt.date) -> list[Story]:
        """Closes the open stories whose last article is older than ``date``; returns them
        (emitted once: they are dropped from memory)."""
        limit = calendar_date(date) if isinstance(date, str) else date
        stale = [sid for sid, story in self._open.items()
                 if (story.last or story.last_seen) is not None and (story.last or story.last_seen) < limit]
        return self._close(stale)

    def close_all(self) -> list[Story]:
        return self.take_closed() + self._close(list(self._open))

    def take_closed(self) -> list[Story]:
        """Stories closed by time decay since the last call (then forgotten here)."""
        closed, self._closed = self._closed, []
        return closed

    def _close(self, story_ids: list[str]) -> list[Story]:
        if not story_ids:
            return []
        emitted = []
        for story_id in story_ids:
            story = self._open.pop(story_id)
            for member in story.members:
                self._story_of.pop(member.article_id, None)
            emitted.append(self._emit(story, closed=True))
        keep = [i for i, sid in enumerate(self._rows) if sid in self._open]
        self._rows = [self._rows[i] for i in keep]
        self._row_of = {sid: i for i, sid in enumerate(self._rows)}
        self._centroids = self._centroids[keep].copy()
        return emitted

    # --- reading --------------------------------------------------------------------------
    def stories(self) -> list[Story]:
        """The open stories as they stand."""
        return [self._emit(story, closed=False) for story in self._open.values()]

    def story_of(self, article_id) -> str | None:
        return self._story_of.get(article_id)

    def story(self, story_id: str) -> Story | None:
        """One open story as it stands (None when closed or unknown)."""
        story = self._open.get(story_id)
        return self._emit(story, closed=False) if story else None

    def __len__(self) -> int:
        return len(self._open)

    def _emit(self, story: _OpenStory, closed: bool) -> Story:
        centroid = self._centroid(story)
        best = int(np.argmax(np.vstack(story.member_vectors) @ centroid)) if story.member_vectors else 0
        headline = story.members[best].title if story.members else ""
        timeline = sorted(story.members, key=lambda entry: entry.date or "9999")  # stable: arrival order within a day
        languages = Counter(entry.language for entry in story.members)
        sources = Counter(entry.source for entry in story.members if entry.source)
        labels, label_ids = self._label(story)
        return Story(
            id=story.id,
            label_entities=labels,
            label_entity_ids=label_ids,
            headline=headline,
            first=story.first.isoformat() if story.first else None,
            last=story.last.isoformat() if story.last else None,
            languages=[language for language, _ in languages.most_common()],
            sources=[source for source, _ in sources.most_common()],
            timeline=timeline,
            closed=closed,
        )

    def _label(self, story: _OpenStory) -> tuple[list[str], list[str]]:
        """Main entities (names to show, and the entity ids among them): entity ids shown by their
        canonical name, name stems by the word of the headlines they come from."""
        forms: dict[str, Counter] = {}
        for member in story.members[:50]:
            for stem, offset in name_stems_with_offsets(member.title):
                word = _WORD.match(member.title, offset)
                if word:
                    forms.setdefault(stem, Counter())[word.group()] += 1
        labels, ids, seen = [], [], set()
        size = len(story.members)
        for key, count in story.keys.most_common():
            if len(labels) >= self.settings.label_entities or (size > 1 and count < 2):
                break
            if key in story.entity_names:
                name, entity = story.entity_names[key], key
            elif key in forms:
                name, entity = forms[key].most_common(1)[0][0], None
            else:
                continue
            if fold(name) in seen:
                continue
            seen.add(fold(name))
            labels.append(name)
            if entity:
                ids.append(entity)
        return labels, ids

    # --- state ----------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The open stories (and the stream clock) as bytes: numpy arrays + JSON, no pickle."""
        stories = []
        vectors = []
        for story in self._open.values():
            stories.append({
                "id": story.id, "first": story.first.isoformat() if story.first else None,
                "last": story.last.isoformat() if story.last else None,
                "last_seen": story.last_seen.isoformat() if story.last_seen else None,
                "keys": dict(story.keys), "entity_names": story.entity_names,
                "members": [asdict(m) for m in story.members],
            })
            vectors.append(story.vector_sum)
            vectors.extend(story.member_vectors)
        meta = {"format": "babelwire-stories/1", "settings": asdict(self.settings), "next": self._next,
                "now": self._now.isoformat() if self._now else None, "stories": stories,
                "recent_keys": [sorted(keys) for keys in self._recent_keys]}
        return pack_state(meta, vectors=np.vstack(vectors) if vectors else np.zeros((0, 0), np.float32))

    @classmethod
    def from_bytes(cls, data: bytes) -> "StoryClusterer":
        meta, (vectors,) = unpack_state(data, "babelwire-stories/1", "vectors")
        clusterer = cls(StorySettings(**meta["settings"]))
        clusterer._next = meta["next"]
        clusterer._now = calendar_date(meta["now"])
        for keys in meta.get("recent_keys", []):
            clusterer._recent_keys.append(frozenset(keys))
            clusterer._key_counts.update(keys)
        row = 0
        for item in meta["stories"]:
            story = _OpenStory(item["id"], vectors[row].copy(), calendar_date(item["first"]), calendar_date(item["last"]),
                               Counter(item["keys"]), members=[TimelineEntry(**m) for m in item["members"]],
                               last_seen=calendar_date(item["last_seen"]), entity_names=dict(item.get("entity_names", {})))
            story.main = frozenset(key for key, _ in story.keys.most_common(clusterer.settings.main_keys))
            row += 1
            story.member_vectors = [vectors[row + i].copy() for i in range(len(story.members))]
            row += len(story.members)
            clusterer._open[story.id] = story
            clusterer._row_of[story.id] = len(clusterer._rows)
            clusterer._rows.append(story.id)
            for member in story.members:
                clusterer._story_of[member.article_id] = story.id
        if clusterer._rows:
            clusterer._centroids = np.vstack([clusterer._centroid(clusterer._open[sid]) for sid in clusterer._rows]).astype(np.float32)
        return clusterer
