"""The one data model every stage reads and extends.

A Document holds the original text, never changed, and layers of spans whose offsets are
Python string indices into that original. Cleaning does not rewrite the text: it adds Edits,
and the clean text is derived from them, with an OffsetMap to go back and forth.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from babelwire.offsets import Edit, EditConflict, OffsetMap, apply_edits, make_edit, sort_edits

SCHEMA_VERSION = "1.1.0"


def calendar_date(value: str | None) -> dt.date | None:
    """The calendar day of an ISO 8601 date or date-time string, or None when there is none."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text with its language: title, heading, paragraph, sentence or fragment.

    A ``fragment`` is a part of a sentence in another language than the rest of it.
    """

    start: int
    end: int
    kind: str
    language: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Debris:
    """Page debris: text on the page that is not article text (kept in the original, not in the clean text)."""

    start: int
    end: int
    kind: str  # embed, embed-attribution, related-link, share, stray-punctuation, stray-guillemet
    reason: str
    language: str = "und"
    confidence: float = 0.0


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int | None
    end: int | None
    text: str
    reason: str


@dataclass(slots=True)
class Published:
    value: str | None = None  # ISO 8601 date or date-time
    source: str = "unknown"  # given, inferred or unknown
    confidence: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text (person, organisation, place, other), linked to an Entity."""

    start: int
    end: int
    text: str
    type: str  # PER, ORG, LOC, MISC
    entity_id: str | None = None
    language: str = "und"
    source: str = ""  # which recogniser found it, e.g. "spacy:fr_core_news_md", "rules", "knowledge-base"
    confidence: float = 0.0


@dataclass(slots=True)
class Entity:
    """One real-world entity; its id is the same in every article, language and script."""

    id: str
    name: str  # canonical name
    type: str
    aliases: list[str] = field(default_factory=list)  # every surface form seen, in any language or script
    knowledge_base_id: str | None = None  # e.g. "country:KP" when the knowledge base knows it


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A date, time, duration or recurrence, normalised TIMEX3-style (2024-06-18, 2024-06-19T02:45, P2Y, XXXX-WXX-1)."""

    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str | None
    timezone: str | None = None  # IANA name when the text names a place or zone (Asia/Pyongyang)
    anchor: str | None = None  # the date it was resolved against, when relative
    modifier: str | None = None  # TIMEX3 mod: START, END, APPROX, BEFORE, AFTER …


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation with its speaker and cue; ``kind`` is statement, partial (quoted words inside the
    reporter's clause), term (a quoted word) or indirect."""

    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity_id: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    language: str = "und"


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with what it counts and its hedge (`plus de 11 000 conteneurs` → >11000 conteneurs)."""

    start: int
    end: int
    text: str
    value: float | None
    unit: str | None = None
    qualifier: str | None = None  # more-than, less-than, about, at-least, at-most, tens, hundreds, …
    language: str = "und"


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    slug: str | None = None
    tag: str | None = None
    url: str | None = None
    source: str | None = None
    author: str | None = None
    id: str | None = None
    language: str | None = None  # as declared by the input, if it declares one
    published: str | None = None  # as declared by the input, if it declares one
    path: str | None = None
    reader: str | None = None
    encoding: str | None = None
    # Offsets of the layout parts in the original text, where the reader found them.
    title_span: tuple[int, int] | None = None
    slug_span: tuple[int, int] | None = None
    tag_span: tuple[int, int] | None = None


@dataclass(slots=True)
class Document:
    text: str
    metadata: Metadata = field(default_factory=Metadata)
    language: str = "und"
    language_confidence: float = 0.0
    edits: list[Edit] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    debris: list[Debris] = field(default_factory=list)
    published: Published = field(default_factory=Published)
    diagnostics: dict[str, Any] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things a user should know (e.g. a missing model)
    _clean_cache: tuple[int, str, OffsetMap] | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        """Stable identifier: the input's own id, else a hash of the original text."""
        if self.metadata.id:
            return str(self.metadata.id)
        return hashlib.sha1(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]

    # --- clean text -------------------------------------------------------------------------
    def _clean(self) -> tuple[str, OffsetMap]:
        key = hash(tuple(self.edits))
        if self._clean_cache is None or self._clean_cache[0] != key:
            ordered = sort_edits(self.edits)
            self._clean_cache = (key, apply_edits(self.text, ordered), OffsetMap(len(self.text), ordered))
        return self._clean_cache[1], self._clean_cache[2]

    @property
    def clean_text(self) -> str:
        return self._clean()[0]

    @property
    def offset_map(self) -> OffsetMap:
        return self._clean()[1]

    def add_edit(self, start: int, end: int, kind: str, reason: str, replacement: str) -> bool:
        """Adds an edit in original offsets; False (and nothing added) when it overlaps another."""
        try:
            edit = make_edit(self.text, start, end, kind, reason, replacement)
        except EditConflict:
            return False
        if any(edit.overlaps(other) for other in self.edits):
            return False
        self.edits.append(edit)
        return True

    def add_clean_edits(self, changes: list[tuple[int, int, str, str, str]]) -> int:
        """Adds edits given in clean-text offsets as (start, end, kind, reason, replacement).

        All are mapped with the clean text as it is before any of them is added, and each is
        allowed only over text copied unchanged from the original. Returns how many were added.
        """
        clean, offsets = self._clean()
        mapped = []
        for clean_start, clean_end, kind, reason, replacement in changes:
            if clean_start == clean_end:
                position = offsets.to_original(clean_start)
                mapped.append((position, position, kind, reason, replacement))
                continue
            start, end = offsets.span_to_original(clean_start, clean_end)
            if self.text[start:end] == clean[clean_start:clean_end]:
                mapped.append((start, end, kind, reason, replacement))
        return sum(self.add_edit(*change) for change in mapped)

    def clean_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offset_map.span_to_clean(start, end)

    def original_span(self, clean_start: int, clean_end: int) -> tuple[int, int]:
        return self.offset_map.span_to_original(clean_start, clean_end)

    def segments_of(self, *kinds: str) -> list[Segment]:
        return [segment for segment in self.segments if segment.kind in kinds]

