"""When the article was written: from a field when the input gives one, otherwise from the text
(dated embeds, a dateline, a weekday that agrees with a date), with the evidence. Never today.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from babel.core import UnknownLocaleError
from babel.dates import get_day_names, get_month_names
from dateutil import parser as dateutil_parser

from babelwire.pipeline import DocumentStep
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
# `Publié le 14/03/2025 à 07h12`, `Stand: 20.05.2025`: a page's own publication or update stamp.
STAMP_WORDS = (
    "published", "updated", "last updated", "posted", "publié", "publiée", "mis à jour", "actualisé",
    "publicado", "actualizado", "stand", "aktualisiert", "veröffentlicht", "pubblicato", "aggiornato",
    "atualizado", "gepubliceerd", "bijgewerkt", "opublikowano", "zaktualizowano", "опубликовано", "обновлено",
)
STAMP = re.compile(
    r"^(?:" + "|".join(re.escape(word) for word in STAMP_WORDS) + r")\b[^\n\d]{0,15}(\d{1,2})[./-](\d{1,2})[./-](\d{4})",
    re.IGNORECASE | re.MULTILINE,
)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


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


def find_stamps(text: str, language: str) -> list[DateMention]:
    found = []
    for match in STAMP.finditer(text):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        day, month = (second, first) if language == "en" and second > 12 >= first else (first, second)
        try:
            found.append(DateMention(match.start(1), match.end(3), text[match.start():match.end(3)], dt.date(year, month, day)))
        except ValueError:
            continue
    return found


def find_weekday_dates(text: str, languages: Iterable[str], years: Iterable[int]) -> list[DateMention]:
    """`jeudi 5 juin`: a weekday with a day and month but no year; the year is the one, among those
    the article mentions (and the years around them), in which that day falls on that weekday."""
    candidate_years = sorted({year + delta for year in years for delta in (-1, 0, 1)})
    found = []
    for language in dict.fromkeys(languages):
        weekdays, months = weekday_names(language), month_names(language)
        if not weekdays or not months:
            continue
        day_alternatives = "|".join(sorted(map(re.escape, weekdays), key=len, reverse=True))
        month_alternatives = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
        pattern = re.compile(
            rf"(?<!\w)({day_alternatives}),?\s+(?:le\s+|den\s+|the\s+)?(\d{{1,2}}){_ORDINAL}\s+(?:de\s+)?({month_alternatives})(?!\w)(?![.,]?\s+(?:de\s+)?\d{{4}})",
            re.IGNORECASE,
        )
        for match in pattern.finditer(text):
            weekday, day, month = weekdays[match.group(1).lower()], int(match.group(2)), months[match.group(3).lower()]
            fitting = []
            for year in candidate_years:
                try:
                    if dt.date(year, month, day).weekday() == weekday:
                        fitting.append(dt.date(year, month, day))
                except ValueError:
                    continue
            if len(fitting) == 1:
                found.append(DateMention(match.start(), match.end(), match.group(0), fitting[0]))
    return found


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
    clean = document.clean_text  # searched where the text may need repairs (mojibake) to be read

    # Candidates: (date, weight, evidence). Embeds, datelines and the page's own stamps date the
    # article; a date in the body may be any date it talks about, so alone it does not suffice.
    candidates: dict[dt.date, list[tuple[float, Evidence]]] = {}

    def add(mention: DateMention, weight: float, reason: str, in_clean: bool = True) -> None:
        start, end = document.original_span(mention.start, mention.end) if in_clean else (mention.start, mention.end)
        candidates.setdefault(mention.date, []).append((weight, Evidence(start, end, text[start:end], reason)))

    for item in document.debris:
        if item.kind in ("embed", "embed-attribution"):
            for mention in find_dates(text, languages, item.start, item.end):
                add(mention, 3.0, "date of an embedded post: the article was written that day or later", in_clean=False)
    paragraphs = [document.clean_span(s.start, s.end) for s in document.segments if s.kind == "paragraph"]
    if paragraphs:
        first_start, first_end = paragraphs[0]
        for mention in find_dates(clean, languages, first_start, min(first_end, first_start + 120)):
            if re.search(r"\(|–|—|-|:", clean[mention.end:mention.end + 25]):
                add(mention, 3.0, "dateline at the start of the article")
    for mention in find_stamps(clean, languages[0] if languages else "und"):
        add(mention, 3.0, "publication or update stamp of the page")
    for start, end in paragraphs:
        for mention in find_dates(clean, languages, start, end):
            add(mention, 0.5, "date written in the article")
    years = [int(match.group(1)) for match in YEAR.finditer(clean)]
    for mention in find_weekday_dates(clean, languages, years):
        add(mention, 2.5, "weekday and date agree in only one of the years the article mentions")
    weekdays = find_weekdays(clean, languages)
    for date, entries in candidates.items():
        agreeing = [w for w in weekdays if w[3] == date.weekday()]
        if agreeing:
            start, end = document.original_span(agreeing[0][0], agreeing[0][1])
            entries.append((1.5, Evidence(start, end, text[start:end], f"weekday agrees: {date.isoformat()} was a {date.strftime('%A')}")))
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


class PublishedDate(DocumentStep):
    """Pipeline step: the date of writing."""

    name = "published"

    def process(self, document: Document) -> None:
        document.published = date_of_writing(document)
