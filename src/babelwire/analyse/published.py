"""When the article was written: from a field when the input gives one, otherwise from the text
(dated embeds, a dateline, a weekday that agrees with a date), with the evidence. Never today.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from babel.core import UnknownLocaleError
from babel.dates import get_day_names, get_month_names
from dateutil import parser as dateutil_parser

from babelwire.model import Document, Evidence, Published

ALWAYS_TRIED = ("en",)
_ORDINAL = r"(?:er|ᵉʳ|\.|º|°|st|nd|rd|th)?"


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    date: dt.date


@lru_cache(maxsize=64)
def month_names(language: str) -> dict[str, int]:
    names: dict[str, int] = {}
    try:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context=context, locale=language).items():
                    names[name.lower().rstrip(".")] = number
    except (UnknownLocaleError, ValueError):
        return {}
    return {name: number for name, number in names.items() if len(name) >= 3}


@lru_cache(maxsize=64)
def weekday_names(language: str) -> dict[str, int]:
    try:
        return {name.lower(): number for number, name in get_day_names("wide", locale=language).items()}
    except (UnknownLocaleError, ValueError):
        return {}


@lru_cache(maxsize=64)
def date_patterns(language: str) -> tuple[re.Pattern, re.Pattern, dict[str, int]]:
    months = month_names(language)
    alternatives = "|".join(sorted((re.escape(name) for name in months), key=len, reverse=True)) or r"(?!x)x"
    day_first = re.compile(rf"\b(\d{{1,2}}){_ORDINAL}\s+(?:de\s+)?({alternatives})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b", re.IGNORECASE)
    month_first = re.compile(rf"\b({alternatives})\.?\s+(\d{{1,2}}){_ORDINAL},?\s+(\d{{4}})\b", re.IGNORECASE)
    return day_first, month_first, months


ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def find_dates(text: str, languages: Iterable[str], start: int = 0, end: int | None = None) -> list[DateMention]:
    """Full calendar dates (day, month, year) written out in any of the languages, or in ISO form."""
    end = len(text) if end is None else end
    found: dict[tuple[int, int], DateMention] = {}

    def add(match: re.Match, year: str, month: int, day: str) -> None:
        try:
            found[(match.start(), match.end())] = DateMention(match.start(), match.end(), match.group(0), dt.date(int(year), month, int(day)))
        except ValueError:
            pass  # 31 February and the like are not dates

    for language in dict.fromkeys(languages):
        day_first, month_first, months = date_patterns(language)
        for match in day_first.finditer(text, start, end):
            add(match, match.group(3), months[match.group(2).lower().rstrip(".")], match.group(1))
        for match in month_first.finditer(text, start, end):
            add(match, match.group(3), months[match.group(1).lower().rstrip(".")], match.group(2))
    for match in ISO_DATE.finditer(text, start, end):
        add(match, match.group(1), int(match.group(2)), match.group(3))
    return sorted(found.values(), key=lambda mention: mention.start)


def find_weekdays(text: str, languages: Iterable[str]) -> list[tuple[int, int, str, int]]:
    mentions = []
    for language in dict.fromkeys(languages):
        for name, number in weekday_names(language).items():
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
                mentions.append((match.start(), match.end(), match.group(0), number))
    return mentions


def parse_given(value: str) -> str | None:
    """A given publication date as ISO 8601, or None when it cannot be read."""
    try:
        parsed = dateutil_parser.isoparse(value.strip())
    except (ValueError, OverflowError):
        try:
            parsed = dateutil_parser.parse(value.strip(), default=dt.datetime(1, 1, 1))
        except (ValueError, OverflowError):
            return None
        if parsed.year == 1:
            return None
    if isinstance(parsed, dt.datetime) and (parsed.hour, parsed.minute, parsed.second) == (0, 0, 0) and parsed.tzinfo is None and len(value.strip()) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def infer_published(document: Document) -> Published:
    languages = [code for code in (document.language, document.metadata.language, *ALWAYS_TRIED) if code and code != "und"]
    text = document.text
    # Candidates: (date, weight, evidence) — embeds and datelines date the article; a date in the
    # body may be any date it talks about, so it counts only with a weekday that agrees.
    candidates: dict[dt.date, list[tuple[float, Evidence]]] = {}

    def add(mention: DateMention, weight: float, reason: str) -> None:
        candidates.setdefault(mention.date, []).append((weight, Evidence(mention.start, mention.end, mention.text, reason)))

    for item in document.debris:
        if item.kind in ("embed", "embed-attribution"):
            for mention in find_dates(text, languages, item.start, item.end):
                add(mention, 3.0, "date of an embedded post: the article was written that day or later")
    paragraphs = [segment for segment in document.segments if segment.kind == "paragraph"]
    if paragraphs:
        first = paragraphs[0]
        for mention in find_dates(text, languages, first.start, min(first.end, first.start + 120)):
            if re.search(r"\(|–|—|-|:", text[mention.end:mention.end + 25]):
                add(mention, 3.0, "dateline at the start of the article")
    body_dates = [mention for segment in paragraphs for mention in find_dates(text, languages, segment.start, segment.end)]
    for mention in body_dates:
        add(mention, 0.5, "date written in the article")
    weekdays = find_weekdays(text, languages)
    for date, entries in candidates.items():
        agreeing = [w for w in weekdays if w[3] == date.weekday()]
        if agreeing:
            start, end, word, _ = agreeing[0]
            entries.append((1.5, Evidence(start, end, word, f"weekday agrees: {date.isoformat()} was a {date.strftime('%A')}")))
    scored = [(sum(weight for weight, _ in entries), date, entries) for date, entries in candidates.items()]
    scored = [item for item in scored if item[0] >= 2.0]
    if not scored:
        return Published(None, "unknown", 0.0, [])
    score, date, entries = max(scored, key=lambda item: (item[0], item[1]))
    return Published(date.isoformat(), "inferred", round(min(0.95, score / 5.0), 2), [evidence for _, evidence in entries])


def date_of_writing(document: Document) -> Published:
    if document.metadata.published:
        value = parse_given(document.metadata.published)
        if value:
            return Published(value, "given", 1.0, [Evidence(None, None, document.metadata.published, "publication date given with the input")])
        document.notes.append(f"published date {document.metadata.published!r} given with the input could not be read; inferred from the text instead")
    return infer_published(document)


class PublishedDate:
    """Pipeline step: the date of writing."""

    name = "published"

    def run(self, documents: Iterable[Document]) -> Iterator[Document]:
        for document in documents:
            document.published = date_of_writing(document)
            yield document
