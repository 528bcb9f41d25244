"""Words of dates and times per language, for the time tagger (times.py, time_rules.py).

Month and weekday names come from babel (CLDR); the rest — number words, units, relative days,
parts of the day, seasons, modifiers, zone phrases — is written here, per language. Supported:
fr, es, en, de, it, pt. Every list is lower case; matching is case-insensitive unless a rule says.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from babel import Locale
from babel.core import UnknownLocaleError, get_global
from babel.dates import get_day_names, get_month_names

LANGUAGES = ("fr", "es", "en", "de", "it", "pt")


def fold(word: str) -> str:
    """Lower case without accents: `Août` → `aout` (noisy text drops accents)."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- number words ---------------------------------------------------------------------------------

def _french_number(n: int) -> list[str]:
    units = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
             "douze", "treize", "quatorze", "quinze", "seize"]
    if n < 17:
        return [units[n]] + (["une"] if n == 1 else [])
    if n < 20:
        return ["dix-" + units[n - 10]]
    tens = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
    ten, unit = divmod(n, 10)
    if ten in (7, 9):  # soixante-dix, quatre-vingt-dix: the base is 60 or 80 plus 10..19
        base = "soixante" if ten == 7 else "quatre-vingt"
        rest = n - (60 if ten == 7 else 80)
        if rest == 11 and ten == 7:
            return ["soixante et onze", "soixante-et-onze"]
        return [f"{base}-{word}" for word in _french_number(rest)]
    if ten == 8:
        return ["quatre-vingts"] if unit == 0 else [f"quatre-vingt-{word}" for word in _french_number(unit)]
    if unit == 0:
        return [tens[ten]]
    if unit == 1:
        return [f"{tens[ten]} et un", f"{tens[ten]}-et-un", f"{tens[ten]} et une"]
    return [f"{tens[ten]}-{units[unit]}"]


def _spanish_number(n: int) -> list[str]:
    units = ["cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once",
             "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte",
             "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete",
             "veintiocho", "veintinueve"]
    if n < 30:
        extra = {1: ["un", "una"], 21: ["veintiún", "veintiuna"], 16: ["dieciseis"], 22: ["veintidos"], 23: ["veintitres"], 26: ["veintiseis"]}
        return [units[n]] + extra.get(n, [])
    tens = {3: "treinta", 4: "cuarenta", 5: "cincuenta", 6: "sesenta", 7: "setenta", 8: "ochenta", 9: "noventa"}
    ten, unit = divmod(n, 10)
    if unit == 0:
        return [tens[ten]]
    return [f"{tens[ten]} y {word}" for word in _spanish_number(unit)]


def _english_number(n: int) -> list[str]:
    units = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
             "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    if n < 20:
        return [units[n]] + (["a", "an"] if n == 1 else [])
    tens = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}
    ten, unit = divmod(n, 10)
    if unit == 0:
        return [tens[ten]]
    return [f"{tens[ten]}-{units[unit]}", f"{tens[ten]} {units[unit]}"]


def _german_number(n: int) -> list[str]:
    units = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf",
             "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"]
    if n < 20:
        return [units[n]] + (["ein", "eine", "einem", "einen", "einer"] if n == 1 else [])
    tens = {2: "zwanzig", 3: "dreißig", 4: "vierzig", 5: "fünfzig", 6: "sechzig", 7: "siebzig", 8: "achtzig", 9: "neunzig"}
    ten, unit = divmod(n, 10)
    if unit == 0:
        return [tens[ten]]
    first = "ein" if unit == 1 else units[unit]
    return [f"{first}und{tens[ten]}"]


def _italian_number(n: int) -> list[str]:
    units = ["zero", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici",
             "dodici", "tredici", "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove"]
    if n < 20:
        return [units[n]] + (["un", "una", "un'"] if n == 1 else [])
    tens = {2: "venti", 3: "trenta", 4: "quaranta", 5: "cinquanta", 6: "sessanta", 7: "settanta", 8: "ottanta", 9: "novanta"}
    ten, unit = divmod(n, 10)
    if unit == 0:
        return [tens[ten]]
    base = tens[ten][:-1] if unit in (1, 8) else tens[ten]  # ventuno, ventotto
    last = "tré" if unit == 3 else units[unit]
    return [base + last] + ([base + "tre"] if unit == 3 else [])


def _portuguese_number(n: int) -> list[str]:
    units = ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez", "onze",
             "doze", "treze", "catorze", "quinze", "dezesseis", "dezessete", "dezoito", "dezenove"]
    if n < 20:
        extra = {1: ["uma"], 2: ["duas"], 14: ["quatorze"], 16: ["dezasseis"], 17: ["dezassete"], 19: ["dezanove"]}
        return [units[n]] + extra.get(n, [])
    tens = {2: "vinte", 3: "trinta", 4: "quarenta", 5: "cinquenta", 6: "sessenta", 7: "setenta", 8: "oitenta", 9: "noventa"}
    ten, unit = divmod(n, 10)
    if unit == 0:
        return [tens[ten]]
    return [f"{tens[ten]} e {word}" for word in _portuguese_number(unit)]


_SPELLERS = {"fr": _french_number, "es": _spanish_number, "en": _english_number, "de": _german_number,
             "it": _italian_number, "pt": _portuguese_number}
_HUNDREDS = {"fr": {"cent": 100, "mille": 1000}, "es": {"cien": 100, "ciento": 100, "mil": 1000},
             "en": {"hundred": 100, "a hundred": 100, "one hundred": 100, "thousand": 1000},
             "de": {"hundert": 100, "einhundert": 100, "tausend": 1000}, "it": {"cento": 100, "mille": 1000},
             "pt": {"cem": 100, "mil": 1000}}


@lru_cache(maxsize=16)
def number_words(language: str) -> dict[str, int]:
    """Spelled-out numbers 0..99 (and 100, 1000) → value."""
    speller = _SPELLERS.get(language)
    if speller is None:
        return {}
    words: dict[str, int] = {}
    for n in range(100):
        for word in speller(n):
            words[word] = n
            words[fold(word)] = n
    words.update(_HUNDREDS.get(language, {}))
    return words


# Rough counts (`une dizaine`, `a dozen`) → value, read as approximate.
ROUND_COUNTS = {
    "fr": {"une dizaine d": 10, "une quinzaine d": 15, "une vingtaine d": 20, "une trentaine d": 30, "une centaine d": 100},
    "es": {"una decena de": 10, "una quincena de": 15, "una veintena de": 20, "una treintena de": 30, "un centenar de": 100},
    "en": {"a dozen": 12, "a couple of": 2, "a score of": 20},
    "de": {"ein dutzend": 12},
    "it": {"una decina di": 10, "una quindicina di": 15, "una ventina di": 20, "una trentina di": 30, "un centinaio di": 100},
    "pt": {"uma dezena de": 10, "uma quinzena de": 15, "uma vintena de": 20, "uma centena de": 100},
}

# Unspecified counts: `quelques mois` → PXM.
VAGUE_COUNTS = {
    "fr": ["quelques", "plusieurs", "des", "de longues", "de longs", "de nombreuses", "de nombreux", "nombreuses", "nombreux", "certaines", "maintes"],
    "es": ["algunos", "algunas", "varios", "varias", "unos", "unas", "muchos", "muchas", "pocos", "pocas"],
    "en": ["several", "a few", "few", "many", "some", "a number of"],
    "de": ["einige", "einigen", "mehrere", "mehreren", "viele", "vielen", "wenige", "wenigen", "ein paar"],
    "it": ["alcuni", "alcune", "diversi", "diverse", "molti", "molte", "pochi", "poche", "parecchi", "parecchie"],
    "pt": ["alguns", "algumas", "vários", "várias", "muitos", "muitas", "poucos", "poucas"],
}

# --- units ---------------------------------------------------------------------------------------
# Codes: Y M W D H MIN S (TIMEX3 letters), DE decade, CE century, Q quarter, HY half year, WE weekend.
UNITS: dict[str, dict[str, str]] = {
    "fr": {"an": "Y", "ans": "Y", "année": "Y", "années": "Y", "mois": "M", "semaine": "W", "semaines": "W",
           "jour": "D", "jours": "D", "journée": "D", "journées": "D", "heure": "H", "heures": "H",
           "minute": "MIN", "minutes": "MIN", "seconde": "S", "secondes": "S", "décennie": "DE", "décennies": "DE",
           "siècle": "CE", "siècles": "CE", "trimestre": "Q", "trimestres": "Q", "semestre": "HY", "semestres": "HY",
           "week-end": "WE", "week-ends": "WE", "weekend": "WE", "weekends": "WE", "millénaire": "ML", "millénaires": "ML"},
    "es": {"año": "Y", "años": "Y", "mes": "M", "meses": "M", "semana": "W", "semanas": "W", "día": "D", "días": "D",
           "jornada": "D", "jornadas": "D", "hora": "H", "horas": "H", "minuto": "MIN", "minutos": "MIN", "segundo": "S", "segundos": "S",
           "década": "DE", "décadas": "DE", "decenio": "DE", "decenios": "DE", "siglo": "CE", "siglos": "CE",
           "trimestre": "Q", "trimestres": "Q", "semestre": "HY", "semestres": "HY", "fin de semana": "WE",
           "fines de semana": "WE", "milenio": "ML", "milenios": "ML"},
    "en": {"year": "Y", "years": "Y", "month": "M", "months": "M", "week": "W", "weeks": "W", "day": "D", "days": "D",
           "hour": "H", "hours": "H", "minute": "MIN", "minutes": "MIN", "second": "S", "seconds": "S",
           "decade": "DE", "decades": "DE", "century": "CE", "centuries": "CE", "quarter": "Q", "quarters": "Q",
           "weekend": "WE", "weekends": "WE", "week-end": "WE", "fortnight": "2W", "fortnights": "2W",
           "millennium": "ML", "millennia": "ML"},
    "de": {"jahr": "Y", "jahre": "Y", "jahren": "Y", "jahres": "Y", "monat": "M", "monate": "M", "monaten": "M",
           "monats": "M", "woche": "W", "wochen": "W", "tag": "D", "tage": "D", "tagen": "D", "tages": "D",
           "stunde": "H", "stunden": "H", "minute": "MIN", "minuten": "MIN", "sekunde": "S", "sekunden": "S",
           "jahrzehnt": "DE", "jahrzehnte": "DE", "jahrzehnten": "DE", "jahrhundert": "CE", "jahrhunderte": "CE",
           "jahrhunderten": "CE", "quartal": "Q", "quartale": "Q", "quartalen": "Q", "halbjahr": "HY",
           "wochenende": "WE", "wochenenden": "WE", "jahrtausend": "ML"},
    "it": {"anno": "Y", "anni": "Y", "mese": "M", "mesi": "M", "settimana": "W", "settimane": "W", "giorno": "D",
           "giorni": "D", "giornata": "D", "giornate": "D", "ora": "H", "ore": "H", "minuto": "MIN", "minuti": "MIN",
           "secondo": "S", "secondi": "S", "decennio": "DE", "decenni": "DE", "secolo": "CE", "secoli": "CE",
           "trimestre": "Q", "trimestri": "Q", "semestre": "HY", "semestri": "HY", "fine settimana": "WE",
           "weekend": "WE", "millennio": "ML"},
    "pt": {"ano": "Y", "anos": "Y", "mês": "M", "meses": "M", "semana": "W", "semanas": "W", "dia": "D", "dias": "D",
           "hora": "H", "horas": "H", "minuto": "MIN", "minutos": "MIN", "segundo": "S", "segundos": "S",
           "década": "DE", "décadas": "DE", "século": "CE", "séculos": "CE", "trimestre": "Q", "trimestres": "Q",
           "semestre": "HY", "semestres": "HY", "fim de semana": "WE", "fins de semana": "WE", "milênio": "ML", "milénio": "ML"},
}

# Nouns that are durations by themselves: `un quinquennat` is five years.
NAMED_PERIODS = {
    "fr": {"quinquennat": "P5Y", "septennat": "P7Y", "mandat de cinq ans": "P5Y", "demi-heure": "PT30M",
           "demi-journée": "P0.5D", "quart d'heure": "PT15M", "quart de siècle": "P25Y", "demi-siècle": "P50Y"},
    "es": {"media hora": "PT30M", "cuarto de hora": "PT15M", "cuarto de siglo": "P25Y", "medio siglo": "P50Y", "quinquenio": "P5Y", "lustro": "P5Y"},
    "en": {"half an hour": "PT30M", "half-hour": "PT30M", "quarter of an hour": "PT15M", "quarter of a century": "P25Y",
           "quarter-century": "P25Y", "half a century": "P50Y", "half-century": "P50Y"},
    "de": {"halbe stunde": "PT30M", "viertelstunde": "PT15M", "vierteljahrhundert": "P25Y", "halbes jahrhundert": "P50Y", "halbes jahr": "P6M"},
    "it": {"mezz'ora": "PT30M", "mezzora": "PT30M", "quarto d'ora": "PT15M", "quarto di secolo": "P25Y", "mezzo secolo": "P50Y", "quinquennio": "P5Y"},
    "pt": {"meia hora": "PT30M", "quarto de hora": "PT15M", "quarto de século": "P25Y", "meio século": "P50Y", "quinquênio": "P5Y"},
}

# `et demi` after a count adds a half.
HALF = {"fr": ["et demi", "et demie"], "es": ["y medio", "y media"], "en": ["and a half"], "de": ["einhalb"],
        "it": ["e mezzo", "e mezza"], "pt": ["e meio", "e meia"]}

# --- days ----------------------------------------------------------------------------------------
RELATIVE_DAYS = {
    "fr": {"aujourd'hui": 0, "aujourd’hui": 0, "aujourdhui": 0, "hier": -1, "avant-hier": -2, "demain": 1, "après-demain": 2},
    "es": {"hoy": 0, "ayer": -1, "anteayer": -2, "antier": -2, "antes de ayer": -2, "mañana": 1, "pasado mañana": 2},
    "en": {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2},
    "de": {"heute": 0, "gestern": -1, "vorgestern": -2, "morgen": 1, "übermorgen": 2},
    "it": {"oggi": 0, "ieri": -1, "l'altro ieri": -2, "l’altro ieri": -2, "altroieri": -2, "domani": 1, "dopodomani": 2},
    "pt": {"hoje": 0, "ontem": -1, "anteontem": -2, "amanhã": 1, "depois de amanhã": 2},
}

# Words for `today` + a part of the day in one word or fixed phrase.
TODAY_PARTS = {
    "fr": {"ce matin": (0, "MO"), "cet après-midi": (0, "AF"), "ce soir": (0, "EV"), "cette nuit": (0, "NI"),
           "ce midi": (0, "12:00")},
    "es": {"esta mañana": (0, "MO"), "esta tarde": (0, "AF"), "esta noche": (0, "NI"), "esta madrugada": (0, "NI"),
           "anoche": (-1, "NI"), "anteanoche": (-2, "NI")},
    "en": {"this morning": (0, "MO"), "this afternoon": (0, "AF"), "this evening": (0, "EV"), "tonight": (0, "NI"),
           "last night": (-1, "NI")},
    "de": {"heute morgen": (0, "MO"), "heute früh": (0, "MO"), "heute vormittag": (0, "MO"), "heute nachmittag": (0, "AF"),
           "heute abend": (0, "EV"), "heute nacht": (0, "NI"), "morgen früh": (1, "MO"), "gestern abend": (-1, "EV"),
           "gestern nacht": (-1, "NI"), "gestern morgen": (-1, "MO"), "gestern nachmittag": (-1, "AF"),
           "morgen abend": (1, "EV"), "morgen nachmittag": (1, "AF"), "heute mittag": (0, "12:00")},
    "it": {"stamattina": (0, "MO"), "stamani": (0, "MO"), "stasera": (0, "EV"), "stanotte": (0, "NI"),
           "questa mattina": (0, "MO"), "questo pomeriggio": (0, "AF"), "questa sera": (0, "EV"), "questa notte": (0, "NI")},
    "pt": {"esta manhã": (0, "MO"), "esta tarde": (0, "AF"), "esta noite": (0, "NI"), "hoje à noite": (0, "NI"),
           "ontem à noite": (-1, "NI"), "nesta manhã": (0, "MO"), "nesta tarde": (0, "AF")},
}

# Parts of the day: TIMEX3 codes MO (morning) AF (afternoon) EV (evening) NI (night) DT (daytime);
# a value with a colon is a clock time (midi).
PARTS_OF_DAY = {
    "fr": {"matin": "MO", "matinée": "MO", "après-midi": "AF", "soir": "EV", "soirée": "EV", "nuit": "NI",
           "journée": "DT", "midi": "12:00", "minuit": "00:00"},
    "es": {"mañana": "MO", "tarde": "AF", "noche": "NI", "madrugada": "NI", "mediodía": "12:00", "medianoche": "00:00"},
    "en": {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "noon": "12:00", "midday": "12:00", "midnight": "00:00"},
    "de": {"morgen": "MO", "vormittag": "MO", "früh": "MO", "nachmittag": "AF", "abend": "EV", "nacht": "NI",
           "mittag": "12:00", "mitternacht": "00:00"},
    "it": {"mattina": "MO", "mattino": "MO", "mattinata": "MO", "pomeriggio": "AF", "sera": "EV", "serata": "EV",
           "notte": "NI", "nottata": "NI", "mezzogiorno": "12:00", "mezzanotte": "00:00"},
    "pt": {"manhã": "MO", "tarde": "AF", "noite": "NI", "madrugada": "NI", "meio-dia": "12:00", "meia-noite": "00:00"},
}

# After a clock time: `2h45 du matin`, `7 de la tarde`, `7 p.m.` — whether to add 12 hours.
CLOCK_PARTS = {
    "fr": {"du matin": "am", "de l'après-midi": "pm", "de l’après-midi": "pm", "du soir": "pm", "de la nuit": "night"},
    "es": {"de la mañana": "am", "de la tarde": "pm", "de la noche": "pm", "de la madrugada": "am"},
    "en": {"a.m.": "am", "am": "am", "p.m.": "pm", "pm": "pm", "in the morning": "am", "in the afternoon": "pm",
           "in the evening": "pm", "at night": "night"},
    "de": {"morgens": "am", "früh": "am", "vormittags": "am", "nachmittags": "pm", "abends": "pm", "nachts": "night"},
    "it": {"del mattino": "am", "di mattina": "am", "del pomeriggio": "pm", "di sera": "pm", "della sera": "pm", "di notte": "night"},
    "pt": {"da manhã": "am", "da tarde": "pm", "da noite": "pm", "da madrugada": "am"},
}

SEASONS = {
    "fr": {"printemps": "SP", "été": "SU", "automne": "FA", "hiver": "WI"},
    "es": {"primavera": "SP", "verano": "SU", "otoño": "FA", "invierno": "WI"},
    "en": {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"},
    "de": {"frühling": "SP", "frühjahr": "SP", "sommer": "SU", "herbst": "FA", "winter": "WI"},
    "it": {"primavera": "SP", "estate": "SU", "autunno": "FA", "inverno": "WI"},
    "pt": {"primavera": "SP", "verão": "SU", "outono": "FA", "inverno": "WI"},
}

# --- modifiers -----------------------------------------------------------------------------------
LAST = {
    "fr": ["dernier", "dernière", "derniers", "dernières", "passé", "passée", "précédent", "précédente"],
    "es": ["pasado", "pasada", "último", "última", "anterior"],
    "en": ["last", "past", "previous"],
    "de": ["letzten", "letzte", "letztes", "letzter", "vergangenen", "vergangene", "vergangenes", "vorigen", "vorige", "voriges"],
    "it": ["scorso", "scorsa", "passato", "passata", "ultimo", "ultima"],
    "pt": ["passado", "passada", "último", "última", "anterior"],
}
NEXT = {
    "fr": ["prochain", "prochaine", "prochains", "prochaines", "suivant", "suivante"],
    "es": ["próximo", "próxima", "proximo", "proxima", "que viene", "siguiente", "entrante"],
    "en": ["next", "coming", "following"],
    "de": ["nächsten", "nächste", "nächstes", "nächster", "kommenden", "kommende", "kommendes"],
    "it": ["prossimo", "prossima"],
    "pt": ["próximo", "próxima", "que vem", "seguinte"],
}
THIS = {
    "fr": ["ce", "cet", "cette"],
    "es": ["este", "esta", "estos", "estas"],
    "en": ["this"],
    "de": ["diesen", "diese", "dieses", "diesem", "dieser"],
    "it": ["questo", "questa", "quest'", "quest’"],
    "pt": ["este", "esta", "neste", "nesta"],
}
# Determiners kept inside a date's extent (TimeML keeps `le 27 mai`, not the preposition in `au`).
ARTICLES = {
    "fr": ["le", "la", "l'", "l’", "les"],
    "es": ["el", "la", "los", "las"],
    "en": ["the"],
    "de": ["der", "die", "das", "den", "dem"],
    "it": ["il", "lo", "la", "l'", "l’", "i", "gli", "le"],
    "pt": ["o", "a", "os", "as"],
}
APPROX = {
    "fr": ["vers", "environ", "aux alentours de", "autour de", "aux environs de", "à peu près", "quelque", "près de"],
    "es": ["hacia", "alrededor de", "sobre", "cerca de", "aproximadamente", "unos", "unas"],
    "en": ["about", "around", "approximately", "some", "roughly", "nearly", "almost"],
    "de": ["gegen", "etwa", "rund", "ungefähr", "zirka", "circa", "knapp", "fast"],
    "it": ["verso", "circa", "intorno a", "intorno alle", "quasi"],
    "pt": ["por volta de", "por volta das", "cerca de", "aproximadamente", "quase"],
}
# Comparative quantity words before a duration: TIMEX3 mod.
# Prepositions of approximation before a clock time (`vers 18 h`): outside the extent, mod APPROX.
CLOCK_APPROX = {
    "fr": ["vers", "aux alentours de", "autour de", "aux environs de"],
    "es": ["hacia", "sobre", "alrededor de"],
    "en": ["about", "around", "at about", "at around"],
    "de": ["gegen", "etwa um", "um etwa"],
    "it": ["verso", "intorno a", "intorno alle"],
    "pt": ["por volta de", "por volta das", "cerca de", "cerca das"],
}
# Plural demonstratives: `ces derniers jours`.
THESE = {"fr": ["ces"], "es": ["estos", "estas"], "en": ["these", "those"], "de": ["diese", "diesen"], "it": ["questi", "queste"], "pt": ["estes", "estas"]}
# Words before `le mercredi` that make it habitual: `uniquement le mercredi`, `fermé le lundi`.
HABITUAL_BEFORE = {
    "fr": ["uniquement", "seulement", "sauf", "excepté", "hormis", "ouvert", "ouverte", "ouverts", "ouvertes", "fermé", "fermée", "fermés", "fermées", "notamment", "généralement", "habituellement", "toujours"],
    "es": ["salvo", "excepto", "solo", "sólo", "abierto", "cerrado", "siempre"],
    "it": ["tranne", "solo", "aperto", "chiuso", "sempre"],
    "pt": ["exceto", "só", "aberto", "fechado", "sempre"],
}

MORE_LESS = {
    "fr": {"plus de": "MORE_THAN", "moins de": "LESS_THAN", "au moins": "EQUAL_OR_MORE", "au plus": "EQUAL_OR_LESS", "près de": "APPROX"},
    "es": {"más de": "MORE_THAN", "menos de": "LESS_THAN", "al menos": "EQUAL_OR_MORE", "casi": "APPROX"},
    "en": {"more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN", "under": "LESS_THAN", "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS"},
    "de": {"mehr als": "MORE_THAN", "über": "MORE_THAN", "weniger als": "LESS_THAN", "mindestens": "EQUAL_OR_MORE", "höchstens": "EQUAL_OR_LESS"},
    "it": {"più di": "MORE_THAN", "meno di": "LESS_THAN", "almeno": "EQUAL_OR_MORE"},
    "pt": {"mais de": "MORE_THAN", "menos de": "LESS_THAN", "pelo menos": "EQUAL_OR_MORE"},
}
# Parts of a period: `début octobre`, `fin de l'année`, `mid-June`.
PERIOD_PARTS = {
    "fr": {"début": "START", "fin": "END", "mi-": "MID", "milieu": "MID", "courant": None},
    "es": {"principios de": "START", "comienzos de": "START", "inicios de": "START", "finales de": "END",
           "fines de": "END", "final de": "END", "mediados de": "MID"},
    "en": {"early": "START", "late": "END", "mid-": "MID", "mid": "MID", "the beginning of": "START", "the start of": "START",
           "the end of": "END", "the middle of": "MID"},
    "de": {"anfang": "START", "ende": "END", "mitte": "MID"},
    "it": {"inizio": "START", "all'inizio di": "START", "fine": "END", "metà": "MID"},
    "pt": {"início de": "START", "inícios de": "START", "fim de": "END", "final de": "END", "finais de": "END", "meados de": "MID"},
}
# Prepositions left out of the extent whose meaning is a TIMEX3 mod on a date: `depuis 2006`.
DATE_PREPOSITION_MODS = {
    "fr": {"depuis": "ON_OR_AFTER", "dès": "ON_OR_AFTER", "à partir de": "ON_OR_AFTER", "avant": "BEFORE", "après": "AFTER", "jusqu'en": "ON_OR_BEFORE", "jusqu’en": "ON_OR_BEFORE"},
    "es": {"desde": "ON_OR_AFTER", "a partir de": "ON_OR_AFTER", "antes de": "BEFORE", "después de": "AFTER", "hasta": "ON_OR_BEFORE"},
    "en": {"since": "ON_OR_AFTER", "from": "ON_OR_AFTER", "before": "BEFORE", "after": "AFTER", "until": "ON_OR_BEFORE", "till": "ON_OR_BEFORE"},
    "de": {"seit": "ON_OR_AFTER", "ab": "ON_OR_AFTER", "vor": "BEFORE", "nach": "AFTER", "bis": "ON_OR_BEFORE"},
    "it": {"dal": "ON_OR_AFTER", "dall'": "ON_OR_AFTER", "prima del": "BEFORE", "dopo il": "AFTER", "fino al": "ON_OR_BEFORE"},
    "pt": {"desde": "ON_OR_AFTER", "a partir de": "ON_OR_AFTER", "antes de": "BEFORE", "depois de": "AFTER", "até": "ON_OR_BEFORE"},
}
# `il y a deux ans`: before (prefix) or after (suffix) the duration.
AGO_PREFIX = {"fr": ["il y a", "il y avait"], "es": ["hace", "hacía"], "de": ["vor"], "pt": ["há", "faz"], "en": [], "it": []}
AGO_SUFFIX = {"en": ["ago", "earlier"], "it": ["fa"], "pt": ["atrás"], "fr": [], "es": [], "de": []}
# `dans trois jours`: a date that far in the future.
IN_PREFIX = {"fr": ["dans"], "es": ["dentro de"], "en": ["in", "within"], "de": ["in"], "it": ["tra", "fra"], "pt": ["daqui a", "dentro de"]}

# --- recurrence ----------------------------------------------------------------------------------
EVERY = {
    "fr": ["chaque", "tous les", "toutes les"],
    "es": ["cada", "todos los", "todas las"],
    "en": ["every", "each"],
    "de": ["jeden", "jede", "jedes", "jedem", "alle"],
    "it": ["ogni", "tutti i", "tutte le"],
    "pt": ["cada", "todos os", "todas as"],
}
PER = {"fr": ["par"], "es": ["por", "al", "a la"], "en": ["per", "a"], "de": ["pro", "im"], "it": ["al", "alla", "per"], "pt": ["por", "ao"]}
# Adjectives and adverbs of frequency → TIMEX3 SET value.
FREQUENCY_WORDS = {
    "fr": {"quotidien": "P1D", "quotidienne": "P1D", "quotidiens": "P1D", "quotidiennes": "P1D", "quotidiennement": "P1D",
           "hebdomadaire": "P1W", "hebdomadaires": "P1W", "mensuel": "P1M", "mensuelle": "P1M", "mensuels": "P1M",
           "mensuelles": "P1M", "annuel": "P1Y", "annuelle": "P1Y", "annuels": "P1Y", "annuelles": "P1Y",
           "annuellement": "P1Y", "trimestriel": "P3M", "trimestrielle": "P3M", "semestriel": "P6M", "semestrielle": "P6M",
           "bimensuel": "P2W", "journalier": "P1D", "journalière": "P1D"},
    "es": {"diariamente": "P1D", "a diario": "P1D", "anual": "P1Y", "anuales": "P1Y", "anualmente": "P1Y",
           "mensual": "P1M", "mensuales": "P1M", "mensualmente": "P1M", "semanal": "P1W", "semanales": "P1W",
           "semanalmente": "P1W", "trimestral": "P3M", "trimestrales": "P3M", "cotidiano": "P1D", "cotidiana": "P1D"},
    "en": {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annual": "P1Y", "annually": "P1Y",
           "quarterly": "P3M", "nightly": "P1D", "hourly": "PT1H"},
    "de": {"täglich": "P1D", "tägliche": "P1D", "täglichen": "P1D", "wöchentlich": "P1W", "wöchentliche": "P1W",
           "monatlich": "P1M", "monatliche": "P1M", "jährlich": "P1Y", "jährliche": "P1Y", "jährlichen": "P1Y", "alljährlich": "P1Y"},
    "it": {"quotidiano": "P1D", "quotidiana": "P1D", "quotidianamente": "P1D", "annuale": "P1Y", "annuali": "P1Y",
           "annualmente": "P1Y", "mensile": "P1M", "mensili": "P1M", "settimanale": "P1W", "settimanali": "P1W"},
    "pt": {"diariamente": "P1D", "anual": "P1Y", "anuais": "P1Y", "anualmente": "P1Y", "mensal": "P1M", "mensais": "P1M",
           "semanal": "P1W", "semanais": "P1W", "cotidiano": "P1D", "quotidiano": "P1D"},
}
# German adverbs of habitual weekday or part of day: `montags` every Monday.
HABITUAL_ADVERBS = {"de": {"montags": "XXXX-WXX-1", "dienstags": "XXXX-WXX-2", "mittwochs": "XXXX-WXX-3",
                           "donnerstags": "XXXX-WXX-4", "freitags": "XXXX-WXX-5", "samstags": "XXXX-WXX-6",
                           "sonntags": "XXXX-WXX-7", "morgens": "XXXX-XX-XXTMO", "abends": "XXXX-XX-XXTEV",
                           "nachts": "XXXX-XX-XXTNI"}}

# Words for the present, the past and the future: TIMEX3 PRESENT_REF, PAST_REF, FUTURE_REF.
REFERENCE_WORDS = {
    "fr": {"actuellement": "PRESENT_REF", "désormais": "PRESENT_REF", "maintenant": "PRESENT_REF", "à présent": "PRESENT_REF",
           "de nos jours": "PRESENT_REF", "à l'heure actuelle": "PRESENT_REF", "à l’heure actuelle": "PRESENT_REF",
           "en ce moment": "PRESENT_REF", "auparavant": "PAST_REF", "autrefois": "PAST_REF", "jadis": "PAST_REF",
           "naguère": "PAST_REF", "récemment": "PAST_REF", "précédemment": "PAST_REF", "dernièrement": "PAST_REF",
           "prochainement": "FUTURE_REF", "bientôt": "FUTURE_REF", "à l'avenir": "FUTURE_REF", "à l’avenir": "FUTURE_REF",
           "dorénavant": "FUTURE_REF"},
    "es": {"actualmente": "PRESENT_REF", "ahora": "PRESENT_REF", "en la actualidad": "PRESENT_REF", "hoy en día": "PRESENT_REF",
           "recientemente": "PAST_REF", "anteriormente": "PAST_REF", "antiguamente": "PAST_REF", "próximamente": "FUTURE_REF",
           "en el futuro": "FUTURE_REF", "pronto": "FUTURE_REF"},
    "en": {"now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF", "at present": "PRESENT_REF",
           "recently": "PAST_REF", "previously": "PAST_REF", "formerly": "PAST_REF", "soon": "FUTURE_REF",
           "in the future": "FUTURE_REF"},
    "de": {"jetzt": "PRESENT_REF", "derzeit": "PRESENT_REF", "zurzeit": "PRESENT_REF", "gegenwärtig": "PRESENT_REF",
           "heutzutage": "PRESENT_REF", "mittlerweile": "PRESENT_REF", "inzwischen": "PRESENT_REF", "kürzlich": "PAST_REF",
           "neulich": "PAST_REF", "früher": "PAST_REF", "vorher": "PAST_REF", "bald": "FUTURE_REF", "künftig": "FUTURE_REF",
           "demnächst": "FUTURE_REF", "in zukunft": "FUTURE_REF"},
    "it": {"attualmente": "PRESENT_REF", "adesso": "PRESENT_REF", "oggigiorno": "PRESENT_REF", "ormai": "PRESENT_REF",
           "recentemente": "PAST_REF", "precedentemente": "PAST_REF", "prossimamente": "FUTURE_REF", "presto": "FUTURE_REF",
           "in futuro": "FUTURE_REF"},
    "pt": {"atualmente": "PRESENT_REF", "agora": "PRESENT_REF", "hoje em dia": "PRESENT_REF", "recentemente": "PAST_REF",
           "anteriormente": "PAST_REF", "em breve": "FUTURE_REF", "no futuro": "FUTURE_REF"},
}

# Centuries and decades.
CENTURY_WORDS = {"fr": ["siècle"], "es": ["siglo"], "en": ["century"], "de": ["jahrhundert", "jahrhunderts"], "it": ["secolo"], "pt": ["século"]}
DECADE_WORDS = {"fr": ["les années", "années"], "es": ["los años", "años"], "en": [], "de": [], "it": ["gli anni", "anni"], "pt": ["os anos", "anos"]}


# --- names from CLDR -----------------------------------------------------------------------------

@lru_cache(maxsize=16)
def month_names(language: str) -> dict[str, int]:
    """Full month names (and their unaccented forms) → 1..12; abbreviations are in month_abbreviations."""
    names: dict[str, int] = {}
    try:
        for context in ("format", "stand-alone"):
            for number, name in get_month_names("wide", context=context, locale=language).items():
                names[name.lower()] = number
                names[fold(name)] = number
    except (UnknownLocaleError, ValueError):
        return {}
    if language == "en":
        names["sept"] = 9
    return names


@lru_cache(maxsize=16)
def month_abbreviations(language: str) -> dict[str, int]:
    """Abbreviated month names with their period (`janv.`, `Sept.`): only read next to a day or year."""
    names: dict[str, int] = {}
    try:
        for number, name in get_month_names("abbreviated", context="format", locale=language).items():
            name = name.lower()
            if name.endswith(".") and len(name) >= 4:
                names[name] = number
                names[fold(name)] = number
            elif language == "en" and len(name) == 3:
                names[name + "."] = number
    except (UnknownLocaleError, ValueError):
        return {}
    return {name: number for name, number in names.items() if name.rstrip(".") not in month_names(language)}


@lru_cache(maxsize=16)
def weekday_names(language: str) -> dict[str, int]:
    """Weekday names → 0 (Monday) .. 6 (Sunday), with unaccented and short Portuguese forms."""
    names: dict[str, int] = {}
    try:
        for context in ("format", "stand-alone"):
            for number, name in get_day_names("wide", context=context, locale=language).items():
                names[name.lower()] = number
                names[fold(name)] = number
    except (UnknownLocaleError, ValueError):
        return {}
    if language == "pt":  # `terça` for `terça-feira`
        for name, number in list(names.items()):
            if name.endswith("-feira"):
                names[name[: -len("-feira")]] = number
    return names


def weekday_plurals(language: str) -> dict[str, int]:
    """Plural weekday forms, habitual in French, English, Italian (`les lundis`, `on Mondays`)."""
    names = weekday_names(language)
    if language in ("fr", "en"):
        return {name + "s": number for name, number in names.items()}
    if language == "pt":
        return {name.replace("-feira", "s-feiras"): number for name, number in names.items() if name.endswith("-feira")}
    return {}


# --- time zones ----------------------------------------------------------------------------------

# Countries spanning several zones: the zone of the capital (babel lists zones alphabetically).
COUNTRY_CAPITAL_ZONES = {
    "US": "America/New_York", "RU": "Europe/Moscow", "CA": "America/Toronto", "BR": "America/Sao_Paulo",
    "AU": "Australia/Sydney", "MX": "America/Mexico_City", "ID": "Asia/Jakarta", "KZ": "Asia/Almaty",
    "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "CN": "Asia/Shanghai", "AR": "America/Argentina/Buenos_Aires",
    "CL": "America/Santiago", "EC": "America/Guayaquil", "DE": "Europe/Berlin", "UA": "Europe/Kyiv",
    "MN": "Asia/Ulaanbaatar", "CD": "Africa/Kinshasa", "NZ": "Pacific/Auckland", "FR": "Europe/Paris",
    "GB": "Europe/London", "NL": "Europe/Amsterdam", "DK": "Europe/Copenhagen", "MY": "Asia/Kuala_Lumpur",
    "UZ": "Asia/Tashkent", "PS": "Asia/Gaza", "CY": "Asia/Nicosia", "KI": "Pacific/Tarawa", "FM": "Pacific/Pohnpei",
    "PF": "Pacific/Tahiti", "GL": "America/Nuuk", "VN": "Asia/Ho_Chi_Minh", "KP": "Asia/Pyongyang",
}

# Capitals and big cities that are not the city of an IANA zone, in the six languages.
CITY_ZONES = {
    "washington": "America/New_York", "new york": "America/New_York", "nueva york": "America/New_York",
    "pékin": "Asia/Shanghai", "beijing": "Asia/Shanghai", "pekín": "Asia/Shanghai", "peking": "Asia/Shanghai",
    "pechino": "Asia/Shanghai", "pequim": "Asia/Shanghai", "new delhi": "Asia/Kolkata", "delhi": "Asia/Kolkata",
    "nueva delhi": "Asia/Kolkata", "neu-delhi": "Asia/Kolkata", "nuova delhi": "Asia/Kolkata", "nova deli": "Asia/Kolkata",
    "bombay": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "ottawa": "America/Toronto", "canberra": "Australia/Sydney",
    "brasilia": "America/Sao_Paulo", "brasília": "America/Sao_Paulo", "rio de janeiro": "America/Sao_Paulo",
    "berne": "Europe/Zurich", "bern": "Europe/Zurich", "genève": "Europe/Zurich", "ginebra": "Europe/Zurich",
    "geneva": "Europe/Zurich", "genf": "Europe/Zurich", "ginevra": "Europe/Zurich", "genebra": "Europe/Zurich",
    "ankara": "Europe/Istanbul", "tel aviv": "Asia/Jerusalem", "jérusalem": "Asia/Jerusalem", "jerusalén": "Asia/Jerusalem",
    "hanoï": "Asia/Bangkok", "hanoi": "Asia/Bangkok", "séoul": "Asia/Seoul", "seúl": "Asia/Seoul", "islamabad": "Asia/Karachi",
    "abuja": "Africa/Lagos", "pretoria": "Africa/Johannesburg", "le cap": "Africa/Johannesburg", "cape town": "Africa/Johannesburg",
    "saint-pétersbourg": "Europe/Moscow", "san petersburgo": "Europe/Moscow", "st. petersburg": "Europe/Moscow",
    "sankt petersburg": "Europe/Moscow", "strasbourg": "Europe/Paris", "marseille": "Europe/Paris", "lyon": "Europe/Paris",
    "barcelone": "Europe/Madrid", "barcelona": "Europe/Madrid", "séville": "Europe/Madrid", "sevilla": "Europe/Madrid",
    "milan": "Europe/Rome", "milano": "Europe/Rome", "munich": "Europe/Berlin", "münchen": "Europe/Berlin",
    "francfort": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hambourg": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin", "köln": "Europe/Berlin", "bonn": "Europe/Berlin", "bruxelles": "Europe/Brussels",
    "la haye": "Europe/Amsterdam", "the hague": "Europe/Amsterdam", "den haag": "Europe/Amsterdam", "porto": "Europe/Lisbon",
    "los angeles": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "miami": "America/New_York", "boston": "America/New_York", "atlanta": "America/New_York", "houston": "America/Chicago",
    "dallas": "America/Chicago", "la nouvelle-orléans": "America/Chicago", "salt lake city": "America/Denver",
    "kiev": "Europe/Kyiv", "kyiv": "Europe/Kyiv", "kiew": "Europe/Kyiv", "kiïv": "Europe/Kyiv", "odessa": "Europe/Kyiv",
    "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo", "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne",
    "la mecque": "Asia/Riyadh", "riyad": "Asia/Riyadh", "riad": "Asia/Riyadh", "riyadh": "Asia/Riyadh",
    "téhéran": "Asia/Tehran", "teherán": "Asia/Tehran", "teheran": "Asia/Tehran", "le caire": "Africa/Cairo",
    "el cairo": "Africa/Cairo", "kairo": "Africa/Cairo", "il cairo": "Africa/Cairo", "cairo": "Africa/Cairo",
    "alger": "Africa/Algiers", "argel": "Africa/Algiers", "tunis": "Africa/Tunis", "rabat": "Africa/Casablanca",
    "dakar": "Africa/Dakar", "hong kong": "Asia/Hong_Kong", "hongkong": "Asia/Hong_Kong", "taipei": "Asia/Taipei",
    "pyongyang": "Asia/Pyongyang", "pionyang": "Asia/Pyongyang", "pjöngjang": "Asia/Pyongyang", "moscou": "Europe/Moscow",
    "moscú": "Europe/Moscow", "moskau": "Europe/Moscow", "mosca": "Europe/Moscow", "moscovo": "Europe/Moscow",
}

# Adjectives and names of zones written after a clock time: `heure française`, `hora peninsular`.
ZONE_PHRASES = {
    "fr": {"heure française": "Europe/Paris", "heure de paris": "Europe/Paris", "heure belge": "Europe/Brussels",
           "heure suisse": "Europe/Zurich", "heure de moscou": "Europe/Moscow", "heure de new york": "America/New_York",
           "heure de washington": "America/New_York", "heure de l'est": "America/New_York", "heure du québec": "America/Toronto",
           "heure de pékin": "Asia/Shanghai", "heure de tokyo": "Asia/Tokyo", "heure de londres": "Europe/London",
           "heure de pyongyang": "Asia/Pyongyang", "heure de séoul": "Asia/Seoul", "heure de kiev": "Europe/Kyiv"},
    "es": {"hora peninsular": "Europe/Madrid", "hora española": "Europe/Madrid", "hora de españa": "Europe/Madrid",
           "hora de madrid": "Europe/Madrid", "hora canaria": "Atlantic/Canary", "hora de canarias": "Atlantic/Canary",
           "hora argentina": "America/Argentina/Buenos_Aires", "hora de méxico": "America/Mexico_City",
           "hora del centro de méxico": "America/Mexico_City", "hora de colombia": "America/Bogota", "hora chilena": "America/Santiago",
           "hora de moscú": "Europe/Moscow", "hora de pekín": "Asia/Shanghai", "hora de washington": "America/New_York"},
    "en": {"eastern time": "America/New_York", "pacific time": "America/Los_Angeles", "central time": "America/Chicago",
           "mountain time": "America/Denver", "uk time": "Europe/London", "british time": "Europe/London",
           "moscow time": "Europe/Moscow", "beijing time": "Asia/Shanghai", "tokyo time": "Asia/Tokyo",
           "new york time": "America/New_York", "washington time": "America/New_York", "paris time": "Europe/Paris",
           "spanish time": "Europe/Madrid", "german time": "Europe/Berlin", "french time": "Europe/Paris",
           "pyongyang time": "Asia/Pyongyang", "seoul time": "Asia/Seoul", "kyiv time": "Europe/Kyiv"},
    "de": {"deutscher zeit": "Europe/Berlin", "deutsche zeit": "Europe/Berlin", "mez": "Europe/Berlin", "mesz": "Europe/Berlin",
           "moskauer zeit": "Europe/Moscow", "schweizer zeit": "Europe/Zurich", "österreichischer zeit": "Europe/Vienna",
           "ostküstenzeit": "America/New_York", "pekinger zeit": "Asia/Shanghai"},
    "it": {"ora italiana": "Europe/Rome", "ora di roma": "Europe/Rome", "ora di mosca": "Europe/Moscow",
           "ora di pechino": "Asia/Shanghai", "ora di new york": "America/New_York"},
    "pt": {"hora de brasília": "America/Sao_Paulo", "hora de lisboa": "Europe/Lisbon", "hora portuguesa": "Europe/Lisbon",
           "hora de portugal": "Europe/Lisbon", "hora de moscou": "Europe/Moscow", "hora de moscovo": "Europe/Moscow"},
}
# `heure locale`: the zone of the place the sentence is about.
LOCAL_TIME_PHRASES = {
    "fr": ["heure locale", "heures locales", "locales", "locale", "heure sur place"],
    "es": ["hora local", "horas locales", "local"],
    "en": ["local time", "local"],
    "de": ["ortszeit", "uhr ortszeit"],
    "it": ["ora locale", "locali"],
    "pt": ["hora local", "horário local"],
}
# Abbreviations written after a time; standard-time offsets only (zoneinfo handles summer time).
ZONE_ABBREVIATIONS = {
    "UTC": "UTC", "GMT": "UTC", "TU": "UTC", "Z": "UTC", "CET": "Europe/Paris", "CEST": "Europe/Paris",
    "MEZ": "Europe/Berlin", "MESZ": "Europe/Berlin", "HEC": "Europe/Paris", "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
    "BST": "Europe/London", "EET": "Europe/Athens", "EEST": "Europe/Athens", "MSK": "Europe/Moscow",
    "EST": "America/New_York", "EDT": "America/New_York", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MST": "America/Denver", "MDT": "America/Denver", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
}

# Where an article in this language is most likely written from, when nothing says otherwise.
HOME_ZONES = {"fr": "Europe/Paris", "es": "Europe/Madrid", "en": "Europe/London", "de": "Europe/Berlin",
              "it": "Europe/Rome", "pt": "Europe/Lisbon"}


# Zones named after research stations or abstract offsets, not places a news sentence names.
_NOT_PLACES = ("Etc/", "Antarctica/", "Arctic/")


def _zone_city(zone: str) -> str:
    return zone.rsplit("/", 1)[-1].replace("_", " ").lower()


@lru_cache(maxsize=16)
def place_zones(language: str) -> dict[str, str]:
    """Names of countries and cities (lower case) → IANA zone, in this language and in English.

    Countries come from CLDR territory names; cities from the IANA zone names, CLDR's
    translated city names (`Moscou`, `Londres`) and CITY_ZONES.
    """
    territory_zones = get_global("territory_zones")
    places: dict[str, str] = {}
    for locale_name in dict.fromkeys(("en", language)):
        try:
            locale = Locale.parse(locale_name)
        except (UnknownLocaleError, ValueError):
            continue
        for code, name in locale.territories.items():
            zones = territory_zones.get(code)
            if not zones or not code.isalpha():
                continue
            zone = COUNTRY_CAPITAL_ZONES.get(code) or (zones[0] if len(zones) == 1 else None)
            if zone:
                places[name.lower()] = zone
        for zone, names in locale.time_zones.items():
            city = names.get("city") if hasattr(names, "get") else None
            if city and "/" in zone and not zone.startswith(_NOT_PLACES):
                places[city.lower()] = zone
    for zones in territory_zones.values():
        for zone in zones:
            if not zone.startswith(_NOT_PLACES):
                places.setdefault(_zone_city(zone), zone)
    places.update(CITY_ZONES)
    # Short words that are also common nouns would match too much; a place name needs 4 letters.
    return {name: zone for name, zone in places.items() if len(name) >= 4}


@dataclass(frozen=True)
class Lexicon:
    """Everything the rules of one language read, gathered once."""

    language: str
    months: dict[str, int] = field(default_factory=dict)
    month_abbreviations: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    weekday_plurals: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=16)
def lexicon(language: str) -> Lexicon:
    units = dict(UNITS.get(language, {}))
    units.update({fold(word): code for word, code in units.items()})
    return Lexicon(
        language=language,
        months=month_names(language),
        month_abbreviations=month_abbreviations(language),
        weekdays=weekday_names(language),
        weekday_plurals=weekday_plurals(language),
        numbers=number_words(language),
        units=units,
    )
