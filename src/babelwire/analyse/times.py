"""Dates, times, durations and recurrences, normalised TIMEX3-style and resolved against the date of
writing and the tense of their sentence.

    TimeTagger(TimeSettings()).process(document)   # fills document.times

Each sentence (or language fragment) of the clean text is read with the grammar of its language
(time_rules.py). A relative expression is resolved against ``document.published.value``: `hier`,
`cette année`, `il y a deux ans`, and weekdays and months without a year, which look back when the
verb nearest to them is in a past tense (`est arrivé mardi`) and ahead when it is in the future
(`se rendra au Vietnam mercredi`). With no date of writing, relative expressions keep an
underspecified value (`XXXX-06-18`, `XXXX-WXX-2`) or none — never today's date.

A clock time takes its zone from the text: an abbreviation (`UTC+2`, `CET`), a phrase (`heure de
Paris`, `en Espagne` right after it) or the place the sentence is about (`atterri à Pyongyang
mercredi vers 2h45`). A weekday in a zone ahead of the writer's may fall on the day after the date
of writing: `mercredi 2h45` in Pyongyang is Tuesday evening in Madrid.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babelwire.analyse import time_words as W
from babelwire.analyse.time_rules import (
    Candidate,
    Reading,
    alternatives,
    find_candidates,
    join_dates_and_times,
)
from babelwire.model import Document, TimeExpression, calendar_date
from babelwire.pipeline import DocumentStep

PAST, FUTURE = "PAST", "FUTURE"


@dataclass(frozen=True)
class TimeSettings:
    # `mercredi vers 2h45 du matin` as one TIME; False keeps the day and the clock time apart,
    # as French TimeBank annotates them (the clock time still gets the day's date).
    join_date_and_time: bool = True
    # The zone the article is written from; None: the usual zone of the article's language.
    home_timezone: str | None = None
    # Words like `désormais`, `récemment`, `now` as PRESENT_REF / PAST_REF / FUTURE_REF.
    reference_words: bool = True
    # Read the tense of the sentence to resolve weekdays and months (else: the nearest one).
    use_tense: bool = True


# --- tense ---------------------------------------------------------------------------------------
# Cheap cues, per language: auxiliary + participle, endings of the simple past and the future,
# `va` + infinitive. Each cue is a span of the sentence with a tense; an expression takes the
# tense of the nearest cue. The conditional is no cue (`il viendrait mardi` can be either way).
# The third field is 0 for a cue read from whole words, 1 or 2 for one read from a word ending
# only (checked against lists of words with such endings that are not verbs).

_FR_NOT_VERBS = {"lait", "trait", "souhait", "portrait", "attrait", "retrait", "parfait", "extrait", "bienfait", "forfait",
                 "méfait", "distrait", "abstrait", "vrai", "vrais", "environs", "front", "affront", "extra", "ultra",
                 "contra", "opéra", "caméra", "ira", "era", "tiara", "sierra", "mantra", "tantra", "fait", "faits"}
_TENSE_CUES: dict[str, list[tuple[str, str, int]]] = {
    "fr": [
        (r"\b(?:ai|as|a|avons|avez|ont|avait|avaient|avais|avions|aviez|eut|eurent|est|sont|était|étaient|suis|sommes|êtes|fut|furent)"
         r"(?:-t-(?:il|elle|on)|-(?:il|elle|ils|elles|on))?(?:\s+(?:pas|plus|jamais|déjà|aussi|également|bien|encore|notamment|ainsi|alors|toutefois|cependant|récemment|finalement|officiellement|été|eu|tout))*"
         r"\s+(?!été\b)(\w+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|it|ite|its|ites|ert|erte|erts|ertes|int|inte|ints|intes|ait|aite|aits|aites))\b", PAST, 0),
        (r"\b(?:a|ont|avait|avaient)\s+été\b", PAST, 0),
        (r"\b(?:aura|auront|sera|seront)(?:-t-(?:il|elle|on))?\s+(?:\w+\s+)?\w+(?:é|ée|és|ées|i|ie|is|u|ue|us|it|ite|ert|int)\b", FUTURE, 0),
        (r"\b(?:va|vont|vais|allons|allez|allait|allaient)\s+(?:\w+\s+)?\w+(?:er|ir|re|oir)\b", FUTURE, 0),
        (r"\b[a-zàâçéèêëîïôûùüÿœ]{2,}(?:ait|aient)\b", PAST, 1),
        (r"\b[a-zàâçéèêëîïôûùüÿœ]{2,}(?:èrent|irent|urent)\b", PAST, 0),
        (r"\b(?:fut|furent|eut|eurent)\b", PAST, 0),
        (r"\b[a-zàâçéèêëîïôûùüÿœ]+(?:erai|eras|era|erons|erez|eront|irai|iras|ira|irons|irez|iront|drai|dras|dra|drons|drez|dront|rrai|rras|rra|rrons|rrez|rront|urai|uras|ura|urons|urez|uront|vrai|vras|vra|vrons|vrez|vront|trai|tras|tra|trons|trez|tront)\b", FUTURE, 1),
    ],
    "es": [
        (r"\b(?:ha|han|he|has|hemos|había|habían|hubo|hubieron)\s+(?:\w+\s+)?\w+(?:ado|ada|ados|adas|ido|ida|idos|idas|to|cho|sto)\b", PAST, 0),
        (r"\b[a-záéíóúñü]{2,}(?:ó|aron|ieron|ió)\b", PAST, 1),
        (r"\b(?:fue|fueron|dijo|dijeron|hizo|hicieron|tuvo|tuvieron|estuvo|pudo|puso|vino|quiso|supo|trajo|era|eran|estaba|estaban|había|habían|tenía|tenían|decía)\b", PAST, 0),
        (r"\b[a-záéíóúñü]{2,}(?:aba|aban)\b", PAST, 1),
        (r"\b[a-záéíóúñü]{2,}(?:rá|rán|ré|remos|rás)\b", FUTURE, 1),
        (r"\b(?:va|van|vamos|voy|vas|iba|iban)\s+a\s+\w+(?:ar|er|ir)\b", FUTURE, 0),
    ],
    "en": [
        (r"\b(?:will|shall|won['’]t)\s+(?:not\s+)?(?:\w+\s+)?\w+\b|\w+['’]ll\b", FUTURE, 0),
        (r"\b(?:is|are|am|was|were)\s+(?:going|due|set|scheduled|expected|slated)\s+to\b", FUTURE, 0),
        (r"\b(?:was|were|had|did)\b", PAST, 0),
        (r"\b(?:has|have)\s+(?:\w+\s+)?(?:been|\w+ed|\w+en)\b", PAST, 0),
        (r"\b(?:said|told|went|came|met|took|gave|made|held|left|saw|found|became|began|brought|thought|spoke|wrote|sent|flew|won|lost|fell|rose|paid|struck|killed|arrived)\b", PAST, 0),
        (r"\b[a-z]{3,}ed\b", PAST, 2),
    ],
    "de": [
        (r"\b(?:wird|werden|wirst|werde|werdet)\b", FUTURE, 0),
        (r"\b(?:war|waren|wurde|wurden|hatte|hatten|warst|wart)\b", PAST, 0),
        (r"\b(?:hat|haben|habe|hast|habt|ist|sind|bin)\b[^.;:]{0,80}?\b[a-zäöüß]*ge[a-zäöüß]+(?:t|en)\b", PAST, 0),
        (r"\b[a-zäöüß]{3,}te\b", PAST, 2),
        (r"\b(?:sagte|sagten|erklärte|erklärten|teilte|teilten|kündigte|betonte|meldete|berichtete|traf|trafen|kam|kamen|ging|gingen|gab|gaben|fand|begann|sprach|reiste|landete|besuchte|starb|[a-zäöü]+ierte|[a-zäöü]+ierten)\b", PAST, 0),
    ],
    "it": [
        (r"\b(?:ha|hanno|ho|abbiamo|avete|aveva|avevano|è|sono|era|erano|fu|furono)\s+(?:\w+\s+)?\w+(?:ato|ata|ati|ate|ito|ita|iti|ite|uto|uta|uti|ute|tto|tta|tti|tte|sto|sta|so|sa)\b", PAST, 0),
        (r"\b[a-zàèéìòù]{2,}(?:ò|arono|irono|erono|ettero)\b", PAST, 1),
        (r"\b[a-zàèéìòù]{2,}(?:ava|avano|eva|evano)\b", PAST, 1),
        (r"\b[a-zàèéìòù]{2,}(?:rà|ranno|rò|remo)\b", FUTURE, 1),
    ],
    "pt": [
        (r"\b(?:foi|foram|tinha|tinham|havia|disse|disseram|fez|fizeram|esteve|estava|estavam|era|eram)\b", PAST, 0),
        (r"\b[a-zãõáéíóúâêôç]{3,}(?:ou|aram|eram|iram)\b", PAST, 1),
        (r"\b[a-zãõáéíóúâêôç]{2,}(?:ava|avam)\b", PAST, 1),
        (r"\b[a-zãõáéíóúâêôç]{2,}(?:rá|rão|rei|remos)\b", FUTURE, 1),
        (r"\b(?:vai|vão|vou|vamos)\s+\w+(?:ar|er|ir)\b", FUTURE, 0),
    ],
}
_NOT_VERBS = {
    "fr": _FR_NOT_VERBS,
    "es": {"qué", "allá", "acá", "está", "quizá", "mamá", "papá", "sofá"},
    "en": {"need", "speed", "feed", "seed", "bed", "red", "shed", "indeed", "hundred", "embed", "proceed", "exceed",
           "succeed", "breed", "bred", "creed", "greed", "weed", "deed", "armed", "united", "based", "related", "called", "so-called"},
    "pt": {"estou", "sou", "vou", "dou", "outrou", "sobrou"},
    "it": {"però", "può", "perciò", "ciò", "andrò"},
    "de": {"letzten", "letzte", "ersten", "erste", "zweiten", "zweite", "dritten", "dritte", "vierten", "fünften",
           "sechsten", "siebten", "achten", "neunten", "zehnten", "guten", "gute", "alten", "alte", "weiten", "weite",
           "rechten", "rechte", "breiten", "harten", "harte", "leichten", "leichte", "kalten", "kalte", "heute", "leute",
           "mitte", "bitte", "seite", "seiten", "beide", "beiden", "konnte", "könnte", "sollte", "sollten", "hätte",
           "hätten", "möchte", "möchten", "dürfte", "dürften", "müsste", "müssten", "würde", "würden", "mitten", "unten",
           "hinten", "vielleicht", "gerechten", "insgesamt", "späten", "späte", "halte", "arbeiten", "bieten", "gelten",
           "halten", "treten", "raten", "warten", "bauten"},
}
_LATIN = {"priori", "posteriori", "fortiori"}
# Conditional endings: no tense cue.
_CONDITIONAL = {
    "fr": re.compile(r"(?:erait|eraient|irait|iraient|drait|draient|rrait|rraient|urait|uraient|vrait|vraient|trait|traient)$"),
}


@lru_cache(maxsize=16)
def _compiled_cues(language: str) -> list[tuple[re.Pattern, str, int]]:
    return [(re.compile(pattern, re.IGNORECASE if language != "de" else 0), tense, strength)
            for pattern, tense, strength in _TENSE_CUES.get(language, [])]


def tense_cues(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, PAST|FUTURE) for each verb form that shows a tense."""
    cues = []
    not_verbs = _NOT_VERBS.get(language, set())
    conditional = _CONDITIONAL.get(language)
    for pattern, tense, weak in _compiled_cues(language):
        for match in pattern.finditer(text):
            last_word = re.split(r"\W+", match.group(0).lower().strip())[-1]
            if last_word in _LATIN:
                continue  # `a priori`
            if weak:
                # A word caught by its ending only: not a listed non-verb, not a name, not a conditional.
                if last_word in not_verbs or (language == "de" and last_word.endswith("sten")):
                    continue
                if match.group(0)[:1].isupper() and match.start() > 0:
                    continue
                if conditional and tense == PAST and conditional.search(last_word):
                    continue
            cues.append((match.start(), match.end(), tense))
    return sorted(cues)


_CHUNK_BREAK = re.compile(r"[,;:()«»\[\]]")
# An infinitive after a preposition: the expression may belong to it (`avant de quitter ses fonctions le 30 octobre`).
_INFINITIVE = {
    "fr": re.compile(r"\b(?:de|d['’]|à|pour|avant\s+de|après|sans|afin\s+de)\s+(?:\w+\s+){0,2}?\w+(?:er|ir|re|oir)\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:de|a|para|antes\s+de|sin|tras)\s+\w+(?:ar|er|ir)\b", re.IGNORECASE),
    "it": re.compile(r"\b(?:di|a|per|prima\s+di|senza)\s+\w+(?:are|ere|ire)\b", re.IGNORECASE),
    "pt": re.compile(r"\b(?:de|a|para|antes\s+de|sem)\s+\w+(?:ar|er|ir)\b", re.IGNORECASE),
}


def tense_at(cues: list[tuple[int, int, str]], start: int, end: int, text: str = "", language: str = "",
             bounds: tuple[int, int] | None = None) -> str | None:
    """The tense of the cue nearest to the span within its sentence (``bounds``), preferring cues
    between the same commas or brackets; cues before it win ties (the verb usually comes first).
    None when the expression's own stretch has no tensed verb but an infinitive it may depend on."""
    if bounds is not None:
        cues = [cue for cue in cues if bounds[0] <= cue[0] and cue[1] <= bounds[1]]
    if text:
        low, high = bounds if bounds is not None else (0, len(text))
        chunk_start = max((m.end() for m in _CHUNK_BREAK.finditer(text, low, start)), default=low)
        following = _CHUNK_BREAK.search(text, end, high)
        chunk_end = following.start() if following else high
        inside = [cue for cue in cues if chunk_start <= cue[0] and cue[1] <= chunk_end]
        if inside:
            return tense_at(inside, start, end)
        infinitive = _INFINITIVE.get(language)
        if infinitive and infinitive.search(text, chunk_start, start):
            return None
        # A reporting verb after the end of a quotation (`…," informó el director`) says nothing
        # about the tense inside it.
        quote_end = re.search(r"[»”\"]", text[end:high])
        if quote_end:
            limit = end + quote_end.start()
            cues = [cue for cue in cues if cue[0] < start or cue[1] <= limit]
    best, best_distance = None, None
    for cue_start, cue_end, tense in cues:
        if cue_start < end and start < cue_end:
            continue
        distance = start - cue_end if cue_end <= start else (cue_start - end) + 0.5
        if best_distance is None or distance < best_distance:
            best, best_distance = tense, distance
    return best


# --- zones ---------------------------------------------------------------------------------------

_LOCATIVE = {
    "fr": r"(?:à|a|en|au|aux|dans|sur|depuis|de)",
    "es": r"(?:en|a|desde|de)",
    "en": r"(?:in|at|to|from|over)",
    "de": r"(?:in|nach|aus|bei)",
    "it": r"(?:a|in|da|ad)",
    "pt": r"(?:em|no|na|a|de|desde)",
}


@lru_cache(maxsize=16)
def _place_pattern(language: str) -> tuple[re.Pattern, dict[str, str]]:
    places = W.place_zones(language)
    articles = r"(?:(?:la|le|les|l['’]|el|los|las|the|der|die|dem|den|o|a|os|as)\s*)?"
    pattern = re.compile(r"(?<!\w)" + _LOCATIVE.get(language, _LOCATIVE["en"]) + r"\s+" + articles + r"(?P<place>" + alternatives(places) + r")(?!\w)", re.IGNORECASE)
    return pattern, places


def places_in(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, zone) of places named after a locative preposition (`à Pyongyang`, `en Espagne`)."""
    pattern, places = _place_pattern(language)
    found = []
    for match in pattern.finditer(text):
        name = match.group("place")
        if not name[:1].isupper():
            continue
        zone = places.get(name.lower())
        if zone:
            found.append((match.start(), match.end(), zone))
    return found


def zone_of(candidate: Candidate, places: list[tuple[int, int, str]], text: str) -> tuple[str | None, int]:
    """The zone of a clock time — written with it, named right after it, or where the sentence is —
    and where the expression ends: `(20 h 30 en France)`, a time converted to the zone of a place
    in brackets, takes the place into its extent."""
    reading = candidate.reading
    if reading.zone:
        return reading.zone, candidate.end
    # `19h45 mardi en Espagne`: a place right after the time.
    for start, end, zone in places:
        if start >= candidate.end and re.fullmatch(r"[\s,]*", text[candidate.end:start]):
            bracketed = re.search(r"\(\s*$", text[:candidate.start]) and re.match(r"\s*\)", text[end:])
            return zone, end if bracketed else candidate.end
    # Otherwise the last place named before it in the sentence, outside any bracket closed since.
    before = [(start, end, zone) for start, end, zone in places if end <= candidate.start]
    for start, end, zone in reversed(before):
        between = text[end:candidate.start]
        if ")" in between and "(" not in between.split(")")[-1]:
            continue
        if "(" in between:
            continue
        return zone, candidate.end
    return None, candidate.end


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


# --- resolution ----------------------------------------------------------------------------------


@dataclass
class Context:
    anchor: dt.date | None  # the date of writing
    tense: str | None
    reference: dt.date | None  # the last day the text mentioned
    zone: str | None  # the zone of this expression
    home_zone: str  # the zone the article is written from


SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def latest_local_date(context: Context, clock: tuple[int, int] | None) -> tuple[dt.date, dt.datetime | None]:
    """The last date (and moment) in the expression's zone that is not after the date of writing.

    The date of writing is a day in the writer's zone; in a zone hours ahead, that day ends on the
    next calendar day. Without a zone, the date of writing itself.
    """
    local, home = _zone(context.zone), _zone(context.home_zone)
    anchor = context.anchor
    if local is None or home is None or context.zone == context.home_zone:
        return anchor, None
    end_of_day = dt.datetime.combine(anchor, dt.time(23, 59), tzinfo=home)
    local_end = end_of_day.astimezone(local)
    return local_end.date(), local_end


def resolve_weekday(weekday: int, direction: int | None, context: Context, clock: tuple[int, int] | None) -> dt.date:
    anchor = context.anchor
    today = anchor.weekday()
    back = (today - weekday) % 7  # days back to the latest such weekday, 0 if today
    ahead = (weekday - today) % 7
    if direction == -1:
        return anchor - dt.timedelta(days=back or 7)
    if direction == 1:
        return anchor + dt.timedelta(days=ahead or 7)
    if direction == 0 and back == 0:
        return anchor
    tense = context.tense
    if tense == PAST:
        bound, bound_moment = latest_local_date(context, clock)
        candidate = bound - dt.timedelta(days=(bound.weekday() - weekday) % 7)
        if clock is not None and bound_moment is not None:
            moment = dt.datetime.combine(candidate, dt.time(*clock), tzinfo=bound_moment.tzinfo)
            if moment > bound_moment:
                candidate -= dt.timedelta(days=7)
        return candidate
    if tense == FUTURE:
        return anchor + dt.timedelta(days=ahead or 7)
    if back == 0:
        return anchor
    return anchor - dt.timedelta(days=back) if back <= 3 else anchor + dt.timedelta(days=ahead)


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _pick(options: list, anchor_key, key, direction: int | None, tense: str | None):
    """Among dated options, the one the direction or the tense points to, else the nearest."""
    if not options:
        return None
    if direction == -1:
        earlier = [o for o in options if key(o) < anchor_key]
        return max(earlier, key=key) if earlier else None
    if direction == 1:
        later = [o for o in options if key(o) > anchor_key]
        return min(later, key=key) if later else None
    if tense == PAST:
        earlier = [o for o in options if key(o) <= anchor_key]
        if earlier:
            return max(earlier, key=key)
    if tense == FUTURE:
        later = [o for o in options if key(o) >= anchor_key]
        if later:
            return min(later, key=key)
    return min(options, key=lambda o: (abs(key(o) - anchor_key), key(o) < anchor_key))


def full_year(short: int, anchor: dt.date | None) -> int:
    """`98` → 1998, `03` → 2003: the century that puts the year at most ten years after the anchor."""
    pivot = (anchor.year if anchor else 2040) + 10
    return 2000 + short if 2000 + short <= pivot else 1900 + short


def resolve_calendar(reading: Reading, context: Context) -> tuple[str | None, dt.date | None, bool]:
    """Value, the day it names (if one), and whether it was resolved against the anchor."""
    anchor = context.anchor
    year, month, day = reading.year, reading.month, reading.day
    if year is None and reading.year_shift is not None:
        if anchor is None:
            return (f"XXXX-{month:02d}" if month else None), None, False
        year = anchor.year + reading.year_shift
        value, date, _ = resolve_calendar(replace(reading, year=year, year_shift=None), context)
        return value, date, True
    if year is not None and reading.short_year:
        year = full_year(year, anchor)
    if year is not None:
        if month is None:
            return f"{year:04d}", None, False
        if day is None:
            return f"{year:04d}-{month:02d}", None, False
        date = _valid_date(year, month, day)
        return (date.isoformat(), date, False) if date else (None, None, False)
    if month is not None and day is not None:
        if anchor is None:
            return f"XXXX-{month:02d}-{day:02d}", None, False
        options = [d for d in (_valid_date(anchor.year + k, month, day) for k in (-1, 0, 1)) if d]
        if reading.weekday is not None:
            matching = [d for d in options if d.weekday() == reading.weekday]
            if matching:
                options = matching
        chosen = _pick(options, anchor.toordinal(), lambda d: d.toordinal(), reading.direction, context.tense)
        if chosen is None:
            chosen = min(options, key=lambda d: abs(d.toordinal() - anchor.toordinal()))
        return chosen.isoformat(), chosen, True
    if month is not None:
        if anchor is None:
            return f"XXXX-{month:02d}", None, False
        index = anchor.year * 12 + anchor.month - 1
        options = [(anchor.year + k) * 12 + month - 1 for k in (-1, 0, 1)]
        chosen = _pick(options, index, lambda i: i, reading.direction, context.tense)
        if chosen is None:
            chosen = min(options, key=lambda i: abs(i - index))
        return f"{chosen // 12:04d}-{chosen % 12 + 1:02d}", None, True
    if day is not None:
        # `mercredi 3`: the nearest month where the 3rd is that weekday.
        if anchor is None:
            return None, None, False
        options = []
        for delta in (-1, 0, 1, 2):
            month_index = anchor.year * 12 + anchor.month - 1 + delta
            date = _valid_date(month_index // 12, month_index % 12 + 1, day)
            if date and (reading.weekday is None or date.weekday() == reading.weekday):
                options.append(date)
        if not options:
            return None, None, False
        chosen = min(options, key=lambda d: abs(d.toordinal() - anchor.toordinal()))
        return chosen.isoformat(), chosen, True
    return None, None, False


def resolve_shift(reading: Reading, context: Context) -> str | None:
    anchor, unit, shift = context.anchor, reading.unit, reading.shift or 0
    if anchor is None:
        return None
    if unit == "Y":
        return f"{anchor.year + shift:04d}"
    if unit == "M":
        index = anchor.year * 12 + anchor.month - 1 + shift
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    if unit in ("W", "2W"):
        year, week, _ = (anchor + dt.timedelta(weeks=shift)).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "WE":
        day = anchor + dt.timedelta(weeks=shift)
        if shift == 0 and anchor.weekday() < 5:
            # On a weekday, `ce week-end` is the one just past in the past tense, or on a Monday or
            # Tuesday with no tense; else the coming one.
            if context.tense == PAST or (context.tense is None and anchor.weekday() <= 1):
                day -= dt.timedelta(weeks=1)
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}-WE"
    if unit == "D":
        return (anchor + dt.timedelta(days=shift)).isoformat()
    if unit == "DE":
        return f"{anchor.year // 10 + shift:03d}X"
    if unit == "CE":
        return f"{anchor.year // 100 + shift:02d}XX"
    if unit == "Q":
        index = anchor.year * 4 + (anchor.month - 1) // 3 + shift
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "HY":
        index = anchor.year * 2 + (anchor.month - 1) // 6 + shift
        return f"{index // 2:04d}-H{index % 2 + 1}"
    return None


def resolve_season(reading: Reading, context: Context) -> tuple[str | None, bool]:
    code = reading.season
    if reading.year is not None:
        return f"{reading.year:04d}-{code}", False
    anchor = context.anchor
    if reading.value == "generic" and context.tense not in (PAST, FUTURE):
        return f"XXXX-{code}", False
    if anchor is None:
        return f"XXXX-{code}", False
    start = SEASON_START[code]
    month = anchor.month if not (code == "WI" and anchor.month <= 2) else anchor.month + 12
    year = anchor.year if not (code == "WI" and anchor.month <= 2) else anchor.year - 1
    direction, tense = reading.direction, context.tense
    if direction == -1:
        year = year if month > start + 2 else year - 1
    elif direction == 1:
        year = year if month < start else year + 1
    elif tense == PAST and month < start:
        year -= 1
    elif tense == FUTURE and month > start + 2:
        year += 1
    return f"{year:04d}-{code}", True


def with_time(date_value: str | None, reading: Reading) -> str | None:
    if date_value is None:
        return None
    if reading.clock is not None:
        return f"{date_value}T{reading.clock[0]:02d}:{reading.clock[1]:02d}"
    if reading.part_of_day:
        return f"{date_value}T{reading.part_of_day}"
    return date_value


def resolve(reading: Reading, context: Context, linked_day: dt.date | None = None) -> tuple[str | None, dt.date | None, str | None]:
    """(value, the day it names if one, the anchor it was resolved against)."""
    anchor = context.anchor
    anchor_text = anchor.isoformat() if anchor else None
    kind = reading.kind
    if kind == "fixed":
        return reading.value, None, None
    if kind == "calendar":
        value, day, relative = resolve_calendar(reading, context)
        return with_time(value, reading), day, anchor_text if relative else None
    if kind == "weekday":
        if anchor is None:
            return with_time(f"XXXX-WXX-{reading.weekday + 1}", reading), None, None
        day = resolve_weekday(reading.weekday, reading.direction, context, reading.clock)
        return with_time(day.isoformat(), reading), day, anchor_text
    if kind == "relday":
        if anchor is None:
            return None, None, None
        day = anchor + dt.timedelta(days=reading.day_offset or 0)
        return with_time(day.isoformat(), reading), day, anchor_text
    if kind == "refday":
        base = context.reference if context.reference is not None else (anchor if reading.ref_offset == 0 else None)
        if base is None:
            return None, None, None
        day = base + dt.timedelta(days=reading.ref_offset or 0)
        return with_time(day.isoformat(), reading), day, base.isoformat()
    if kind == "shift":
        return resolve_shift(reading, context), None, anchor_text
    if kind == "season":
        value, relative = resolve_season(reading, context)
        return value, None, anchor_text if relative else None
    if kind == "clock":
        base = linked_day or context.reference or anchor
        if base is None:
            return with_time("XXXX-XX-XX", reading), None, None
        return with_time(base.isoformat(), reading), None, base.isoformat()
    return None, None, None


# --- the step ------------------------------------------------------------------------------------




def leaf_segments(document: Document) -> list[tuple[int, int, str]]:
    """(start, end, language) in original offsets of the smallest segments: sentences, fragments,
    titles and headings (a paragraph only where no sentence lies inside it)."""
    segments = sorted((s for s in document.segments if s.end > s.start), key=lambda s: s.start)
    starts = [segment.start for segment in segments]
    leaves = []
    for segment in segments:
        # Only segments that start inside this one can lie inside it: found by bisection, so that
        # a long article does not compare every segment with every other.
        first, last = bisect_left(starts, segment.start), bisect_left(starts, segment.end)
        length = segment.end - segment.start
        inner = any(other.end <= segment.end and (other.end - other.start) < length for other in segments[first:last])
        if not inner:
            leaves.append((segment.start, segment.end, segment.language))
    return sorted(set(leaves))


@dataclass
class Unit:
    """A stretch of clean text in one language: consecutive sentences of one block. Expressions
    are searched in the whole stretch (a sentence splitter may cut `9 a.m. | GMT`); the tense is
    read within each sentence."""

    start: int
    end: int
    language: str
    sentences: list[tuple[int, int]]  # relative to start

    def sentence_of(self, position: int) -> tuple[int, int]:
        for sentence in self.sentences:
            if sentence[0] <= position < sentence[1]:
                return sentence
        return (0, self.end - self.start)


def text_units(document: Document) -> list[Unit]:
    clean = document.clean_text
    offsets = document.offset_map
    spans = []
    for start, end, language in leaf_segments(document):
        clean_start, clean_end = offsets.span_to_clean(start, end)
        if clean_end > clean_start:
            spans.append((clean_start, clean_end, language))
    if not spans:
        return [Unit(0, len(clean), document.language, [(0, len(clean))])] if clean.strip() else []
    spans.sort()
    units: list[Unit] = []
    for start, end, language in spans:
        last = units[-1] if units else None
        if last and last.language == language and start >= last.end and "\n" not in clean[last.end:start]:
            last.sentences.append((start - last.start, end - last.start))
            last.end = end
        elif last and start < last.end:
            continue  # overlapping segments: the first one holds it
        else:
            units.append(Unit(start, end, language, [(0, end - start)]))
    return units


class TimeTagger(DocumentStep):
    """Fills ``document.times`` (see the module's doc)."""

    name = "times"

    def __init__(self, settings: TimeSettings | None = None):
        self.settings = settings or TimeSettings()

    def process(self, document: Document) -> None:
        document.times = self.expressions(document)

    def expressions(self, document: Document) -> list[TimeExpression]:
        settings = self.settings
        clean = document.clean_text
        offsets = document.offset_map
        anchor = calendar_date(document.published.value)
        home_zone = settings.home_timezone or W.HOME_ZONES.get(document.language, "UTC")
        reference: dt.date | None = None
        found: list[TimeExpression] = []
        taken: list[tuple[int, int]] = []
        unsupported: set[str] = set()
        for unit in text_units(document):
            language, clean_start = unit.language, unit.start
            if language not in W.LANGUAGES:
                unsupported.add(language)
                if document.language not in W.LANGUAGES:
                    continue
                language = document.language
            text = clean[unit.start:unit.end]
            candidates = join_dates_and_times(text, find_candidates(text, language), settings.join_date_and_time)
            if not candidates:
                continue
            cues = tense_cues(text, language) if settings.use_tense else []
            places = places_in(text, language) if any(c.reading.clock for c in candidates) else []
            days: dict[int, dt.date] = {}
            for candidate in candidates:
                reading = candidate.reading
                if not settings.reference_words and reading.kind == "fixed" and (reading.value or "").endswith("_REF"):
                    continue
                sentence = unit.sentence_of(candidate.start)
                tense = tense_at(cues, candidate.start, candidate.end, text, language, sentence) if cues else None
                if reading.future_if_tense:
                    reading = replace(reading, kind="shift", future_if_tense=False) if tense == FUTURE else \
                        Reading("fixed", "DURATION", value=reading.value)
                sentence_places = [p for p in places if sentence[0] <= p[0] < sentence[1] or p[0] >= candidate.end]
                zone, extent_end = zone_of(candidate, sentence_places, text) if reading.clock else (None, candidate.end)
                context = Context(anchor, tense, reference, zone, home_zone)
                linked_day = days.get(id(candidate.linked)) if candidate.linked is not None else None
                if candidate.linked is not None and linked_day is None:
                    # The day comes after its clock time (`Vers 0 h 40, jeudi`): resolve it first.
                    linked_value = resolve(candidate.linked.reading, replace(context, zone=zone))
                    linked_day = linked_value[1]
                day_context = context if candidate.linked is None else replace(context, zone=zone)
                value, day, used_anchor = resolve(reading, day_context, linked_day)
                if day is not None:
                    days[id(candidate)] = day
                    reference = day
                original_start, original_end = offsets.span_to_original(clean_start + candidate.start, clean_start + extent_end)
                if any(original_start < e and s < original_end for s, e in taken):
                    continue
                taken.append((original_start, original_end))
                type_ = reading.type
                if reading.kind in ("calendar", "weekday", "relday", "refday", "clock") and (reading.clock or reading.part_of_day):
                    type_ = "TIME"
                found.append(TimeExpression(
                    start=original_start, end=original_end, text=document.text[original_start:original_end],
                    type=type_, value=value, timezone=zone, anchor=used_anchor, modifier=reading.mod,
                ))
        for language in sorted(unsupported):
            note = f"times: no date grammar for language {language}" + (f"; read with {document.language}'s" if document.language in W.LANGUAGES else "")
            if note not in document.notes:
                document.notes.append(note)
        return sorted(found, key=lambda t: (t.start, t.end))
