"""Figures: numbers with what they count and how they are hedged, in every language segment.

`plus de 11 000 conteneurs de munitions` → value 11000, unit `conteneurs de munitions`,
qualifier `more-than`. Works on the clean text and maps spans back with ``original_span``;
``text`` is the clean text of the whole figure (qualifier, number, scale and unit).

Decisions, so that users know what to expect:
- Digits follow the segment's language: decimal comma in fr/es/de/it/pt (`2,5 %` → 2.5), decimal
  point in English (`€3.1bn`); thousands grouped by spaces (also no-break and narrow no-break),
  by dots in de/es/it/pt (`11.000`), by commas in English (`11,000`). A separator followed by
  other than exactly three digits is a decimal mark whatever the language.
- Scale words multiply (`3,1 milliards d’euros` → 3.1e9, unit `EUR`; `58 millions` → 58e6).
  Currencies are given as ISO codes in ``unit`` (€ → EUR, $ → USD, £ → GBP …); percentages as `%`.
- Vague quantities have no value: `des dizaines de missiles` → value None, qualifier `tens`
  (`hundreds`, `thousands`, `millions` likewise); `une douzaine` → 12, qualifier `about`.
- Number words count from two up in fr/es/en/de/it/pt (`deux ans` → 2 `ans`); `un`/`one` are
  left out (they are mostly articles).
- Years standing alone are figures with unit None (`depuis 2006` → 2006, `1950`); a year or a day
  inside a full date (`18 juin 2024`, `June 18, 2024`, `mars 2024`) is left to the time layer.
- Times of day are figures with unit `time` and the value in hours (`2h45` → 2.75, `19h45` →
  19.75, `5:45 p.m.` → 17.75).
- Not figures: ordinals (`XXIe`, `1er`, `21st`), codes glued to letters or hyphens (`fr-02`,
  `G7`, `A320`), numbers in @handles, #hashtags and URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel.core import UnknownLocaleError
from babel.dates import get_month_names

from babelwire.analyse.lexicon import lemmatize
from babelwire.analyse.quotes import AUXILIARIES, CLAUSE_OPENERS, DETERMINERS
from babelwire.model import Document, Figure
from babelwire.pipeline import DocumentStep


@dataclass(frozen=True)
class FigureSettings:
    include_years: bool = True
    include_times: bool = True
    max_unit_words: int = 4  # `conteneurs de munitions` is three


LANGUAGES = ("fr", "es", "en", "de", "it", "pt")
COMMA_DECIMAL = frozenset({"fr", "es", "de", "it", "pt", "nl", "ru", "pl", "sv", "da", "nb", "fi", "cs", "tr"})
SPACES = " \u00a0\u202f\u2009"

# --- lexicons --------------------------------------------------------------------------------

NUMBER_WORDS: dict[str, dict[str, int]] = {
    "fr": {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
           "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
           "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "cents": 100,
           "mille": 1000, "quatre-vingt": 80, "quatre-vingts": 80},
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
           "once": 11, "doce": 12, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
           "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100, "ciento": 100,
           "doscientos": 200, "trescientos": 300, "quinientos": 500, "mil": 1000},
    "en": {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12, "thirteen": 13, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
           "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000},
    "de": {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
           "elf": 11, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "hundert": 100,
           "tausend": 1000},
    "it": {"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
           "undici": 11, "dodici": 12, "venti": 20, "trenta": 30, "quaranta": 40, "cinquanta": 50, "cento": 100,
           "mille": 1000},
    "pt": {"dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7, "oito": 8, "nove": 9,
           "dez": 10, "onze": 11, "doze": 12, "vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50,
           "cem": 100, "mil": 1000},
}

SCALES: dict[str, dict[str, float]] = {
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e12,
           "billions": 1e12, "md": 1e9, "mds": 1e9, "mrd": 1e9},
    "es": {"mil": 1e3, "millón": 1e6, "millones": 1e6, "millardo": 1e9, "millardos": 1e9, "billón": 1e12,
           "billones": 1e12, "mil millones": 1e9},
    "en": {"thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "trillion": 1e12,
           "bn": 1e9, "m": 1e6, "mn": 1e6, "mln": 1e6, "k": 1e3, "tn": 1e12},
    "de": {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9, "milliarden": 1e9,
           "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    "it": {"mila": 1e3, "milione": 1e6, "milioni": 1e6, "miliardo": 1e9, "miliardi": 1e9, "mln": 1e6, "mld": 1e9},
    "pt": {"mil": 1e3, "milhão": 1e6, "milhões": 1e6, "bilhão": 1e9, "bilhões": 1e9, "mil milhões": 1e9},
}

# Hedges before a number, longest first when matched.
QUALIFIERS: dict[str, dict[str, str]] = {
    "fr": {"plus de": "more-than", "plus d’": "more-than", "plus d'": "more-than", "au-delà de": "more-than",
           "moins de": "less-than", "moins d’": "less-than", "environ": "about", "près de": "about",
           "quelque": "about", "quelques": "about", "approximativement": "about", "autour de": "about",
           "au moins": "at-least", "au minimum": "at-least", "au plus": "at-most", "au maximum": "at-most",
           "jusqu’à": "up-to", "jusqu'à": "up-to", "presque": "almost", "quasiment": "almost", "pas moins de": "at-least"},
    "es": {"más de": "more-than", "menos de": "less-than", "unos": "about", "unas": "about", "alrededor de": "about",
           "cerca de": "about", "aproximadamente": "about", "casi": "almost", "al menos": "at-least",
           "por lo menos": "at-least", "como mínimo": "at-least", "como máximo": "at-most", "hasta": "up-to"},
    "en": {"more than": "more-than", "over": "more-than", "upwards of": "more-than", "less than": "less-than",
           "fewer than": "less-than", "under": "less-than", "about": "about", "around": "about", "roughly": "about",
           "approximately": "about", "some": "about", "an estimated": "about", "nearly": "almost", "almost": "almost",
           "at least": "at-least", "at most": "at-most", "up to": "up-to", "no more than": "at-most"},
    "de": {"mehr als": "more-than", "über": "more-than", "weniger als": "less-than", "unter": "less-than",
           "rund": "about", "etwa": "about", "circa": "about", "ca.": "about", "ungefähr": "about", "knapp": "almost",
           "fast": "almost", "mindestens": "at-least", "wenigstens": "at-least", "höchstens": "at-most",
           "bis zu": "up-to"},
    "it": {"più di": "more-than", "oltre": "more-than", "meno di": "less-than", "circa": "about", "quasi": "almost",
           "almeno": "at-least", "al massimo": "at-most", "fino a": "up-to"},
    "pt": {"mais de": "more-than", "menos de": "less-than", "cerca de": "about", "aproximadamente": "about",
           "quase": "almost", "pelo menos": "at-least", "no máximo": "at-most", "até": "up-to"},
}

# Quantities without a number: `des dizaines de missiles`, `dozens of`, `Dutzende`.
VAGUE: dict[str, dict[str, str]] = {
    "fr": {"dizaines": "tens", "centaines": "hundreds", "milliers": "thousands", "millions": "millions",
           "milliards": "billions"},
    "es": {"decenas": "tens", "cientos": "hundreds", "centenares": "hundreds", "miles": "thousands",
           "millones": "millions"},
    "en": {"dozens": "tens", "tens": "tens", "scores": "tens", "hundreds": "hundreds", "thousands": "thousands",
           "millions": "millions", "billions": "billions"},
    "de": {"dutzende": "tens", "hunderte": "hundreds", "tausende": "thousands", "millionen": "millions"},
    "it": {"decine": "tens", "centinaia": "hundreds", "migliaia": "thousands", "milioni": "millions"},
    "pt": {"dezenas": "tens", "centenas": "hundreds", "milhares": "thousands", "milhões": "millions"},
}
DOZEN = {"fr": "douzaine", "es": "docena", "en": "dozen", "de": "dutzend", "it": "dozzina", "pt": "dúzia"}

PERCENT_WORDS = ("pour cent", "pourcent", "por ciento", "per cent", "percent", "prozent", "per cento", "por cento",
                 "pct", "pour-cent")
CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₽": "RUB", "₩": "KRW", "₹": "INR",
                    "us$": "USD", "usd": "USD", "eur": "EUR", "gbp": "GBP", "chf": "CHF"}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD", "dólares": "USD",
                  "dólar": "USD", "dollari": "USD", "livres": "GBP", "pounds": "GBP",
                  "sterling": "GBP", "yens": "JPY", "yen": "JPY", "roubles": "RUB", "rubles": "RUB", "rublos": "RUB",
                  "wons": "KRW", "won": "KRW", "francs": "CHF", "franken": "CHF", "reais": "BRL", "pesos": "MXN"}
ORDINAL_SUFFIX = re.compile(r"(?:e|er|ère|re|ème|eme|nd|st|rd|th|º|ª|°|o|a)\b", re.IGNORECASE)
GLUED_UNITS = {"km": "km", "kg": "kg", "m": None, "bn": None, "mn": None, "k": None, "t": "t", "cm": "cm",
               "mm": "mm", "ha": "ha", "mw": "MW", "gw": "GW", "kw": "kW", "kwh": "kWh", "l": "l", "h": "h"}

# Words that end the noun counted by a number (besides determiners, clause openers, auxiliaries).
UNIT_STOPS: dict[str, frozenset[str]] = {
    "fr": frozenset({"de", "d’", "d'", "et", "ou", "a", "ont", "est", "sont", "se", "ne", "y", "en", "plus", "moins",
                     "avant", "après", "vers", "contre", "entre", "selon", "chez", "depuis", "pendant", "il", "elle",
                     "ils", "elles", "on", "ce", "qui", "que", "dont"}),
    "es": frozenset({"de", "del", "y", "o", "es", "son", "fue", "se", "no", "más", "menos", "antes", "después",
                     "contra", "entre", "según", "hacia", "hace"}),
    "en": frozenset({"of", "and", "or", "is", "are", "was", "were", "be", "been", "has", "have", "had", "more", "less",
                     "ago", "than", "per", "each", "said", "says", "will", "would", "could", "can", "may", "might",
                     "who", "which", "that", "they", "he", "she", "we", "you", "i", "it", "not", "do", "did", "does",
                     "a", "an", "the", "earlier", "later", "before", "after", "against", "between", "among"}),
    "de": frozenset({"und", "oder", "ist", "sind", "war", "waren", "wird", "werden", "hat", "haben", "vor", "nach",
                     "gegen", "zwischen", "mehr", "weniger"}),
    "it": frozenset({"di", "e", "o", "è", "sono", "era", "si", "non", "più", "meno", "prima", "dopo", "contro", "tra",
                     "fra", "fa"}),
    "pt": frozenset({"de", "do", "da", "e", "ou", "é", "são", "foi", "se", "não", "mais", "menos", "antes", "depois",
                     "contra", "entre"}),
}
COMPLEMENT_LINKS = {"fr": ("de", "d’", "d'"), "es": ("de",), "it": ("di",), "pt": ("de",), "en": (), "de": ()}


@lru_cache(maxsize=32)
def month_words(language: str) -> frozenset[str]:
    names = set()
    for locale in {language, "en"}:
        try:
            for width in ("wide", "abbreviated"):
                for context in ("format", "stand-alone"):
                    names.update(name.lower().rstrip(".") for name in get_month_names(width, context=context, locale=locale).values())
        except (UnknownLocaleError, ValueError):
            continue
    return frozenset(name for name in names if len(name) >= 3)


# --- the step --------------------------------------------------------------------------------

class FigureFinder(DocumentStep):
    name = "figures"

    def __init__(self, settings: FigureSettings | None = None):
        self.settings = settings or FigureSettings()

    def process(self, document: Document) -> None:
        document.figures = find_figures(document, self.settings)


@dataclass
class Found:
    start: int  # clean offsets of the whole figure
    end: int
    value: float | None
    unit: str | None
    qualifier: str | None
    language: str


def language_spans(document: Document) -> list[tuple[int, int, str]]:
    """(clean start, clean end, language) of segments, narrowest last so that it wins."""
    rank = {"fragment": 0, "sentence": 1, "title": 2, "heading": 2, "paragraph": 3}
    offsets = document.offset_map
    spans = []
    for segment in sorted(document.segments, key=lambda s: rank.get(s.kind, 4), reverse=True):
        if segment.language and segment.language != "und":
            start, end = offsets.span_to_clean(segment.start, segment.end)
            spans.append((start, end, segment.language))
    return spans


def find_figures(document: Document, settings: FigureSettings) -> list[Figure]:
    text = document.clean_text
    spans = language_spans(document)
    default = document.language if document.language and document.language != "und" else "en"

    def language_at(position: int) -> str:
        found = default
        for start, end, language in spans:
            if start <= position < end:
                found = language
        return found

    found = figures_in_text(text, language_at, settings)
    offsets = document.offset_map
    figures = []
    for item in found:
        start, end = offsets.span_to_original(item.start, item.end)
        figures.append(Figure(start, end, text[item.start:item.end], item.value, item.unit, item.qualifier, item.language))
    return figures


def figures_in_text(text: str, language_at, settings: FigureSettings) -> list[Found]:
    excluded = [(m.start(), m.end()) for m in EXCLUDED.finditer(text)]
    taken: list[tuple[int, int]] = []
    results: list[Found] = []

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in excluded + taken)

    def add(item: Found, core: tuple[int, int]) -> None:
        if free(*core):
            taken.append((item.start, item.end))
            results.append(item)

    if settings.include_times:
        for match in TIME_OF_DAY.finditer(text):
            minutes_text = match.group("min") or match.group("min2")
            hours, minutes = int(match.group("h") or match.group("h3")), int(minutes_text or 0)
            meridiem = (match.group("ampm2") or match.group("ampm3") or "").lower().replace(".", "")
            if meridiem == "pm" and hours < 12:
                hours += 12
            if meridiem == "am" and hours == 12:
                hours = 0
            if hours > 24 or minutes > 59 or not (minutes_text or meridiem):
                continue
            add(Found(match.start(), match.end(), round(hours + minutes / 60, 4), "time", None, language_at(match.start())), match.span())

    for match in VAGUE_PATTERN.finditer(text):
        language = language_at(match.start())
        word = match.group("word").lower()
        qualifier = VAGUE.get(language, {}).get(word)
        if qualifier is None or re.search(r"\d[\s\u00a0\u202f]*$", text[max(0, match.start("word") - 4):match.start("word")]):
            continue  # `3,1 millions` is a scale after a number, not a vague quantity
        unit, unit_end = unit_after(text, match.end(), language, settings, after_link=True)
        start = match.start("lead") if match.group("lead") else match.start("word")
        add(Found(start, unit_end if unit else match.end("word"), None, unit, qualifier, language), (match.start("word"), match.end("word")))

    for match in NUMBER.finditer(text):
        start, end = match.span()
        language = language_at(start)
        if not _standalone_number(text, start, end):
            continue
        value = parse_number(match.group(), language)
        if value is None:
            continue
        figure = _figure_at(text, start, end, value, language, settings, digits=True)
        if figure is not None:
            add(figure, (start, end))

    for match in WORD_NUMBER.finditer(text):
        language = language_at(match.start())
        value = number_from_words(match.group(), language)
        if value is None:
            continue
        figure = _figure_at(text, match.start(), match.end(), value, language, settings, digits=False)
        if figure is not None and (figure.unit is not None or figure.qualifier is not None):
            add(figure, match.span())

    results.sort(key=lambda item: item.start)
    return results


# --- numbers ---------------------------------------------------------------------------------

EXCLUDED = re.compile(r"https?://\S+|www\.\S+|\b\S+\.(?:com|org|net|fr|es|de)/\S*|[@#]\w+|\b[A-Za-z]{1,4}-\d+\b", re.IGNORECASE)
TIME_OF_DAY = re.compile(
    r"(?<![\w.,:])(?P<h>[01]?\d|2[0-4])(?:\s?h\s?(?P<min>[0-5]\d)(?!\d)|:(?P<min2>[0-5]\d)(?!\d)(?:\s?(?P<ampm2>[ap]\.?m\.?))?)"
    r"|(?<![\w.,:])(?P<h3>1[0-2]|0?[1-9])\s?(?P<ampm3>[ap]\.m\.|[ap]m\b)",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d+(?:(?:[.,]\d+)|(?:[ \u00a0\u202f\u2009]\d{3}(?!\d)))*")


def word_alternation(words) -> str:
    """A regex matching any of the words, written as a prefix tree (`d(?:e(?:s)?|ix)`): the same
    matches as the words joined longest first, but the regex engine tries one branch per letter
    instead of every word at every word start (a third of the figures step's time before)."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: dict) -> str:
        parts = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        # Where a shorter word ends, the longer ones are tried first (greedy), as in a longest-first list.
        return f"(?:{body})?" if "" in node else body

    return "(?:" + branch(tree) + ")"


_WORDS_ALTERNATIVE = word_alternation({word for words in NUMBER_WORDS.values() for word in words})
WORD_NUMBER = re.compile(rf"\b{_WORDS_ALTERNATIVE}(?:[-\s]{_WORDS_ALTERNATIVE})*\b", re.IGNORECASE)
_VAGUE_ALTERNATIVE = word_alternation({word for words in VAGUE.values() for word in words})
_VAGUE_LEAD = word_alternation(["des", "de", "les", "quelques", "plusieurs", "unas", "unos", "varias", "varios", "algunas", "algunos", "alcune", "alcuni", "várias", "vários"])
VAGUE_PATTERN = re.compile(rf"(?P<lead>\b{_VAGUE_LEAD}\s+)?\b(?P<word>{_VAGUE_ALTERNATIVE})\b(?!\s+(?:de\s+)?(?:\d))", re.IGNORECASE)


def _standalone_number(text: str, start: int, end: int) -> bool:
    """Not part of a code, an ordinal, a date in digits or a word (`fr-02`, `G7`, `XXIe`, `21st`)."""
    before = text[start - 1] if start > 0 else " "
    if before.isalpha() or before in "-/_@#" or before.isdigit():
        return False
    after = text[end:end + 4]
    if after[:1] in ("-", "/") and after[1:2].isdigit():
        return False  # 2024-06-18, 12/05
    if after[:1].isalpha():
        letters = re.match(r"[^\W\d_]+", after + text[end + 4:end + 8]).group().lower()
        if letters not in GLUED_UNITS and letters != "h":
            return False
        if ORDINAL_SUFFIX.match(after) and letters not in GLUED_UNITS:
            return False
    return True


def parse_number(raw: str, language: str) -> float | None:
    digits = re.sub(f"[{SPACES}]", "", raw)
    decimal = "," if language in COMMA_DECIMAL else "."
    other = "." if decimal == "," else ","
    # A separator followed by exactly three digits groups thousands, unless it is the decimal
    # mark of this language and appears only once (`2,500` in French is 2.5).
    parts = re.split(r"([.,])", digits)
    numbers, separators = parts[0::2], parts[1::2]
    if not separators:
        return float(digits)
    integer, fraction = numbers[0], ""
    for separator, group in zip(separators, numbers[1:]):
        last = separator is separators[-1] and group is numbers[-1]
        if separator == other and len(group) == 3 and not fraction:
            integer += group
        elif separator == decimal and (len(group) != 3 or separators.count(decimal) == 1 and last) and not fraction:
            fraction = group
        elif separator == decimal and len(group) == 3 and not fraction:
            integer += group
        elif not fraction:
            fraction = group  # a decimal point in a comma language (`3.1` in a translated text)
        else:
            return None
    try:
        return float(f"{integer}.{fraction}" if fraction else integer)
    except ValueError:
        return None


def number_from_words(words: str, language: str) -> float | None:
    table = NUMBER_WORDS.get(language)
    if not table:
        return None
    lowered = words.lower()
    lowered = lowered.replace("quatre-vingts", "quatre_vingts").replace("quatre-vingt", "quatre_vingt")
    total, current = 0, 0
    for part in re.split(r"[-\s]+", lowered):
        part = part.replace("_", "-")
        if part in ("y", "et", "and", "und", "e"):
            continue
        value = table.get(part)
        if value is None:
            return None
        if value >= 1000:
            total += max(current, 1) * value
            current = 0
        elif value == 100:
            current = max(current, 1) * 100
        else:
            current += value
    return float(total + current) or None


def _figure_at(text: str, start: int, end: int, value: float, language: str, settings: FigureSettings, digits: bool) -> Found | None:
    figure_start, figure_end = start, end
    unit = None
    qualifier = None
    # Currency before the number: `€3.1bn`, `$100,000`, `US$ 5`.
    before = text[max(0, start - 4):start]
    symbol = re.search(r"(US\$|€|\$|£|¥|₽|₩|₹|USD|EUR|GBP|CHF)\s?$", before)
    if symbol:
        unit = CURRENCY_SYMBOLS.get(symbol.group(1).lower(), CURRENCY_SYMBOLS.get(symbol.group(1)))
        figure_start = start - len(before) + symbol.start()
    # A date around the number belongs to the time layer.
    months = month_words(language)
    word_before = re.search(r"([^\W\d_]+)\.?,?\s*(?:\d{1,2}(?:er|st|nd|rd|th|\.)?,?\s*)?$", text[max(0, start - 30):start])
    word_after = re.match(r"(?:er|st|nd|rd|th|\.)?\s*(?:de\s+|of\s+)?([^\W\d_]+)", text[end:end + 30])
    if digits and (word_before and word_before.group(1).lower() in months or word_after and word_after.group(1).lower().rstrip(".") in months):
        return None
    position = end
    # Glued unit letters: `10km`, `3bn`, `5m`.
    glued = re.match(r"[A-Za-z]+", text[end:end + 4])
    scale = 1.0
    if glued:
        letters = glued.group().lower()
        scale = SCALES.get(language, {}).get(letters, SCALES["en"].get(letters, 1.0)) if letters in ("bn", "m", "mn", "k") else 1.0
        if scale == 1.0 and GLUED_UNITS.get(letters):
            unit = unit or GLUED_UNITS[letters]
        position = end + glued.end()
    else:
        scale_match = re.match(r"[\s\u00a0\u202f]+([^\W\d_]+(?:\s+(?:millones|milhões))?)\.?", text[position:position + 30])
        if scale_match:
            word = scale_match.group(1).lower()
            found_scale = SCALES.get(language, {}).get(word)
            if found_scale:
                scale = found_scale
                position += scale_match.end()
    value = value * scale
    # Percent.
    percent = re.match(r"[\s\u00a0\u202f]*(%|‰)|\s+(" + "|".join(PERCENT_WORDS) + r")\b", text[position:position + 20], re.IGNORECASE)
    if percent:
        unit = "%" if (percent.group(1) or "%") == "%" or percent.group(2) else "‰"
        position += percent.end()
    else:
        currency = re.match(r"[\s\u00a0\u202f]*(€|\$|£)|[\s\u00a0\u202f]+(?:(?:d[’']|de\s+|of\s+)?)([^\W\d_]+)", text[position:position + 30])
        if currency and (currency.group(1) or (currency.group(2) or "").lower() in CURRENCY_WORDS) and unit is None:
            unit = CURRENCY_SYMBOLS.get(currency.group(1)) if currency.group(1) else CURRENCY_WORDS[currency.group(2).lower()]
            position += currency.end()
    year_like = digits and scale == 1.0 and re.fullmatch(r"1[0-9]{3}|20[0-9]{2}|2100", text[start:end]) is not None
    # Hedge before the number (or before its currency symbol).
    qualifier_match = _qualifier_before(text, figure_start, language)
    if qualifier_match:
        qualifier, figure_start = qualifier_match
    if unit is None and not (year_like and qualifier is None):
        unit, unit_end = unit_after(text, position, language, settings, after_link=scale != 1.0)
        if unit:
            position = unit_end
    if year_like and unit is None and qualifier is None and not settings.include_years:
        return None
    if year_like and qualifier in ("about", "up-to") and unit is None:
        qualifier_match = None  # `jusqu’à 2006`, `around 1950` are time expressions' business
    figure_end = max(position, end)
    while figure_end > end and text[figure_end - 1] in SPACES + ".":
        figure_end -= 1
    return Found(figure_start, figure_end, value, unit, qualifier, language)


def _qualifier_before(text: str, start: int, language: str) -> tuple[str, int] | None:
    window = text[max(0, start - 40):start]
    best = None
    for phrase, qualifier in QUALIFIERS.get(language, {}).items():
        pattern = r"(?:^|(?<=[\s(]))" + re.escape(phrase) + r"[\s\u00a0\u202f]*$"
        if phrase.endswith(("’", "'")):
            pattern = r"(?:^|(?<=[\s(]))" + re.escape(phrase) + r"$"
        match = re.search(pattern, window, re.IGNORECASE)
        if match and (best is None or match.start() < best[1]):
            best = (qualifier, match.start())
    if best is None:
        return None
    return best[0], start - len(window) + best[1]


INFINITIVE_ENDINGS = {"fr": ("er", "ir", "re"), "es": ("ar", "er", "ir"), "pt": ("ar", "er", "ir"), "it": ("are", "ere", "ire"),
                      "en": ()}


@lru_cache(maxsize=20000)
def _looks_like_verb(word: str, language: str) -> bool:
    """An inflected verb form: simplemma gives it an infinitive other than itself."""
    endings = INFINITIVE_ENDINGS.get(language)
    if not endings:
        return False
    lemma = lemmatize(word, language)  # the process's shared lemmatiser (loads each language once)
    return lemma != word and lemma.endswith(endings)


def unit_after(text: str, position: int, language: str, settings: FigureSettings, after_link: bool) -> tuple[str | None, int]:
    """The noun phrase a number counts: `conteneurs de munitions`, `missiles balistiques`, `ans`."""
    stops = UNIT_STOPS.get(language, frozenset()) | DETERMINERS.get(language, frozenset()) | AUXILIARIES.get(language, frozenset()) | CLAUSE_OPENERS.get(language, frozenset())
    links = COMPLEMENT_LINKS.get(language, ())
    cursor = position
    if after_link:
        link = re.match(r"[\s\u00a0\u202f]+(?:d[’']|de\s+|of\s+|di\s+|von\s+)", text[cursor:cursor + 8], re.IGNORECASE)
        if link:
            cursor += link.end()
    words: list[tuple[int, int, str]] = []
    pattern = re.compile(r"[\s\u00a0\u202f]*([^\W\d_]+(?:[-’'][^\W\d_]+)*)")
    while len(words) < settings.max_unit_words:
        match = pattern.match(text, cursor)
        if not match:
            break
        word = match.group(1)
        lower = word.lower()
        if language == "de":
            if lower in stops and not word[0].isupper():
                break
            words.append((match.start(1), match.end(1), word))
            cursor = match.end()
            if word[0].isupper():
                break  # German: adjectives, then the capitalised noun ends the phrase
            continue
        if lower in links and words:
            # `conteneurs de munitions`: a complement noun, not an article after `de`.
            following = pattern.match(text, match.end())
            if following and following.group(1).lower() not in stops and following.group(1)[0].islower():
                words.append((match.start(1), match.end(1), word))
                words.append((following.start(1), following.end(1), following.group(1)))
                cursor = following.end()
                continue
            break
        if lower in stops or word[0].isupper() and language != "de":
            break
        if lower in month_words(language):
            break
        if words and _looks_like_verb(lower, language):
            break  # `decenas de tanques cruzaron`: the counted noun ends before its verb
        words.append((match.start(1), match.end(1), word))
        cursor = match.end()
    if language == "de" and words and not words[-1][2][0].isupper():
        words = []
    if not words:
        return None, position
    # English units are the head noun with its modifiers before a function word; trim a trailing link.
    while words and words[-1][2].lower() in links:
        words.pop()
    if not words:
        return None, position
    return text[words[0][0]:words[-1][1]], words[-1][1]
