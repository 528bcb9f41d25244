"""Small closed-class word lists per language, written for babelwire's heuristics.

Open-class knowledge (how frequent a word is) comes from wordfreq; these lists only say which
frequent words are articles, or words that start a phrase and so get glued to a link's text.
"""

from __future__ import annotations

# Articles: two in a row is a translation slip (`d’un une`); one of another language before a
# noun is a left-over (`Il Conseil`).
ARTICLES: dict[str, frozenset[str]] = {
    "fr": frozenset({"un", "une", "le", "la", "les", "des"}),
    "es": frozenset({"un", "una", "unos", "unas", "el", "la", "los", "las"}),
    "it": frozenset({"un", "uno", "una", "il", "lo", "la", "i", "gli", "le"}),
    "pt": frozenset({"um", "uma", "uns", "umas", "o", "a", "os", "as"}),
    "de": frozenset({"der", "die", "das", "ein", "eine", "einen", "einem", "einer"}),
    "en": frozenset({"the", "a", "an"}),
    "nl": frozenset({"de", "het", "een"}),
}

# Words that open a phrase: what follows a stripped link and gets glued to it (`Lavrovles`).
PHRASE_OPENERS: dict[str, frozenset[str]] = {
    "fr": ARTICLES["fr"] | frozenset({"du", "de", "au", "aux", "et", "ou", "dans", "pour", "par", "sur", "avec", "sans", "moins", "plus", "qui", "que", "mais", "en"}),
    "es": ARTICLES["es"] | frozenset({"de", "del", "al", "y", "en", "con", "por", "para", "que", "pero", "menos", "más", "sin", "sobre"}),
    "it": ARTICLES["it"] | frozenset({"di", "del", "della", "dei", "delle", "al", "alla", "e", "ed", "in", "con", "per", "su", "che", "da", "ma", "meno", "più"}),
    "pt": ARTICLES["pt"] | frozenset({"de", "do", "da", "dos", "das", "no", "na", "nos", "nas", "em", "com", "por", "para", "que", "mas", "menos", "mais"}),
    "de": ARTICLES["de"] | frozenset({"den", "dem", "des", "und", "oder", "im", "mit", "von", "vom", "zu", "zum", "zur", "für", "auf", "aber", "weniger", "mehr"}),
    "en": ARTICLES["en"] | frozenset({"of", "and", "or", "in", "on", "to", "for", "with", "from", "that", "but", "less", "more", "who", "which"}),
    "nl": ARTICLES["nl"] | frozenset({"van", "en", "of", "in", "op", "met", "voor", "dat", "maar", "minder", "meer"}),
}
