"""Regex grammars that find date, time, duration and recurrence expressions in one sentence.

For each language the patterns are built from the words of time_words.py. A match becomes a
Candidate: its span in the sentence and a Reading — what the words say (a weekday, a day and a
month, `hier`, three years back, 19:45, every Monday …) before it is resolved to a calendar value
(times.py does that, with the date of writing and the tense of the sentence).

Extents follow TimeML: determiners are inside (`le 27 mai 1998`, `l'année dernière`), prepositions
outside (`depuis [2006]`, `vers [18 h]`), though their meaning is kept as a modifier.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from babelwire.analyse import time_words as W
from babelwire.analyse.time_words import fold

# --- what the words say --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """The meaning of one expression before resolution. ``kind`` says which fields count:

    calendar  year / month / day (any may be missing), optional weekday and direction
    weekday   weekday with direction (-1 last, +1 next, 0 this, None bare)
    relday    day_offset days from the date of writing (hier = -1)
    refday    ref_offset days from the last date the text mentioned (la veille = -1)
    shift     shift units from the date of writing (cette année = 0 Y, il y a deux ans = -2 Y)
    season    season code, optional year and direction
    fixed     value is final (durations, sets, centuries, PRESENT_REF …)
    clock     a time of day alone, on the day the text is talking about
    """

    kind: str
    type: str = "DATE"
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    short_year: bool = False
    year_shift: int | None = None  # `mars de l'année dernière`: the year relative to the date of writing
    direction: int | None = None
    day_offset: int | None = None
    ref_offset: int | None = None
    unit: str | None = None
    shift: int | None = None
    season: str | None = None
    clock: tuple[int, int] | None = None
    part_of_day: str | None = None
    value: str | None = None
    mod: str | None = None
    zone: str | None = None
    future_if_tense: bool = False  # English `in two years`: a date if the sentence is in the future


@dataclass
class Candidate:
    start: int
    end: int
    reading: Reading
    rule: str
    priority: int = 0
    linked: Candidate | None = field(default=None, repr=False)  # a date giving this time its day

    @property
    def length(self) -> int:
        return self.end - self.start


# --- pattern helpers -----------------------------------------------------------------------------

_START = r"(?<![\w\-])"
_END = r"(?![\w])"


def normalize(phrase: str) -> str:
    """The key words are looked up by: folded, one space, straight apostrophe."""
    return fold(re.sub(r"\s+", " ", phrase.replace("’", "'").strip()))


def phrase_pattern(phrase: str) -> str:
    escaped = re.escape(phrase)
    escaped = escaped.replace("\\ ", r"\s+").replace("'", "['’]").replace("’", "['’]")
    return escaped.replace("['['’]]", "['’]")


# The pieces phrase_pattern writes: a run of spaces, an apostrophe, an escaped or a plain character.
_PATTERN_PIECE = re.compile(r"\\s\+|\['’\]|\\.|.", re.DOTALL)


def alternatives(phrases) -> str:
    """A regex (used ignoring case) for any of the phrases, written as a prefix tree
    (`vingt(?:\\-(?:deux|trois))?`).

    It matches what the phrases joined longest first would match (where one phrase begins another,
    the longer is tried first), but the regex engine, which tries the branches of an alternation
    one by one, and slowly so when ignoring case, tests one branch per letter instead of every
    phrase at every word start: the rules scan sentences about a third faster.
    """
    return _alternatives(tuple(phrases))


@lru_cache(maxsize=1024)
def _alternatives(phrases: tuple[str, ...]) -> str:
    unique = {p for p in phrases if p}
    if not unique:
        return r"(?!x)x"
    tree: dict = {}  # piece in lower case -> (piece as written, subtree)
    for phrase in sorted(unique):
        node = tree
        for piece in _PATTERN_PIECE.findall(phrase_pattern(phrase)):
            # Pieces that differ only in case are one branch: the patterns ignore case.
            node = node.setdefault(piece.lower(), (piece, {}))[1]
        node[""] = ("", {})  # a phrase ends here

    def branch(node: dict) -> str:
        parts = [piece + branch(child) for key, (piece, child) in sorted(node.items()) if key]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer phrase first

    return "(?:" + branch(tree) + ")"


class Lookup(dict):
    """A dict keyed by normalized phrases."""

    def __init__(self, items):
        super().__init__()
        for key, value in items:
            self.setdefault(normalize(key), value)

    def of(self, text: str | None):
        return None if text is None else self.get(normalize(text))


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_to_int(text: str) -> int | None:
    text = text.upper()
    if not text or any(char not in ROMAN for char in text):
        return None
    total = 0
    for index, char in enumerate(text):
        value = ROMAN[char]
        if index + 1 < len(text) and ROMAN[text[index + 1]] > value:
            total -= value
        else:
            total += value
    return total


DAY = r"(?:3[01]|[12]\d|0?[1-9])"
DAY_SUFFIX = r"(?:er|ᵉʳ|re|º|°|\.|st|nd|rd|th)?"
YEAR4 = r"(?:1[0-9]\d\d|20\d\d)"
DIGITS = r"\d{1,3}(?:[.,]\d+)?"
# Words that, right after a number of years, make it a count of something else.
COUNT_NOUN_AFTER_YEAR = re.compile(
    r"^[\s\u00a0]*(?:%|‰|€|\$|£|¥|euros?|dollars?|francs?|livres?|pesos|yuans?|roubles?|habitants|personnes|"
    r"morts|victimes|km|kilomètres|kilómetros|kilometers?|kilometres?|mètres|metros|meters?|tonnes|toneladas|tons|"
    r"voix|votos|votes|places|emplois|empleos|jobs|salariés|personas|people|people's|menschen|einwohner|m²|m2|ha|kg|"
    r"exemplaires|copies|points|puntos)\b",
    re.IGNORECASE,
)
# Heads after which `de N ans` is a duration, not an age (`une peine de cinq ans`).
DURATION_HEADS = {
    "fr": {"peine", "période", "durée", "mandat", "contrat", "délai", "retard", "bail", "absence", "prison", "réclusion",
           "emprisonnement", "détention", "plan", "programme", "moratoire", "trêve", "sursis", "exil", "interdiction",
           "suspension", "garantie", "concession", "prolongation", "engagement", "règne", "carrière", "intervalle",
           "espace", "attente", "séjour", "cycle", "horizon", "échéance", "investissement", "budget", "projet", "pause",
           "service", "stage", "congé", "vie", "travaux", "construction", "chantier", "lutte", "guerre", "crise", "plus",
           "moins", "près", "environ", "quelque", "bout", "cours", "terme", "fin", "début"},
    "es": {"pena", "periodo", "período", "duración", "mandato", "contrato", "plazo", "retraso", "prisión", "cárcel",
           "condena", "plan", "programa", "moratoria", "tregua", "exilio", "suspensión", "garantía", "concesión",
           "prórroga", "reinado", "carrera", "espacio", "intervalo", "estancia", "ciclo", "horizonte", "proyecto", "vida",
           "obras", "guerra", "crisis", "más", "menos", "cerca", "alrededor", "cabo", "lapso", "transcurso", "término"},
    "it": {"pena", "periodo", "durata", "mandato", "contratto", "ritardo", "prigione", "carcere", "reclusione", "piano",
           "programma", "moratoria", "tregua", "esilio", "sospensione", "garanzia", "concessione", "proroga", "regno",
           "carriera", "spazio", "intervallo", "soggiorno", "ciclo", "orizzonte", "progetto", "vita", "lavori", "guerra",
           "crisi", "più", "meno", "circa", "arco", "corso", "termine"},
    "pt": {"pena", "período", "duração", "mandato", "contrato", "prazo", "atraso", "prisão", "cadeia", "plano",
           "programa", "moratória", "trégua", "exílio", "suspensão", "garantia", "concessão", "prorrogação", "reinado",
           "carreira", "espaço", "intervalo", "estadia", "ciclo", "horizonte", "projeto", "vida", "obras", "guerra",
           "crise", "mais", "menos", "cerca", "cabo", "decurso", "termo"},
}
# `de N ans` age after these (they are people or ages in any case).
AGE_BEFORE = {
    "fr": re.compile(r"(?:âgée?s?\s+(?:de\s+)?|l['’]âge\s+de\s+|âge\s+de\s+|(?<!\w)à\s+|,\s*)$", re.IGNORECASE),
    "es": re.compile(r"(?:edad\s+de\s+|a\s+los\s+|con\s+|,\s*)$", re.IGNORECASE),
    "en": re.compile(r"(?:aged\s+|age\s+(?:of\s+)?|at\s+|,\s*)$", re.IGNORECASE),
    "de": re.compile(r"(?:alter\s+von\s+|mit\s+|,\s*)$", re.IGNORECASE),
    "it": re.compile(r"(?:età\s+di\s+|all['’]età\s+di\s+|(?<!\w)a\s+|,\s*)$", re.IGNORECASE),
    "pt": re.compile(r"(?:idade\s+de\s+|aos\s+|com\s+|,\s*)$", re.IGNORECASE),
}
AGE_AFTER = {
    "fr": re.compile(r"^\s*(?:révolus|d['’]âge|,)", re.IGNORECASE),
    "es": re.compile(r"^\s*(?:de\s+edad|cumplidos|,)", re.IGNORECASE),
    "en": re.compile(r"^(?:\s*old\b|-old\b|\s*of\s+age\b|\s*,)", re.IGNORECASE),
    "de": re.compile(r"^\s*(?:alt\b|jung\b|,)", re.IGNORECASE),
    "it": re.compile(r"^\s*(?:di\s+età|compiuti|,)", re.IGNORECASE),
    "pt": re.compile(r"^\s*(?:de\s+idade|,)", re.IGNORECASE),
}
# French auxiliaries: `a été` is the verb être, not the summer.
ETE_AFTER_AUXILIARY = re.compile(
    r"(?:\b(?:ai|as|a|avons|avez|ont|avait|avaient|avais|aurait|auraient|aura|auront|ayant|avoir|eût|eut|n['’]a|n['’]ont|"
    r"pas|jamais|toujours|déjà|aussi|également|souvent|ensuite|bien|tous|peut-être|plus|y|t-il|t-elle|t-on|il|elle|on)\s+)$",
    re.IGNORECASE,
)

# Prepositions and words before a bare year or month that show it is one (not a count).
YEAR_CONTEXT = {
    "fr": ["en", "depuis", "dès", "de", "d'", "du", "jusqu'en", "avant", "après", "vers", "l'an", "l'année", "année", "et", "à", "entre", "fin", "début", "mi-", "courant", "printemps", "été", "automne", "hiver", "saison", "cuvée", "millésime"],
    "es": ["en", "desde", "de", "del", "hasta", "antes", "después", "hacia", "año", "el año", "y", "a", "entre", "finales", "principios"],
    "en": ["in", "since", "from", "of", "until", "before", "after", "by", "year", "the year", "and", "to", "between", "early", "late", "mid", "spring", "summer", "autumn", "fall", "winter"],
    "de": ["im", "in", "seit", "von", "ab", "bis", "vor", "nach", "jahr", "jahre", "und", "zwischen", "anfang", "ende", "mitte", "frühjahr", "sommer", "herbst", "winter"],
    "it": ["nel", "in", "dal", "dal", "fino al", "prima del", "dopo il", "anno", "l'anno", "e", "al", "tra", "fra"],
    "pt": ["em", "desde", "de", "do", "até", "antes", "depois", "ano", "o ano", "e", "a", "entre"],
}


# `mars de l'année dernière`, `March of last year`, `marzo del año pasado`, `März letzten Jahres`.
RELATIVE_YEAR = (r"\s+(?:(?:de|del|of|des|dell['’]|do|da)\s*)?(?:l['’]\s*|el\s+|the\s+)?(?:(?P<ymod>{LASTNEXT}|{THIS})\s+)?"
                 r"(?P<yunit>année|an|año|year|jahres|jahr|anno|ano)(?:\s+(?P<ymod2>{LASTNEXT}))?")


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    handler: Callable[[Grammar, re.Match, str], Reading | None]
    priority: int = 0
    trigger: frozenset[str] | None = None  # words one of which the sentence must hold


# The words a rule cannot match without (classes of time_words, or DIGIT): a sentence holding none
# of them skips the rule — most sentences hold no date, and a set lookup is cheaper than a regex.
TRIGGERS = {
    "numeric-date": ["DIGIT"], "day-month": ["MONTH_ANY"], "day-coordination": ["MONTH_ANY"], "month-year": ["MONTH_ANY"],
    "month": ["MONTH"], "month-day": ["MONTH_ANY"], "weekday-day": ["WEEKDAY"], "weekday": ["WEEKDAY"], "year": ["DIGIT"],
    "relative-day": ["RELDAY", "TODAYPART"], "this-unit": ["UNIT"], "unit-lastnext": ["LASTNEXT"],
    "ago": ["AGOPRE", "AGOSUF"], "in-future": ["INPRE"], "duration": ["UNIT"], "named-period": ["NAMED"],
    "every": ["EVERY"], "per": ["PER"], "frequency-word": ["FREQ"], "habitual": ["HABITUAL"],
    "weekday-plural": ["WEEKDAY_PLURAL"], "reference-word": ["REFWORD"], "season": ["SEASON"],
    "century": ["CENTURY", "CENTURY_ALT"], "decade": ["DIGIT"], "clock": ["DIGIT", "POD"], "part-of-day": ["POD", "POD_ALT"],
}
_TOKEN = re.compile(r"[^\W\d_]+|\d")


def first_tokens(phrases) -> set[str]:
    tokens = set()
    for phrase in phrases:
        found = _TOKEN.findall(fold(phrase))
        if found:
            tokens.add("DIGIT" if found[0].isdigit() else found[0])
    return tokens


@lru_cache(maxsize=65536)
def _folded_token(token: str) -> str:
    return "DIGIT" if token.isdigit() else fold(token)


def sentence_tokens(text: str) -> set[str]:
    return {_folded_token(token) for token in _TOKEN.findall(text.lower())}


# --- the grammar of one language -----------------------------------------------------------------


class Grammar:
    """All rules of one language, compiled once (see grammar())."""

    def __init__(self, language: str):
        self.language = language
        lex = W.lexicon(language)
        self.lex = lex
        self.months = Lookup(list(lex.months.items()) + list(lex.month_abbreviations.items()))
        self.weekdays = Lookup(list(lex.weekdays.items()))
        self.weekday_plurals = Lookup(list(lex.weekday_plurals.items()))
        self.numbers = Lookup(list(lex.numbers.items()))
        self.units = Lookup(list(lex.units.items()))
        self.relative_days = Lookup(W.RELATIVE_DAYS.get(language, {}).items())
        self.today_parts = Lookup(W.TODAY_PARTS.get(language, {}).items())
        self.parts_of_day = Lookup(W.PARTS_OF_DAY.get(language, {}).items())
        self.clock_parts = Lookup(W.CLOCK_PARTS.get(language, {}).items())
        self.seasons = Lookup(W.SEASONS.get(language, {}).items())
        self.last = {normalize(w) for w in W.LAST.get(language, [])}
        self.next = {normalize(w) for w in W.NEXT.get(language, [])}
        self.this = {normalize(w) for w in W.THIS.get(language, [])}
        self.more_less = Lookup(W.MORE_LESS.get(language, {}).items())
        self.period_parts = Lookup(W.PERIOD_PARTS.get(language, {}).items())
        self.named_periods = Lookup(W.NAMED_PERIODS.get(language, {}).items())
        self.frequency = Lookup(W.FREQUENCY_WORDS.get(language, {}).items())
        self.habitual = Lookup(W.HABITUAL_ADVERBS.get(language, {}).items())
        self.references = Lookup(W.REFERENCE_WORDS.get(language, {}).items())
        self.round_counts = Lookup(W.ROUND_COUNTS.get(language, {}).items())
        self.vague = {normalize(w) for w in W.VAGUE_COUNTS.get(language, [])}
        self.zone_phrases = Lookup(W.ZONE_PHRASES.get(language, {}).items())
        self.date_preposition_mods = Lookup(W.DATE_PREPOSITION_MODS.get(language, {}).items())
        self.rules = self._build()

    # -- word classes as regex --
    def _classes(self) -> dict[str, str]:
        language, lex = self.language, self.lex
        months = alternatives(lex.months)
        abbreviations = alternatives(lex.month_abbreviations)
        numbers = alternatives(lex.numbers)
        return {
            "MONTH": months,
            "MONTH_ANY": f"(?:{abbreviations}|{months})",
            "WEEKDAY": alternatives(lex.weekdays),
            "WEEKDAY_PLURAL": alternatives(lex.weekday_plurals),
            "NUMWORD": numbers,
            "COUNT": rf"(?:{DIGITS}|{numbers})",
            "UNIT": alternatives(lex.units),
            "ART": alternatives(W.ARTICLES.get(language, [])),
            "THIS": alternatives(W.THIS.get(language, [])),
            "LAST": alternatives(W.LAST.get(language, [])),
            "NEXT": alternatives(W.NEXT.get(language, [])),
            "LASTNEXT": alternatives(W.LAST.get(language, []) + W.NEXT.get(language, [])),
            "RELDAY": alternatives(W.RELATIVE_DAYS.get(language, {})),
            "TODAYPART": alternatives(W.TODAY_PARTS.get(language, {})),
            "POD": alternatives(W.PARTS_OF_DAY.get(language, {})),
            "CLOCKPART": alternatives(W.CLOCK_PARTS.get(language, {})),
            "SEASON": alternatives(W.SEASONS.get(language, {})),
            "APPROX": alternatives(W.APPROX.get(language, [])),
            "CLOCKAPPROX": alternatives(W.CLOCK_APPROX.get(language, [])),
            "THESE": alternatives(W.THESE.get(language, [])),
            "MORELESS": alternatives(W.MORE_LESS.get(language, {})),
            "PERIODPART": alternatives(W.PERIOD_PARTS.get(language, {})),
            "EVERY": alternatives(W.EVERY.get(language, [])),
            "PER": alternatives(W.PER.get(language, [])),
            "VAGUE": alternatives(W.VAGUE_COUNTS.get(language, [])),
            "ROUND": alternatives(W.ROUND_COUNTS.get(language, {})),
            "HALF": alternatives(W.HALF.get(language, [])),
            "NAMED": alternatives(W.NAMED_PERIODS.get(language, {})),
            "FREQ": alternatives(W.FREQUENCY_WORDS.get(language, {})),
            "HABITUAL": alternatives(W.HABITUAL_ADVERBS.get(language, {})),
            "REFWORD": alternatives(W.REFERENCE_WORDS.get(language, {})),
            "AGOPRE": alternatives(W.AGO_PREFIX.get(language, [])),
            "AGOSUF": alternatives(W.AGO_SUFFIX.get(language, [])),
            "INPRE": alternatives(W.IN_PREFIX.get(language, [])),
            "CENTURY": alternatives(W.CENTURY_WORDS.get(language, [])),
            "DECADEWORD": alternatives(W.DECADE_WORDS.get(language, [])),
            "ZONEPHRASE": alternatives(W.ZONE_PHRASES.get(language, {})),
            "LOCALPHRASE": alternatives(W.LOCAL_TIME_PHRASES.get(language, [])),
            "ZONEABBR": r"(?:(?:UTC|GMT|TU)\s?[+\-−]\s?\d{1,2}(?::?\d{2})?|" + "|".join(sorted(W.ZONE_ABBREVIATIONS, key=len, reverse=True)) + ")",
            "DAY": DAY,
            "DAYSUF": DAY_SUFFIX,
            "YEAR4": YEAR4,
        }

    def _compile(self, template: str, flags=re.IGNORECASE) -> re.Pattern:
        classes = self._classes_cache
        pattern = re.sub(r"\{([A-Z][A-Z_0-9]*)\}", lambda m: classes[m.group(1)], template)
        return re.compile(pattern, flags)

    def _build(self) -> list[Rule]:
        self._classes_cache = self._classes()
        language = self.language
        s, e = _START, _END
        of = {"fr": r"(?:\s+de|\s+d['’])?", "es": r"(?:\s+de)?", "pt": r"(?:\s+de)?", "en": r"(?:\s+of)?", "de": "", "it": ""}[language]
        year_joiner = {"fr": r",?\s+", "es": r",?\s+(?:de\s+|del\s+)?", "pt": r",?\s+(?:de\s+)?", "en": r",?\s+", "de": r",?\s+", "it": r",?\s+"}[language]
        article = r"(?:(?P<art>{ART})\s*)?"
        rules = [
            Rule("numeric-date", re.compile(
                r"(?<![\w./\-])(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})|(?P<d2>\d{1,2})[./](?P<m2>\d{1,2})[./](?P<y2>\d{4}|\d{2}))"
                r"(?:(?:T|\s+(?:à\s+|a\s+las\s+|at\s+|um\s+)?)(?P<h>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)(?::\d\d)?(?:\s*Uhr)?)?(?![\w]|[./\-]\d)"),
                Grammar.on_numeric_date, 5),
            Rule("day-month", self._compile(
                s + article + r"(?:(?P<wd>{WEEKDAY})[,\s]\s*(?:(?:le|el|den|the|il|o|a)\s+)?)?(?P<d>{DAY}){DAYSUF}"
                + of + r"\s+(?P<m>{MONTH_ANY})(?!\w)(?:" + year_joiner + r"(?P<y>{YEAR4}|['’]\d{2}(?!\d)|\d{2}(?=\s*(?:[,.;:)»\]]|$))))?"
                r"(?:\s+(?P<mod>{LASTNEXT}))?" + e), Grammar.on_day_month, 4),
            Rule("month-day", self._compile(
                s + r"(?:(?P<wd>{WEEKDAY}),?\s+)?(?:(?P<mod>{LASTNEXT})\s+)?(?P<m>{MONTH_ANY})\s+(?P<d>{DAY})(?:st|nd|rd|th)?(?!\s*(?:[:.]\d|%))(?:,?\s+(?P<y>{YEAR4}))?" + e),
                Grammar.on_month_day, 4) if language == "en" else None,
            Rule("weekday-day", self._compile(
                s + article + r"(?P<wd>{WEEKDAY})\s+(?P<d>{DAY}){DAYSUF}(?!\s*(?:[:h.]\s*\d|%|\w))"), Grammar.on_weekday_day, 3),
            Rule("day-coordination", self._compile(
                s + r"(?:(?P<art>{ART})\s+)?(?P<d>{DAY}){DAYSUF}(?=\s*(?:et|au|à|y|al|and|to|und|bis|e|a|ou|o|or|-|–)\s*(?:(?:le|el|the)\s+)?"
                r"(?P<d2>{DAY}){DAYSUF}" + of + r"\s+(?P<m>{MONTH_ANY})(?!\w)(?:" + year_joiner + r"(?P<y>{YEAR4}))?)"), Grammar.on_day_coordination, 2),
            Rule("month-year", self._compile(
                s + article + r"(?:(?P<part>{PERIODPART})\s*(?:de\s+|d['’]\s*|of\s+)?)?(?:(?P<moisde>(?:mois|month|mes|monat|mese|mês)\s+(?:de\s+|d['’]|of\s+)?))?"
                r"(?P<m>{MONTH_ANY})(?!\w)" + year_joiner + r"(?P<y>{YEAR4}|['’]\d{2}(?!\d)|\d{2}(?=\s*(?:[,.;:)»\]]|$)))" + e), Grammar.on_month_year, 3),
            Rule("month", self._compile(
                s + article + r"(?:(?P<part>{PERIODPART})\s*(?:de\s+|d['’]\s*|of\s+)?)?(?:(?P<moisde>(?:mois|month|mes|monat|mese|mês)\s+(?:de\s+|d['’]|of\s+)?))?"
                r"(?:(?P<mod0>{LASTNEXT})\s+)?(?P<m>{MONTH})(?:" + RELATIVE_YEAR + r"|\s+(?P<mod>{LASTNEXT}))?" + e), Grammar.on_month, 1),
            Rule("year", self._compile(
                s + r"(?:(?P<part>{PERIODPART})\s*(?:de\s+|d['’]\s*|of\s+)?)?(?P<yearword>(?:l['’]année|l['’]an|el\s+año|the\s+year|das\s+jahr|l['’]anno|o\s+ano|année|año|anno|ano)\s+)?(?P<y>\d{4})(?![\d,.]\d|\w|-\d)"),
                Grammar.on_year, 1),
            Rule("weekday", self._compile(
                s + r"(?:(?P<art>{ART}|{THIS})\s+)?(?:(?P<same>même|mismo|same|selben|stesso|mesmo)\s+)?(?:(?P<mod0>{LASTNEXT})\s+)?(?P<wd>{WEEKDAY})"
                + (r"(?P<glued>morgen|vormittag|mittag|nachmittag|abend|nacht)?" if language == "de" else "")
                + r"(?:\s+(?P<mod>{LASTNEXT}))?(?:\s+(?P<pod>{POD})(?!\w))?(?:\s+(?P<mod2>{LASTNEXT}))?" + e), Grammar.on_weekday, 1),
            Rule("relative-day", self._compile(
                s + r"(?:(?P<todaypart>{TODAYPART})|(?P<rel>{RELDAY})(?:\s*,?\s+(?P<wd>{WEEKDAY}))?(?:\s+(?:(?:à\s+la|à\s+l['’]|en|por\s+la|in\s+the|am|à|di|de|pela|por)\s+)?(?P<pod>{POD}))?(?:\s+(?P<same>même))?)" + e),
                Grammar.on_relative_day, 2),
            Rule("this-unit", self._compile(
                s + r"(?:(?P<partart>{ART})?\s*(?P<part>{PERIODPART})\s*(?:de\s+|d['’]\s*|du\s+|of\s+)?)?(?P<this>{THIS})\s+(?P<unit>{UNIT})(?P<there>-ci|-là|-la)?" + e), Grammar.on_this_unit, 2),
            Rule("unit-lastnext", self._compile(
                s + r"(?:(?P<partart>{ART})?\s*(?P<part>{PERIODPART})\s*(?:de\s+|d['’]\s*|du\s+|of\s+)?)?(?:(?P<art>{ART}|{THESE})\s*)?(?:(?P<mod1>{LASTNEXT})\s+(?P<unit1>{UNIT})|(?P<unit2>{UNIT})\s+(?P<mod2>{LASTNEXT}))" + e),
                Grammar.on_unit_lastnext, 2),
            Rule("ago", self._compile(
                s + r"(?:(?P<pre>{AGOPRE})\s+(?P<dur>(?:{ROUND}\s*|{VAGUE}\s+|{COUNT}\s+)(?:{UNIT}))|(?P<dur2>(?:{ROUND}\s*|{VAGUE}\s+|{COUNT}\s+)(?:{UNIT}))\s+(?P<suf>{AGOSUF}))" + e),
                Grammar.on_ago, 3),
            Rule("in-future", self._compile(
                s + r"(?P<pre>{INPRE})\s+(?P<dur>(?:{ROUND}\s*|{VAGUE}\s+|{COUNT}\s+)(?:{UNIT}))" + e), Grammar.on_in_future, 2),
            Rule("duration", self._compile(
                s + r"(?:(?P<approx>{APPROX}|{MORELESS})\s+)?(?P<count>{ROUND}\s*|(?:{VAGUE}|{COUNT})(?:\s+|-))(?P<unit>{UNIT})(?:\s+(?P<half>{HALF}))?(?P<old>-old)?" + e),
                Grammar.on_duration, 1),
            Rule("named-period", self._compile(
                s + r"(?:(?P<approx>{APPROX}|{MORELESS})\s+)?(?:(?:un|une|a|an|ein|eine|einen|einem|uno|una|um|uma|el|la|le|the)\s+)?(?P<named>{NAMED})" + e),
                Grammar.on_named_period, 1),
            Rule("every", self._compile(
                s + r"(?P<every>{EVERY})\s+(?:(?P<n>{COUNT})\s+)?(?P<what>{WEEKDAY_PLURAL}|{WEEKDAY}|{UNIT}|{POD}|{SEASON}|{MONTH})" + e),
                Grammar.on_every, 3),
            Rule("per", self._compile(
                s + r"(?:(?P<times>{COUNT}|une|one|ein|una|uma)\s+(?:fois|veces|vez|times|mal|volte|volta|vezes)\s+)?(?P<per>{PER})\s+(?P<unit>{UNIT})" + e),
                Grammar.on_per, 1),
            Rule("frequency-word", self._compile(s + r"(?P<freq>{FREQ})" + e), Grammar.on_frequency_word, 0),
            Rule("habitual", self._compile(s + r"(?P<hab>{HABITUAL})" + e), Grammar.on_habitual, 0),
            Rule("weekday-plural", self._compile(s + r"(?:(?P<art>les|los|las|the|i|os|as|on)\s+)?(?P<wd>{WEEKDAY_PLURAL})" + e), Grammar.on_weekday_plural, 0),
            Rule("reference-word", self._compile(s + r"(?P<ref>{REFWORD})" + e), Grammar.on_reference_word, 0),
            Rule("season", self._compile(
                s + r"(?:(?P<art>{ART}|{THIS})\s*)?(?P<season>{SEASON})(?:\s+(?P<mod>{LASTNEXT})|" + of + r"\s+(?P<y>{YEAR4}))?" + e),
                Grammar.on_season, 1),
            Rule("century", self._century_pattern(), Grammar.on_century, 2),
            Rule("decade", self._decade_pattern(), Grammar.on_decade, 2),
            Rule("clock", self._clock_pattern(), Grammar.on_clock, 2),
            Rule("part-of-day", self._part_of_day_pattern(), Grammar.on_part_of_day, 1),
            Rule("neighbour-day", self._neighbour_day_pattern(), Grammar.on_neighbour_day, 2),
        ]
        rules = [rule for rule in rules if rule is not None]
        return [replace(rule, trigger=self._trigger(TRIGGERS[rule.name])) if rule.name in TRIGGERS else rule for rule in rules]

    def _trigger(self, classes: list[str]) -> frozenset[str]:
        language, lex = self.language, self.lex
        words = {
            "MONTH_ANY": list(lex.months) + list(lex.month_abbreviations), "MONTH": list(lex.months),
            "WEEKDAY": list(lex.weekdays), "WEEKDAY_PLURAL": list(lex.weekday_plurals),
            "RELDAY": list(W.RELATIVE_DAYS.get(language, {})), "TODAYPART": list(W.TODAY_PARTS.get(language, {})),
            "UNIT": list(lex.units), "LASTNEXT": W.LAST.get(language, []) + W.NEXT.get(language, []),
            "AGOPRE": W.AGO_PREFIX.get(language, []), "AGOSUF": W.AGO_SUFFIX.get(language, []),
            "INPRE": W.IN_PREFIX.get(language, []), "NAMED": list(W.NAMED_PERIODS.get(language, {})),
            "EVERY": W.EVERY.get(language, []), "PER": W.PER.get(language, []),
            "FREQ": list(W.FREQUENCY_WORDS.get(language, {})), "HABITUAL": list(W.HABITUAL_ADVERBS.get(language, {})),
            "REFWORD": list(W.REFERENCE_WORDS.get(language, {})), "SEASON": list(W.SEASONS.get(language, {})),
            "CENTURY": W.CENTURY_WORDS.get(language, []), "CENTURY_ALT": ["siglo", "secolo", "século", "century", "jahrhundert", "jahrhunderts"],
            "POD": list(W.PARTS_OF_DAY.get(language, {})), "POD_ALT": ["overnight", "veille", "lendemain"],
        }
        tokens: set[str] = set()
        for name in classes:
            tokens |= {"DIGIT"} if name == "DIGIT" else first_tokens(words[name])
        if language == "de" and "WEEKDAY" in classes:  # `Dienstagabend` is one word
            tokens |= {fold(day) + part for day in lex.weekdays for part in ("morgen", "vormittag", "mittag", "nachmittag", "abend", "nacht")}
        return frozenset(tokens)

    # -- language-specific patterns --
    def _century_pattern(self) -> re.Pattern:
        language = self.language
        ordinal_suffix = r"(?:e|è|ème|eme|ᵉ|er|re|st|nd|rd|th|\.|º|°)"
        number = r"(?P<c>[IVXLC]{1,5}|\d{1,2})"
        if language == "en":
            body = r"(?:(?P<art>the)\s+)?(?:(?P<c>\d{1,2})(?:st|nd|rd|th)|(?P<cw>" + "|".join(ENGLISH_ORDINALS) + r"))[\s-]+century"
        elif language == "fr":
            body = r"(?:(?P<art>le)\s+)?" + number + ordinal_suffix + r"\s+siècle"
        elif language == "de":
            body = r"(?:(?P<art>das|dem|des)\s+)?(?P<c>\d{1,2})\.\s+Jahrhunderts?"
        else:
            word = {"es": "siglo", "it": "secolo", "pt": "século"}[language]
            article = {"es": "el", "it": "il", "pt": "o"}[language]
            body = r"(?:(?P<art>" + article + r")\s+)?(?:" + word + r"\s+(?P<c>[IVXLC]{1,5})|(?P<c2>[IVXLC]{1,5})\s+" + word + ")"
        last = alternatives(W.LAST.get(language, []) + W.NEXT.get(language, []))
        this_century = alternatives(W.CENTURY_WORDS.get(language, []))
        relative = rf"(?:(?P<art2>{alternatives(W.ARTICLES.get(language, []) + W.THIS.get(language, []))})\s*)?(?P<cword>{this_century})(?:\s+(?P<mod>{last}))?"
        return re.compile(_START + rf"(?:{body}|{relative})" + _END, re.IGNORECASE)

    def _decade_pattern(self) -> re.Pattern:
        language = self.language
        if language == "en":
            body = r"(?:(?P<art>the)\s+)?(?P<dec>(?:1[0-9]|20)\d0|['’]\d0)['’]?s"
        elif language == "de":
            body = r"(?:(?P<art>den|die|der)\s+)?(?P<dec>(?:1[0-9]|20)?\d0)er(?:\s+Jahren?)?"
        else:
            words = alternatives(W.DECADE_WORDS.get(language, []))
            body = rf"(?P<art>{words})\s+(?P<dec>(?:1[0-9]|20)?\d0)(?!\d)"
        return re.compile(_START + body + _END, re.IGNORECASE)

    def _clock_pattern(self) -> re.Pattern:
        language = self.language
        c = self._classes_cache
        zone = rf"(?:\s*\(?\s*(?P<zone>{c['ZONEABBR']})\)?(?![\w])|\s+(?P<zonephrase>{c['ZONEPHRASE']})(?!\w)|\s*\(?(?P<local>{c['LOCALPHRASE']})\)?(?!\w))?"
        clock_part = rf"(?:\s+(?P<cpart>{c['CLOCKPART']})(?![\w]))?"
        approx = rf"(?:(?P<approx>{c['CLOCKAPPROX']})\s+)?"
        hm = r"(?P<h>[01]?\d|2[0-3])"
        forms = [
            # 2h45, 21 h 45, 18 h, 19H45, 14h00
            hm + r"\s?[hH](?:\s?(?P<m>[0-5]\d))?(?![\w/])",
            # 19:45, 7.45 pm
            hm + r":(?P<m2>[0-5]\d)(?!\d|:\d)",
        ]
        if language == "fr":
            forms.append(r"(?P<hw>" + c["NUMWORD"] + r"|\d{1,2})\s+heures?(?:\s+(?P<mw>[0-5]\d|" + c["NUMWORD"] + r"))?(?:\s+(?P<frac>et\s+demie?|et\s+quart|moins\s+(?:le\s+)?quart))?")
            forms.append(r"(?P<noon>midi|minuit)(?:\s+(?P<frac2>et\s+demie?|et\s+quart))?")
        elif language == "es":
            forms.append(r"(?P<las>las?)\s+(?P<hw>" + c["NUMWORD"] + r"|\d{1,2})(?:[.:](?P<mw>[0-5]\d))?(?:\s+(?P<frac>y\s+media|y\s+cuarto|menos\s+cuarto))?(?:\s+horas?(?!\s+(?:peninsular|canaria|española|local|de\s))|\s*h(?!\w))?")
            forms.append(hm + r"[.](?P<m3>[0-5]\d)\s*(?:horas|h)(?!\w)")
            forms.append(r"(?P<noon>mediodía|medianoche)")
        elif language == "en":
            forms.append(hm + r"(?:[.:](?P<m3>[0-5]\d))?\s*(?P<ampm>a\.m\.|p\.m\.|am|pm)(?![\w])")
            forms.append(r"(?P<hw>" + c["NUMWORD"] + r"|\d{1,2})\s+o['’]clock")
            forms.append(r"(?P<noon>noon|midnight|midday)")
        elif language == "de":
            forms.append(hm + r"(?:[.:](?P<m3>[0-5]\d))?\s*Uhr(?:\s+(?P<mw>[0-5]\d))?")
            forms.append(r"(?P<noon>Mitternacht)")
        elif language == "it":
            forms.append(r"(?P<las>alle|dalle|ore|le)\s+(?:ore\s+)?(?P<hw>" + c["NUMWORD"] + r"|\d{1,2})(?:[.:](?P<mw>[0-5]\d))?(?:\s+(?P<frac>e\s+mezza|e\s+un\s+quarto))?")
            forms.append(r"(?P<noon>mezzogiorno|mezzanotte)")
        elif language == "pt":
            forms.append(r"(?P<las>às|as|das|pelas)\s+(?P<hw>" + c["NUMWORD"] + r"|\d{1,2})(?:[h:](?P<mw>[0-5]\d)|h)?(?:\s+(?P<frac>e\s+meia|e\s+um\s+quarto))?(?:\s+horas?)?")
            forms.append(r"(?P<noon>meio-dia|meia-noite)")
        # One group name may appear once per pattern: number the repeats.
        numbered = []
        seen: dict[str, int] = {}
        for form in forms:
            def rename(match: re.Match) -> str:
                name = match.group(1)
                seen[name] = seen.get(name, 0) + 1
                return f"(?P<{name}{'' if seen[name] == 1 else '_' + str(seen[name])}>"
            numbered.append(re.sub(r"\(\?P<([a-z0-9]+)>", rename, form))
        body = "(?:" + "|".join(f"(?:{form})" for form in numbered) + ")"
        # The preposition of approximation stays outside the extent (`vers [18 h]`), as TimeML's signals do.
        return re.compile(_START + approx + "(?P<extent>" + body + clock_part + zone + ")", re.IGNORECASE)

    def _part_of_day_pattern(self) -> re.Pattern:
        patterns = {
            "fr": r"(?:(?<=dans\s)|(?<=pendant\s)|(?<=durant\s)|(?<=cours\sde\s)|(?<=tard\sdans\s)|(?<=tôt\sdans\s)|(?<=de\s))(?P<art>la|l['’])\s*(?P<pod>nuit|soirée|matinée|journée|après-midi)(?!\w)"
                  r"|(?P<art2>le|la)\s+(?P<pod2>matin|soir|nuit|soirée|matinée)\s+(?P<same>même)",
            "es": r"(?:(?<=por\s)|(?<=durante\s)|(?<=en\s))(?P<art>la)\s+(?P<pod>noche|madrugada|mañana|tarde)(?!\s+(?:de|del)\s)(?!\w)",
            "en": r"(?:(?<=in\s)|(?<=during\s)|(?<=through\s))(?P<art>the)\s+(?P<pod>night|evening|morning|afternoon)(?!\s+of\s)(?!\w)|(?P<pod3>overnight)",
            "de": r"(?:(?<=in\s)|(?<=während\s)|(?<=am\s))(?P<art>der|den|dem)?\s*(?P<pod>Nacht|Abend|Morgen|Nachmittag|Vormittag)(?!\w)",
            "it": r"(?:(?<=in\s)|(?<=durante\s)|(?<=nella\s)|(?<=nel\s))(?P<art>la|il)?\s*(?P<pod>notte|serata|mattinata|pomeriggio|nottata)(?!\w)",
            "pt": r"(?:(?<=à\s)|(?<=durante\s)|(?<=pela\s)|(?<=de\s))(?P<art>a)?\s*(?P<pod>noite|madrugada|manhã|tarde)(?!\s+de\s)(?!\w)",
        }
        return re.compile(_START + "(?:" + patterns[self.language] + ")", re.IGNORECASE)

    def _neighbour_day_pattern(self) -> re.Pattern:
        patterns = {
            "fr": r"(?P<before>la\s+veille)(?!\s+(?:de|du|des|d['’]|au)\b)|(?P<after>le\s+lendemain)(?!\s+(?:de|du|des|d['’])\b)|(?P<after2>le\s+surlendemain)"
                  r"|(?P<same>le\s+jour\s+même|le\s+même\s+jour|ce\s+jour-là|ce\s+jour\s+là)",
            "es": r"(?P<before>el\s+día\s+anterior|la\s+víspera)|(?P<after>el\s+día\s+siguiente|al\s+día\s+siguiente)|(?P<same>el\s+mismo\s+día|ese\s+(?:mismo\s+)?día)",
            "en": r"(?P<before>the\s+day\s+before|the\s+previous\s+day|the\s+eve)(?!\s+of\b)|(?P<after>the\s+(?:next|following)\s+day|the\s+day\s+after)(?!\s+\w+\s+of\b)|(?P<same>the\s+same\s+day|that\s+day)",
            "de": r"(?P<before>(?:am\s+)?Vortag|(?:am\s+)?Tag\s+zuvor)|(?P<after>(?:am\s+)?(?:nächsten|folgenden)\s+Tag|(?:am\s+)?Tag\s+danach)|(?P<same>(?:am\s+)?(?:selben|gleichen)\s+Tag)",
            "it": r"(?P<before>il\s+giorno\s+prima|la\s+vigilia)(?!\s+d)|(?P<after>il\s+giorno\s+dopo|l['’]indomani|il\s+giorno\s+seguente)|(?P<same>lo\s+stesso\s+giorno|quel\s+giorno)",
            "pt": r"(?P<before>o\s+dia\s+anterior|a\s+véspera)(?!\s+d)|(?P<after>o\s+dia\s+seguinte)|(?P<same>o\s+mesmo\s+dia|nesse\s+dia|naquele\s+dia)",
        }
        return re.compile(_START + "(?:" + patterns[self.language] + ")" + _END, re.IGNORECASE)

    # -- helpers --
    def number(self, text: str | None) -> float | None:
        if text is None:
            return None
        text = text.strip().rstrip("-").strip()
        if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
            return float(text.replace(",", "."))
        value = self.numbers.of(text)
        return None if value is None else float(value)

    def month(self, text: str | None) -> int | None:
        """Full names, or abbreviations with their period (`sept.`): `sept` alone is the number seven."""
        if not text:
            return None
        return self.months.of(text.rstrip(".")) or self.months.of(text)

    def direction(self, text: str | None) -> int | None:
        if not text:
            return None
        key = normalize(text)
        if key in self.last:
            return -1
        if key in self.next:
            return 1
        if key in self.this:
            return 0
        return None

    def year_of(self, text: str | None) -> tuple[int | None, bool]:
        if not text:
            return None, False
        digits = text.lstrip("'’")
        if len(digits) == 2:
            return int(digits), True
        return int(digits), False

    # -- handlers: each returns a Reading, or None to drop the match --
    def on_numeric_date(self, match: re.Match, text: str) -> Reading | None:
        if match.group("y1"):
            year, month, day = int(match.group("y1")), int(match.group("m1")), int(match.group("d1"))
            short = False
        else:
            first, second = int(match.group("d2")), int(match.group("m2"))
            year, short = self.year_of(match.group("y2"))
            # Day first everywhere but in American English, where 6/18/2024 cannot be day first.
            day, month = (second, first) if (self.language == "en" and second > 12 >= first) else (first, second)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        clock = None
        if match.group("h"):
            clock = (int(match.group("h")), int(match.group("mi")))
        return Reading("calendar", "TIME" if clock else "DATE", year=year, month=month, day=day, short_year=short, clock=clock)

    def on_day_month(self, match: re.Match, text: str) -> Reading | None:
        month = self.month(match.group("m"))
        day = int(match.group("d"))
        if month is None or day > 31:
            return None
        if self.language == "en" and not match.group("m")[0].isupper():
            return None
        year, short = self.year_of(match.group("y"))
        weekday = self.weekdays.of(match.group("wd")) if match.group("wd") else None
        return Reading("calendar", year=year, month=month, day=day, weekday=weekday, short_year=short,
                       direction=self.direction(match.group("mod")))

    def on_month_day(self, match: re.Match, text: str) -> Reading | None:
        """English `June 18, 2024`, `Tuesday, June 18`."""
        raw = match.group("m")
        month, day = self.month(raw), int(match.group("d"))
        if month is None or not raw[0].isupper() or day > 31:
            return None
        if raw.lower() == "may" and not (match.group("y") or match.group("wd")) and re.search(r"[A-Z]\w+\s+$", text[: match.start()]):
            return None  # `Theresa May 5 …`
        year, _ = self.year_of(match.group("y"))
        weekday = self.weekdays.of(match.group("wd")) if match.group("wd") else None
        return Reading("calendar", year=year, month=month, day=day, weekday=weekday, direction=self.direction(match.group("mod")))

    def on_weekday_day(self, match: re.Match, text: str) -> Reading | None:
        # `mercredi 3` with no month: the month of the date of writing or the next one.
        return Reading("calendar", day=int(match.group("d")), weekday=self.weekdays.of(match.group("wd")))

    def on_day_coordination(self, match: re.Match, text: str) -> Reading | None:
        month = self.month(match.group("m"))
        if month is None or int(match.group("d")) > 31:
            return None
        year, short = self.year_of(match.group("y"))
        return Reading("calendar", year=year, month=month, day=int(match.group("d")), short_year=short)

    def on_month_year(self, match: re.Match, text: str) -> Reading | None:
        month = self.month(match.group("m"))
        if month is None:
            return None
        if self.language == "en" and not match.group("m")[0].isupper():
            return None
        year, short = self.year_of(match.group("y"))
        return Reading("calendar", year=year, month=month, short_year=short, mod=self.period_parts.of(match.group("part")))

    def on_month(self, match: re.Match, text: str) -> Reading | None:
        raw = match.group("m")
        month = self.month(raw)
        if month is None:
            return None
        before = text[: match.start()]
        article = match.group("art")
        if self.language == "en" and article and not (match.group("part") or match.group("mod") or match.group("mod0") or match.group("yunit")):
            return None  # `the May Day parade`, `the March on Washington`
        context = bool(article or match.group("part") or match.group("moisde") or match.group("mod") or match.group("mod0") or match.group("yunit"))
        if not context:
            context = bool(re.search(r"(?:^|\s)(?:en|dès|depuis|jusqu['’]en|d['’]ici|in|since|until|by|from|to|through|during|seit|bis|ab|im|vom|desde|hasta|durante|a|em|de|da|del|nel|di|dal|fino\s+a|até|entre|between|zwischen|und|et|and|y|e)\s*$", before, re.IGNORECASE))
        if self.language == "en":
            if not raw[0].isupper():
                return None
            if raw.lower() in ("may", "march") and not context:
                return None  # the verb or a name
        elif self.language == "fr" and raw[0].isupper() and raw.lower() == "mars" and not context:
            return None  # the planet
        elif self.language == "de" and not raw[0].isupper():
            return None
        if not context and self.language in ("en", "de") and raw.lower() in ("august",):
            return None
        if match.group("yunit"):
            year_shift = self.direction(match.group("ymod") or match.group("ymod2"))
            if year_shift is None:
                return Reading("calendar", month=month, mod=self.period_parts.of(match.group("part"))), match.start(), match.start("yunit") - 1
            return Reading("calendar", month=month, year_shift=year_shift, mod=self.period_parts.of(match.group("part")))
        if self.language == "de" and match.group("mod"):
            return Reading("calendar", month=month, mod=self.period_parts.of(match.group("part"))), match.start(), match.end("m")
        return Reading("calendar", month=month, direction=self.direction(match.group("mod") or match.group("mod0")),
                       mod=self.period_parts.of(match.group("part")))

    def on_year(self, match: re.Match, text: str) -> Reading | None:
        year = int(match.group("y"))
        if not 1000 <= year <= 2099:
            return None
        before, after = text[: match.start("y")], text[match.end():]
        if re.search(r"(?:\d[\s\u00a0.,]?|[№#°€$£]\s?|\bn[°o]\.?\s?|\b(?:no|nr|num|numéro|número|number|art|article|artículo|page|p)\.?\s?)$", before, re.IGNORECASE):
            return None
        if COUNT_NOUN_AFTER_YEAR.match(after) or re.match(r"^[\s\u00a0]\d{3}\b", after):
            return None
        if re.match(r"^\s*(?:ans|años|years|jahre|anni|anos)\b", after, re.IGNORECASE):
            return None  # `2000 ans` is a duration the duration rule reads
        if re.search(r"[A-Z]{1,3}[\s-]?$", before) and not match.group("yearword"):
            return None  # `A 380`-like model names
        context = bool(match.group("yearword") or match.group("part"))
        if not context:
            words = alternatives(YEAR_CONTEXT.get(self.language, []))
            context = bool(re.search(rf"(?:^|[\s(])(?:{words})\s*$", before, re.IGNORECASE) or re.search(r"[/–-]\s*$", before))
        if year < 1900 and not context:
            return None
        return Reading("calendar", year=year, mod=self.period_parts.of(match.group("part")))

    def on_weekday(self, match: re.Match, text: str) -> Reading | None:
        weekday = self.weekdays.of(match.group("wd"))
        if weekday is None:
            return None
        if self.language == "en" and not match.group("wd")[0].isupper():
            return None
        direction = self.direction(match.group("mod0") or match.group("mod") or match.group("mod2"))
        if direction is None and match.group("art") and normalize(match.group("art")) in self.this:
            direction = 0
        if direction is None and match.group("same"):
            direction = 0
        pod = self.parts_of_day.of(match.group("pod")) if match.group("pod") else None
        if pod and self.language == "de" and match.group("pod") and match.group("pod")[0].islower():
            pod = None
        glued = match.groupdict().get("glued")
        if glued:  # `Dienstagabend`
            pod = self.parts_of_day.of(glued)
        article = normalize(match.group("art") or "")
        if direction is None and not pod and article in ("le", "el", "il", "o", "los", "las"):
            habitual_words = alternatives(W.HABITUAL_BEFORE.get(self.language, []))
            if article in ("los", "las") or re.search(rf"(?:^|\s){habitual_words}\s*$", text[: match.start()], re.IGNORECASE):
                return Reading("fixed", "SET", value=f"XXXX-WXX-{weekday + 1}")
        clock = None
        if pod and ":" in pod:
            clock, pod = (int(pod[:2]), int(pod[3:])), None
        return Reading("weekday", "TIME" if (pod or clock) else "DATE", weekday=weekday, direction=direction,
                       part_of_day=pod, clock=clock)

    def on_relative_day(self, match: re.Match, text: str) -> Reading | None:
        before = text[: match.start()]
        if match.group("todaypart"):
            offset, pod = self.today_parts.of(match.group("todaypart"))
            clock = None
            if ":" in pod:
                clock, pod = (int(pod[:2]), int(pod[3:])), None
            return Reading("relday", "TIME", day_offset=offset, part_of_day=pod, clock=clock)
        raw = match.group("rel")
        offset = self.relative_days.of(raw)
        if offset is None:
            return None
        if self.language == "es" and normalize(raw) == "manana" and re.search(r"(?:\b(?:la|esta|por|de|cada|una|toda|misma)\s*)$", before, re.IGNORECASE):
            return None  # `la mañana` is the morning
        if self.language == "de" and normalize(raw) == "morgen" and raw[0].isupper() and before.strip():
            return None  # `am Morgen`: the morning
        sentence_start = re.search(r"(?:^|[.!?…:;«]\s*)$", before)
        if self.language == "fr" and offset == 0 and (re.search(r"d['’]\s*$", before) or (sentence_start and re.match(r"\s*,", text[match.end():]))):
            return Reading("fixed", value="PRESENT_REF")  # `la France d'aujourd'hui`, `Aujourd'hui, …`
        pod = self.parts_of_day.of(match.group("pod")) if match.group("pod") else None
        clock = None
        if pod and ":" in pod:
            clock, pod = (int(pod[:2]), int(pod[3:])), None
        return Reading("relday", "TIME" if (pod or clock) else "DATE", day_offset=offset, part_of_day=pod, clock=clock)

    def on_this_unit(self, match: re.Match, text: str) -> Reading | None:
        unit = self.units.of(match.group("unit"))
        if unit not in ("Y", "M", "W", "WE", "CE", "DE", "Q", "HY", "D"):
            return None
        there = match.group("there")
        if there and there.lower() in ("-là", "-la"):
            return Reading("refday", ref_offset=0) if unit == "D" else Reading("fixed", value=None)
        if unit == "D":
            return None  # `ce jour` alone is `to date` more than a day
        if normalize(match.group("this")) in ("ces", "estos", "estas"):
            return None
        return Reading("shift", unit=unit, shift=0, mod=self.period_parts.of(match.group("part")))

    def on_unit_lastnext(self, match: re.Match, text: str) -> Reading | None:
        raw_unit = match.group("unit1") or match.group("unit2")
        unit = self.units.of(raw_unit)
        direction = self.direction(match.group("mod1") or match.group("mod2"))
        if unit is None or direction is None or direction == 0:
            return None
        unit_key = normalize(raw_unit)
        if self.language == "de":
            plural = unit_key in ("jahre", "jahren", "tage", "tagen", "wochen", "monate", "monaten", "stunden", "minuten", "jahrzehnte", "jahrzehnten")
        elif self.language == "it":
            plural = unit_key in ("anni", "giorni", "mesi", "settimane", "ore", "minuti", "decenni", "secoli")
        else:
            plural = unit_key != unit_key.rstrip("s")
        if self.language == "fr" and normalize(raw_unit) in ("mois",):
            mod_word = normalize(match.group("mod1") or match.group("mod2") or "")
            plural = mod_word.endswith("s")
        if plural:
            # `ces derniers jours`, `les prochaines semaines`: an unspecified stretch of time.
            code = {"Y": "Y", "M": "M", "W": "W", "D": "D", "H": "TH", "MIN": "TM", "DE": "DE", "CE": "CE"}.get(unit)
            if code is None:
                return None
            value = f"PT{'X'}{code[1:]}" if code.startswith("T") else f"PX{code}"
            return Reading("fixed", "DURATION", value=value)
        if unit in ("H", "MIN", "S"):
            return None
        if unit == "D":
            reading = Reading("relday", day_offset=direction)
        else:
            reading = Reading("shift", unit=unit, shift=direction, mod=self.period_parts.of(match.group("part")))
        modifier = match.group("mod1") or match.group("mod2")
        if self.language == "de" and match.group("art") and not match.group("part") and not modifier.lower().endswith(("en", "em")):
            return reading, match.end("art"), match.end()  # `seit dem letzte Woche`: the article is not this phrase's
        return reading

    def _duration_parts(self, text: str) -> tuple[float | None, str | None, bool]:
        """`deux ans` → (2, 'Y', exact); `quelques mois` → (None, 'M', vague)."""
        text = text.strip()
        for phrase, value in self.round_counts.items():
            if normalize(text).startswith(phrase):
                rest = normalize(text)[len(phrase):].strip(" '")
                return float(value), self.units.get(rest), False
        match = re.match(r"(.+?)(?:\s+|-)(\S+(?:\s+de\s+semana|\s+settimana)?)$", text)
        if not match:
            return None, None, False
        count_text, unit_text = match.group(1), match.group(2)
        unit = self.units.of(unit_text)
        if normalize(count_text) in self.vague:
            return None, unit, True
        return self.number(count_text), unit, False

    def on_ago(self, match: re.Match, text: str) -> Reading | None:
        count, unit, vague = self._duration_parts(match.group("dur") or match.group("dur2"))
        if unit is None:
            return None
        if vague or count is None:
            return Reading("fixed", value="PAST_REF")
        if count != int(count):
            return None
        return Reading("shift", unit=unit, shift=-int(count))

    def on_in_future(self, match: re.Match, text: str) -> Reading | None:
        count, unit, vague = self._duration_parts(match.group("dur"))
        if unit is None:
            return None
        if vague or count is None:
            return Reading("fixed", value="FUTURE_REF")
        if count != int(count):
            return None
        if self.language == "en" and match.group("pre").lower() == "within":
            return Reading("fixed", "DURATION", value=duration_value(count, unit)), match.start("dur"), match.end()
        if self.language in ("en", "de"):
            # `in 24 years` after `first … in` is a stretch of time; a date only in the future tense.
            return Reading("shift", unit=unit, shift=int(count), future_if_tense=True,
                           value=duration_value(count, unit))
        return Reading("shift", unit=unit, shift=int(count))

    def on_duration(self, match: re.Match, text: str) -> Reading | None:
        count_text = match.group("count")
        raw_unit = match.group("unit")
        unit = self.units.of(raw_unit)
        if unit is None:
            return None
        if match.group("old"):
            return None  # `24-year-old` is an age
        before, after = text[: match.start()], text[match.end():]
        key = normalize(count_text).rstrip("-").strip()
        vague = key in self.vague
        mod = None
        if match.group("approx"):
            mod = self.more_less.of(match.group("approx")) or "APPROX"
        if vague:
            if key in ("des", "de longues", "de longs") and not re.search(
                    r"(?:depuis|pendant|durant|il\s+y\s+a|après|en|pour)\s*$", before, re.IGNORECASE):
                return None  # `des heures supplémentaires`
            if self.language == "es" and key in ("unos", "unas"):
                return Reading("fixed", "DURATION", value=duration_value(None, unit), mod="APPROX")
            return Reading("fixed", "DURATION", value=duration_value(None, unit), mod=mod)
        rounded = self.round_counts.of(count_text.strip())
        count = float(rounded) if rounded is not None else self.number(key)
        if count is None:
            return None
        if rounded is not None:
            mod = mod or "APPROX"
        if match.group("half"):
            count += 0.5
        if unit == "Y" and self._is_age(before, after, count):
            return None
        if unit == "H" and int(count) <= 24 and self._is_clock_hours(before, after):
            return None  # `à 9 heures`: the clock rule reads it
        if re.match(r"^\s*(?:sur|of|de|out\s+of)\s+\d", after):
            return None  # `24 heures sur 24`
        if re.match(r"^[\s\u00a0]*\d", after) or re.search(r"\d[\s\u00a0.,]$", before):
            return None
        return Reading("fixed", "DURATION", value=duration_value(count, unit), mod=mod)

    def _is_age(self, before: str, after: str, count: float) -> bool:
        if count > 130 or count != int(count):
            return False
        language = self.language
        if AGE_BEFORE.get(language) and AGE_BEFORE[language].search(before):
            return True
        if AGE_AFTER.get(language) and AGE_AFTER[language].match(after) and not re.match(r"^\s*,", after):
            return True
        if language in ("fr", "es", "it", "pt"):
            of_match = re.search(r"(\w+)\s+(?:de|di|d['’])\s*$", before)
            if of_match:
                head = of_match.group(1).lower()
                heads = DURATION_HEADS.get(language, set())
                if head not in heads and not head.isdigit():
                    return True
            if re.search(r"(?:^|\s)(?:de|di)\s+(?:ses|leurs|sus|suoi|seus)?\s*$", before) is None and re.search(r"\w,\s*$", before) and re.match(r"^\s*,", after):
                return True  # `Pierre, 38 ans, …`
        if language == "de" and re.match(r"^\s*alt\b", after):
            return True
        return False

    def _is_clock_hours(self, before: str, after: str) -> bool:
        if re.match(r"^\s*(?:du\s+matin|du\s+soir|de\s+l['’]après-midi|de\s+la\s+(?:mañana|tarde|noche)|[0-5]\d\b|et\s+(?:demie|quart)|y\s+media|locales?|GMT|UTC)", after, re.IGNORECASE):
            return True
        return bool(re.search(r"(?:^|\s)(?:à|vers|dès|jusqu['’]à|avant|après|entre|à\s+partir\s+de|de|a\s+las|hacia\s+las|at|um|gegen|alle|às)\s*$", before, re.IGNORECASE))

    def on_named_period(self, match: re.Match, text: str) -> Reading | None:
        value = self.named_periods.of(match.group("named"))
        if value is None:
            return None
        mod = (self.more_less.of(match.group("approx")) or "APPROX") if match.group("approx") else None
        return Reading("fixed", "DURATION", value=value, mod=mod)

    def on_every(self, match: re.Match, text: str) -> Reading | None:
        what = match.group("what")
        count = self.number(match.group("n")) if match.group("n") else 1.0
        if count is None:
            return None
        weekday = self.weekday_plurals.of(what)
        if weekday is None:
            weekday = self.weekdays.of(what)
        if weekday is not None:
            if self.language == "en" and not what[0].isupper():
                return None
            return Reading("fixed", "SET", value=f"XXXX-WXX-{weekday + 1}")
        unit = self.units.of(what)
        if unit is not None:
            return Reading("fixed", "SET", value=duration_value(count, unit))
        pod = self.parts_of_day.of(what)
        if pod is not None:
            return Reading("fixed", "SET", value=f"XXXX-XX-XXT{pod}")
        season = self.seasons.of(what)
        if season is not None:
            return Reading("fixed", "SET", value=f"XXXX-{season}")
        month = self.month(what)
        if month is not None:
            return Reading("fixed", "SET", value=f"XXXX-{month:02d}")
        return None

    def on_per(self, match: re.Match, text: str) -> Reading | None:
        unit = self.units.of(match.group("unit"))
        raw_unit = normalize(match.group("unit"))
        if unit is None or unit in ("CE", "ML", "DE"):
            return None
        # Singular units only: `par jours` is not a rate.
        if raw_unit.endswith("s") and raw_unit not in ("mois", "mes", "mês"):
            return None
        if self.language == "en" and normalize(match.group("per")) == "a" and not match.group("times"):
            return None  # `a year` alone is a duration
        if self.language == "de" and normalize(match.group("per")) == "im" and not match.group("times"):
            return None
        if self.language in ("es", "pt", "it") and normalize(match.group("per")) in ("al", "a la", "ao", "alla") and not match.group("times"):
            if raw_unit not in ("ano", "año", "anno", "mes", "mese", "dia", "día", "giorno", "semana", "settimana"):
                return None
        return Reading("fixed", "SET", value=duration_value(1, unit))

    def on_frequency_word(self, match: re.Match, text: str) -> Reading | None:
        before = text[: match.start()]
        # A frequency adjective right after a determiner is the noun: `le quotidien`, `l'hebdomadaire`, `el diario`.
        if re.search(r"(?:^|\s)(?:le|un|du|au|ce|l['’]|the|a|der|das|ein|el|un|del|al|il|lo|o|do|ao)\s*$", before, re.IGNORECASE):
            return None
        if self.language == "en" and match.group("freq")[0].isupper() and before.strip():
            return None  # `the Daily Mail`
        return Reading("fixed", "SET", value=self.frequency.of(match.group("freq")))

    def on_habitual(self, match: re.Match, text: str) -> Reading | None:
        return Reading("fixed", "SET", value=self.habitual.of(match.group("hab")))

    def on_weekday_plural(self, match: re.Match, text: str) -> Reading | None:
        weekday = self.weekday_plurals.of(match.group("wd"))
        if weekday is None:
            return None
        if self.language == "en" and not match.group("wd")[0].isupper():
            return None
        return Reading("fixed", "SET", value=f"XXXX-WXX-{weekday + 1}")

    def on_reference_word(self, match: re.Match, text: str) -> Reading | None:
        word = match.group("ref")
        if self.language == "es" and normalize(word) == "pronto" and re.search(r"(?:\btan|\bmuy|\bmás|\blo\s+más)\s*$", text[: match.start()], re.IGNORECASE):
            return None
        if self.language == "en" and normalize(word) == "now" and re.match(r"^\s*that\b", text[match.end():]):
            return None
        return Reading("fixed", value=self.references.of(word))

    def on_season(self, match: re.Match, text: str) -> Reading | None:
        raw = match.group("season")
        season = self.seasons.of(raw)
        if season is None:
            return None
        before = text[: match.start()]
        article = match.group("art")
        has_context = bool(article or match.group("mod") or match.group("y"))
        preposition = re.search(r"(?:^|\s)(?:en|dès|depuis|pendant|durant|in|during|this|last|next|im|seit|durante|desde|nel|no|na|em)\s*$", before, re.IGNORECASE)
        if self.language == "fr" and normalize(raw) == "ete":
            if ETE_AFTER_AUXILIARY.search(before) or re.search(r"[’']\s*$", before) and not article:
                return None
            if not (has_context or preposition):
                return None
        if self.language == "en" and not (has_context or preposition):
            return None
        if self.language == "en" and normalize(raw) in ("fall", "spring") and not match.group("y") and re.match(r"^\s+(?:of|in|from|back)\b", text[match.end():], re.IGNORECASE):
            return None  # `the fall of Rome`: the noun, not the season
        if self.language == "de" and not raw[0].isupper():
            return None
        if not (has_context or preposition):
            return None
        year, _ = self.year_of(match.group("y"))
        direction = self.direction(match.group("mod"))
        if direction is None and article and normalize(article) in self.this:
            direction = 0
        generic = not (article or match.group("mod") or match.group("y")) and bool(preposition) and normalize(preposition.group(0).strip()) in ("en", "in", "no", "na", "em", "durante", "pendant", "durant", "during", "nel", "im")
        return Reading("season", season=season, year=year, direction=direction,
                       value="generic" if generic else None)

    def on_century(self, match: re.Match, text: str) -> Reading | None:
        if match.group("cword"):
            direction = self.direction(match.group("mod"))
            article = match.group("art2")
            if direction is None and article and normalize(article) in self.this:
                direction = 0
            if direction is None:
                return None
            return Reading("shift", unit="CE", shift=direction)
        raw = match.group("c") or (match.groupdict().get("c2"))
        number = None
        if raw:
            number = int(raw) if raw.isdigit() else roman_to_int(raw)
        elif match.groupdict().get("cw"):
            number = ENGLISH_ORDINALS.get(match.group("cw").lower())
        if not number or not 1 <= number <= 21:
            return None
        return Reading("fixed", value=f"{number - 1:02d}XX" if number > 1 else "00XX")

    def on_decade(self, match: re.Match, text: str) -> Reading | None:
        raw = match.group("dec").lstrip("'’")
        if len(raw) == 2:
            value = f"19{raw[0]}X"
        else:
            value = f"{raw[:3]}X"
        return Reading("fixed", value=value)

    def on_clock(self, match: re.Match, text: str) -> Reading | None:
        groups = {name.split("_")[0]: value for name, value in match.groupdict().items() if value is not None}
        before, after = text[: match.start()], text[match.end():]
        hour = minute = None
        if "noon" in groups:
            noon = normalize(groups["noon"])
            hour = 0 if noon in ("minuit", "medianoche", "midnight", "mitternacht", "mezzanotte", "meia-noite") else 12
            minute = 0
            frac = groups.get("frac2")
            if frac:
                minute = 30 if "demi" in frac else 15
            if self.language == "fr" and groups["noon"][0].isupper() and before.strip() and not groups.get("approx"):
                return None  # `le Midi`: the south
            if self.language == "fr" and noon == "midi" and not groups.get("approx") and not re.search(
                    r"(?:^|\s)(?:à|vers|avant|après|jusqu['’]à|dès|entre|de|ce|hier|demain|aujourd['’]hui|à\s+partir\s+de|d['’]ici)\s*$", before, re.IGNORECASE):
                return None
            if self.language == "en" and not re.search(r"(?:^|\s)(?:at|by|before|after|until|around|about|from|to|till|since|noon|midnight)\s*$", before, re.IGNORECASE) and not groups.get("approx"):
                return None
        elif "hw" in groups:
            hour_value = self.number(groups["hw"])
            if hour_value is None or hour_value != int(hour_value) or hour_value > 24:
                return None
            hour = int(hour_value)
            minute_text = groups.get("mw")
            minute = 0
            if minute_text:
                minute_value = self.number(minute_text)
                if minute_value is None or minute_value >= 60:
                    return None
                minute = int(minute_value)
            frac = groups.get("frac")
            if frac:
                frac = normalize(frac)
                if "demi" in frac or "media" in frac or "mezza" in frac or "meia" in frac:
                    minute = 30
                elif frac.startswith("moins") or frac.startswith("menos"):
                    hour, minute = hour - 1, 45
                else:
                    minute = 15
            # `deux heures` after `pendant` is a duration: a word-clock needs a preposition or more.
            if self.language == "fr" and not (groups.get("approx") or groups.get("cpart") or minute_text or frac or self._is_clock_hours(before, after)):
                return None
            if self.language in ("es", "it", "pt") and "las" in groups:
                article = normalize(groups["las"])
                if article in ("la", "las", "le", "as") and not re.search(r"(?:^|\s)(?:a|hacia|desde|hasta|sobre|de|entre|por|y|e|antes\s+de|después\s+de|in|alle|dalle)\s*$", before, re.IGNORECASE) and not groups.get("cpart") and not groups.get("mw"):
                    return None
                if self.language == "es" and (article == "la") != (normalize(groups["hw"]) in ("una", "1")):
                    return None  # `la una`, `las dos`: the article agrees with the hour
        else:
            hour = int(groups["h"])
            minute = int(groups.get("m") or groups.get("m2") or groups.get("m3") or 0)
            ampm = groups.get("ampm")
            if ampm:
                ampm = ampm.lower().replace(".", "")
                if hour > 12:
                    return None
                if ampm == "pm" and hour < 12:
                    hour += 12
                if ampm == "am" and hour == 12:
                    hour = 0
            # `2h` must not be `2 h/24` or the end of a longer number.
            if re.search(r"[\d.,]$", before) or re.match(r"^\s*(?:/|sur\s+24)", after):
                return None
            if "m2" in groups and re.match(r"^\d", after):
                return None
            if "m2" in groups and re.search(r"\d\s*$", before):
                return None
        part = groups.get("cpart")
        if part:
            half = self.clock_parts.of(part)
            if half == "pm" and hour < 12:
                hour += 12
            elif half == "am" and hour == 12:
                hour = 0
            elif half == "night" and 6 <= hour < 12:
                hour += 12
        if hour is None or not 0 <= hour <= 24 or minute is None:
            return None
        if hour == 24:
            hour = 0
        # A written zone; `heure locale` names none: the place of the sentence gives it (times.zone_of).
        zone = None
        if groups.get("zone"):
            zone = zone_from_abbreviation(groups["zone"])
        elif groups.get("zonephrase"):
            zone = self.zone_phrases.of(groups["zonephrase"])
        mod = "APPROX" if groups.get("approx") else None
        reading = Reading("clock", "TIME", clock=(hour, minute), zone=zone, mod=mod)
        article = groups.get("las")
        if article and normalize(article) in ("alle", "dalle", "as", "das", "pelas") and article.lower() != "as":
            # `alle 9`, `às 14h30`: a preposition fused with the article stays outside, as `à` does.
            hour_group = next(name for name in ("hw", "hw_2", "hw_3") if match.groupdict().get(name))
            return reading, match.start(hour_group), match.end()
        return reading

    def on_part_of_day(self, match: re.Match, text: str) -> Reading | None:
        raw = match.group("pod") or match.groupdict().get("pod2") or match.groupdict().get("pod3")
        if raw is None:
            return None
        if self.language == "de" and raw[0].islower():
            return None
        pod = self.parts_of_day.of(raw) or ("NI" if normalize(raw) == "overnight" else None)
        if pod is None or ":" in pod:
            return None
        return Reading("refday", "TIME", ref_offset=0, part_of_day=pod)

    def on_neighbour_day(self, match: re.Match, text: str) -> Reading | None:
        if match.group("before"):
            return Reading("refday", ref_offset=-1)
        if match.group("after"):
            return Reading("refday", ref_offset=1)
        if match.groupdict().get("after2"):
            return Reading("refday", ref_offset=2)
        return Reading("refday", ref_offset=0)


ENGLISH_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
                    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
                    "twentieth": 20, "twenty-first": 21, "twenty first": 21}


def zone_from_abbreviation(text: str) -> str | None:
    """`UTC`, `GMT+2`, `CET` → an IANA name (`Etc/GMT-2` is UTC+2: the IANA sign is inverted)."""
    text = text.replace("−", "-").replace(" ", "").upper()
    offset = re.fullmatch(r"(?:UTC|GMT|TU)([+\-])(\d{1,2})(?::?(\d{2}))?", text)
    if offset:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), offset.group(3)
        if minutes and minutes != "00":
            return None
        if hours == 0:
            return "UTC"
        return f"Etc/GMT{'-' if sign == '+' else '+'}{hours}"
    return W.ZONE_ABBREVIATIONS.get(text)


CLOCK_UNIT_LETTERS = {"H": "H", "MIN": "M", "S": "S"}


def duration_value(count: float | None, unit: str) -> str:
    """(2, 'Y') → P2Y; (3, 'H') → PT3H; (None, 'M') → PXM; decades and centuries in years."""
    years = {"DE": 10, "CE": 100, "ML": 1000}
    months = {"Q": 3, "HY": 6}
    if count is not None and unit in years:
        count, unit = count * years[unit], "Y"
    if count is not None and unit in months:
        count, unit = count * months[unit], "M"
    if unit == "2W":
        count, unit = (None if count is None else count * 2), "W"
    letters = {"Y": "Y", "M": "M", "W": "W", "D": "D", "WE": "WE", "DE": "DE", "CE": "CE", "ML": "ML", "Q": "Q", "HY": "M"}
    number = "X" if count is None else (str(int(count)) if count == int(count) else f"{count:g}")
    if unit in ("H", "MIN", "S"):
        return f"PT{number}{CLOCK_UNIT_LETTERS[unit]}"
    return f"P{number}{letters.get(unit, unit)}"


@lru_cache(maxsize=16)
def grammar(language: str) -> Grammar | None:
    if language not in W.LANGUAGES:
        return None
    return Grammar(language)


# --- finding candidates in a sentence ------------------------------------------------------------

# What may stand between a date and a time of the same moment (`mercredi vers 2h45`, `19h45 mardi`).
DATE_TIME_JOINERS = re.compile(
    r"^\s*(?:,\s*)?(?:(?:à|a|vers|dès|at|um|gegen|alle|às|as|a\s+las|hacia\s+las|sobre\s+las|à\s+partir\s+de|en\s+fin\s+de\s+journée|,)\s*)?(?:,\s*)?$",
    re.IGNORECASE,
)
TIME_DATE_JOINERS = re.compile(r"^\s*,?\s*(?:(?:le|el|am|on|the)\s+)?$", re.IGNORECASE)
DAY_KINDS = ("calendar", "weekday", "relday", "refday")


def find_candidates(text: str, language: str) -> list[Candidate]:
    """All expressions of one sentence, without overlaps, in order."""
    rules = grammar(language)
    if rules is None:
        return []
    found: list[Candidate] = []
    tokens = sentence_tokens(text)
    for rule in rules.rules:
        if rule.trigger is not None and rule.trigger.isdisjoint(tokens):
            continue
        for match in rule.pattern.finditer(text):
            if match.end() == match.start():
                continue
            reading = rule.handler(rules, match, text)
            if reading is None:
                continue
            if isinstance(reading, tuple):  # the handler narrowed the extent
                reading, narrowed_start, narrowed_end = reading
                start, end = trim_span(text, narrowed_start, narrowed_end)
            elif "extent" in rule.pattern.groupindex and match.group("extent"):
                start, end = trim_span(text, match.start("extent"), match.end("extent"))
            else:
                start, end = trim_span(text, match.start(), match.end())
            found.append(Candidate(start, end, reading, rule.name, rule.priority))
    chosen = choose(found)
    chosen = attach_modifiers(text, chosen, rules)
    return chosen


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n\u00a0,(":
        start += 1
    while end > start and text[end - 1] in " \t\n\u00a0,)":
        end -= 1
    return start, end


def choose(found: list[Candidate]) -> list[Candidate]:
    """Longest first, then the more specific rule; an expression never overlaps another."""
    ordered = sorted(found, key=lambda c: (-c.length, -c.priority, c.start))
    taken: list[Candidate] = []
    for candidate in ordered:
        if any(candidate.start < other.end and other.start < candidate.end for other in taken):
            continue
        taken.append(candidate)
    return sorted(taken, key=lambda c: c.start)


def attach_modifiers(text: str, candidates: list[Candidate], rules: Grammar) -> list[Candidate]:
    """Prepositions left outside a date whose meaning is a modifier: `depuis 2006` → ON_OR_AFTER."""
    result = []
    for candidate in candidates:
        reading = candidate.reading
        if reading.type == "DATE" and reading.mod is None:
            before = text[: candidate.start].rstrip()
            for phrase, mod in rules.date_preposition_mods.items():
                if re.search(rf"(?:^|[\s(]){phrase_pattern(phrase)}$", before, re.IGNORECASE):
                    if reading.kind in ("calendar", "shift", "season", "fixed") and (reading.value or "").endswith("_REF") is False:
                        candidate.reading = replace(reading, mod=mod)
                    break
        result.append(candidate)
    return result


def join_dates_and_times(text: str, candidates: list[Candidate], join: bool) -> list[Candidate]:
    """A day next to a time of day is one moment: `mercredi vers 2h45 du matin`, `19h45 mardi`.

    With ``join`` the two become one TIME expression; without it (TimeBank's convention) they stay
    two, and the time is linked to the day that gives it its date.
    """
    result: list[Candidate] = []
    index = 0
    while index < len(candidates):
        current = candidates[index]
        following = candidates[index + 1] if index + 1 < len(candidates) else None
        pair = None
        if following is not None:
            gap = text[current.end:following.start]
            if current.reading.kind in DAY_KINDS and following.reading.kind == "clock" and DATE_TIME_JOINERS.match(gap):
                pair = (current, following)
            elif current.reading.kind == "clock" and following.reading.kind in DAY_KINDS and TIME_DATE_JOINERS.match(gap):
                pair = (following, current)
        if pair is None:
            result.append(current)
            index += 1
            continue
        day, clock = pair
        if day.reading.clock is not None or (day.reading.part_of_day and clock.reading.clock is None):
            result.append(current)
            index += 1
            continue
        hour, minute = clock.reading.clock
        part = day.reading.part_of_day
        # `ce soir à 10 h 30`, `tonight at 10:30`: the evening puts the hour after noon.
        if (part in ("AF", "EV") and hour < 12) or (part == "NI" and 6 <= hour < 12):
            hour += 12
        merged_reading = replace(day.reading, type="TIME", clock=(hour, minute), zone=clock.reading.zone,
                                 mod=clock.reading.mod or day.reading.mod,
                                 part_of_day=None)
        if join:
            start, end = min(day.start, clock.start), max(day.end, clock.end)
            result.append(Candidate(start, end, merged_reading, "date+time"))
        else:
            clock.linked = day
            for piece in sorted((day, clock), key=lambda c: c.start):
                result.append(piece)
        index += 2
    return result
