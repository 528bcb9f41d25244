"""What the link stage needs from an analysed article: its ``ArticleSignature``.

The signature is built from the analysis JSON (the output contract, ``babelwire.to_dict``), so the
link stage works the same on a fresh analysis and on one read back from the database. Everything
in it is plain, hashable data: the text parts the embedder and the shingler read (title, lead, clean
text) and the language-independent evidence the translation and story linkers compare across
languages (entity identities, numbers, dates, names).

Entity identities (``mentions[].entity_id`` / ``entities[].id``) are used when the analysis has
them. Analyses made before that step ran have none, so the signature also carries ``names``: the
capitalised words of the text transliterated, folded (with the identity step's spelling key when it
is installed: Poutine = Putin = Путин) and cut to a short stem, which meet across languages and
scripts (Montpellier, Sánchez/Sanchez, Obamy/Obama). The two kinds are kept apart: the linkers
compare entity ids with entity ids and stems with stems.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from anyascii import anyascii

# A name stem keeps this many folded letters: long enough to keep names apart, short enough to
# absorb inflection (Czech Obamy/Obamovi, Hungarian Obamának) and accents (Sánchez/Sanchez).
NAME_STEM_LETTERS = 5
LEAD_MAX_SENTENCES = 3
LEAD_MIN_CHARACTERS = 200
LEAD_MAX_CHARACTERS = 600


@dataclass(frozen=True)
class ArticleSignature:
    article_id: str | int
    language: str
    published: str | None  # ISO date (YYYY-MM-DD) or None
    title: str
    lead: str  # first sentences of the body, clean text
    clean_text: str
    entity_ids: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()  # normalised: "11000", "2.6"
    dates: frozenset[str] = frozenset()  # ISO dates; "XXXX-MM-DD" when the text gives no year
    source: str | None = None
    # Evidence beyond the required fields: numbers in the order they appear in the body, the
    # length of each body paragraph (for alignment), and name stems (the fallback for entity ids).
    number_sequence: tuple[str, ...] = ()
    number_positions: tuple[float, ...] = ()  # where each of number_sequence is, as a share of the body
    paragraph_lengths: tuple[int, ...] = ()
    names: frozenset[str] = frozenset()
    # First place of each name stem / entity id in the body, in order, as a share of the body.
    name_places: tuple[tuple[str, float], ...] = ()
    entity_places: tuple[tuple[str, float], ...] = ()
    entity_names: tuple[tuple[str, str], ...] = ()  # (entity id, its canonical name), for labels

    @property
    def body_length(self) -> int:
        return sum(self.paragraph_lengths)

    @property
    def day(self) -> str | None:
        return self.published[:10] if self.published else None

    def evidence_keys(self, entities: bool | None = None) -> frozenset[str]:
        """What two articles can share: entity ids (when the analysis has them and ``entities`` is
        not False), else name stems. Compare two articles with the same kind of keys."""
        use_entities = bool(self.entity_ids) if entities is None else entities and bool(self.entity_ids)
        return self.entity_ids if use_entities else self.names

    def key_places(self, entities: bool | None = None) -> tuple[tuple[str, float], ...]:
        """Where the evidence keys first appear in the body, in order."""
        use_entities = bool(self.entity_ids) if entities is None else entities and bool(self.entity_ids)
        return self.entity_places if use_entities else self.name_places


LINK_KINDS = ("duplicate", "near-duplicate", "translation", "same-story")


@dataclass(frozen=True)
class Link:
    """A relation between two articles found by the link stage; ``evidence`` holds plain JSON values.

    ``a`` is the article already known (earlier in the stream), ``b`` the one that was linked to it.
    """

    a: str | int
    b: str | int
    kind: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        if self.kind not in LINK_KINDS:
            raise ValueError(f"unknown link kind {self.kind!r}; expected one of {LINK_KINDS}")
        object.__setattr__(self, "score", round(min(1.0, max(0.0, float(self.score))), 4))

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "kind": self.kind, "score": self.score, "evidence": self.evidence}


# --- numbers ------------------------------------------------------------------------------
# A number with its group and decimal separators: "11 000", "3.400", "2,6", "1,250.5". Spaces group
# digits only after a group of one to three digits, so "en 2008 100 personnes" stays two numbers.
_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,’']\d+)*)(?!\d)")
_GROUP_SPACES = "\u00a0\u202f\u2009 ’'"


def normalise_number(token: str) -> str | None:
    """The value of a written number as a canonical string, whatever the convention.

    A separator followed by exactly three digits groups thousands (3.400 = 3,400 = 3 400 = 3400),
    any other separator is the decimal mark (2,6 = 2.6): the one reading that gives the same value
    for the same quantity written the English way and the continental way. With both marks, the
    last one is the decimal mark (1,250.5 = 1.250,5).
    """
    for space in _GROUP_SPACES:
        token = token.replace(space, "")
    if "." in token and "," in token:
        last = max(token.rfind("."), token.rfind(","))
        integer, decimals = re.sub(r"[.,]", "", token[:last]), token[last + 1:]
    else:
        parts = re.split(r"[.,]", token)
        if len(parts) == 1:
            integer, decimals = parts[0], ""
        elif all(len(part) == 3 for part in parts[1:]):
            integer, decimals = "".join(parts), ""
        elif len(parts) == 2:
            integer, decimals = parts
        else:
            return None
    if not integer.isdigit() or (decimals and not decimals.isdigit()) or len(integer) > 15:
        return None
    integer = integer.lstrip("0") or "0"
    decimals = decimals.rstrip("0")
    return f"{integer}.{decimals}" if decimals else integer


def numbers_with_positions(text: str, min_integer: int = 10) -> list[tuple[str, float]]:
    """Normalised numbers in order of appearance, each with its position as a share of the text.
    Integers under ``min_integer`` are left out: small counts are spelled out in one language and
    written in digits in another."""
    found = []
    length = max(1, len(text))
    for match in _NUMBER.finditer(text):
        value = normalise_number(match.group())
        if value is None:
            continue
        if "." not in value and int(value) < min_integer:
            continue
        found.append((value, round(match.start() / length, 4)))
    return found


def numbers_in(text: str, min_integer: int = 10) -> list[str]:
    return [value for value, _ in numbers_with_positions(text, min_integer)]


# --- dates --------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def _month_pattern(language: str) -> tuple[re.Pattern | None, dict[str, int]]:
    """A regex for "<day> <month> [year]" and "<month> <day>[,] [year]" in one language (CLDR names)."""
    try:
        from babel import Locale
        from babel.dates import get_month_names
        Locale.parse(language)
    except Exception:
        return None, {}
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            try:
                months = get_month_names(width, context=context, locale=language)
            except Exception:
                continue
            for number, name in months.items():
                name = name.strip(".").casefold()
                if len(name) >= 3:
                    names.setdefault(name, number)
    if not names:
        return None, {}
    alternatives = "|".join(sorted((re.escape(name) for name in names), key=len, reverse=True))
    pattern = re.compile(
        rf"(?<!\w)(?:(?P<d1>[0-3]?\d)(?:er|º|°|\.)?\s+(?:de\s+|d['’]\s*)?(?P<m1>{alternatives})\.?"
        rf"(?:\s+(?:de\s+|del\s+)?(?P<y1>(?:19|20)\d\d))?"
        rf"|(?P<m2>{alternatives})\.?\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+(?P<y2>(?:19|20)\d\d))?)(?!\w)",
        re.IGNORECASE,
    )
    return pattern, names


_NUMERIC_DATE = re.compile(r"(?<![\d.,/])(?:(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)"
                           r"|(?P<d2>[0-3]?\d)[./](?P<m2>[01]?\d)[./](?P<y2>(?:19|20)\d\d))(?![\d])")


def _iso(year: str | None, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year or 'XXXX'}-{month:02d}-{day:02d}"


def dates_in(text: str, language: str) -> list[str]:
    """Calendar dates written in the text: numeric ones and "5 juin", "June 5, 2025", "5. Juni"."""
    found = []
    for match in _NUMERIC_DATE.finditer(text):
        if match.group("y"):
            value = _iso(match.group("y"), int(match.group("m")), int(match.group("d")))
        else:
            value = _iso(match.group("y2"), int(match.group("m2")), int(match.group("d2")))
        if value:
            found.append(value)
    pattern, months = _month_pattern(language)
    if pattern is not None:
        for match in pattern.finditer(text):
            month_name = (match.group("m1") or match.group("m2")).casefold()
            day = int(match.group("d1") or match.group("d2"))
            value = _iso(match.group("y1") or match.group("y2"), months[month_name], day)
            if value:
                found.append(value)
    return found


def month_day(value: str) -> str | None:
    """The "MM-DD" of an ISO date, the part two texts can agree on when one omits the year."""
    match = re.match(r"(?:\d{4}|XXXX)-(\d\d)-(\d\d)", value)
    return f"{match.group(1)}-{match.group(2)}" if match else None


# --- names --------------------------------------------------------------------------------
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-’'][^\W\d_]+)*")
# What, between two words, makes the second one start a sentence or a quotation (capitalised anyway).
_OPENS_SENTENCE = re.compile(r"[.!?…:;«“„\"\n]")


def fold(word: str) -> str:
    return anyascii(unicodedata.normalize("NFC", word)).casefold()


def name_stems_with_offsets(text: str) -> list[tuple[str, int]]:
    """Folded stems of capitalised words that do not open a sentence, a line or a quotation, with
    their offsets.

    Language-independent on purpose: no name list, no model; proper names are capitalised in every
    Latin-script language (German nouns add noise on one side only, which a shared stem ignores).
    """
    stems = []
    previous_end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        gap = text[previous_end:match.start()]
        opens = previous_end == 0 or bool(_OPENS_SENTENCE.search(gap))
        previous_end = match.end()
        if opens or not word[0].isupper():
            continue
        stem = re.sub(r"[^a-z0-9]", "", _respelled(word))[:NAME_STEM_LETTERS]
        if len(stem) >= 3:
            stems.append((stem, match.start()))
    return stems


@lru_cache(maxsize=1 << 16)
def _respelled(word: str) -> str:
    """The word transliterated and folded so that usual spellings of one name meet (Poutine, Putin,
    Путин → putin): the entity-identity step's spelling key when it is installed, else ASCII folding."""
    try:
        from babelwire.link.identity import spelling_key
    except ImportError:  # the identity step is optional for the link stage
        return fold(word)
    try:
        return spelling_key(word) or fold(word)
    except Exception:
        return fold(word)


def name_stems(text: str) -> list[str]:
    return [stem for stem, _ in name_stems_with_offsets(text)]


def first_places(items: Iterable[tuple[str, int]], length: int) -> tuple[tuple[str, float], ...]:
    """The first offset of each item as a share of ``length``, in order of first appearance."""
    places: dict[str, float] = {}
    for item, offset in sorted(items, key=lambda pair: pair[1]):
        if item not in places:
            places[item] = round(min(1.0, max(0.0, offset / max(1, length))), 4)
    return tuple(places.items())


# --- text parts ---------------------------------------------------------------------------
def split_title_body(clean_text: str, title: str | None) -> tuple[str, str]:
    """The title (when the clean text starts with it) and the body that follows."""
    if title and clean_text.startswith(title):
        return title, clean_text[len(title):].lstrip()
    return title or "", clean_text.strip()


def paragraphs_of(body: str) -> list[str]:
    parts = [part.strip() for part in re.split(r"\n\s*\n", body)]
    return [part for part in parts if part]


def _sentences(text: str, language: str) -> list[str]:
    import sentencex

    try:
        return [piece.strip() for piece in sentencex.segment(language if language != "und" else "en", text) if piece.strip()]
    except Exception:
        return [line.strip() for line in text.split("\n") if line.strip()]


def lead_of(body: str, language: str, sentences: Iterable[str] | None = None) -> str:
    """The first sentences of the body: at most LEAD_MAX_SENTENCES, stopping once long enough."""
    chosen: list[str] = []
    pool = sentences if sentences is not None else _sentences(body[:LEAD_MAX_CHARACTERS * 3], language)
    for sentence in pool:
        chosen.append(sentence)
        if len(chosen) >= LEAD_MAX_SENTENCES or sum(len(s) + 1 for s in chosen) >= LEAD_MIN_CHARACTERS:
            break
    lead = " ".join(chosen)
    if len(lead) > LEAD_MAX_CHARACTERS:
        cut = lead.rfind(" ", 0, LEAD_MAX_CHARACTERS)
        lead = lead[:cut if cut > 0 else LEAD_MAX_CHARACTERS]
    return lead


def _offset_map(record: dict[str, Any]):
    from babelwire.offsets import Edit, OffsetMap

    try:
        return OffsetMap(len(record["text"]), [Edit(**edit) for edit in record.get("edits") or []])
    except Exception:
        return None


def _body_sentences_from_segments(record: dict[str, Any], offsets, body_start_clean: int) -> list[str] | None:
    """Sentences of the body as the analysis split them (mapped to the clean text), in order."""
    segments = [s for s in record.get("segments") or [] if s.get("kind") == "sentence"]
    if not segments or offsets is None:
        return None
    clean = record["clean_text"]
    sentences = []
    for segment in sorted(segments, key=lambda s: s["start"]):
        start, end = offsets.span_to_clean(segment["start"], segment["end"])
        if start < body_start_clean:
            continue
        piece = clean[start:end].strip()
        if piece:
            sentences.append(piece)
        if len(sentences) >= LEAD_MAX_SENTENCES:
            break
    return sentences or None


def _day(value: str | None) -> str | None:
    if not value:
        return None
    match = re.match(r"\d{4}-\d\d-\d\d", value)
    return match.group() if match else None


def _signature(article_id, language: str, published: str | None, title: str, body: str, clean: str, lead: str,
               entity_offsets: list[tuple[str, int]], dates: set[str], source: str | None,
               entity_names: dict[str, str] | None = None) -> ArticleSignature:
    numbers = numbers_with_positions(body)
    number_sequence = tuple(value for value, _ in numbers)
    return ArticleSignature(
        article_id=article_id,
        language=language,
        published=_day(published),
        title=title,
        lead=lead,
        clean_text=clean,
        entity_ids=frozenset(entity for entity, _ in entity_offsets),
        numbers=frozenset(number_sequence) | frozenset(numbers_in(title)),
        dates=frozenset(dates),
        source=source,
        number_sequence=number_sequence,
        number_positions=tuple(position for _, position in numbers),
        paragraph_lengths=tuple(len(p) for p in paragraphs_of(body)),
        names=frozenset(name_stems(title + "\n" + body)),
        name_places=first_places(name_stems_with_offsets(body), len(body)),
        entity_places=first_places([(e, o) for e, o in entity_offsets if o >= 0], len(body)),
        entity_names=tuple(sorted((entity_names or {}).items())),
    )


def signature_from_analysis(record: dict[str, Any], article_id: str | int | None = None) -> ArticleSignature:
    """The signature of one analysed article (the dict of ``babelwire.to_dict``)."""
    metadata = record.get("metadata") or {}
    clean = record.get("clean_text") or ""
    language = record.get("language") or "und"
    title, body = split_title_body(clean, metadata.get("title"))
    body_start = len(clean) - len(body) if body else len(clean)
    offsets = _offset_map(record)
    lead = lead_of(body, language, _body_sentences_from_segments(record, offsets, body_start))

    # Entity ids with their offsets in the body (-1: in the title or not placeable).
    entity_offsets = []
    for mention in record.get("mentions") or []:
        if mention.get("entity_id"):
            clean_start = offsets.to_clean(mention["start"]) if offsets is not None else -1
            entity_offsets.append((mention["entity_id"], clean_start - body_start if clean_start >= body_start else -1))
    if not entity_offsets:
        entity_offsets = [(e["id"], -1) for e in record.get("entities") or [] if e.get("id")]
    dates = set(dates_in(clean, language))
    for time in record.get("times") or []:
        value = time.get("value") or ""
        if time.get("type") == "DATE" and re.fullmatch(r"\d{4}-\d\d-\d\d", value[:10]):
            dates.add(value[:10])
    names = {e["id"]: e.get("name") or e["id"] for e in record.get("entities") or [] if e.get("id")}
    used = {entity for entity, _ in entity_offsets}
    return _signature(article_id if article_id is not None else record.get("id"), language,
                      (record.get("published") or {}).get("value"), title, body, clean, lead, entity_offsets, dates,
                      metadata.get("source") or metadata.get("tag"),
                      {entity: name for entity, name in names.items() if entity in used})


def signature_from_text(article_id: str | int, body: str, language: str, *, title: str = "",
                        published: str | None = None, source: str | None = None,
                        entity_ids: Iterable[str] = ()) -> ArticleSignature:
    """A signature from text that is already clean (paragraphs separated by blank lines), without
    running the analysis: for callers that have clean text and a known language."""
    body = body.strip()
    clean = f"{title}\n\n{body}" if title else body
    return _signature(article_id, language, published, title, body, clean, lead_of(body, language),
                      [(entity, -1) for entity in entity_ids], set(dates_in(clean, language)), source)
